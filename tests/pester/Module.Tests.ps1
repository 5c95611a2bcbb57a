# The module as it ships: the manifest for the Gallery, the load context that keeps its dependencies to itself, and
# build.ps1 run from another shell.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Manifest' {
    It 'is valid and says what the Gallery needs' {
        $m = Test-ModuleManifest $ModuleManifest
        $m.PowerShellVersion | Should -Be ([version]'7.6')
        $m.CompatiblePSEditions | Should -Be @('Core')
        $m.ProjectUri | Should -Not -BeNullOrEmpty
        $m.LicenseUri | Should -Not -BeNullOrEmpty
        $m.ReleaseNotes | Should -Match ([regex]::Escape("$($m.Version)"))
        foreach ($tag in 'PSEdition_Core', 'Linux', 'Windows', 'MacOS') { $m.Tags | Should -Contain $tag }
        Test-Path (Join-Path (Split-Path $ModuleManifest) 'LICENSE') | Should -BeTrue
        # The manifest's copyright says what the LICENSE says (MIT), not "All rights reserved".
        $m.Copyright | Should -Not -Match 'All rights reserved'
        $m.Copyright | Should -Match 'MIT'
        (Get-Content (Join-Path (Split-Path $ModuleManifest) 'LICENSE') -TotalCount 1) | Should -Be 'MIT License'
    }
}

