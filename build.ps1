<#
.SYNOPSIS
Builds, tests and demonstrates the TencentIm module and the TencentIm.Emulator module.

.DESCRIPTION
Tasks:
  build     Builds the solution and lays out ready modules in out/TencentIm and out/TencentIm.Emulator (its cmdlets,
            and the emulator app in server/): Import-Module ./out/TencentIm, ./out/TencentIm.Emulator.
  package   build, then packs out/<Name>.<version>.nupkg for each module with PSResourceGet (Compress-PSResource),
            holding exactly the files build/ModulePackages.psd1 allows; RELEASING.md says how to publish them.
  test      build, package, then every xunit test, then every Pester test against out/TencentIm, the packages
            (installed in a fresh pwsh) and the emulator, then the sample runbook repository's tests
            (samples/runbook-repo) in a fresh pwsh that imports both modules by name from the packages, unpacked
            as an install lays them out (out/installed); ends with one line 'N passed, N failed' counting all three,
            and exits 1 if any failed.
  demo      build, start the emulator (Start-TencentImEmulator) seeded with samples/accounts.txt, run
            'Get-Content samples/users.txt | Test-TencentImAccount', show the result, stop the emulator.
  emulator  build, then run the emulator in the foreground on port 5080 (Ctrl+C stops it), seeded with
            samples/accounts.txt; further arguments are Start-TencentImEmulator's parameters (-LatencyMs 200).
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

    # For the emulator task: Start-TencentImEmulator parameters, such as -LatencyMs 200 -Trial.
    [Parameter(ValueFromRemainingArguments)]
    [string[]] $EmulatorArgs = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'TencentIm'
$emulatorModuleOut = Join-Path $out 'TencentIm.Emulator'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
Import-Module (Join-Path $root 'build/Packaging.psm1') -Force

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Publish-ModuleFolder {
    <#
    Lays out out/<Name>: the dlls and pdbs of its allow-list (build/ModulePackages.psd1) from the project's bin, the
    files given from the repository, MAML help from the doc comments, its about topic, and its manifest with the
    version and prerelease label of Directory.Build.props (the one place they are set) and this version's section of
    CHANGELOG.md as release notes.
    #>
    param([string] $Name, [string] $Project, [string] $Assembly, [string] $Manifest, [string[]] $Files, [string] $About)

    $allowed = (Get-ModulePackage | Where-Object Name -eq $Name).Files
    $bin = Join-Path $root "src/$Project/bin/$Configuration/netstandard2.0"
    $target = Join-Path $out $Name
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    New-Item -ItemType Directory $target | Out-Null
    foreach ($file in $allowed | Where-Object { $_ -match '^[^/]+\.(dll|pdb)$' }) { Copy-Item (Join-Path $bin $file) $target }
    foreach ($file in $Files) { Copy-Item $file $target }

    # MAML help from the doc comments (build/help/New-MamlHelp.ps1 says why); it fails the build on missing help.
    # It reads the out/ copy of the dll, so that this session never loads the bin/ copy under the module's name.
    $helpOut = Join-Path $target 'en-US'
    & (Join-Path $root 'build/help/New-MamlHelp.ps1') -AssemblyPath (Join-Path $target "$Assembly.dll") -DocumentationPath (Join-Path $bin "$Assembly.xml") -OutputPath $helpOut | Out-Null
    Copy-Item $About $helpOut

    $version = Get-ModuleVersionInfo
    $projectUri = (Import-PowerShellDataFile (Join-Path $root 'TencentIm.psd1')).PrivateData.PSData.ProjectUri
    $notes = (Get-ReleaseNotes -Version $version.Version) + "`n`nThe full change log: $projectUri/blob/main/CHANGELOG.md"
    $text = (Get-Content $Manifest -Raw) -replace "ModuleVersion(\s*)= '[^']*'", "ModuleVersion`$1= '$($version.Version)'"
    $text = $text.Replace("ReleaseNotes = 'See CHANGELOG.md.'", "ReleaseNotes = '$($notes.Replace("'", "''"))'")
    $text = if ($version.Prerelease) { $text.Replace("Prerelease   = ''", "Prerelease   = '$($version.Prerelease)'") } else { $text -replace "(?m)^\s*Prerelease\s*= ''\r?\n", '' }
    Set-Content (Join-Path $target "$Name.psd1") -Value $text -NoNewline
}

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $root 'TencentIm.sln') -c $Configuration --nologo -v minimal '-clp:ErrorsOnly;NoSummary'

    Publish-ModuleFolder -Name 'TencentIm' -Project 'TencentIm' -Assembly 'TencentIm' -Manifest (Join-Path $root 'TencentIm.psd1') `
        -Files (Join-Path $root 'TencentIm.psm1'), (Join-Path $root 'TencentIm.format.ps1xml'), (Join-Path $root 'LICENSE') `
        -About (Join-Path $root 'docs/about/about_TencentIm.help.txt')

    # The emulator module: its cmdlets, and in server/ the emulator app (framework-dependent net10.0) that
    # Start-TencentImEmulator runs with dotnet. README.md ("Testing your runbooks") says why it ships so.
    $commands = Join-Path $root 'src/TencentIm.Emulator.Commands'
    Publish-ModuleFolder -Name 'TencentIm.Emulator' -Project 'TencentIm.Emulator.Commands' -Assembly 'TencentIm.Emulator.Commands' `
        -Manifest (Join-Path $commands 'TencentIm.Emulator.psd1') -Files (Join-Path $commands 'TencentIm.Emulator.format.ps1xml'), (Join-Path $root 'LICENSE') `
        -About (Join-Path $root 'docs/about/about_TencentIm_Emulator.help.txt')
    $server = Join-Path $emulatorModuleOut 'server'
    New-Item -ItemType Directory $server | Out-Null
    $serverBin = Join-Path $root "src/TencentIm.Emulator/bin/$Configuration/net10.0"
    foreach ($file in (Get-ModulePackage | Where-Object Name -eq 'TencentIm.Emulator').Files -like 'server/*') {
        Copy-Item (Join-Path $serverBin $file.Substring('server/'.Length)) $server
    }

    $version = Get-ModuleVersionInfo
    foreach ($module in Get-ModulePackage) {
        $folder = Join-Path $out $module.Name
        Assert-AllowList -Found (Get-FolderFile $folder) -Allowed $module.Files -What $folder
        Write-Host "Built module $($module.Name) $($version.Full) in $folder"
    }
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
    # A file that fails outside its tests (BeforeAll, discovery) counts too.
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.SkippedCount + $result.NotRunCount + $result.InconclusiveCount + $result.FailedContainersCount }
}

