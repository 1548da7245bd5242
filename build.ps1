<#
.SYNOPSIS
Builds, tests and demonstrates the TencentIm module.

.DESCRIPTION
Tasks:
  build     Builds the solution and lays out a ready module in out/TencentIm (Import-Module ./out/TencentIm).
  package   build, then packs out/TencentIm.<version>.nupkg with PSResourceGet (Compress-PSResource), holding
            exactly the files build/ModulePackages.psd1 allows; RELEASING.md says how to publish it.
  test      build, package, then every xunit test, then every Pester test against out/TencentIm, the package
            (installed in a fresh pwsh) and the emulator;
            ends with one line 'N passed, N failed' counting both, and exits 1 if any failed.
  demo      build, start the emulator seeded with samples/accounts.txt, run
            'Get-Content samples/users.txt | Test-TencentImAccount', show the result, stop the emulator.
  emulator  build, then run the emulator in the foreground (Ctrl+C stops it), seeded with samples/accounts.txt.
  clean     Removes out/ and the build output.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'package', 'test', 'demo', 'emulator', 'clean')]
    [string] $Task = 'build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # For the emulator task: options passed on to the emulator (run it with --help to list them).
    [Parameter(ValueFromRemainingArguments)]
    [string[]] $EmulatorArgs = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'TencentIm'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:TENCENTIM_EMULATOR_DLL = Join-Path $root "src/TencentIm.Emulator/bin/$Configuration/net10.0/TencentIm.Emulator.dll"
Import-Module (Join-Path $root 'build/Packaging.psm1') -Force

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $root 'TencentIm.sln') -c $Configuration --nologo -v minimal '-clp:ErrorsOnly;NoSummary'

    # An explicit allow-list (build/ModulePackages.psd1): the module folder holds exactly what Import-Module needs.
    $allowed = (Get-ModulePackage | Where-Object Name -eq 'TencentIm').Files
    $bin = Join-Path $root "src/TencentIm/bin/$Configuration/netstandard2.0"
    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    New-Item -ItemType Directory $moduleOut | Out-Null
    foreach ($file in $allowed | Where-Object { $_ -match '^[^/]+\.(dll|pdb)$' }) { Copy-Item (Join-Path $bin $file) $moduleOut }
    foreach ($file in 'TencentIm.psm1', 'TencentIm.format.ps1xml', 'LICENSE') { Copy-Item (Join-Path $root $file) $moduleOut }

    # MAML help from the doc comments (build/help/New-MamlHelp.ps1 says why); it fails the build on missing help.
    # It reads the out/ copy of the dll, so that this session never loads the bin/ copy under the module's name.
    $helpOut = Join-Path $moduleOut 'en-US'
    & (Join-Path $root 'build/help/New-MamlHelp.ps1') -AssemblyPath (Join-Path $moduleOut 'TencentIm.dll') -DocumentationPath (Join-Path $bin 'TencentIm.xml') -OutputPath $helpOut | Out-Null
    Copy-Item (Join-Path $root 'docs/about/about_TencentIm.help.txt') $helpOut

    # The manifest's version and prerelease label come from Directory.Build.props, the one place they are set, and
    # its release notes from this version's section of CHANGELOG.md.
    $version = Get-ModuleVersionInfo
    $projectUri = (Import-PowerShellDataFile (Join-Path $root 'TencentIm.psd1')).PrivateData.PSData.ProjectUri
    $notes = (Get-ReleaseNotes -Version $version.Version) + "`n`nThe full change log: $projectUri/blob/main/CHANGELOG.md"
    $manifest = (Get-Content (Join-Path $root 'TencentIm.psd1') -Raw) -replace "ModuleVersion(\s*)= '[^']*'", "ModuleVersion`$1= '$($version.Version)'"
    $manifest = $manifest.Replace("ReleaseNotes = 'See CHANGELOG.md.'", "ReleaseNotes = '$($notes.Replace("'", "''"))'")
    $manifest = if ($version.Prerelease) { $manifest.Replace("Prerelease   = ''", "Prerelease   = '$($version.Prerelease)'") } else { $manifest -replace "(?m)^\s*Prerelease\s*= ''\r?\n", '' }
    Set-Content (Join-Path $moduleOut 'TencentIm.psd1') -Value $manifest -NoNewline

    Assert-AllowList -Found (Get-FolderFile $moduleOut) -Allowed $allowed -What $moduleOut
    Write-Host "Built module $($version.Full) in $moduleOut"
}

function Assert-AllowList {
    param([string[]] $Found, [string[]] $Allowed, [string] $What)
    $differences = @(Compare-AllowList -Found $Found -Allowed $Allowed)
    if ($differences) {
        throw "$What does not hold exactly the files build/ModulePackages.psd1 allows: $($differences -join '; '). Change the build or the allow-list."
    }
}