Describe 'Dependency isolation' {
    BeforeAll {
        $script:fakes = Join-Path $TestDrive 'other-versions'
        $null = New-Item -ItemType Directory $fakes
        foreach ($name in 'Microsoft.Extensions.Logging', 'Microsoft.Extensions.Logging.Abstractions') {
            New-FakeAssembly $name (Join-Path $fakes "$name.dll")
        }
        $script:clip = Join-Path $Fixtures 'librivox-2.wav'
        function Expand-Script([string] $Text) { $Text.Replace('@FAKES@', $fakes).Replace('@CLIP@', $clip).Replace('@MANIFEST@', $ModuleManifest) }
        $script:report = @'
$rows = Invoke-AsrFile '@CLIP@' -Emulate -Speed max -ErrorAction Stop
"rows=$($rows.Count)"
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -like 'Microsoft.Extensions.Logging*' } |
    ForEach-Object { "$($_.GetName().Name) $($_.GetName().Version) $([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name)" }
'@
    }

    It 'works when another module loaded other versions of Microsoft.Extensions.Logging first' {
        $out = Invoke-ChildPwsh (Expand-Script (@'
Add-Type -Path '@FAKES@/Microsoft.Extensions.Logging.Abstractions.dll', '@FAKES@/Microsoft.Extensions.Logging.dll'
Import-Module '@MANIFEST@'
'@ + "`n" + $report))
        $out | Should -Contain 'rows=1'
        $out | Should -Contain 'Microsoft.Extensions.Logging.Abstractions 1.0.0.0 Default'
        $out | Should -Contain 'Microsoft.Extensions.Logging.Abstractions 10.0.0.0 SpeechStream'
    }

    It 'lets another module load other versions after it, and still works' {
        $out = Invoke-ChildPwsh (Expand-Script (@'
Import-Module '@MANIFEST@'
$null = Invoke-AsrFile '@CLIP@' -Emulate -Speed max -ErrorAction Stop
Add-Type -Path '@FAKES@/Microsoft.Extensions.Logging.Abstractions.dll', '@FAKES@/Microsoft.Extensions.Logging.dll'
[Fake.Marker]::new().GetType().Assembly.GetName().Version.ToString()
'@ + "`n" + $report))
        $out | Should -Contain '1.0.0.0'
        $out | Should -Contain 'rows=1'
        $out | Should -Contain 'Microsoft.Extensions.Logging 10.0.0.0 SpeechStream'
    }

    It 'can be imported again with -Force' {
        $out = Invoke-ChildPwsh (Expand-Script @'
Import-Module '@MANIFEST@'
Import-Module '@MANIFEST@' -Force
(Get-Command -Module SpeechStream).Count
'@)
        $out | Should -Contain '11'
    }
}

Describe 'build.ps1' {
    # Windows has no execute bit (and no shebang): there, pwsh -File ./build.ps1.
    It 'can be run directly from a Unix shell: it has a shebang and the checkout makes it executable' -Skip:$IsWindows {
        $file = Join-Path $RepoRoot 'build.ps1'
        (Get-Content $file -TotalCount 1) | Should -Be '#!/usr/bin/env pwsh'
        (Get-Item $file).UnixFileMode.HasFlag([IO.UnixFileMode]::UserExecute) | Should -BeTrue
    }

    It 'takes a task list through -File, and names a task it does not know' {
        $out = & $Pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'build.ps1') -Task Package, Bogus 2>&1
        $LASTEXITCODE | Should -Not -Be 0
        ($out -join "`n") | Should -Match "Unknown task 'Bogus': expected one or more of Build, Test, Package"
    }

    It 'packages a zip whose root is SpeechStream/ then the version' {
        $version = Split-Path (Split-Path $ModuleManifest) -Leaf
        & $Pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'build.ps1') -Task Package | Out-Null
        $LASTEXITCODE | Should -Be 0
        $zip = Join-Path $RepoRoot "out/SpeechStream-$version.zip"
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [IO.Compression.ZipFile]::OpenRead($zip)
        try { $entries = $archive.Entries.FullName -replace '\\', '/' } finally { $archive.Dispose() }
        $entries | Should -Contain "SpeechStream/$version/SpeechStream.psd1"
        $entries | Should -Contain "SpeechStream/$version/bin/SpeechStream.PowerShell.dll"
        $entries | Should -Contain "SpeechStream/$version/en-US/SpeechStream.PowerShell.dll-Help.xml"
        $entries | Where-Object { $_ -notlike "SpeechStream/$version/*" } | Should -BeNullOrEmpty
        $entries | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty -Because 'debug symbols are not shipped'
    }
}

Describe 'Publishing through PSResourceGet' {
    It 'publishes to a local repository, installs by name, imports by name and runs the main job' {
        # A child pwsh whose home (PSResourceGet's repository list, the CurrentUser module path) is under $TestDrive,
        # with no module path inherited from this process: the machine's own repositories and modules are neither
        # read nor touched.
        $home2 = Join-Path $TestDrive 'home'
        $data = Join-Path $home2 '.local/share'
        $repo = Join-Path $TestDrive 'local-repo'
        $null = New-Item -ItemType Directory $data, $repo
        $script = @'
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SpeechStreamLocal -Uri '@REPO@' -Trusted
Publish-PSResource -Path '@MODULE@' -Repository SpeechStreamLocal -WarningVariable w 3>$null
"publish-warnings=$($w.Count)"
Install-PSResource SpeechStream -Repository SpeechStreamLocal -Scope CurrentUser -TrustRepository
Import-Module SpeechStream
"imported-from=$((Get-Module SpeechStream).ModuleBase)"
$rows = Invoke-AsrFile '@CLIP@' -Provider Voxist -Emulate -Speed max
"rows=$(@($rows).Count) confirmed=$(@($rows | Where-Object { $_.IsFinal -and -not $_.Unconfirmed }).Count)"
"text=$($rows.Text -join ' ')"
'@
        $script = $script.Replace('@REPO@', $repo).Replace('@MODULE@', (Split-Path $ModuleManifest)).
            Replace('@CLIP@', (Join-Path $Fixtures 'librivox-2.wav'))
        # HOME and XDG_DATA_HOME on Linux and macOS; LOCALAPPDATA holds PSResourceGet's repository list on Windows.
        $saved = $env:HOME, $env:XDG_DATA_HOME, $env:LOCALAPPDATA, $env:PSModulePath
        try {
            $env:HOME = $home2
            $env:XDG_DATA_HOME = $data
            if ($IsWindows) { $env:LOCALAPPDATA = $data }
            $env:PSModulePath = $null
            $out = Invoke-ChildPwsh $script
        }
        finally { $env:HOME, $env:XDG_DATA_HOME, $env:LOCALAPPDATA, $env:PSModulePath = $saved }
        $out | Should -Contain 'publish-warnings=0'
        $out | Should -Contain 'rows=1 confirmed=1'
        $out | Should -Contain "text=$(Get-FixtureText 'librivox-2.wav')"
        $imported = ($out | Where-Object { $_ -like 'imported-from=*' }) -replace '^imported-from=', ''
        if (-not $IsWindows) { $imported | Should -BeLike "$home2*SpeechStream*" } # Windows: Documents\PowerShell\Modules
        Get-ChildItem $repo -Filter 'speechstream.*.nupkg' | Should -Not -BeNullOrEmpty
    }
}
