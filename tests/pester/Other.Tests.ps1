# Invoke-AsrMicrophone with a stand-in capture, Get-AsrAudioDevice, ConvertTo-Speech and its file handling, Get-AsrProvider.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Invoke-AsrMicrophone' {
    It 'transcribes what a stand-in capture command writes, for -Duration' -Skip:(-not ($IsLinux -or $IsMacOS)) {
        $raw = Join-Path $Fixtures 'variant-16k-s16le.raw'
        $r = Invoke-AsrMicrophone -Emulate -Duration 3 -CaptureCommand "while :; do cat '$raw'; sleep 7; done"
        $r.Count | Should -BeGreaterThan 0
        $r[0].Source | Should -Be 'microphone'
    }

    It 'stops with CaptureFailed, the exit code and the tool''s own words when the capture fails' {
        $e = { Invoke-AsrMicrophone -Emulate -Duration 1 -CaptureCommand 'echo no device >&2; exit 3' } | Should -Throw -ErrorId 'CaptureFailed*' -PassThru
        $e.Exception.Message | Should -BeLike '*exit code 3*no device*'
    }

    It 'says what the capture tool said without the sound library''s noise, naming the missing sound card' -Skip:(-not ($IsLinux -or $IsMacOS)) {
        # sox's real standard error on a machine without a sound card: nine ALSA lines, then its own.
        $noise = Join-Path $PSScriptRoot '../fixtures/recorded/sox-no-sound-card.stderr'
        $e = { Invoke-AsrMicrophone -Emulate -Duration 1 -CaptureCommand "cat '$noise' >&2; exit 2" } | Should -Throw -ErrorId 'CaptureFailed*' -PassThru
        $m = $e.Exception.Message
        $m | Should -Match 'sox FAIL sox: Sorry, there is no default audio device configured'
        $m | Should -Match "ALSA: cannot find card '0' \(this machine has no sound card ALSA can see\)"
        $m | Should -Not -Match 'ALSA lib'
        @($m -split "`n").Count | Should -BeLessOrEqual 3
    }

    It 'refuses -Loopback off Windows, saying WASAPI is Windows-only and what to use instead' -Skip:$IsWindows {
        $e = { Invoke-AsrMicrophone -Emulate -Duration 1 -Loopback } | Should -Throw -ErrorId 'LoopbackNotSupported*' -PassThru
        $e.Exception.Message | Should -BeLike '*Windows-only*'
    }
}

Describe 'Get-AsrAudioDevice' {
    It 'lists nothing off Windows and warns that WASAPI is Windows-only, naming what captures instead' -Skip:$IsWindows {
        $r = Get-AsrAudioDevice -WarningVariable warnings -WarningAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        "$warnings" | Should -BeLike 'WASAPI devices (listing, names, loopback) are Windows-only.*'
    }

    It 'lists the active WASAPI devices with their kind' -Skip:(-not $IsWindows) {
        $all = @(Get-AsrAudioDevice)
        $all | ForEach-Object { $_.Kind | Should -BeIn @('Microphone', 'Output') }
        @(Get-AsrAudioDevice -Kind Microphone).Count | Should -Be @($all | Where-Object Kind -eq 'Microphone').Count
    }
}

