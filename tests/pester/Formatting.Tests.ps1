# The format views: every output type has one, and rendered at 80 and 120 columns no line is wider and no number is
# broken across lines.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # A clip whose transcript is long and full of numbers, to wrap: the emulator replays the sidecar.
    $script:clip = Join-Path $TestDrive 'numbers.wav'
    Copy-Item (Join-Path $Fixtures 'librivox-1.wav') $clip
    $text = 'please call 0800 123 4567 about invoice 20261122 of 1999.50 euros before 31 12 2026 or reference 884422 will lapse'
    $words = $text -split ' '
    $step = 6.5 / $words.Count
    @{ text = $text; words = @(for ($i = 0; $i -lt $words.Count; $i++) { @{ word = $words[$i]; start = [math]::Round($i * $step, 2); end = [math]::Round(($i + 0.9) * $step, 2) } }) } |
        ConvertTo-Json -Depth 4 | Set-Content ([IO.Path]::ChangeExtension($clip, '.json'))
    $script:rows = Invoke-AsrFile $clip -Emulate -Speed max
    $script:numbers = [regex]::Matches($text, '\d+(\.\d+)?').Value

    function Assert-Rendered([object[]] $Objects, [string[]] $Numbers, [int] $Width) {
        $out = $Objects | Out-String -Width $Width
        foreach ($line in $out -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual $Width -Because "'$line'" }
        $broken = @($Numbers | Where-Object { $out -notmatch "(?<![\d.,])$([regex]::Escape($_))(?![\d])" })
        $broken | Should -BeNullOrEmpty -Because "every number must be whole on one line of:`n$out"
    }
}

Describe 'Format views' {
    It 'has a view for every type the module writes' {
        $types = 'SpeechStream.Engine.Transcripts.Transcript', 'SpeechStream.Engine.Transcripts.TranscriptWord', 'SpeechStream.PowerShell.AsrSessionInfo',
            'SpeechStream.Engine.Sessions.SessionSummary', 'SpeechStream.Engine.Providers.ProviderDescriptor', 'SpeechStream.Engine.Providers.ProviderOption',
            'SpeechStream.Engine.Providers.VoxNexus.SpeechResult', 'SpeechStream.Engine.Audio.Capture.AudioDeviceInfo'
        foreach ($t in $types) { Get-FormatData -TypeName $t | Should -Not -BeNullOrEmpty -Because $t }
        $declared = Get-Command -Module SpeechStream | ForEach-Object { $_.OutputType.Name } | Where-Object { $_ -and $_ -notlike 'System.*' } | Sort-Object -Unique
        foreach ($t in $declared) { $types | Should -Contain $t }
    }

    It 'renders transcripts at <Width> columns with no number broken' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $starts = $rows | ForEach-Object { '{0:0.00}' -f $_.Start }
        Assert-Rendered $rows ($numbers + $starts) $Width
        $words = $rows | ForEach-Object { $_.Words }
        Assert-Rendered $words (@($words.Text | Where-Object { $_ -match '^\d' }) + @($words | ForEach-Object { '{0:0.00}' -f $_.Start })) $Width
    }

    It 'renders providers, options, a session and its summary at <Width> columns with no number broken' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $rates = (Get-AsrProvider).SampleRates | Sort-Object -Unique | ForEach-Object { '{0:0.##}' -f ($_ / 1000) }
        Assert-Rendered (Get-AsrProvider) $rates $Width
        $options = (Get-AsrProvider).Options
        Assert-Rendered $options ([regex]::Matches(($options | ForEach-Object { "$($_.Description) $($_.Default)" }) -join ' ', '\d+(\.\d+)?').Value) $Width
        $s = Connect-AsrSession -Emulate
        try {
            $clip2 = Join-Path $Fixtures 'librivox-2.wav'
            Send-AsrAudio $s $clip2 -Speed max
            # The session is live: wait until all of the clip is sent, so the number checked is the one rendered.
            $clipSeconds = ((Get-Item $clip2).Length - 44) / 32000
            Wait-Until { $s.AudioSentSeconds -ge $clipSeconds - 0.05 } -What 'the clip to be sent'
            Assert-Rendered $s @('{0:0.0}' -f $s.AudioSentSeconds) $Width
            Assert-Rendered $s.Summary @('{0:0.00}' -f $s.Summary.AudioSentSeconds) $Width
        }
        finally { Disconnect-AsrSession $s }
    }

    It 'renders audio devices at 80 columns, the id left to Format-List' {
        # The type lives in the module's own load context, out of reach of a type literal: taken from its assembly.
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SpeechStream.Engine' } | Select-Object -First 1
        $type = $engine.GetType('SpeechStream.Engine.Audio.Capture.AudioDeviceInfo', $true)
        $kind = [Enum]::Parse($engine.GetType('SpeechStream.Engine.Audio.Capture.AudioDeviceKind', $true), 'Microphone')
        $device = [Activator]::CreateInstance($type, @('Microphone Array (Realtek(R) Audio) with a long name that wraps', $kind, $true,
            '{0.0.1.00000000}.{8d2f6f4e-1c5b-4b0e-9e1a-5f1f4d2c3b7a}'))
        $out = $device | Out-String -Width 80
        $out | Should -Match 'Microphone\s+yes\s+Microphone Array'
        $out | Should -Not -Match '8d2f6f4e'
        foreach ($line in $out -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }

    It 'renders a speech result at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $r = ConvertTo-Speech 'Hello' -OutFile (Join-Path $TestDrive "speech-$Width.wav") -Emulate
        Assert-Rendered $r @("$($r.AudioBytes)", ('{0:0.00}' -f $r.DurationSeconds)) $Width
    }
}
