@{
    RootModule             = 'TencentIm.Emulator.Commands.dll'
    # build.ps1 writes the version of Directory.Build.props here in out/TencentIm.Emulator/TencentIm.Emulator.psd1.
    ModuleVersion          = '0.1.0'
    GUID                   = 'b2e7c4d9-3f1a-4c58-9e6d-71a0f5c2d843'
    Author                 = 'TencentIm contributors'
    CompanyName            = 'TencentIm contributors'
    Copyright              = '(c) TencentIm contributors. MIT License.'
    Description            = 'A local emulator of the Tencent Cloud IM REST API on 127.0.0.1, to test runbooks that use the TencentIm module with Pester: start it, seed accounts, inspect the requests, inject faults, stop it. Needs the .NET 10 ASP.NET Core Runtime.'
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
    PrivateData            = @{
        PSData = @{
            Tags       = @('Tencent', 'TencentCloud', 'IM', 'Emulator', 'Pester', 'Testing', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
