# Help: Get-Help gives every cmdlet a synopsis, a description, every parameter and examples; the examples that need
# neither an account nor a device run, against the emulator, in a folder holding call.wav.
BeforeDiscovery {
    $script:cmdletNames = @('Connect-AsrSession', 'ConvertTo-AsrSubtitle', 'ConvertTo-Speech', 'Disconnect-AsrSession', 'Get-AsrAudioDevice', 'Get-AsrProvider', 'Get-AsrSession',
        'Invoke-AsrFile', 'Invoke-AsrMicrophone', 'Receive-AsrTranscript', 'Send-AsrAudio')
}
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $script:connecting = 'Invoke-AsrFile', 'Invoke-AsrMicrophone', 'Connect-AsrSession', 'ConvertTo-Speech', 'Send-AsrAudio'
    $script:exampleDir = Join-Path $TestDrive 'examples'
    $null = New-Item -ItemType Directory $exampleDir
    Copy-Item (Join-Path $Fixtures 'call-mono-16k.wav') (Join-Path $exampleDir 'call.wav')
    Copy-Item (Join-Path $Fixtures 'call-mono-16k.json') (Join-Path $exampleDir 'call.json')
    Copy-Item (Join-Path $Fixtures 'call-stereo-8k-mulaw.wav') (Join-Path $exampleDir 'stereo-call.wav')
    $archive = New-Item -ItemType Directory (Join-Path $exampleDir 'archive')
    foreach ($n in 1, 2) { Copy-Item (Join-Path $Fixtures "librivox-$n.wav") $archive.FullName; Copy-Item (Join-Path $Fixtures "librivox-$n.json") $archive.FullName }
}

Describe 'Help for <_>' -ForEach $cmdletNames {
    BeforeAll { $script:help = Get-Help $_ -Full; $script:command = Get-Command $_ }

    It 'has the module''s own synopsis and description, not the generated syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$($command.Name) \["
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        ($help.alertSet.alert.Text -join ' ') | Should -Match 'Errors:'
    }

    It 'describes every parameter, and only real ones' {
        $documented = @($help.parameters.parameter.name)
        foreach ($p in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $documented | Should -Contain $p
            ($help.parameters.parameter | Where-Object name -eq $p).description.Text | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
        foreach ($d in $documented) { $command.Parameters.Keys | Should -Contain $d }
    }

    It 'has examples, and the ones that need no account or device run' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        $ran = 0
        foreach ($e in $examples) {
            $code = $e.code
            $needsAccount = ($connecting | Where-Object { $code -match "\b$_\b" }) -and $code -notmatch '-Emulate\b'
            if ($needsAccount) { continue }
            Push-Location $exampleDir
            try {
                $ErrorActionPreference = 'Stop'
                $null = & ([scriptblock]::Create($code)) *>&1
                $ran++
            }
            finally {
                Pop-Location
                Get-AsrSession | Disconnect-AsrSession
            }
        }
        $ran | Should -BeGreaterThan 0 -Because 'at least one example must run here'
    }
}

Describe 'about_SpeechStream' {
    It 'is found by Get-Help' {
        (Get-Help about_SpeechStream | Out-String) | Should -Match 'WHOLE OR NOT'
    }
}

