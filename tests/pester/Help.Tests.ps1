# Help: Get-Help gives every cmdlet a synopsis, a description, every parameter and examples; the examples that need
# neither an account nor a device run, against the emulator, in a folder holding call.wav.
BeforeDiscovery {
    $script:cmdletNames = @('Connect-AsrSession', 'ConvertTo-Speech', 'Disconnect-AsrSession', 'Get-AsrAudioDevice', 'Get-AsrProvider', 'Get-AsrSession',
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
