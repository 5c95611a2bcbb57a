# Invoke-AsrFile end to end against the emulator: the pipeline, paths, providers, channels, raw input, culture, errors.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Invoke-AsrFile output' {
    It 'writes one row per final that spells the clip, with the Transcript columns, through Export-Csv' {
        $csv = Join-Path $TestDrive 'calls.csv'
        Invoke-AsrFile (Join-Path $Fixtures 'librivox-1.wav') -Emulate -Speed max | Export-Csv $csv
        $rows = Import-Csv $csv
        ($rows | Sort-Object { [int]$_.Segment } | ForEach-Object Text) -join ' ' | Should -Be (Get-FixtureText 'librivox-1.wav')
        $rows[0].PSObject.Properties.Name | Should -Be @('Provider', 'Source', 'Channel', 'SessionId', 'Segment', 'IsFinal', 'Text',
            'Start', 'End', 'TimesEstimated', 'Confidence', 'Language', 'Speaker', 'ReceivedAt', 'Latency', 'Unconfirmed', 'Words')
        $rows | ForEach-Object { $_.Unconfirmed | Should -Be 'False' }
    }

    It 'writes every number of a row with the decimal separator of <Culture>' -ForEach @(
        @{ Culture = 'de-DE'; Separator = ',' }, @{ Culture = 'en-US'; Separator = '.' }
    ) {
        $csv = Join-Path $TestDrive "calls-$Culture.csv"
        $before = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = $Culture
            Invoke-AsrFile (Join-Path $Fixtures 'librivox-1.wav') -Emulate -Speed max | Export-Csv $csv
        }
        finally { [cultureinfo]::CurrentCulture = $before }
        $rows = Import-Csv $csv
        $rows.Count | Should -BeGreaterThan 1
        foreach ($row in $rows) {
            $numbers = "$($row.Start) $($row.End) $($row.Latency) $($row.Words)"
            $separators = [regex]::Matches($numbers, '\d([.,])\d') | ForEach-Object { $_.Groups[1].Value } | Select-Object -Unique
            $separators | Should -Be $Separator -Because "row '$($row.Text)' has $numbers"
        }
    }

    It 'takes files from Get-ChildItem through the pipeline (PSPath)' {
        $r = Get-ChildItem (Join-Path $Fixtures 'librivox-[25].wav') | Invoke-AsrFile -Emulate -Speed max
        ($r.Source | ForEach-Object { Split-Path $_ -Leaf } | Sort-Object -Unique) -join ',' | Should -Be 'librivox-2.wav,librivox-5.wav'
    }

    It 'reads a -LiteralPath with brackets in the name, which -Path would take as a wildcard' {
        $odd = Join-Path $TestDrive 'call [1].wav'
        [IO.File]::Copy((Join-Path $Fixtures 'librivox-2.wav'), $odd)
        $r = Invoke-AsrFile -LiteralPath $odd -Emulate -Speed max
        $r.Text -join ' ' | Should -Not -BeNullOrEmpty
        $r[0].Source | Should -Be $odd
    }

    It 'resolves a path on a PSDrive' {
        $null = New-PSDrive -Name SsAudio -PSProvider FileSystem -Root $Fixtures
        try {
            $r = Invoke-AsrFile SsAudio:/librivox-2.wav -Emulate -Speed max
            $r.Source | Should -Be (Join-Path $Fixtures 'librivox-2.wav')
        }
        finally { Remove-PSDrive SsAudio }
    }

    It 'names a folder given as <How>, saying how to transcribe its files, and goes on with the files' -ForEach @(
        @{ How = '-Path'; Run = { param($f, $w) Invoke-AsrFile -Path $f, $w -Emulate -Speed max -ErrorVariable e -ErrorAction SilentlyContinue; $e } }
        @{ How = '-LiteralPath'; Run = { param($f, $w) Invoke-AsrFile -LiteralPath $f, $w -Emulate -Speed max -ErrorVariable e -ErrorAction SilentlyContinue; $e } }
        @{ How = 'Get-Item through the pipeline'; Run = { param($f, $w) Get-Item $f, $w | Invoke-AsrFile -Emulate -Speed max -ErrorVariable e -ErrorAction SilentlyContinue; $e } }
    ) {
        $folder = Join-Path $TestDrive 'calls'
        $null = New-Item -ItemType Directory $folder -Force
        $wav = Join-Path $Fixtures 'librivox-2.wav'
        $rows = @()
        $errors = & $Run $folder $wav | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $_ } else { $rows += $_ } }
        $rows.Count | Should -Be 1 -Because 'the file after the folder is transcribed'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'AudioPathIsFolder,SpeechStream.PowerShell.Commands.InvokeAsrFileCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errors[0].Exception.Message | Should -BeLike "Cannot transcribe '$folder' because it is a folder: expected an audio file. To transcribe the files in it: Get-ChildItem -LiteralPath '$folder' -File | Invoke-AsrFile"
    }

    It 'refuses a path on a provider other than the file system, naming it' {
        $r = Invoke-AsrFile Env:/PATH -Emulate -Speed max -ErrorVariable errs -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFileSystem*'
    }

    It 'sends the same audio to several providers; -Model goes to the one that takes it' {
        $r = Invoke-AsrFile (Join-Path $Fixtures 'librivox-2.wav') -Provider Voxist, Speechall -Model deepgram.nova-2 -Emulate -Speed max
        ($r.Provider | Sort-Object -Unique) -join ',' | Should -Be 'Speechall,Voxist'
    }

    It 'splits a stereo call into one session per channel, merged in time order' {
        $r = Invoke-AsrFile (Join-Path $Fixtures 'call-stereo-8k-mulaw.wav') -Channel Split -Emulate -Speed max
        ($r.Channel | Sort-Object -Unique) -join ',' | Should -Be 'left,right'
        $starts = @($r | ForEach-Object Start)
        ($starts | Sort-Object) -join ',' | Should -Be ($starts -join ',')
    }

    It 'reads declared raw PCM' {
        $r = Invoke-AsrFile (Join-Path $Fixtures 'variant-16k-s16le.raw') -RawFormat s16le -RawSampleRate 16000 -RawChannels 1 -Emulate -Speed max
        $r.Count | Should -BeGreaterThan 0
    }
}

