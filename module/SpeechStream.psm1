# Loads SpeechStream's cmdlets into the module's own AssemblyLoadContext (bin/SpeechStream.LoadContext.dll), so the
# versions of Microsoft.Extensions.* and Polly it ships never meet another module's copies in the default context.
$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core
$isReload = $true
if (-not ('SpeechStream.Loading.ModuleLoadContext' -as [type])) {
    $isReload = $false
    Add-Type -Path ([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'SpeechStream.LoadContext.dll'))
}
$cmdletAssembly = [SpeechStream.Loading.ModuleLoadContext]::Initialize()
$innerModule = & $importModule -Assembly $cmdletAssembly -PassThru:$isReload
if ($innerModule) {
    # Import-Module -Assembly of an assembly already imported returns the cached module without exporting its
    # cmdlets into this one (PowerShell/PowerShell#20710): add them, so 'Import-Module SpeechStream -Force' works.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet',
        [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($cmd in $innerModule.ExportedCmdlets.Values) {
        $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmd))
    }
}
