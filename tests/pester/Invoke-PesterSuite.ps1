#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Runs the Pester suite (tests/pester) against the module folder build.ps1 makes, with Pester 5.9.1 from NuGet.
.DESCRIPTION
    Pester comes from the NuGet restore of tests/SpeechStream.Tests (a PackageDownload of Pester 5.9.1; the package
    keeps the module under tools/), never from whatever Pester the machine has: the version is the one the suite was
    written for. A Pester that is missing or does not load is a failure, never a silent pass: the script writes no
    counts and exits 255.
    Writes "<passed> <failed> <skipped> <PowerShell version>" to -CountsPath when given, and exits with the number of
    failed tests, blocks and files (0: all passed; a run that found no tests fails).
.PARAMETER CountsPath
    A file to write the counts line to (tests/run-tests.sh reads it).
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/pester/Invoke-PesterSuite.ps1
#>
[CmdletBinding()]
param([string] $CountsPath)
$ErrorActionPreference = 'Stop'
$PesterVersion = '5.9.1'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Find-PesterManifest {
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $line = & dotnet nuget locals global-packages --list 2>$null | Select-Object -First 1
        if ($line -match 'global-packages:\s*(.+)$') { $packages = $Matches[1].Trim() }
    }
    if (-not $packages) { $packages = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
}

$manifest = Find-PesterManifest
if (-not (Test-Path $manifest)) {
    & dotnet restore (Join-Path $root 'tests/SpeechStream.Tests/SpeechStream.Tests.csproj') --nologo | Out-Null
    $manifest = Find-PesterManifest
}
try {
    if (-not (Test-Path $manifest)) { throw "not found at $manifest (dotnet restore tests/SpeechStream.Tests downloads it)" }
    Import-Module $manifest -Force
    $loaded = Get-Module Pester
    if ("$($loaded.Version)" -ne $PesterVersion) { throw "loaded version $($loaded.Version), expected $PesterVersion" }
}
catch {
    [Console]::Error.WriteLine("Pester $PesterVersion could not be loaded: $($_.Exception.Message)")
    exit 255
}

$c = New-PesterConfiguration
$c.Run.Path = Join-Path $root 'tests/pester'
$c.Run.PassThru = $true
$c.Output.Verbosity = 'Detailed'
$r = Invoke-Pester -Configuration $c
# A block or file that failed before its tests ran counts as a failure too, and so does a suite that found no tests.
$failed = $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount
if ($r.TotalCount -eq 0) {
    [Console]::Error.WriteLine("Pester found no tests under $($c.Run.Path.Value).")
    $failed = 1
}
if ($CountsPath) {
    "$($r.PassedCount) $failed $($r.SkippedCount + $r.NotRunCount) $($PSVersionTable.PSVersion)" | Set-Content $CountsPath
}
exit [Math]::Min($failed, 254)
