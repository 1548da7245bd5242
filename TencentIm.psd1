@{
    RootModule             = 'TencentIm.dll'
    # build.ps1 writes the version of Directory.Build.props here in out/TencentIm/TencentIm.psd1.
    ModuleVersion          = '0.1.0'
    GUID                   = '6f3c2a51-8d0e-4a7b-9c41-2e5b7d9f0a13'
    Author                 = 'TencentIm contributors'
    CompanyName            = 'TencentIm contributors'
    Copyright              = '(c) TencentIm contributors. MIT License.'
    Description            = 'Administers a Tencent Cloud IM app from PowerShell: tells which UserIDs exist, for ten IDs or ten million, through the IM REST API.'
    CompatiblePSEditions   = @('Core', 'Desktop')
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('TencentIm.format.ps1xml')
    CmdletsToExport        = @(
        'Connect-TencentIm', 'Disconnect-TencentIm', 'Get-TencentImConnection',
        'Test-TencentImAccount', 'New-TencentImUserSig', 'Test-TencentImUserSig',
        'Import-TencentImAccount', 'Remove-TencentImAccount', 'Get-TencentImOnlineStatus', 'Revoke-TencentImLogin',
        'Invoke-TencentImApi'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags       = @('Tencent', 'TencentCloud', 'IM', 'TIM', 'Chat', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