function Expand-PackagesAsInstalled {
    <#
    Unpacks each module's package (out/<Name>.<version>.nupkg, from Invoke-Package) into out/installed/<Name>/<version>,
    the layout Install-PSResource gives a module (the package's files without NuGet's own); returns out/installed,
    for PSModulePath. tests/Pester/Package.Tests.ps1 installs the same packages with PSResourceGet itself.
    #>
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
    $installed = Join-Path $out 'installed'
    if (Test-Path $installed) { Remove-Item $installed -Recurse -Force }
    $version = Get-ModuleVersionInfo
    foreach ($module in Get-ModulePackage) {
        $target = Join-Path $installed "$($module.Name)/$($version.Version)"
        $files = @(Get-PackageFile -Path (Join-Path $out "$($module.Name).$($version.Full).nupkg") -Name $module.Name)
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $out "$($module.Name).$($version.Full).nupkg"))
        try {
            foreach ($entry in $zip.Entries) {
                $file = [uri]::UnescapeDataString($entry.FullName)
                if ($file -notin $files) { continue }
                $path = Join-Path $target $file
                New-Item -ItemType Directory (Split-Path $path) -Force | Out-Null
                [System.IO.Compression.ZipFileExtensions]::ExtractToFile($entry, $path)
            }
        }
        finally {
            $zip.Dispose()
        }
    }
    $installed
}

function Import-BuiltModules {
    # By name through PSModulePath, as a user would after installing them; out/ goes first.
    if (($env:PSModulePath -split [System.IO.Path]::PathSeparator) -notcontains $out) {
        $env:PSModulePath = $out + [System.IO.Path]::PathSeparator + $env:PSModulePath
    }
    Import-Module TencentIm, TencentIm.Emulator -Force
}

