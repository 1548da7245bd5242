#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The built modules (TencentIm and TencentIm.Emulator): valid manifests, exactly the expected cmdlets (each in README.md's
# tables), and an import that works in a fresh pwsh whose host already uses System.Text.Json, and next to another module
# that ships its own copy of it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = Get-TestModulePath
    $script:manifest = Join-Path $modulePath 'TencentIm.psd1'
    $script:expected = 'Connect-TencentIm', 'Disconnect-TencentIm', 'Get-TencentImConnection', 'Get-TencentImOnlineStatus',
        'Import-TencentImAccount', 'Invoke-TencentImApi', 'New-TencentImUserSig', 'Remove-TencentImAccount', 'Revoke-TencentImLogin', 'Test-TencentImAccount',
        'Test-TencentImUserSig'
    $script:emulatorExpected = 'Get-TencentImEmulatorAccount', 'Get-TencentImEmulatorRequest', 'Reset-TencentImEmulator', 'Set-TencentImEmulator',
        'Start-TencentImEmulator', 'Stop-TencentImEmulator'
}

Describe 'The manifest and the exported commands' -Tag 'WindowsPowerShell' {
    It 'Test-ModuleManifest passes on the built manifest' {
        $info = Test-ModuleManifest $manifest -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems | Should -BeNullOrEmpty
        $info.Name | Should -Be 'TencentIm'
        # A small root script for the OnRemove hook (TencentIm.psm1 says why), the cmdlets from the nested dll.
        $info.RootModule | Should -Be 'TencentIm.psm1'
        @($info.NestedModules.Name) | Should -Be 'TencentIm'
        $info.Version | Should -Be ([version](([xml](Get-Content (Join-Path (Get-TestRepoRoot) 'Directory.Build.props') -Raw)).Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1))
    }

    It 'carries what the PowerShell Gallery shows: author, description, project and licence, tags, release notes' {
        Import-Module (Join-Path (Get-TestRepoRoot) 'build/Packaging.psm1') -Force
        $data = Import-PowerShellDataFile $manifest
        $psData = $data.PrivateData.PSData
        $version = Get-ModuleVersionInfo

        $data.Author | Should -Not -BeNullOrEmpty
        $data.Description | Should -Match 'Tencent Cloud IM'
        $psData.ProjectUri | Should -Match '^https://github\.com/[^/]+/TencentIm$'
        $psData.LicenseUri | Should -BeExactly "$($psData.ProjectUri)/blob/main/LICENSE"
        foreach ($tag in 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS') { $psData.Tags | Should -Contain $tag }
        # This version's section of CHANGELOG.md, and where the whole log is.
        $psData.ReleaseNotes.StartsWith((Get-ReleaseNotes -Version $version.Version)) | Should -BeTrue
        $psData.ReleaseNotes | Should -Match '### Added'
        $psData.ReleaseNotes | Should -Match ([regex]::Escape("$($psData.ProjectUri)/blob/main/CHANGELOG.md"))
        # Directory.Build.props' VersionSuffix, or no prerelease label at all.
        if ($version.Prerelease) { $psData.Prerelease | Should -BeExactly $version.Prerelease } else { $psData.Keys | Should -Not -Contain 'Prerelease' }
        # No HelpInfoURI: there is no Update-Help site for it to point at.
        $data.Keys | Should -Not -Contain 'HelpInfoURI'
    }

    It 'exports exactly the expected cmdlets, and no function, alias or variable' {
        $module = Get-Module TencentIm

        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be $expected
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
    }

    It 'README.md opens with the install commands, and README.md and RELEASING.md name the manifest''s ProjectUri' {
        $readme = Get-Content (Join-Path (Get-TestRepoRoot) 'README.md') -Raw
        $firstBlock = [regex]::Match($readme, '(?s)```powershell\s*(.*?)```').Groups[1].Value
        $projectUri = (Import-PowerShellDataFile $manifest).PrivateData.PSData.ProjectUri

        $firstBlock | Should -Match '(?m)^Install-PSResource TencentIm\b'
        $firstBlock | Should -Match '(?m)^Install-Module TencentIm\b'
        $readme | Should -Match ([regex]::Escape($projectUri))
        Get-Content (Join-Path (Get-TestRepoRoot) 'RELEASING.md') -Raw | Should -Match ([regex]::Escape($projectUri))
    }

    It 'lists each exported cmdlet of both modules, and no other, in README.md''s cmdlet tables' {
        $readme = Get-Content (Join-Path (Get-TestRepoRoot) 'README.md') -Raw
        $section = [regex]::Match($readme, '(?ms)^## Cmdlets\s*$(.*?)(?=^## |\z)').Groups[1].Value

        $listed = @([regex]::Matches($section, '(?m)^\|\s*`([A-Za-z]+-[A-Za-z]+)`\s*\|') | ForEach-Object { $_.Groups[1].Value } | Sort-Object)

        $listed | Should -Be @(@($expected) + @($emulatorExpected) | Sort-Object)
    }
}

Describe 'The emulator module''s manifest and exported commands' {
    It 'Test-ModuleManifest passes, with the version of Directory.Build.props' {
        $info = Test-ModuleManifest (Join-Path (Get-TestEmulatorModulePath) 'TencentIm.Emulator.psd1') -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems | Should -BeNullOrEmpty
        $info.Name | Should -Be 'TencentIm.Emulator'
        $info.Version | Should -Be (Get-Module TencentIm).Version
    }

    It 'exports exactly the emulator cmdlets, and no function, alias or variable' {
        $module = Get-Module TencentIm.Emulator

        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be $emulatorExpected
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
    }

    It 'carries the emulator app in its server folder' {
        Join-Path (Get-TestEmulatorModulePath) 'server/TencentIm.Emulator.dll' | Should -Exist
        Join-Path (Get-TestEmulatorModulePath) 'server/TencentIm.Emulator.runtimeconfig.json' | Should -Exist
    }
}

Describe 'Importing in a fresh pwsh process' {
    BeforeAll {
        $script:emulator = Start-TestEmulator -Accounts 'alice'

        # A module that ships the System.Text.Json.dll (8.0.x) the TencentIm folder holds, loaded by RequiredAssemblies.
        $script:otherJson = Join-Path $TestDrive 'OtherJson'
        $null = New-Item -ItemType Directory $otherJson -Force
        Copy-Item (Join-Path $modulePath 'System.Text.Json.dll') $otherJson
        Set-Content (Join-Path $otherJson 'OtherJson.psd1') -Value @"
@{
    ModuleVersion      = '1.0.0'
    GUID               = '0b1c6a4e-7f7e-4c55-9a1d-3d2f6f0e9b21'
    RequiredAssemblies = @('System.Text.Json.dll')
    FunctionsToExport  = @()
    CmdletsToExport    = @()
}
"@

        # The child prints one line per fact, 'name=value', for the test to read; the key comes in its environment.
        $script:childScript = @'
param([string] $Setup, [string] $Manifest, [string] $OtherJson, [string] $Endpoint)
$ErrorActionPreference = 'Stop'
function Get-JsonAssemblies {
    @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'System.Text.Json' } |
        ForEach-Object { '{0} ({1})' -f $_.GetName().Version, $(if ($_.Location) { $_.Location } else { 'in memory' }) }) -join '; '
}
switch ($Setup) {
    'HostUsesJson' { $null = [System.Text.Json.JsonSerializer]::Serialize(@{ a = 1 }, [hashtable], [System.Text.Json.JsonSerializerOptions]$null); Import-Module $Manifest }
    'OtherJsonFirst' { Import-Module $OtherJson; Import-Module $Manifest }
    'OtherJsonAfter' { Import-Module $Manifest; Import-Module $OtherJson }
}
"modules=$((Get-Module | Where-Object Name -in 'TencentIm', 'OtherJson' | Sort-Object Name).Name -join ',')"
"json=$(Get-JsonAssemblies)"
"jsonCount=$(@([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'System.Text.Json' }).Count)"
"jsonFromRuntime=$([IO.Path]::GetDirectoryName([System.Text.Json.JsonSerializer].Assembly.Location) -eq [IO.Path]::GetDirectoryName([object].Assembly.Location))"
$key = ConvertTo-SecureString $env:TEST_SECRET_KEY -AsPlainText -Force
$connection = Connect-TencentIm 1400000001 $key -Endpoint $Endpoint -PassThru
"connected=$($connection.SdkAppId)"
"statuses=$((Test-TencentImAccount alice, nobody).AccountStatus -join ',')"
"hostSerializes=$([System.Text.Json.JsonSerializer]::Serialize(@{ b = 2 }, [hashtable], [System.Text.Json.JsonSerializerOptions]$null))"
'@

        function script:Invoke-Child([string] $Setup) {
            Invoke-TestPwsh -Script $childScript -ArgumentList $Setup, $manifest, (Join-Path $otherJson 'OtherJson.psd1'), $emulator.BaseUri `
                -Environment @{ TEST_SECRET_KEY = $emulator.SecretKey }
        }
    }

    AfterAll {
        Stop-TestEmulator $script:emulator
    }

    It 'imports, connects and checks after the host has used System.Text.Json (the runtime''s copy serves both)' {
        $run = Invoke-Child 'HostUsesJson'

        $run.StdErr | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $run.Facts.modules | Should -Be 'TencentIm'
        $run.Facts.connected | Should -Be '1400000001'
        $run.Facts.statuses | Should -Be 'Imported,NotImported'
        $run.Facts.hostSerializes | Should -Be '{"b":2}'
        # One System.Text.Json, the runtime's own (not the 8.0 copy in the module folder).
        $run.Facts.jsonCount | Should -Be '1' -Because $run.Facts.json
        $run.Facts.jsonFromRuntime | Should -Be 'True' -Because $run.Facts.json
    }

    It 'imports and works after another module that loads its own System.Text.Json 8.0 (<Setup>)' -ForEach @(
        @{ Setup = 'OtherJsonFirst' }
        @{ Setup = 'OtherJsonAfter' }
    ) {
        $run = Invoke-Child $Setup

        $run.StdErr | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $run.Facts.modules | Should -BeExactly 'OtherJson,TencentIm'
        $run.Facts.connected | Should -Be '1400000001'
        $run.Facts.statuses | Should -Be 'Imported,NotImported'
        $run.Facts.hostSerializes | Should -Be '{"b":2}'
        # PowerShell 7 asks for the module's 8.0 file, and the runtime hands back its own, newer System.Text.Json:
        # one copy, from the shared framework, for the host and both modules.
        $run.Facts.jsonCount | Should -Be '1' -Because $run.Facts.json
        $run.Facts.jsonFromRuntime | Should -Be 'True' -Because $run.Facts.json
    }
}
