<#
.SYNOPSIS
Installs the packages that build.ps1 package made (TencentIm and TencentIm.Emulator) into a temporary module folder and tests it in the PowerShell that
runs this script: meant for Windows PowerShell 5.1 (powershell.exe) in CI (.github/workflows/ci.yml).

.DESCRIPTION
1. Unpacks each out/<Name>.<version>.nupkg's module files into a temporary folder, <temp>/Modules/<Name>/<version>,
   the layout Install-PSResource makes, and puts that folder first in PSModulePath. (Unpacked rather than installed:
   Windows PowerShell 5.1 carries neither PSResourceGet nor the PowerShellGet 2 that reads a local .nupkg folder;
   the install itself is tested by tests/Pester/Package.Tests.ps1 on PowerShell 7.)
2. Imports each module by name, checks that it came from there, that every cmdlet its manifest exports is present,
   that Test-ModuleManifest passes and that its about topic (about_TencentIm, about_TencentIm_Emulator) is found.
3. Runs the Pester tests tagged WindowsPowerShell (the ones that need neither the emulator nor a child pwsh: the
   emulator launcher and the child-process helpers use .NET APIs that Windows PowerShell's .NET Framework lacks)
   against the unpacked module, with Pester 5 from .tools/packages (dotnet restore build/Pester.proj).

Exits 1 when a check or a test fails. Written for Windows PowerShell 5.1 syntax; it also runs on PowerShell 7.

.EXAMPLE
powershell.exe -NoProfile -ExecutionPolicy Bypass -File build/Test-WindowsPowerShell.ps1
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $PSScriptRoot 'Packaging.psm1') -Force

$version = Get-ModuleVersionInfo
$modules = @(Get-ModulePackage)
foreach ($module in $modules) {
    $package = Join-Path $root "out/$($module.Name).$($version.Full).nupkg"
    if (-not (Test-Path $package)) { throw "There is no package $package. Run: dotnet pwsh ./build.ps1 package" }
}

$temp = Join-Path ([IO.Path]::GetTempPath()) ('tencentim-winps-{0}' -f [guid]::NewGuid().ToString('N'))
try {
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
    $problems = @()
    foreach ($module in $modules) {
        $name = $module.Name
        $package = Join-Path $root "out/$name.$($version.Full).nupkg"
        $moduleFolder = Join-Path $temp "Modules/$name/$($version.Version)"
        $null = New-Item -ItemType Directory $moduleFolder -Force
        $files = @(Get-PackageFile -Path $package -Name $name)
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package)
        try {
            foreach ($entry in $zip.Entries) {
                $file = [uri]::UnescapeDataString($entry.FullName)
                if ($files -notcontains $file) { continue }
                $target = Join-Path $moduleFolder $file
                $null = New-Item -ItemType Directory (Split-Path $target -Parent) -Force
                [System.IO.Compression.ZipFileExtensions]::ExtractToFile($entry, $target, $true)
            }
        }
        finally {
            $zip.Dispose()
        }
    }
    $env:PSModulePath = (Join-Path $temp 'Modules') + [IO.Path]::PathSeparator + $env:PSModulePath

    foreach ($module in $modules) {
        $name = $module.Name
        $moduleFolder = Join-Path $temp "Modules/$name/$($version.Version)"
        Import-Module $name
        $loaded = Get-Module $name
        if ($loaded.ModuleBase -ne (Get-Item $moduleFolder).FullName) { $problems += "$name was imported from $($loaded.ModuleBase), not from the package." }
        $manifestPath = Join-Path $loaded.ModuleBase "$name.psd1"
        foreach ($cmdlet in (Import-PowerShellDataFile $manifestPath).CmdletsToExport) {
            if (-not (Get-Command $cmdlet -Module $name -ErrorAction SilentlyContinue)) { $problems += "The cmdlet $cmdlet of $name is missing." }
        }
        $null = Test-ModuleManifest $manifestPath -ErrorVariable manifestErrors -ErrorAction SilentlyContinue
        foreach ($e in $manifestErrors) { $problems += "Test-ModuleManifest ${name}: $e" }
        # about_<Name>, with '_' for '.' (build/ModulePackages.psd1).
        $about = 'about_' + $name.Replace('.', '_')
        if (-not (Get-Help $about -ErrorAction SilentlyContinue)) { $problems += "Get-Help $about finds nothing." }
        Write-Host "Imported $name $($loaded.Version) from $($loaded.ModuleBase) in $($PSVersionTable.PSEdition) PowerShell $($PSVersionTable.PSVersion)."
        Remove-Module $name
    }
    $moduleFolder = Join-Path $temp "Modules/TencentIm/$($version.Version)"
    $env:TENCENTIM_TEST_EMULATOR_MODULE = Join-Path $temp "Modules/TencentIm.Emulator/$($version.Version)"

    $pester = Join-Path $root '.tools/packages/pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 5 is not restored at $pester. Run: dotnet restore build/Pester.proj --packages .tools/packages" }
    Import-Module $pester -Force
    $config = New-PesterConfiguration
    # Only the files with tagged tests: Windows PowerShell cannot even parse some of the others (PowerShell 7 syntax).
    $config.Run.Path = @(Select-String -Path (Join-Path $root 'tests/Pester/*.Tests.ps1') -Pattern "-Tag 'WindowsPowerShell'" -SimpleMatch -List | ForEach-Object Path)
    $config.Filter.Tag = 'WindowsPowerShell'
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Normal'
    $env:TENCENTIM_TEST_MODULE = $moduleFolder
    $result = Invoke-Pester -Configuration $config
    # The package check counts as one test, the Pester tests each as one.
    foreach ($p in $problems) { Write-Host "FAILED: $p" }
    $passed = $result.PassedCount
    # NotRun are the tests without the tag, left out on purpose.
    $failed = $result.FailedCount + $result.FailedContainersCount + $result.SkippedCount
    if ($problems) { $failed++ } else { $passed++ }
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $result.PassedCount -eq 0) { exit 1 }
}
finally {
    Remove-Item $temp -Recurse -Force -ErrorAction SilentlyContinue
}
