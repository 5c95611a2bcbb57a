# The session cmdlets: Connect, Send (files and byte chunks), Receive, Get, Disconnect; sessions per runspace.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Session cmdlets' {
    AfterEach { Get-AsrSession | Disconnect-AsrSession }

    It 'connect, send a file, end of stream, receive, disconnect (idempotent)' {
        $s = Connect-AsrSession -Provider Voxist -Language en -Emulate
        Get-AsrSession | Should -Contain $s
        Send-AsrAudio -Session $s -Path (Join-Path $Fixtures 'librivox-5.wav') -Speed max -Verbose 4>&1 |
            Should -Match 'The emulator replays .*librivox-5\.json, the transcript beside'
        Send-AsrAudio -Session $s -EndOfStream
        $r = Receive-AsrTranscript -Session $s -Wait -Timeout 30
        # The sidecar beside the file is replayed, as Invoke-AsrFile -Emulate does (not placeholder text).
        (($r | Where-Object IsFinal | Sort-Object Start).Text -join ' ') | Should -Be (Get-FixtureText 'librivox-5.wav')
        $s.Summary.IsWhole | Should -BeTrue
        $s.State | Should -Be 'Completed'
        Disconnect-AsrSession -Session $s
        Disconnect-AsrSession -Session $s
        Get-AsrSession | Should -Not -Contain $s
    }

    It 'sends byte[] chunks of PCM from the pipeline' {
        $s = Connect-AsrSession -Emulate
        $pcm = [IO.File]::ReadAllBytes((Join-Path $Fixtures 'variant-16k-s16le.raw'))
        $chunks = for ($i = 0; $i -lt $pcm.Length; $i += 3200) { , $pcm[$i..([Math]::Min($i + 3199, $pcm.Length - 1))] }
        $chunks | Send-AsrAudio -Session $s
        Send-AsrAudio -Session $s -EndOfStream
        $r = Receive-AsrTranscript -Session $s -Wait -Timeout 30
        $r.Count | Should -BeGreaterThan 0
        $s.AudioSentSeconds | Should -BeGreaterOrEqual ($pcm.Length / 32000 - 0.01)
    }

    It 'refuses a chunk of odd length with a non-terminating error and goes on' {
        $s = Connect-AsrSession -Emulate
        , [byte[]]::new(3) | Send-AsrAudio -Session $s -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AudioChunkOddLength*'
        , [byte[]]::new(3200) | Send-AsrAudio -Session $s
        $s.AudioSentSeconds | Should -Be 0.1
    }

    It 'returns without waiting when -Wait is absent' {
        $s = Connect-AsrSession -Emulate
        Receive-AsrTranscript -Session $s | Should -BeNullOrEmpty
    }

    It 'shows users'' properties only: no channels or tasks' {
        $s = Connect-AsrSession -Emulate
        $names = $s.PSObject.Properties.Name
        $names | Should -Be @('Id', 'Provider', 'State', 'Language', 'SampleRate', 'Endpoint', 'Source', 'StartedAt', 'AudioSentSeconds', 'Summary')
        ($s | Format-List * | Out-String) | Should -Not -Match 'System\.Threading'
        "$($s.Summary)" | Should -Match '^Running: 0(\.|,)00 s sent'
    }

    It 'keeps sessions per runspace: ForEach-Object -Parallel sees only its own' {
        $mine = Connect-AsrSession -Emulate
        $manifest = $ModuleManifest
        $theirs = 1..2 | ForEach-Object -Parallel {
            Import-Module $using:manifest
            $s = Connect-AsrSession -Emulate
            [pscustomobject]@{ Own = $s.Id; Seen = @(Get-AsrSession).Id }
            Disconnect-AsrSession $s
        } -ThrottleLimit 2
        foreach ($t in $theirs) {
            $t.Seen | Should -Be @($t.Own)
            $t.Own | Should -Not -Be $mine.Id
        }
        @(Get-AsrSession).Id | Should -Be @($mine.Id)
    }

    It 'keeps sessions per runspace: a Start-Job has its own' {
        $manifest = $ModuleManifest
        $job = Start-Job {
            Import-Module $using:manifest
            $s = Connect-AsrSession -Emulate
            @(Get-AsrSession).Count
            Disconnect-AsrSession $s
            @(Get-AsrSession).Count
        }
        $counts = $job | Wait-Job -Timeout 60 | Receive-Job
        $job | Remove-Job -Force
        $counts | Should -Be @(1, 0)
        Get-AsrSession | Should -BeNullOrEmpty
    }

    It 'writes TranscriptIncomplete from Receive-AsrTranscript -Wait when the server closed without completing' {
        $s = Connect-AsrSession -Emulate -Provider Smallest -EmulatorProfile close-without-completion
        Send-AsrAudio -Session $s -Path (Join-Path $Fixtures 'librivox-2.wav') -Speed max
        Send-AsrAudio -Session $s -EndOfStream
        $r = Receive-AsrTranscript -Session $s -Wait -Timeout 30 -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $s.Summary.IsWhole | Should -BeFalse
        $errs.FullyQualifiedErrorId | Should -BeLike 'TranscriptIncomplete*'
        $s.State | Should -Be 'Incomplete'
    }

    It 'needs -Emulate for -EmulatorProfile, and names the profiles a provider has' {
        { Connect-AsrSession -EmulatorProfile realtime } | Should -Throw -ErrorId 'EmulatorProfileWithoutEmulate*'
        { Connect-AsrSession -Provider Smallest -Emulate -EmulatorProfile no-segment } | Should -Throw '*strict-end-message*'
    }
}
