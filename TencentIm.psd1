@{
    # The cmdlets are in TencentIm.dll; the small root script only hooks Remove-Module (TencentIm.psm1 says why).
    RootModule             = 'TencentIm.psm1'
    NestedModules          = @('TencentIm.dll')
    # build.ps1 writes the version of Directory.Build.props here in out/TencentIm/TencentIm.psd1.
    ModuleVersion          = '0.1.0'
    GUID                   = '6f3c2a51-8d0e-4a7b-9c41-2e5b7d9f0a13'
    Author                 = 'TencentIm contributors'
    CompanyName            = 'TencentIm contributors'
    Copyright              = '(c) TencentIm contributors. MIT License.'
    Description            = 'Administers a Tencent Cloud IM app from PowerShell: checks, imports and deletes accounts, tells who is online, logs users out, and signs and checks UserSigs, for ten UserIDs or ten million, and calls any other IM REST API with the same signing, rate limits, retries and errors. Not made by or affiliated with Tencent.'
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
    # No HelpInfoURI: it must point at an Update-Help site, and there is none; the help ships in the package (en-US).
    PrivateData            = @{
        PSData = @{
            Tags         = @('Tencent', 'TencentCloud', 'IM', 'TIM', 'Chat', 'UserSig', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            # PLACEHOLDER: the project has no public repository yet. Set the real address here, in README.md and in
            # RELEASING.md before the first publish (RELEASING.md, step 1).
            ProjectUri   = 'https://github.com/tencentim/TencentIm'
            LicenseUri   = 'https://github.com/tencentim/TencentIm/blob/main/LICENSE'
            # build.ps1 writes this version's section of CHANGELOG.md here, and Directory.Build.props' VersionSuffix
            # (if any) as Prerelease, in out/TencentIm/TencentIm.psd1.
            ReleaseNotes = 'See CHANGELOG.md.'
            Prerelease   = ''
        }
    }
}
