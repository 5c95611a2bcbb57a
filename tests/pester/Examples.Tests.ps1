# Every PowerShell example in the README and in about_SpeechStream names parameters our cmdlets have, and the
# README's side-by-side comparison works as written (with -Emulate added, for want of accounts).
BeforeDiscovery {
    $root = Split-Path (Split-Path $PSScriptRoot)
    function Get-ExampleLines {
        $readme = Get-Content (Join-Path $root 'README.md') -Raw
        $blocks = [regex]::Matches($readme, '(?s)```powershell\n(.*?)```') | ForEach-Object { $_.Groups[1].Value -split "`n" }
        # about_: indented command lines (a line ending in '|' goes on on the next), not the prose around them.
        $lines = Get-Content (Join-Path $root 'module/en-US/about_SpeechStream.help.txt')
        $start = '^\s+(PS>\s*)?((\$\w+\s*=\s*)|(''[^'']*''(,\s*''[^'']*'')*\s*\|\s*)|(Get-ChildItem[^|]*\|\s*))?(Invoke|Connect|Send|Receive|Disconnect|Get|ConvertTo)-(Asr\w+|Speech)(\s|$)(?!\s*,)'
        $about = for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -notmatch $start -or $lines[$i] -match '^\s+\S+-\S+,') { continue }
            $line = $lines[$i].Trim()
            while ($line.EndsWith('|') -and $i + 1 -lt $lines.Count) { $i++; $line += ' ' + $lines[$i].Trim() }
            $line
        }
        @($blocks) + @($about) | ForEach-Object { ($_ -replace '^\s*PS>\s*', '').Trim() } | Where-Object { $_ -and -not $_.StartsWith('#') }
    }
    $examples = @(Get-ExampleLines)
}
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ours = (Get-Command -Module SpeechStream).Name
}

Describe 'Documented examples' {
    It 'finds examples to check' {
        $examples.Count | Should -BeGreaterThan 8
    } -ForEach @{ examples = $examples }

    It 'passes only parameters the cmdlets have: <_>' -ForEach $examples {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($_, [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        foreach ($command in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $name = $command.GetCommandName()
            if ($name -notin $ours) { continue }
            $info = Get-Command $name
            foreach ($p in $command.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                { $info.ResolveParameter($p.ParameterName) } | Should -Not -Throw -Because "$name -$($p.ParameterName)"
            }
        }
    }

    It 'compares providers side by side as the README shows: -Model goes to the provider that takes one' {
        $clip = Join-Path $TestDrive 'call.wav'
        Copy-Item (Join-Path $Fixtures 'librivox-1.wav') $clip
        $rows = Invoke-AsrFile $clip -Provider Voxist,Speechall -Model deepgram.nova-2 -Emulate -Speed max -Verbose 4>&1
        $verbose = $rows | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $transcripts = $rows | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        ($transcripts.Provider | Sort-Object -Unique) | Should -Be @('Speechall', 'Voxist')
        ($verbose.Message -match 'Voxist has no counterpart for -Model') | Should -Not -BeNullOrEmpty
    }
}
