#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The packages build.ps1 package makes, as a user gets them: each holds exactly its allow-listed files, and installs
# with PSResourceGet from a local repository into a fresh pwsh, where the module imports by name, has every cmdlet and
# its help, passes Test-ModuleManifest and checks an account against the emulator. The fresh pwsh gets a temporary
# home, module path and repository store, and the user's own repositories and modules are left as they were.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../../build/Packaging.psm1') -Force
    $script:modules = @(Get-ModulePackage | ForEach-Object { @{ Name = $_.Name; Files = $_.Files } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestRepoRoot) 'build/Packaging.psm1') -Force
    Import-TestModule
    $script:version = Get-ModuleVersionInfo

    function script:Get-TestPackage([string] $Name) {
        $path = Join-Path (Get-TestPackageDirectory) "$Name.$($version.Full).nupkg"
        if (-not (Test-Path $path)) { throw "There is no package $path. Run: dotnet pwsh ./build.ps1 package" }
        $path
    }
}

Describe 'The package of <Name>' -ForEach $modules {
    It 'holds exactly the allow-listed files of build/ModulePackages.psd1' {
        $differences = @(Compare-AllowList -Found (Get-PackageFile -Path (Get-TestPackage $Name) -Name $Name) -Allowed $Files)

        $differences | Should -BeNullOrEmpty
    }

    It 'is named and versioned after Directory.Build.props, and its nuspec says so' {
        Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Get-TestPackage $Name))
        try {
            $reader = [System.IO.StreamReader]::new($zip.GetEntry("$Name.nuspec").Open())
            $nuspec = [xml]$reader.ReadToEnd()
            $reader.Dispose()
        }
        finally {
            $zip.Dispose()
        }

        $nuspec.package.metadata.id | Should -BeExactly $Name
        $nuspec.package.metadata.version | Should -BeExactly $version.Full
    }
}