Describe 'Invoke-AsrFile errors and streams' {
    It 'writes a non-terminating error for a bad file, with its ErrorId, category and target, and goes on' {
        $bad = Join-Path $Fixtures 'bad/not-audio.wav'
        $r = Invoke-AsrFile $bad, (Join-Path $Fixtures 'librivox-2.wav') -Emulate -Speed max -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Count | Should -BeGreaterThan 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AudioNotWav*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].TargetObject | Should -Be $bad
    }

    It 'sets $? to false after a non-terminating error, and -ErrorAction Stop makes it terminating' {
        $null = Invoke-AsrFile (Join-Path $Fixtures 'bad/not-audio.wav') -Emulate -Speed max -ErrorAction SilentlyContinue
        $? | Should -BeFalse
        { Invoke-AsrFile (Join-Path $Fixtures 'bad/not-audio.wav') -Emulate -Speed max -ErrorAction Stop } | Should -Throw -ErrorId 'AudioNotWav*'
    }

    It 'marks an incomplete transcript: Unconfirmed rows, a warning naming the seconds, the error TranscriptIncomplete' {
        $r = Invoke-AsrFile (Join-Path $Fixtures 'librivox-1.wav') -Emulate -EmulatorProfile close-without-completion -Speed max `
            -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue
        ($r | Where-Object Unconfirmed).Text | Should -Be 'might be prudently in his power to do for'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'TranscriptIncomplete*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        # Voxist gives word start times only: the audio from the last delivered word's start (4.33 s) has no confirmed final.
        ($warns -join "`n") | Should -Match '4\.33-7\.10 s'
        ($warns -join "`n") | Should -Match 'closed the connection .*without its completion signal'
    }

    It 'stops a script on an incomplete transcript with -ErrorAction Stop, after writing its rows' {
        $rows = [System.Collections.Generic.List[object]]::new()
        { Invoke-AsrFile (Join-Path $Fixtures 'librivox-1.wav') -Emulate -EmulatorProfile close-without-completion -Speed max -ErrorAction Stop -WarningAction SilentlyContinue |
            ForEach-Object { $rows.Add($_) } } | Should -Throw -ErrorId 'TranscriptIncomplete*'
        $rows.Count | Should -Be 2
    }

    It 'stops at once on settings the only provider refuses (terminating), with the stable ErrorId' {
        { Invoke-AsrFile (Join-Path $Fixtures 'librivox-2.wav') -Provider Speechall -Emulate -Speed max -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'ModelRequired*'
        { Invoke-AsrFile (Join-Path $Fixtures 'librivox-2.wav') -Provider Smallest -Emulate -ProviderOption @{ nope = 1 } } |
            Should -Throw '*eou_timeout_ms*'
    }

    It 'refuses a language outside the provider''s closed list before connecting, with the nearest codes' {
        # A listener that would see any connection attempt: the check must come first.
        $listener = Start-SilentServer
        try {
            $endpoint = "ws://127.0.0.1:$($listener.LocalEndpoint.Port)/ws"
            $clip = Join-Path $Fixtures 'librivox-2.wav'
            $err = { Invoke-AsrFile $clip -Endpoint $endpoint -ApiKey 'k-123456' -AuthMode key -Language en-GB } | Should -Throw -ErrorId 'LanguageUnsupported*' -PassThru
            $err.Exception.Message | Should -Match "Voxist does not support language 'en-GB'\. Did you mean: en, en-US\?"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $listener.Pending() | Should -BeFalse -Because 'nothing connected'
            # Several providers: the one that refuses stops the run before the other connects.
            { Invoke-AsrFile $clip -Provider Smallest, Voxist -Emulate -Language xx-bogus -Speed max } | Should -Throw -ErrorId 'LanguageUnsupported*'
        }
        finally { $listener.Stop() }
    }

    It 'sends a language outside an open list as given, with a Verbose note naming the nearest' {
        $r = Invoke-AsrFile (Join-Path $Fixtures 'librivox-2.wav') -Provider Speechall -Model deepgram.nova-2 -Language en_gb -Emulate -Speed max -Verbose 4>&1
        $notes = @($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Where-Object Message -Match "Language 'en_gb'")
        $notes.Count | Should -Be 1 -Because 'one note, not one per session'
        $notes[0].Message | Should -Match 'sent as given.*Did you mean: en'
        @($r | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
    }

    It 'takes -ProviderOption as key=value strings as well as a hashtable' {
        $r = Invoke-AsrFile (Join-Path $Fixtures 'librivox-2.wav') -Emulate -Speed max -ProviderOption end_signal=eof
        $r.Count | Should -BeGreaterThan 0
        { Invoke-AsrFile (Join-Path $Fixtures 'librivox-2.wav') -Emulate -ProviderOption 'no-equals' } | Should -Throw '*expected key=value*'
    }

    It 'checks -Speed before connecting' {
        { Invoke-AsrFile (Join-Path $Fixtures 'librivox-2.wav') -Emulate -Speed fast } | Should -Throw -ErrorId 'SpeedInvalid*'
    }

    It 'writes progress records, verbose lines and debug lines' {
        $run = Start-AsrPipeline { param($File) $DebugPreference = 'Continue'; Invoke-AsrFile $File -Emulate -Speed 4 -Verbose } @{ File = (Join-Path $Fixtures 'librivox-2.wav') }
        try {
            $null = $run.PowerShell.EndInvoke($run.Handle)
            $progress = @($run.PowerShell.Streams.Progress)
            $progress.Count | Should -BeGreaterThan 1
            $progress[0].Activity | Should -Be 'Transcribing librivox-2.wav'
            $progress[-1].RecordType | Should -Be 'Completed'
            ($run.PowerShell.Streams.Verbose.Message -join "`n") | Should -Match 'Connected to Voxist'
            $run.PowerShell.Streams.Debug.Count | Should -BeGreaterThan 0
            $run.Output.Count | Should -BeGreaterThan 0
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'never shows the key, in any stream, even when the connection fails' {
        $key = 'sk-pester-secret-9876'
        $DebugPreference = 'Continue' # -Debug would ask (Inquire), and there is no one to answer
        $out = Invoke-AsrFile (Join-Path $Fixtures 'librivox-2.wav') -Endpoint 'ws://127.0.0.1:9/ws' -ApiKey $key -AuthMode key `
            -Verbose -ErrorAction SilentlyContinue -ErrorVariable errs *>&1
        (($out | Out-String) + ($errs | Out-String)) | Should -Not -Match $key
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed*'
    }

    It 'refuses ws:// to another host without -AllowUnencryptedConnection' {
        { Invoke-AsrFile (Join-Path $Fixtures 'librivox-2.wav') -Endpoint 'ws://asr.example.com/ws' -ApiKey (ConvertTo-SecureString 'k-1234' -AsPlainText -Force) -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnencryptedConnectionRefused*'
    }
}