function Invoke-Package {
    <#
    Packs each module of build/ModulePackages.psd1 that the build laid out in out/<Name> as out/<Name>.<version>.nupkg,
    with PSResourceGet (1.1 or later; PowerShell 7.4 and later carry it), and checks each package's files.
    #>
    Import-Module Microsoft.PowerShell.PSResourceGet -MinimumVersion 1.1.0 -ErrorAction Stop
    $version = Get-ModuleVersionInfo
    foreach ($module in Get-ModulePackage) {
        $folder = Join-Path $out $module.Name
        if (-not (Test-Path $folder)) { throw "The build laid out no $folder to package." }
        Get-ChildItem $out -Filter "$($module.Name).*.nupkg" | Where-Object { $_.Name -match "^$([regex]::Escape($module.Name))\.\d" } | Remove-Item
        $package = Compress-PSResource -Path $folder -DestinationPath $out -PassThru
        $expected = Join-Path $out "$($module.Name).$($version.Full).nupkg"
        if ($package.FullName -ne $expected) { throw "Compress-PSResource made $($package.FullName), not $expected." }
        Assert-AllowList -Found (Get-PackageFile -Path $expected -Name $module.Name) -Allowed $module.Files -What $expected
        Write-Host "Packed $expected"
    }
}

function Import-Pester {
    $installed = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -eq 5 } | Sort-Object Version -Descending | Select-Object -First 1
    if ($installed) {
        Import-Module $installed -Force
        return
    }
    $packages = Join-Path $root '.tools/packages'
    $manifest = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $manifest)) {
        Invoke-Dotnet restore (Join-Path $root 'build/Pester.proj') --packages $packages --nologo -v quiet
    }
    Import-Module $manifest -Force
}

function Invoke-XunitTests {
    $results = Join-Path $out 'test-results'
    $trx = Join-Path $results 'xunit.trx'
    if (Test-Path $trx) { Remove-Item $trx }
    & dotnet test (Join-Path $root 'tests/TencentIm.Tests/TencentIm.Tests.csproj') -c $Configuration --no-build --nologo `
        --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=minimal' --results-directory $results | Out-Host
    if (-not (Test-Path $trx)) { throw "xunit wrote no results (dotnet test exit code $LASTEXITCODE)." }
    $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
    # Every test that did not pass counts as failed: a test that could not run is not a pass.
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.total - [int]$counters.passed }
}

function Invoke-PesterTests {
    Import-Pester
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Normal'
    $env:TENCENTIM_TEST_MODULE = $moduleOut
    $env:TENCENTIM_TEST_PACKAGES = $out
    $result = Invoke-Pester -Configuration $config
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.SkippedCount + $result.NotRunCount + $result.InconclusiveCount }
}

function Invoke-Demo {
    Import-Module (Join-Path $root 'build/EmulatorProcess.psm1') -Force
    # A made-up key that the emulator and this demo share; never a real one. user_013 shows an account the service
    # could not check (ResultCode 70500): AccountStatus Unknown, never a NotImported it was not told.
    $demoKey = 'demo-secret-key-not-a-real-one-0123456789'
    $emulator = Start-TencentImEmulator -ArgumentList '--accounts-file', (Join-Path $root 'samples/accounts.txt'), '--secret-key', $demoKey, '--failing-accounts', 'user_013'
    try {
        Import-Module $moduleOut -Force
        Write-Host "Emulator listening on $($emulator.BaseUri)"
        Connect-TencentIm -SdkAppId 1400000001 -SecretKey (ConvertTo-SecureString $demoKey -AsPlainText -Force) -Endpoint $emulator.BaseUri
        Write-Host "> Get-Content samples/users.txt | Test-TencentImAccount"
        # Per-ID errors are non-terminating: collect them and show them after the table, as a runbook would.
        $results = Get-Content (Join-Path $root 'samples/users.txt') |
            Test-TencentImAccount -ErrorAction SilentlyContinue -ErrorVariable notChecked
        $results | Format-Table | Out-Host
        $results | Group-Object AccountStatus -NoElement | Format-Table Name, Count -AutoSize | Out-Host
        foreach ($e in $notChecked) { Write-Host "Not checked: $($e.FullyQualifiedErrorId.Split(',')[0]): $e" }
    }
    finally {
        Stop-TencentImEmulator $emulator
    }
}

switch ($Task) {
    'clean' {
        foreach ($dir in @($out) + (Get-ChildItem $root -Directory -Recurse -Include bin, obj | Where-Object FullName -notmatch '[\\/]\.tools[\\/]').FullName) {
            if ($dir -and (Test-Path $dir)) { Remove-Item $dir -Recurse -Force }
        }
    }
    'build' { Invoke-Build }
    'package' { Invoke-Build; Invoke-Package }
    'demo' { Invoke-Build; Invoke-Demo }
    'emulator' {
        Invoke-Build
        & dotnet $env:TENCENTIM_EMULATOR_DLL --port 5080 --accounts-file (Join-Path $root 'samples/accounts.txt') @EmulatorArgs
    }
    'test' {
        Invoke-Build
        Invoke-Package
        $xunit = Invoke-XunitTests
        $pester = Invoke-PesterTests
        $passed = $xunit.Passed + $pester.Passed
        $failed = $xunit.Failed + $pester.Failed
        Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed"
        Write-Host "$passed passed, $failed failed"
        if ($failed -gt 0) { exit 1 }
    }
}