function Invoke-Demo {
    Import-BuiltModules
    # user_013 shows an account the service could not check (ResultCode 70500): AccountStatus Unknown, never a
    # NotImported it was not told.
    $emulator = Start-TencentImEmulator -AccountFile (Join-Path $root 'samples/accounts.txt') -FailingAccount user_013
    try {
        Write-Host "Emulator listening on $($emulator.Endpoint)"
        Connect-TencentIm -Emulator $emulator
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

function Invoke-EmulatorTask {
    # The remaining arguments are Start-TencentImEmulator's parameters: -LatencyMs 200 -Trial …
    $options = @{}
    for ($i = 0; $i -lt $EmulatorArgs.Count; $i++) {
        $name = $EmulatorArgs[$i] -replace '^-+', ''
        if ($i + 1 -lt $EmulatorArgs.Count -and $EmulatorArgs[$i + 1] -notmatch '^-[A-Za-z]') { $options[$name] = $EmulatorArgs[++$i] } else { $options[$name] = $true }
    }
    # A made-up key, printed so that another shell can connect; never a real one.
    $demoKey = 'emulator-secret-key-0123456789abcdef'
    Import-BuiltModules
    $emulator = Start-TencentImEmulator -Port 5080 -AccountFile (Join-Path $root 'samples/accounts.txt') -SecretKey (ConvertTo-SecureString $demoKey -AsPlainText -Force) @options
    try {
        Write-Host "Emulator listening on $($emulator.Endpoint) (process $($emulator.Id)); Ctrl+C stops it. From another shell:"
        Write-Host "  Connect-TencentIm -SdkAppId $($emulator.SdkAppId) -SecretKey (ConvertTo-SecureString '$demoKey' -AsPlainText -Force) -Endpoint $($emulator.Endpoint)"
        # Waits in short steps so that Ctrl+C (which stops the script between steps) gets through.
        $process = Get-Process -Id $emulator.Id
        while (-not $process.WaitForExit(500)) { }
    }
    finally {
        Stop-TencentImEmulator $emulator
    }
}

function Invoke-SampleTests {
    <#
    The sample runbook repository's tests (samples/runbook-repo), run as a user runs them: in a fresh pwsh whose
    PSModulePath starts with -ModuleRoot, importing TencentIm and TencentIm.Emulator by name. -ModuleRoot is out/
    today; point it at the installed modules' folder to test the package instead.
    #>
    param([Parameter(Mandatory)] [string] $ModuleRoot)

    Import-Pester
    $runner = Join-Path $out 'run-sample-tests.ps1'
    Set-Content -LiteralPath $runner -Value {
        param($ModuleRoot, $Sample, $Pester)
        $ErrorActionPreference = 'Stop'
        $env:PSModulePath = $ModuleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath
        Import-Module $Pester
        $config = New-PesterConfiguration
        $config.Run.Path = Join-Path $Sample 'tests'
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Normal'
        $result = Invoke-Pester -Configuration $config
        $failed = $result.FailedCount + $result.SkippedCount + $result.NotRunCount + $result.InconclusiveCount + $result.FailedContainersCount
        'SAMPLE-RESULT ' + (@{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json -Compress)
    }.ToString()
    $pwsh = [Environment]::ProcessPath
    # Run as a dotnet tool, this process is dotnet running pwsh.dll. (@() keeps one path an array, which splats as one argument.)
    $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $pester = Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'
    $line = $null
    & $pwsh @prefix -NoProfile -NonInteractive -File $runner $ModuleRoot (Join-Path $root 'samples/runbook-repo') $pester | ForEach-Object {
        if ("$_" -match '^SAMPLE-RESULT (.+)$') { $line = $Matches[1] } else { $_ | Out-Host }
    }
    # No result line, or no test at all, is a failure: the sample's tests must not vanish unnoticed.
    if (-not $line) { return [pscustomobject]@{ Passed = 0; Failed = 1 } }
    $counts = $line | ConvertFrom-Json
    [pscustomobject]@{ Passed = [int]$counts.Passed; Failed = [Math]::Max([int]$counts.Failed, [int]($counts.Passed -eq 0)) }
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
    'emulator' { Invoke-Build; Invoke-EmulatorTask }
    'test' {
        Invoke-Build
        Invoke-Package
        $xunit = Invoke-XunitTests
        $pester = Invoke-PesterTests
        $sample = Invoke-SampleTests -ModuleRoot (Expand-PackagesAsInstalled)
        $passed = $xunit.Passed + $pester.Passed + $sample.Passed
        $failed = $xunit.Failed + $pester.Failed + $sample.Failed
        Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed; samples/runbook-repo: $($sample.Passed) passed, $($sample.Failed) failed"
        Write-Host "$passed passed, $failed failed"
        if ($failed -gt 0) { exit 1 }
    }
}
