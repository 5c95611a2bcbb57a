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

Describe 'Every provider' {
    It 'spells librivox-3 through <Provider>' -ForEach @(
        @{ Provider = 'Voxist' }, @{ Provider = 'IApp' }, @{ Provider = 'Smallest' }, @{ Provider = 'VoxNexus' }, @{ Provider = 'Speechall' }
    ) {
        $extra = if ($Provider -eq 'Speechall') { @{ Model = 'deepgram.nova-2' } } else { @{} }
        $r = Invoke-AsrFile (Join-Path $fixtures 'librivox-3.wav') -Provider $Provider -Emulate -Speed max @extra
        $expected = (Get-Content (Join-Path $fixtures 'librivox-3.json') | ConvertFrom-Json).text
        ($r | Sort-Object Segment | ForEach-Object Text) -join ' ' | Should -Be $expected
        $r | ForEach-Object { $_.Provider | Should -Be $Provider }
    }

    It 'compares providers side by side on one file' {
        $r = Invoke-AsrFile (Join-Path $fixtures 'librivox-2.wav') -Provider Voxist, Smallest -Emulate -Speed max
        ($r | Select-Object -ExpandProperty Provider -Unique | Sort-Object) -join ',' | Should -Be 'Smallest,Voxist'
    }

    It 'refuses a Speechall session without -Model with ModelRequired' {
        { Invoke-AsrFile (Join-Path $fixtures 'librivox-2.wav') -Provider Speechall -Emulate -Speed max -ErrorAction Stop } |
            Should -Throw -ErrorId 'ModelRequired*'
    }

    It 'lists an unknown provider option with the valid ones' {
        { Invoke-AsrFile (Join-Path $fixtures 'librivox-2.wav') -Provider Smallest -Emulate -ProviderOption @{ nope = 1 } -ErrorAction Stop } |
            Should -Throw '*eou_timeout_ms*'
    }

    It 'completes -Language per provider' {
        $c = TabExpansion2 -inputScript 'Invoke-AsrFile x.wav -Provider IApp -Language ' -cursorColumn 47
        $c.CompletionMatches.CompletionText | Should -Be @('th')
    }

    It 'writes speech with ConvertTo-Speech' {
        $out = Join-Path $TestDrive 'hello.wav'
        $r = 'Hello', 'world' | ConvertTo-Speech -OutFile $out -Voice vl-xiaoxiao -Emulate
        $r.Path | Should -Be $out
        $r.DurationSeconds | Should -BeGreaterThan 0
        (Get-Item $out).Length | Should -Be (44 + $r.AudioBytes + ($r.AudioBytes % 2))
    }
}

Describe 'Audio in' {
    It 'splits a stereo call into one session per channel' {
        $r = Invoke-AsrFile (Join-Path $fixtures 'call-stereo-8k-mulaw.wav') -Channel Split -Emulate -Speed max
        ($r.Channel | Sort-Object -Unique) -join ',' | Should -Be 'left,right'
        $starts = $r | ForEach-Object Start
        ($starts | Sort-Object) -join ',' | Should -Be ($starts -join ',')
    }

    It 'reads declared raw PCM' {
        $r = Invoke-AsrFile (Join-Path $fixtures 'variant-16k-s16le.raw') -RawFormat s16le -RawSampleRate 16000 -RawChannels 1 -Emulate -Speed max
        $r.Count | Should -BeGreaterThan 0
    }

    It 'listens to a stand-in microphone for -Duration' -Skip:(-not $IsLinux) {
        $raw = Join-Path $fixtures 'variant-16k-s16le.raw'
        $r = Invoke-AsrMicrophone -Emulate -Duration 3 -CaptureCommand "while :; do cat '$raw'; sleep 7; done"
        $r.Count | Should -BeGreaterThan 0
    }
}

Describe 'Security' {
    It 'refuses ws:// to another host without -AllowUnencryptedConnection' {
        { Invoke-AsrFile (Join-Path $fixtures 'librivox-2.wav') -Endpoint 'ws://asr.example.com/ws' -ApiKey (ConvertTo-SecureString 'k-1234' -AsPlainText -Force) -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnencryptedConnectionRefused*'
    }

    It 'never shows the key in verbose output or errors' {
        $key = 'sk-pester-secret-9876'
        $out = Invoke-AsrFile (Join-Path $fixtures 'librivox-2.wav') -Endpoint 'ws://127.0.0.1:9/ws' -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -AuthMode key -Verbose -ErrorAction SilentlyContinue -ErrorVariable errs 4>&1
        ($out | Out-String) + ($errs | Out-String) | Should -Not -Match $key
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
        (Get-AsrProvider).Name | Should -Be @('Voxist', 'IApp', 'Smallest', 'VoxNexus', 'Speechall')
        (Get-AsrProvider S*).Name | Should -Be @('Smallest', 'Speechall')
    }
}
