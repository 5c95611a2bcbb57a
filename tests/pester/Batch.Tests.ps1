# Batches in PowerShell: -ThrottleLimit, -OutputFolder with ShouldProcess and -SkipExisting, the parent and child
# progress bars; ConvertTo-AsrSubtitle.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:dir = Join-Path $TestDrive 'archive'
    New-Item -ItemType Directory $dir | Out-Null
    $script:names = 1..3 | ForEach-Object {
        Copy-Item (Join-Path $Fixtures "librivox-$_.wav") (Join-Path $dir "call-$_.wav")
        Copy-Item (Join-Path $Fixtures "librivox-$_.json") (Join-Path $dir "call-$_.json")
        "call-$_"
    }
}

Describe 'Invoke-AsrFile batches' {
    It 'runs files at once with -ThrottleLimit, every row with its Source, and shows a batch bar with a bar per file under it' {
        $run = Start-AsrPipeline { param($Dir) Get-ChildItem (Join-Path $Dir '*.wav') | Invoke-AsrFile -Emulate -Speed 4 -ThrottleLimit 3 } @{ Dir = $dir }
        try {
            $null = $run.PowerShell.EndInvoke($run.Handle)
            $rows = $run.Output
            foreach ($i in 1..3) {
                $text = ($rows | Where-Object { (Split-Path $_.Source -Leaf) -eq "call-$i.wav" }).Text -join ' '
                $text | Should -Be ((Get-Content (Join-Path $Fixtures "librivox-$i.json") -Raw | ConvertFrom-Json).text)
            }
            $progress = $run.PowerShell.Streams.Progress
            $parent = $progress | Where-Object ActivityId -eq 1
            $parent | Should -Not -BeNullOrEmpty
            $parent[0].Activity | Should -Be 'Transcribing 3 files'
            ($progress | Where-Object ParentActivityId -eq 1 | Select-Object -ExpandProperty Activity -Unique).Count | Should -Be 3
            $parent[-1].RecordType | Should -Be 'Completed'
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'connects to nothing and returns nothing under -WhatIf without -OutputFolder, and says what it would do' {
        # A listener that would see any connection attempt: -WhatIf must not open the (billed) session.
        $listener = Start-SilentServer
        try {
            $endpoint = "ws://127.0.0.1:$($listener.LocalEndpoint.Port)/ws"
            $clip = Join-Path $Fixtures 'librivox-2.wav'
            $out = Invoke-ChildPwsh @"
Import-Module '$ModuleManifest'
`$rows = Invoke-AsrFile '$clip' -Provider Voxist -Endpoint '$endpoint' -ApiKey 'k-123456' -AuthMode key -WhatIf
"rows=`$(@(`$rows).Count)"
"@
            $out | Should -Contain 'rows=0'
            ($out -join "`n") | Should -Match ([regex]::Escape("What if: Performing the operation `"Transcribe with Voxist`" on target `"$clip`"."))
            $listener.Pending() | Should -BeFalse -Because 'nothing connected'
        }
        finally { $listener.Stop() }
    }

    It 'writes nothing under -WhatIf' {
        $out = Join-Path $TestDrive 'whatif'
        Get-ChildItem (Join-Path $dir '*.wav') | Invoke-AsrFile -Emulate -Speed max -OutputFolder $out -WhatIf
        Test-Path $out | Should -BeFalse
    }

    It 'writes one file per input with -OutputFolder, returns their FileInfo, and -SkipExisting skips them the next time' {
        $out = Join-Path $TestDrive 'out'
        $files = Get-ChildItem (Join-Path $dir '*.wav') | Invoke-AsrFile -Emulate -Speed max -ThrottleLimit 2 -OutputFolder $out -OutputFormat Csv
        $files | ForEach-Object { $_ | Should -BeOfType ([IO.FileInfo]) }
        ($files.Name | Sort-Object) | Should -Be ($names | ForEach-Object { "$_.csv" })
        (Get-ChildItem $out -Force).Name | Sort-Object | Should -Be ($names | ForEach-Object { "$_.csv" })
        $first = Import-Csv (Join-Path $out 'call-1.csv')
        ($first.Text -join ' ') | Should -Be ((Get-Content (Join-Path $Fixtures 'librivox-1.json') -Raw | ConvertFrom-Json).text)
        $stamp = (Get-Item (Join-Path $out 'call-1.csv')).LastWriteTimeUtc

        $again = Get-ChildItem (Join-Path $dir '*.wav') | Invoke-AsrFile -Emulate -Speed max -OutputFolder $out -SkipExisting -Verbose 4>&1
        ($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Skipped*' }).Count | Should -Be 3
        (Get-Item (Join-Path $out 'call-1.csv')).LastWriteTimeUtc | Should -Be $stamp
    }

    It 'names an incomplete transcript so, with the error TranscriptIncomplete' {
        $out = Join-Path $TestDrive 'incomplete'
        $null = Invoke-AsrFile (Join-Path $dir 'call-1.wav') -Emulate -EmulatorProfile close-without-completion -Speed max -OutputFolder $out -ErrorVariable err -ErrorAction SilentlyContinue
        (Get-ChildItem $out -Force).Name | Should -Be 'call-1.incomplete.csv'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TranscriptIncomplete*'
    }

    It 'refuses -SkipExisting without -OutputFolder' {
        { Invoke-AsrFile (Join-Path $dir 'call-1.wav') -Emulate -SkipExisting } | Should -Throw -ErrorId 'SkipExistingNeedsOutputFolder*'
    }
}

Describe 'ConvertTo-AsrSubtitle' {
    It 'turns transcripts into SRT that ffmpeg reads, cues starting at the fixture word times' {
        $srt = Invoke-AsrFile (Join-Path $Fixtures 'call-mono-16k.wav') -Provider Smallest -WordTimestamps -Emulate -Speed max | ConvertTo-AsrSubtitle -Format Srt
        $srt | Should -BeOfType ([string])
        $path = Join-Path $TestDrive 'call.srt'
        $srt | Set-Content $path -NoNewline
        $starts = (Get-Content (Join-Path $Fixtures 'call-mono-16k.json') -Raw | ConvertFrom-Json).words.start
        $cues = [regex]::Matches($srt, '(?m)^(\d\d):(\d\d):(\d\d),(\d\d\d) --> ')
        $cues.Count | Should -BeGreaterThan 5
        foreach ($c in $cues) {
            $t = [int]$c.Groups[2].Value * 60 + [int]$c.Groups[3].Value + [int]$c.Groups[4].Value / 1000
            ($starts | Where-Object { [math]::Abs($_ - $t) -lt 0.002 }) | Should -Not -BeNullOrEmpty -Because "cue at $t s starts on a word"
        }
        & ffmpeg -v error -y -i $path (Join-Path $TestDrive 'call.ass')
        $LASTEXITCODE | Should -Be 0
    }

    It 'labels the sides of a split call in WebVTT' {
        $vtt = Invoke-AsrFile (Join-Path $Fixtures 'call-stereo-8k-mulaw.wav') -Channel Split -Provider Smallest -Emulate -Speed max | ConvertTo-AsrSubtitle -Format Vtt -MaxLineLength 32
        $vtt | Should -BeLike 'WEBVTT*'
        $vtt | Should -Match '<v left>'
        $vtt | Should -Match '<v right>'
        foreach ($line in $vtt -split "`n" | Where-Object { $_ -and $_ -notmatch '-->' -and $_ -ne 'WEBVTT' }) {
            ($line -replace '^<v [^>]+>', '').Length | Should -BeLessOrEqual 32
        }
    }
}
