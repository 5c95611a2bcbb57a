# Tab completion of every closed set of values, through TabExpansion2 as the console calls it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
}

Describe 'Tab completion' {
    It 'completes <Line> with <Expected>' -ForEach @(
        @{ Line = 'Invoke-AsrFile x.wav -Provider Sp'; Expected = @('Speechall') }
        @{ Line = 'Connect-AsrSession -Provider Vox'; Expected = @('Voxist', 'VoxNexus') }
        @{ Line = 'Get-AsrProvider I'; Expected = @('IApp') }
        @{ Line = 'Invoke-AsrFile x.wav -Provider IApp -Language '; Expected = @('th') }
        # Without -Provider, the languages of the provider the command will use (Voxist), not every provider's.
        @{ Line = 'Invoke-AsrFile x.wav -Language e'; Expected = @('en', 'es') }
        @{ Line = 'Connect-AsrSession -Language z'; Expected = @() }
        @{ Line = 'Invoke-AsrMicrophone -Language fr-m'; Expected = @('fr-medical', 'fr-medicalV2-16', 'fr-medicalV2-64') }
        # ConvertTo-Speech speaks VoxNexus: its languages, not file names.
        @{ Line = 'ConvertTo-Speech hi -OutFile a.wav -Language '; Expected = @('en-US', 'zh-CN', 'auto') }
        @{ Line = 'Invoke-AsrFile x.wav -Provider Voxist -Environment '; Expected = @('Production', 'Staging') }
        @{ Line = 'Invoke-AsrFile x.wav -Provider Voxist -AuthMode '; Expected = @('token', 'key') }
        @{ Line = 'Invoke-AsrFile x.wav -Provider Smallest -AuthMode '; Expected = @('bearer', 'key', 'token') }
        @{ Line = 'ConvertTo-Speech hi -OutFile a.wav -AuthMode '; Expected = @('token', 'header') }
        @{ Line = 'Invoke-AsrFile x.wav -Provider Speechall -Model deepgram.nova-3'; Expected = @('deepgram.nova-3') }
        @{ Line = 'Invoke-AsrFile x.wav -Provider VoxNexus -Model '; Expected = @('vn-stt-basic', 'vn-stt-ultra') }
        @{ Line = 'ConvertTo-Speech hi -OutFile a.wav -Voice '; Expected = @('vl-xiaoxiao') }
        @{ Line = 'Invoke-AsrFile x.wav -Speed '; Expected = @('1', '2', '4', '8', 'max') }
        @{ Line = 'Send-AsrAudio -Speed m'; Expected = @('max') }
        @{ Line = 'Invoke-AsrFile x.wav -Channel '; Expected = @('Left', 'Mix', 'Right', 'Split') }
        @{ Line = 'Invoke-AsrFile x.wav -RawFormat mu'; Expected = @('mulaw') }
        @{ Line = 'Invoke-AsrFile x.wav -Provider Voxist -ProviderOption '; Expected = @('engine=', 'punctuation_mode=', 'end_signal=') }
        @{ Line = 'Invoke-AsrFile x.wav -Provider Voxist -ProviderOption end_signal='; Expected = @('end_signal=both', 'end_signal=eof', 'end_signal=done') }
        @{ Line = 'Invoke-AsrFile x.wav -Provider IApp -Emulate -EmulatorProfile markers'; Expected = @('markers-reversed') }
        @{ Line = 'Invoke-AsrFile x.wav -Provider Smallest -Emulate -EmulatorProfile no-'; Expected = @() }
        @{ Line = 'Get-AsrAudioDevice -Kind '; Expected = @('Microphone', 'Output') }
    ) {
        @(Complete $Line) | Should -Be $Expected
    }

    It 'completes -Device with the WASAPI device names, and offers none off Windows' {
        $expected = @(if ($IsWindows) { (Get-AsrAudioDevice -Kind Microphone).Name })
        # Names with spaces or parentheses come quoted: compare them unquoted.
        $got = @(Complete 'Invoke-AsrMicrophone -Device ' | Where-Object { $_ } | ForEach-Object { $_ -replace "^'(.*)'$", '$1' -replace "''", "'" })
        $got | Should -Be $expected
    }

    It 'completes the option keys of every provider it is asked about, and only those' {
        foreach ($p in Get-AsrProvider) {
            @(Complete "Invoke-AsrFile x.wav -Provider $($p.Name) -ProviderOption ") | Should -Be @($p.Options.Name | ForEach-Object { "$_=" })
        }
    }
}