Describe 'ConvertTo-Speech' {
    It 'writes a WAV file from pipeline text and returns its description' {
        $out = Join-Path $TestDrive 'hello.wav'
        $r = 'Hello', 'world' | ConvertTo-Speech -OutFile $out -Voice vl-xiaoxiao -Emulate
        $r.Path | Should -Be $out
        $r.DurationSeconds | Should -BeGreaterThan 0
        (Get-Item $out).Length | Should -Be (44 + $r.AudioBytes + ($r.AudioBytes % 2))
    }

    It 'writes nothing and connects to nothing with -WhatIf' {
        $out = Join-Path $TestDrive 'whatif.wav'
        $r = ConvertTo-Speech 'Hello' -OutFile $out -Emulate -WhatIf
        $r | Should -BeNullOrEmpty
        Test-Path $out | Should -BeFalse
    }

    It 'replaces an existing file, but not with -NoClobber' {
        $out = Join-Path $TestDrive 'kept.wav'
        Set-Content $out 'precious'
        { ConvertTo-Speech 'Hello' -OutFile $out -Emulate -NoClobber } | Should -Throw -ErrorId 'NoClobber*'
        Get-Content $out | Should -Be 'precious'
        $null = ConvertTo-Speech 'Hello' -OutFile $out -Emulate
        (Get-Item $out).Length | Should -BeGreaterThan 44
    }

    It 'replaces a read-only file only with -Force' {
        $out = Join-Path $TestDrive 'readonly-attr.wav'
        Set-Content $out 'old'
        [IO.File]::SetAttributes($out, [IO.FileAttributes]::ReadOnly)
        try {
            { ConvertTo-Speech 'Hello' -OutFile $out -Emulate } | Should -Throw -ErrorId 'OutFileReadOnly*'
            $null = ConvertTo-Speech 'Hello' -OutFile $out -Emulate -Force
            (Get-Item $out).Length | Should -BeGreaterThan 44
        }
        finally { [IO.File]::SetAttributes($out, [IO.FileAttributes]::Normal) }
    }

    It 'checks -Voice before connecting: a malformed id is refused, an unlisted one is sent with a Verbose note' {
        $out = Join-Path $TestDrive 'voice.wav'
        $e = { ConvertTo-Speech 'Hello' -OutFile $out -Emulate -Voice 'vl xiaoxiao' } | Should -Throw -ErrorId 'VoiceMalformed*' -PassThru
        $e.Exception.Message | Should -Match "Voice 'vl xiaoxiao' is not a VoxNexus voice id.*vl-xiaoxiao"
        Test-Path $out | Should -BeFalse
        $r = ConvertTo-Speech 'Hello' -OutFile $out -Emulate -Voice vl-xiaoxia -Verbose 4>&1
        $note = @($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'vl-xiaoxia' })
        $note[0].Message | Should -Match "Voice 'vl-xiaoxia' is not among the voices VoxNexus's documents name .*Did you mean: vl-xiaoxiao\?"
    }

    It 'names a missing folder instead of failing with a .NET exception' {
        $out = Join-Path $TestDrive 'no/such/folder/hello.wav'
        $e = { ConvertTo-Speech 'Hello' -OutFile $out -Emulate } | Should -Throw -ErrorId 'OutFileFolderNotFound*' -PassThru
        $e.Exception.Message | Should -BeLike "*the folder '*folder' does not exist*"
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Get-AsrProvider' {
    It 'lists every provider, by name and wildcard' {
        (Get-AsrProvider Voxist).ApiKeyVariable | Should -Be 'VOXIST_API_KEY'
        # Every provider folder of the engine, the default provider first (the registry's order).
        $folders = (Get-ChildItem (Join-Path $RepoRoot 'src/SpeechStream.Engine/Providers') -Directory).Name
        (Get-AsrProvider).Name | Sort-Object | Should -Be ($folders | Sort-Object)
        (Get-AsrProvider)[0].Name | Should -Be 'Voxist'
        (Get-AsrProvider S*).Name | Should -Be @('Smallest', 'Speechall')
    }

    It 'names an unknown exact name with ProviderNotFound, as Get-Command does, and stays silent for a wildcard' {
        $found = Get-AsrProvider Bogus, Voxist -ErrorVariable e -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'Voxist'
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -Be 'ProviderNotFound,SpeechStream.PowerShell.Commands.GetAsrProviderCommand'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e[0].TargetObject | Should -Be 'Bogus'
        $e[0].Exception.Message | Should -BeExactly "Cannot find a provider named 'Bogus': expected one of $((Get-AsrProvider).Name -join ', ')."
        Get-AsrProvider Bog* -ErrorVariable w -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $w.Count | Should -Be 0
    }
}
