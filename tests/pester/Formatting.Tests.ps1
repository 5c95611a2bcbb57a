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

# Every object reads well in Format-Table and Format-List at 80 columns, as PowerShell's own do.
Describe 'Readable objects' {
    BeforeAll {
        function Get-ModuleType([string] $Assembly, [string] $Name) {
            # The module's types live in its own load context, out of reach of type literals.
            $a = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $Assembly } | Select-Object -First 1
            $a.GetType($Name, $true)
        }
        function Assert-Width([string] $Out, [int] $Width = 80) {
            foreach ($line in $Out -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual $Width -Because "'$line'" }
        }
    }

    It 'writes -OutputFolder''s files as Get-Item does, so the FileSystem table fills Mode, User, Group and Size' {
        $f = Invoke-AsrFile $clip -Emulate -Speed max -OutputFolder (Join-Path $TestDrive 'fileinfo')
        $f | Should -HaveCount 1
        $f.PSProvider.Name | Should -Be 'FileSystem'
        $f.PSParentPath | Should -Not -BeNullOrEmpty
        $ours = $f | Format-Table | Out-String -Width 80
        $ours | Should -Be (Get-Item -LiteralPath $f.FullName | Format-Table | Out-String -Width 80)
        $ours | Should -Match "\s$($f.Length)\s+numbers\.csv"
        if (-not $IsWindows) { $ours | Should -Match '\s-rw-' }
    }

    It 'rounds a session''s seconds in its table and list' {
        # Get-AsrSession once showed 27.7300000000001: the views format what the session adds up.
        $session = [pscustomobject]@{
            PSTypeName = 'SpeechStream.PowerShell.AsrSessionInfo'; Id = '1b2c3d4e5f60'; Provider = 'Voxist'; State = 'Streaming'
            Language = 'fr'; SampleRate = 16000; Endpoint = 'ws://127.0.0.1:1/ws'; Source = 'session'
            StartedAt = [datetimeoffset]::new(2026, 12, 5, 0, 0, 0, [timespan]::Zero); AudioSentSeconds = 27.7300000000001
            Summary = 'Running: 27.73 s sent, 27.00 s covered'
        }
        $table = $session | Format-Table | Out-String -Width 80
        $list = $session | Format-List | Out-String -Width 80
        foreach ($out in $table, $list) { $out | Should -Not -Match '27\.7300'; Assert-Width $out }
        $table | Should -Match '\s27\.7\s'
        $list | Should -Match 'AudioSentSeconds\s*:\s*27\.73\s'
        $s = Connect-AsrSession -Emulate
        try {
            Send-AsrAudio $s (Join-Path $Fixtures 'librivox-2.wav') -Speed max
            $live = Get-AsrSession -Id $s.Id | Format-List | Out-String -Width 80
            $live | Should -Match 'AudioSentSeconds\s*:\s*\d+\.\d\d\s'
            $live | Should -Not -Match '\d\.\d{4,}'
        }
        finally { Disconnect-AsrSession $s }
    }

    It 'lists a transcript with its words as text, not as records' {
        $row = $rows[0]
        $out = $row | Format-List | Out-String -Width 80
        $out | Should -Not -Match 'TranscriptWord'
        $out | Should -Match "Words\s*:\s*$([regex]::Escape($row.Words[0].Text))@"
        Assert-Width $out
        # Every word@start whole on one line, and the text's words too.
        foreach ($w in $row.Words) { $out | Should -Match "(?<!\S)$([regex]::Escape([string]$w))(?!\S)" }
        foreach ($w in -split $row.Text) { $out | Should -Match "(?<!\S)$([regex]::Escape($w))(?!\S)" }
        [string]$row.Words[0] | Should -Be ('{0}@{1}' -f $row.Words[0].Text, $row.Words[0].Start.ToString('0.###'))
        ($row | Format-List * | Out-String -Width 80) | Should -Not -Match 'TranscriptWord \{'
        ($row.Words | Format-List | Out-String -Width 80) | Should -Match 'Start\s*:\s*\d'
    }

    It 'lists providers with every endpoint, language and model readable' {
        $providers = Get-AsrProvider
        $out = $providers | Format-List | Out-String -Width 80
        $out | Should -Not -Match 'System\.String\[\]|ProviderEndpoint \{|ProviderOption \{|\w…\}'
        Assert-Width $out
        foreach ($p in $providers) {
            foreach ($e in $p.Endpoints) { $out | Should -Match "(?<!\S)$([regex]::Escape([string]$e.Url))(?!\S)" }
            foreach ($l in @($p.Languages) + @($p.Models)) { $out | Should -Match "(?<![\w-])$([regex]::Escape($l))(?![\w-])" }
            foreach ($o in $p.Options) { $out | Should -Match "(?<![\w-])$([regex]::Escape($o.Name))(?![\w-])" }
            foreach ($w in -split "$($p.AudioFraming) $($p.EndOfStream)") { $out | Should -Match "(?<!\S)$([regex]::Escape($w))(?!\S)" }
        }
        ($providers | Format-List * | Out-String -Width 80) | Should -Not -Match 'ProviderEndpoint \{|ProviderOption \{'
        $options = $providers.Options | Format-List | Out-String -Width 80
        $options | Should -Not -Match 'System\.String\[\]'
        $options | Should -Match 'Allowed\s*:\s*Generated, Dictated'
        Assert-Width $options
        foreach ($w in -split (($providers.Options).Description -join ' ')) { $options | Should -Match "(?<!\S)$([regex]::Escape($w))(?!\S)" }
    }

    It 'writes the module''s CSV as Export-Csv writes the same rows under the invariant culture' {
        # The rows have null fields (End, Confidence, Speaker) and numbers; the module's writer is the one behind
        # speechstream --format csv and -OutputFolder -OutputFormat Csv.
        $writerType = Get-ModuleType 'SpeechStream.Engine' 'SpeechStream.Engine.Transcripts.Formats.CsvWriter'
        $text = [IO.StringWriter]::new()
        $writer = [Activator]::CreateInstance($writerType, @([IO.TextWriter]$text))
        foreach ($r in $rows) { $writer.Write($r) }
        $writer.Complete()
        $ours = @($text.ToString() -split '\r?\n' | Where-Object { $_ })
        $file = Join-Path $TestDrive 'export.csv'
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
            $rows | Export-Csv -LiteralPath $file
        }
        finally { [cultureinfo]::CurrentCulture = $saved }
        $theirs = @(Get-Content -LiteralPath $file)
        $ours.Count | Should -Be ($rows.Count + 1)
        $ours | Should -Be $theirs
        $ours[1] | Should -Match ',"False",,"fr",,"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d \+00:00",'
        # -OutputFolder writes the same: its ReceivedAt is Export-Csv's invariant text.
        $f = Invoke-AsrFile $clip -Emulate -Speed max -OutputFolder (Join-Path $TestDrive 'csv')
        $row = Import-Csv -LiteralPath $f.FullName | Select-Object -First 1
        $at = [datetimeoffset]::ParseExact($row.ReceivedAt, 'MM/dd/yyyy HH:mm:ss zzz', [cultureinfo]::InvariantCulture)
        $at.ToString([cultureinfo]::InvariantCulture) | Should -Be $row.ReceivedAt
        (Get-Content -LiteralPath $f.FullName)[1] | Should -Match ',"False",,"fr",,"'
    }
}
