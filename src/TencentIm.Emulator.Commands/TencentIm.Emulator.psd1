@{
    RootModule             = 'TencentIm.Emulator.Commands.dll'
    # build.ps1 writes the version of Directory.Build.props here in out/TencentIm.Emulator/TencentIm.Emulator.psd1.
    ModuleVersion          = '0.1.0'
    GUID                   = 'b2e7c4d9-3f1a-4c58-9e6d-71a0f5c2d843'
    Author                 = 'TencentIm contributors'
    CompanyName            = 'TencentIm contributors'
    Copyright              = '(c) TencentIm contributors. MIT License.'
    Description            = 'A local emulator of the Tencent Cloud IM REST API on 127.0.0.1, to test runbooks that use the TencentIm module with Pester: start it, seed accounts, inspect the requests, inject faults, stop it. Needs the .NET 10 ASP.NET Core Runtime. Not made by or affiliated with Tencent.'
    CompatiblePSEditions   = @('Core', 'Desktop')
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('TencentIm.Emulator.format.ps1xml')
    CmdletsToExport        = @(
        'Start-TencentImEmulator', 'Stop-TencentImEmulator', 'Get-TencentImEmulatorAccount', 'Get-TencentImEmulatorRequest',
        'Set-TencentImEmulator', 'Reset-TencentImEmulator'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    # No HelpInfoURI: the help ships in the package (en-US), as the main module's does.
    PrivateData            = @{
        PSData = @{
            Tags         = @('Tencent', 'TencentCloud', 'IM', 'Emulator', 'Pester', 'Testing', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            # PLACEHOLDER, as in TencentIm.psd1: set the real address before the first publish (RELEASING.md, step 1).
            ProjectUri   = 'https://github.com/tencentim/TencentIm'
            LicenseUri   = 'https://github.com/tencentim/TencentIm/blob/main/LICENSE'
            # build.ps1 writes this version's section of CHANGELOG.md here, and Directory.Build.props' VersionSuffix
            # (if any) as Prerelease, in out/TencentIm.Emulator/TencentIm.Emulator.psd1.
            ReleaseNotes = 'See CHANGELOG.md.'
            Prerelease   = ''
        }
    }
}
