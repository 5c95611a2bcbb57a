# Pester 5 tests for the built module. Run by build.ps1 -Task Test (in a child pwsh) where pwsh exists.
BeforeAll {
    $manifest = Get-ChildItem (Join-Path $PSScriptRoot '../../out/SpeechStream') -Filter SpeechStream.psd1 -Recurse | Select-Object -First 1
    Import-Module $manifest.FullName -Force
    $fixtures = Join-Path $PSScriptRoot '../fixtures/audio'
}

Describe 'Invoke-AsrFile' {
    It 'writes one row per final that spells the clip, through Export-Csv' {
        $csv = Join-Path $TestDrive 'calls.csv'
        Invoke-AsrFile (Join-Path $fixtures 'librivox-1.wav') -Provider Voxist -Emulate -Speed max | Export-Csv $csv
        $rows = Import-Csv $csv
        $expected = (Get-Content (Join-Path $fixtures 'librivox-1.json') | ConvertFrom-Json).text
        ($rows | Sort-Object { [int]$_.Segment } | ForEach-Object Text) -join ' ' | Should -Be $expected
        $rows[0].PSObject.Properties.Name | Should -Contain 'Latency'
    }

    It 'takes files from Get-ChildItem by PSPath' {
        $r = Get-ChildItem (Join-Path $fixtures 'librivox-[25].wav') | Invoke-AsrFile -Emulate -Speed max
        ($r | Select-Object -ExpandProperty Source -Unique).Count | Should -Be 2
    }

    It 'writes a non-terminating error for a bad file and goes on' {
        $r = Invoke-AsrFile (Join-Path $fixtures 'bad/not-audio.wav'), (Join-Path $fixtures 'librivox-2.wav') -Emulate -Speed max -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AudioNotWav*'
        $r.Count | Should -BeGreaterThan 0
    }

    It 'stops promptly on Stop()' {
        $ps = [PowerShell]::Create()
        $null = $ps.AddCommand('Import-Module').AddArgument((Get-Module SpeechStream).Path).AddStatement()
        $null = $ps.AddCommand('Invoke-AsrFile').AddParameter('Path', (Join-Path $fixtures 'call-mono-16k.wav')).AddParameter('Emulate')
        $h = $ps.BeginInvoke()
        Start-Sleep -Seconds 2
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 1.5
        $ps.Dispose()
    }
}

Describe 'Session cmdlets' {
    It 'connect, send, end of stream, receive, disconnect' {
        $s = Connect-AsrSession -Provider Voxist -Language en -Emulate
        Get-AsrSession | Should -Contain $s
        Send-AsrAudio -Session $s -Path (Join-Path $fixtures 'librivox-5.wav') -Speed max
        Send-AsrAudio -Session $s -EndOfStream
        $r = Receive-AsrTranscript -Session $s -Wait -Timeout 30
        $r.Count | Should -BeGreaterThan 0
        Disconnect-AsrSession -Session $s
        Disconnect-AsrSession -Session $s   # idempotent
        Get-AsrSession | Should -Not -Contain $s
    }

    It 'lists providers' {
        (Get-AsrProvider Voxist).ApiKeyVariable | Should -Be 'VOXIST_API_KEY'
    }
}
