# Shared by every Pester file: dot-source it in BeforeAll. The module is imported from the folder
# `./build.ps1 -Task Build` makes (out/SpeechStream/<version>/), exactly as a user imports it.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Get-ChildItem (Join-Path $RepoRoot 'out/SpeechStream') -Filter SpeechStream.psd1 -Recurse |
    Sort-Object { [version]$_.Directory.Name } | Select-Object -Last 1 -ExpandProperty FullName
if (-not $ModuleManifest) { throw 'out/SpeechStream/<version>/SpeechStream.psd1 not found: run ./build.ps1 -Task Build first.' }
$script:Fixtures = Join-Path $RepoRoot 'tests/fixtures/audio'
# The executable of this PowerShell, from $PSHOME: the process path is `dotnet` when PowerShell runs as a .NET tool.
$script:Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
Import-Module $ModuleManifest -Force

function Get-FixtureText([string] $Name) {
    (Get-Content (Join-Path $Fixtures ([IO.Path]::ChangeExtension($Name, '.json'))) -Raw | ConvertFrom-Json).text
}

# Runs a script in a fresh pwsh (its own process: load contexts, culture and module state start clean) and returns its
# standard output lines; throws with its output when it exits non-zero.
function Invoke-ChildPwsh([string] $Script) {
    $file = Join-Path ([IO.Path]::GetTempPath()) "speechstream-$([guid]::NewGuid()).ps1"
    Set-Content $file $Script
    try {
        $out = & $Pwsh -NoProfile -NonInteractive -File $file 2>&1
        if ($LASTEXITCODE) { throw "child pwsh exited $LASTEXITCODE`n$($out -join "`n")" }
        $out | ForEach-Object { "$_" }
    }
    finally { Remove-Item $file -ErrorAction SilentlyContinue }
}

# A stand-in for another version of a dependency: an assembly with that name at version 1.0.0.0, compiled with the
# Roslyn that ships with PowerShell (Add-Type cannot name an assembly).
function New-FakeAssembly([string] $Name, [string] $Path) {
    $null = [Reflection.Assembly]::LoadFrom((Join-Path $PSHOME 'Microsoft.CodeAnalysis.CSharp.dll'))
    $source = '[assembly: System.Reflection.AssemblyVersion("1.0.0.0")] namespace Fake { public class Marker { } }'
    $tree = [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($source)
    $reference = [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile([object].Assembly.Location)
    $options = [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary)
    $compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create($Name,
        [Microsoft.CodeAnalysis.SyntaxTree[]]@($tree), [Microsoft.CodeAnalysis.MetadataReference[]]@($reference), $options)
    $stream = [IO.File]::Create($Path)
    try { $result = $compilation.Emit($stream) } finally { $stream.Dispose() }
    if (-not $result.Success) { throw ($result.Diagnostics -join "`n") }
}

# A [powershell] running one command of the module in a new runspace, its streams readable while it runs.
function Start-AsrPipeline([scriptblock] $Script, [hashtable] $Arguments = @{}) {
    # The module comes in through the runspace's initial state, not an Import-Module statement before the script:
    # a two-statement batch that is stopped and disposed crashes PowerShell 7.4 (BatchInvocationWorkItem reads a
    # variable of the closed runspace on a pool thread: InvalidRunspaceStateException, unhandled).
    $iss = [initialsessionstate]::CreateDefault2()
    $iss.ImportPSModule([string[]] @($ModuleManifest))
    $ps = [powershell]::Create($iss)
    $null = $ps.AddScript($Script.ToString())
    foreach ($k in $Arguments.Keys) { $null = $ps.AddParameter($k, $Arguments[$k]) }
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $input = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $input.Complete() # no pipeline input: the command must not wait for any
    $handle = $ps.BeginInvoke($input, $output)
    [pscustomobject]@{ PowerShell = $ps; Handle = $handle; Output = $output }
}

# Waits (bounded, so a broken build fails instead of hanging) until $Condition is true.
function Wait-Until([scriptblock] $Condition, [double] $Seconds = 30, [string] $What = 'the condition') {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $Seconds s waiting for $What." }
        Start-Sleep -Milliseconds 20
    }
}

# A TCP listener on loopback that accepts connections and never answers: a server stuck in the handshake.
function Start-SilentServer {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $listener
}
