#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and packages the SpeechStream module.
.DESCRIPTION
    Build:   publishes the cmdlets into out/SpeechStream/<version>/ with the manifest (version stamped from
             Directory.Build.props) and the module/ files.
    Test:    runs the xunit tests, then the Pester tests against out/ in a child pwsh.
    Package: zips out/SpeechStream/<version> and packs the speechstream dotnet tool into out/.
.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string[]] $Task = @('Build'),
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$version = ([xml](Get-Content (Join-Path $root 'Directory.Build.props'))).Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
$out = Join-Path $root "out/SpeechStream/$version"

function Invoke-Build {
    if (Test-Path $out) { Remove-Item $out -Recurse -Force }
    dotnet publish (Join-Path $root 'src/SpeechStream.PowerShell/SpeechStream.PowerShell.csproj') -c $Configuration -o $out --nologo
    if ($LASTEXITCODE) { throw "dotnet publish failed ($LASTEXITCODE)" }
    # SMA comes from PowerShell itself.
    Get-ChildItem $out -Filter 'System.Management.Automation.dll' | Remove-Item
    $manifest = Get-Content (Join-Path $root 'SpeechStream.psd1') -Raw
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    Set-Content (Join-Path $out 'SpeechStream.psd1') $manifest
    Copy-Item (Join-Path $root 'module/*') $out -Recurse -Force
    Write-Host "Built $out"
}

function Invoke-Test {
    dotnet test (Join-Path $root 'SpeechStream.sln') -c $Configuration --nologo
    if ($LASTEXITCODE) { throw "xunit tests failed ($LASTEXITCODE)" }
    if (-not (Test-Path (Join-Path $out 'SpeechStream.psd1'))) { Invoke-Build }
    $script = "Import-Module Pester -MinimumVersion 5.0; `$r = Invoke-Pester -Path '$root/tests/pester' -PassThru -Output Detailed; exit `$r.FailedCount"
    pwsh -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE) { throw "Pester tests failed ($LASTEXITCODE)" }
}

function Invoke-Package {
    if (-not (Test-Path $out)) { Invoke-Build }
    Compress-Archive -Path $out -DestinationPath (Join-Path $root "out/SpeechStream-$version.zip") -Force
    dotnet pack (Join-Path $root 'src/SpeechStream.Cli/SpeechStream.Cli.csproj') -c $Configuration -o (Join-Path $root 'out') --nologo
    if ($LASTEXITCODE) { throw "dotnet pack failed ($LASTEXITCODE)" }
}

foreach ($t in $Task) { & "Invoke-$t" }
