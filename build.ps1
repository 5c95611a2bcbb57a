#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and packages the SpeechStream module.
.DESCRIPTION
    Build:   out/SpeechStream/<version>/ as a user installs it: the manifest (version stamped from
             Directory.Build.props), SpeechStream.psm1, the format file, about_ help and the cmdlet help (MAML, built
             from the cmdlets' XML doc comments by src/SpeechStream.HelpBuilder), and bin/ with the cmdlets and their
             dependencies, which load in the module's own AssemblyLoadContext.
    Test:    runs the xunit tests, then the Pester tests against out/ in a child pwsh (this PowerShell's, from $PSHOME),
             with Pester 5.9.1 from NuGet (tests/pester/Invoke-PesterSuite.ps1); a Pester that does not load fails.
    Package: zips the module folder as SpeechStream/<version>/ into out/SpeechStream-<version>.zip (extract it into
             a folder on $env:PSModulePath) and packs the speechstream dotnet tool into out/.
.PARAMETER Task
    One or more of Build, Test, Package, in order; comma-separated works from any shell
    (pwsh -File ./build.ps1 -Task Build,Package).
.EXAMPLE
    ./build.ps1 -Task Build, Test
.EXAMPLE
    pwsh -NoProfile -File ./build.ps1 -Task Build, Package
#>
[CmdletBinding(PositionalBinding = $false)]
param(
    [Parameter(Position = 0)]
    [string[]] $Task = @('Build'),
    [string] $Configuration = 'Release',
    # With -File, "-Task Build, Test" arrives as 'Build,' and 'Test': the rest of the list lands here.
    [Parameter(ValueFromRemainingArguments)]
    [string[]] $MoreTasks = @()
)
$ErrorActionPreference = 'Stop'
$valid = 'Build', 'Test', 'Package'
$tasks = @(@($Task) + @($MoreTasks) | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })
foreach ($t in $tasks) {
    if ($t -notin $valid) { throw "Unknown task '$t': expected one or more of $($valid -join ', ')." }
}
$root = $PSScriptRoot
$version = ([xml](Get-Content (Join-Path $root 'Directory.Build.props'))).Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
$moduleRoot = Join-Path $root 'out/SpeechStream'
$out = Join-Path $moduleRoot $version

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE) { throw "dotnet $($args[0]) failed ($LASTEXITCODE)" }
}

function Invoke-Build {
    if (Test-Path $out) { Remove-Item $out -Recurse -Force }
    $bin = Join-Path $out 'bin'
    Invoke-Dotnet publish (Join-Path $root 'src/SpeechStream.PowerShell/SpeechStream.PowerShell.csproj') -c $Configuration -o $bin --nologo
    Invoke-Dotnet publish (Join-Path $root 'src/SpeechStream.LoadContext/SpeechStream.LoadContext.csproj') -c $Configuration -o $bin --nologo
    # SMA comes from PowerShell itself; the XML doc files only feed the help below.
    Get-ChildItem $bin -Filter 'System.Management.Automation.dll' | Remove-Item
    $manifest = Get-Content (Join-Path $root 'SpeechStream.psd1') -Raw
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    Set-Content (Join-Path $out 'SpeechStream.psd1') $manifest
    Copy-Item (Join-Path $root 'module/*') $out -Recurse -Force
    Copy-Item (Join-Path $root 'LICENSE') $out
    $helpDll = Join-Path $bin 'SpeechStream.PowerShell.dll'
    Invoke-Dotnet run --project (Join-Path $root 'src/SpeechStream.HelpBuilder/SpeechStream.HelpBuilder.csproj') -c $Configuration -- `
        $helpDll (Join-Path $out 'en-US/SpeechStream.PowerShell.dll-Help.xml')
    Get-ChildItem $bin -Filter '*.xml' | Remove-Item
    # Debug symbols stay out of the module a user installs (the zip and the PSResourceGet package are made from it).
    Get-ChildItem $bin -Filter '*.pdb' | Remove-Item
    Write-Host "Built $out"
}

function Invoke-Test {
    Invoke-Dotnet test (Join-Path $root 'SpeechStream.sln') -c $Configuration --nologo
    if (-not (Test-Path (Join-Path $out 'SpeechStream.psd1'))) { Invoke-Build }
    # From $PSHOME, not the process path: under the PowerShell .NET tool (dotnet pwsh) the process is dotnet.
    $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    & $pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tests/pester/Invoke-PesterSuite.ps1')
    if ($LASTEXITCODE -eq 255) { throw 'Pester 5.9.1 could not be loaded: the Pester tests did not run.' }
    if ($LASTEXITCODE) { throw "Pester tests failed ($LASTEXITCODE)" }
}

function Invoke-Package {
    if (-not (Test-Path (Join-Path $out 'SpeechStream.psd1'))) { Invoke-Build }
    $zip = Join-Path $root "out/SpeechStream-$version.zip"
    # Staged so the zip's root is SpeechStream/<version>/ with this version only.
    $stage = Join-Path ([System.IO.Path]::GetTempPath()) ([System.IO.Path]::GetRandomFileName())
    try {
        $null = New-Item -ItemType Directory (Join-Path $stage 'SpeechStream')
        Copy-Item $out (Join-Path $stage 'SpeechStream') -Recurse
        Compress-Archive -Path (Join-Path $stage 'SpeechStream') -DestinationPath $zip -Force
    }
    finally { Remove-Item $stage -Recurse -Force -ErrorAction SilentlyContinue }
    Invoke-Dotnet pack (Join-Path $root 'src/SpeechStream.Cli/SpeechStream.Cli.csproj') -c $Configuration -o (Join-Path $root 'out') --nologo
    Write-Host "Packaged $zip"
}

foreach ($t in $tasks) { & "Invoke-$t" }