Describe 'Installing the packages with PSResourceGet in a fresh pwsh' {
    BeforeAll {
        function script:Get-RealState {
            # The user's repositories (this process has the real profile) and what their CurrentUser module folder
            # holds of these modules, where PSResourceGet would install them.
            $userModules = if ($IsWindows) { Join-Path ([Environment]::GetFolderPath('MyDocuments')) 'PowerShell/Modules' } else { Join-Path $HOME '.local/share/powershell/Modules' }
            [pscustomobject]@{
                Repositories = @(Get-PSResourceRepository | ForEach-Object { "$($_.Name) $($_.Uri) $($_.Trusted) $($_.Priority)" })
                Modules      = @(foreach ($m in $modules) { Get-ChildItem (Join-Path $userModules $m.Name) -Recurse -Force -ErrorAction Ignore | ForEach-Object { "$($_.FullName) $($_.LastWriteTimeUtc.Ticks)" } })
            }
        }
        $script:before = Get-RealState

        $script:emulator = Start-TestEmulator -Accounts 'alice'
        $script:temp = Join-Path (Get-TestDirectory) ("install-{0}" -f [guid]::NewGuid().ToString('N'))
        $fakeHome = Join-Path $temp 'home'
        # Where PSResourceGet's CurrentUser scope installs: MyDocuments/PowerShell on Windows, ~/.local/share/powershell elsewhere.
        $script:userModules = if ($IsWindows) { Join-Path $fakeHome 'Documents/PowerShell/Modules' } else { Join-Path $fakeHome '.local/share/powershell/Modules' }
        $script:environment = @{
            TEST_SECRET_KEY = $emulator.SecretKey
            HOME            = $fakeHome
            USERPROFILE     = $fakeHome
            XDG_DATA_HOME   = Join-Path $fakeHome '.local/share'
            XDG_CONFIG_HOME = Join-Path $fakeHome '.config'
            XDG_CACHE_HOME  = Join-Path $fakeHome '.cache'
            LOCALAPPDATA    = Join-Path $fakeHome 'AppData/Local'
            APPDATA         = Join-Path $fakeHome 'AppData/Roaming'
            # The temporary CurrentUser folder, then pwsh's own modules (PSResourceGet among them); nothing of the user's.
            PSModulePath    = $userModules + [IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
        }
        # .NET gives no path for a special folder that does not exist (and NuGet, inside PSResourceGet, then writes
        # relative to the working directory), so every one of them exists below the temporary home.
        $folders = @('XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'LOCALAPPDATA', 'APPDATA' | ForEach-Object { $environment[$_] })
        # (macOS keeps LocalApplicationData in ~/Library/Application Support.)
        $folders += (Join-Path $fakeHome 'Documents'), (Join-Path $fakeHome 'Library/Application Support'), (Join-Path $temp 'repository'), $userModules
        $null = New-Item -ItemType Directory $folders -Force

        # The child prints one line per fact, 'name=value'. It stops before touching anything if the folders
        # PSResourceGet writes to (the CurrentUser modules and the repository store) are not below the temporary root.
        $script:childScript = @'
param([string] $TempRoot, [string] $Repository, [string] $Endpoint, [string] $Version, [string] $PackageList)
$ErrorActionPreference = 'Stop'
$Prerelease = $env:TEST_PRERELEASE
$Packages = $PackageList -split [regex]::Escape([IO.Path]::PathSeparator)
$ProgressPreference = 'SilentlyContinue'
$root = [IO.Path]::GetFullPath($TempRoot)
# Anything written relative to the working directory lands in the temporary root too.
Set-Location $root
$folders = @([Environment]::GetFolderPath('MyDocuments'), [Environment]::GetFolderPath('LocalApplicationData'), [Environment]::GetFolderPath('ApplicationData'))
if (-not $IsWindows) { $folders += $HOME }
foreach ($folder in $folders) {
    if (-not $folder -or -not [IO.Path]::GetFullPath($folder).StartsWith($root, [StringComparison]::OrdinalIgnoreCase)) {
        throw "This machine keeps a folder PSResourceGet writes to ('$folder') outside the temporary root '$root' whatever the environment says, so installing with -Scope CurrentUser would write into the real profile. Nothing was installed."
    }
}
"isolated=True"
$name = 'TencentImInstallTest{0}' -f [guid]::NewGuid().ToString('N')
Register-PSResourceRepository -Name $name -Uri $Repository -Trusted
try {
    foreach ($package in $Packages) { Publish-PSResource -NupkgPath $package -Repository $name }
    foreach ($package in $Packages) {
        $module = [IO.Path]::GetFileName($package) -replace "\.$([regex]::Escape($Version))(-$Prerelease)?\.nupkg$", ''
        $full = if ($Prerelease) { "$Version-$Prerelease" } else { $Version }
        # Facts are 'name=value' with a word for a name: '_' for the '.' of TencentIm.Emulator.
        $fact = $module.Replace('.', '_')
        Install-PSResource -Name $module -Version $full -Prerelease:([bool]$Prerelease) -Repository $name -Scope CurrentUser -TrustRepository -Quiet
        $installed = Get-InstalledPSResource -Name $module -Scope CurrentUser
        "$($fact)_installedIn=$($installed.InstalledLocation)"
        "$($fact)_installedVersion=$($installed.Version)$(if ($installed.Prerelease) { "-$($installed.Prerelease)" })"

        Import-Module $module
        $loaded = Get-Module $module
        "$($fact)_base=$($loaded.ModuleBase)"
        $manifest = Import-PowerShellDataFile (Join-Path $loaded.ModuleBase "$module.psd1")
        "$($fact)_cmdlets=$(@($manifest.CmdletsToExport).Count)"
        "$($fact)_missing=$(@($manifest.CmdletsToExport | Where-Object { -not (Get-Command $_ -Module $module -ErrorAction Ignore) }) -join ',')"
        $null = Test-ModuleManifest (Join-Path $loaded.ModuleBase "$module.psd1") -ErrorVariable problems -ErrorAction SilentlyContinue
        "$($fact)_manifestErrors=$(@($problems).Count)"
        "$($fact)_aboutHelp=$((Get-Help "about_$($module.Replace('.', '_'))" -ErrorAction Ignore | Select-Object -First 1).Name)"
    }
    # One account checked against the emulator, with the installed module.
    $key = ConvertTo-SecureString $env:TEST_SECRET_KEY -AsPlainText -Force
    Connect-TencentIm 1400000001 $key -Endpoint $Endpoint
    "statuses=$((Test-TencentImAccount alice, bob).AccountStatus -join ',')"
    "cmdletHelp=$((Get-Help Test-TencentImAccount).Synopsis)"
}
finally {
    Unregister-PSResourceRepository -Name $name
}
"repositoryLeft=$(@(Get-PSResourceRepository | Where-Object Name -eq $name).Count)"
'@
        $environment.TEST_PRERELEASE = $version.Prerelease
        $packageList = @($modules | ForEach-Object { Get-TestPackage $_.Name }) -join [IO.Path]::PathSeparator
        $script:run = Invoke-TestPwsh -Script $childScript -TimeoutSeconds 240 -Environment $environment `
            -ArgumentList $temp, (Join-Path $temp 'repository'), $emulator.BaseUri, $version.Version, $packageList
    }

    AfterAll {
        Stop-TestEmulator $script:emulator
    }

    It 'runs isolated and without an error' {
        $run.StdErr | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0 -Because $run.StdOut
        $run.Facts.isolated | Should -Be 'True'
    }

    It 'installs <Name> from the local repository into the temporary CurrentUser folder, and imports it by name' -ForEach $modules {
        $run.Facts["$($Name.Replace('.', '_'))_installedVersion"] | Should -BeExactly $version.Full
        $run.Facts["$($Name.Replace('.', '_'))_installedIn"] | Should -BeLike "$userModules*"
        $run.Facts["$($Name.Replace('.', '_'))_base"] | Should -BeLike ([IO.Path]::Combine($userModules, $Name, $version.Version) + '*')
    }

    It '<Name> has every cmdlet its manifest exports, passes Test-ModuleManifest, and has its about topic' -ForEach $modules {
        [int]$run.Facts["$($Name.Replace('.', '_'))_cmdlets"] | Should -BeGreaterThan 0
        $run.Facts["$($Name.Replace('.', '_'))_missing"] | Should -BeNullOrEmpty
        $run.Facts["$($Name.Replace('.', '_'))_manifestErrors"] | Should -Be '0'
        $run.Facts["$($Name.Replace('.', '_'))_aboutHelp"] | Should -BeExactly "about_$($Name.Replace('.', '_'))"
    }

    It 'the installed TencentIm connects to the emulator and checks accounts, with its cmdlet help' {
        $run.Facts.statuses | Should -Be 'Imported,NotImported'
        $run.Facts.cmdletHelp | Should -Match 'UserID'
    }

    It 'unregisters its repository, and leaves the user''s repositories and CurrentUser modules as they were' {
        $run.Facts.repositoryLeft | Should -Be '0'
        $after = Get-RealState
        $after.Repositories | Should -Be $before.Repositories
        $after.Modules | Should -Be $before.Modules
    }
}