# The defaults, the types of closed sets and the online address are in the help.
Describe 'Help shows defaults, types and where to read more' {
    BeforeAll {
        $script:allCmdlets = @((Get-Module SpeechStream).ExportedCmdlets.Keys | Sort-Object)
        $script:online = 'https://github.com/speechstream/speechstream#powershell'
    }

    It 'gives <Command> -<Parameter> the default value <Default>' -ForEach @(
        @{ Command = 'Invoke-AsrFile'; Parameter = 'Provider'; Default = 'Voxist' }
        @{ Command = 'Invoke-AsrFile'; Parameter = 'Speed'; Default = '1' }
        @{ Command = 'Invoke-AsrFile'; Parameter = 'Channel'; Default = 'Mix' }
        @{ Command = 'Invoke-AsrFile'; Parameter = 'DrainTimeout'; Default = '30' }
        @{ Command = 'Invoke-AsrFile'; Parameter = 'CompletionGrace'; Default = '0.5' }
        @{ Command = 'Invoke-AsrFile'; Parameter = 'OutputFormat'; Default = 'Csv' }
        @{ Command = 'Invoke-AsrFile'; Parameter = 'Emulate'; Default = 'False' }
        @{ Command = 'Connect-AsrSession'; Parameter = 'Provider'; Default = 'Voxist' }
        @{ Command = 'Invoke-AsrMicrophone'; Parameter = 'Provider'; Default = 'Voxist' }
        @{ Command = 'ConvertTo-AsrSubtitle'; Parameter = 'Format'; Default = 'Srt' }
    ) {
        (Get-Help $Command -Parameter $Parameter).defaultValue | Should -Be $Default
        (Get-Help $Command -Parameter $Parameter | Out-String) | Should -Match "Default value\s+$([regex]::Escape($Default))\s*\r?\n"
    }

    It 'gives every parameter a Default value line that is not empty' {
        foreach ($c in $allCmdlets) {
            foreach ($p in (Get-Help $c -Full).parameters.parameter) { "$($p.defaultValue)" | Should -Not -BeNullOrEmpty -Because "$c -$($p.name)" }
        }
    }

    It 'names each provider''s default language in the help of -Language, and the default provider' {
        foreach ($c in 'Invoke-AsrFile', 'Connect-AsrSession', 'Invoke-AsrMicrophone') {
            $text = Get-Help $c -Parameter Language | Out-String
            foreach ($p in Get-AsrProvider) { $text | Should -Match "$($p.Name) $([regex]::Escape($p.DefaultLanguage))\b" -Because "$c -Language" }
            (Get-Help $c -Parameter Provider | Out-String) | Should -Match 'Default value\s+Voxist'
        }
    }

    It 'shows the type of every parameter that takes a value, closed sets with their accepted values' {
        foreach ($c in $allCmdlets) {
            foreach ($p in (Get-Help $c -Full).parameters.parameter | Where-Object { $_.type.name -ne 'System.Management.Automation.SwitchParameter' }) {
                "$($p.parameterValue)" | Should -Not -BeNullOrEmpty -Because "$c -$($p.name) takes a value"
            }
        }
        $channel = Get-Help Invoke-AsrFile -Parameter Channel | Out-String
        $channel | Should -Match '-Channel <String>'
        $channel | Should -Match 'Accepted values: Mix, Left, Right, Split'
        (Get-Help Get-AsrAudioDevice -Parameter Kind | Out-String) | Should -Match '-Kind <String>'
        (Get-Help ConvertTo-AsrSubtitle -Parameter Format | Out-String) | Should -Match 'Accepted values: Srt, Vtt'
        # The syntax still shows the set.
        (Get-Help Invoke-AsrFile | Out-String) | Should -Match '-Channel \{Mix \| Left \| Right \| Split\}'
    }

    It 'gives every cmdlet an online address for Get-Help -Online' {
        foreach ($c in $allCmdlets) {
            (Get-Command $c).HelpUri | Should -Be $online -Because $c
            @((Get-Help $c).relatedLinks.navigationLink.uri) | Should -Contain $online -Because $c
        }
    }

    It 'lists every cmdlet in about_SpeechStream''s SEE ALSO' {
        $about = (Get-Help about_SpeechStream | Out-String) -split "`n"
        $at = [array]::FindIndex([string[]]$about, [Predicate[string]] { param($l) $l -match '^\s*SEE ALSO\s*$' })
        $at | Should -BeGreaterThan 0
        $seeAlso = ($about[($at + 1)..($about.Count - 1)] | Where-Object { $_ -match '^\s' }) -join ' '
        foreach ($c in $allCmdlets) { $seeAlso | Should -Match "\b$c\b" -Because 'SEE ALSO names every cmdlet' }
    }

    It 'has the README say -Language en wherever it transcribes the English sample audio' {
        $readme = Get-Content (Join-Path $RepoRoot 'README.md')
        $runs = @($readme | Where-Object { $_ -match 'tests/fixtures/audio/(librivox-\d|call-mono-16k)\.wav' -and $_ -match 'Invoke-AsrFile|speechstream transcribe|-- transcribe' })
        $runs.Count | Should -BeGreaterThan 1
        foreach ($l in $runs) { $l | Should -Match '(?i)-{1,2}language en\b' -Because "'$l' transcribes English audio" }
    }
}
