#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Connect-TencentIm for automation: with no parameters it signs in from TENCENTIM_SDKAPPID, TENCENTIM_SECRETKEY,
# TENCENTIM_IDENTIFIER and TENCENTIM_ENDPOINT or TENCENTIM_REGION; each parameter wins over its variable; a missing
# or malformed variable stops it before any request with an error naming the variable.
# Environment variables are process-wide: each test starts with none of them set and puts back what was there.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:emulator = Start-TestEmulator -Accounts 'alice' -Options @{ Admin = 'administrator', 'ops' }
    $script:commandName = 'TencentIm.Commands.ConnectTencentImCommand'

    function script:Set-Variables([hashtable] $Values) {
        foreach ($k in $Values.Keys) { [Environment]::SetEnvironmentVariable("TENCENTIM_$k", [string]$Values[$k]) }
    }

    function script:Set-GoodVariables {
        Set-Variables @{ SDKAPPID = '1400000001'; SECRETKEY = $emulator.SecretKey; ENDPOINT = $emulator.BaseUri }
    }
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'Connect-TencentIm from TENCENTIM_* variables' {
    BeforeEach {
        $script:savedVariables = Save-TencentImVariables
        Disconnect-TencentIm
    }

    AfterEach {
        Restore-TencentImVariables $script:savedVariables
    }

    Context 'Signing in with no parameters' {
        It 'connects from TENCENTIM_SDKAPPID, TENCENTIM_SECRETKEY and TENCENTIM_ENDPOINT, proving it with one request' {
            Set-GoodVariables
            $before = Get-AccountCheckCount $emulator

            Connect-TencentIm

            (Get-AccountCheckCount $emulator) - $before | Should -Be 1
            $connection = Get-TencentImConnection
            $connection.SdkAppId | Should -Be 1400000001
            $connection.Identifier | Should -Be 'administrator'
            $connection.Endpoint | Should -Be $emulator.BaseUri
            $connection.AuthenticationMethod | Should -Be 'SecretKey'
            (Test-TencentImAccount alice, nobody).AccountStatus | Should -Be 'Imported', 'NotImported'
        }

        It 'takes values with surrounding whitespace, as a CI secret pasted with a newline' {
            Set-Variables @{ SDKAPPID = " 1400000001`n"; SECRETKEY = "$($emulator.SecretKey)`r`n"; ENDPOINT = " $($emulator.BaseUri) " }

            $connection = Connect-TencentIm -PassThru

            $connection.SdkAppId | Should -Be 1400000001
            $connection.Endpoint | Should -Be $emulator.BaseUri
        }

        It 'signs as TENCENTIM_IDENTIFIER: an admin one connects as it' {
            Set-GoodVariables
            Set-Variables @{ IDENTIFIER = 'ops' }

            $connection = Connect-TencentIm -PassThru

            $connection.Identifier | Should -Be 'ops'
        }

        It 'signs as TENCENTIM_IDENTIFIER: one that is not an app admin fails with IdentifierNotAppAdmin, naming it' {
            Set-GoodVariables
            Set-Variables @{ IDENTIFIER = 'alice' }

            $err = Get-ThrownError { Connect-TencentIm }

            $err.FullyQualifiedErrorId | Should -BeExactly "ConnectionTestIdentifierNotAppAdmin,$commandName"
            $err.TargetObject.Identifier | Should -Be 'alice'
        }

        It 'uses TENCENTIM_ENDPOINT when TENCENTIM_REGION is set too' {
            Set-GoodVariables
            Set-Variables @{ REGION = 'Singapore' }

            $connection = Connect-TencentIm -PassThru

            $connection.Endpoint | Should -Be $emulator.BaseUri
            $connection.Region | Should -BeNullOrEmpty
        }

        It 'uses TENCENTIM_REGION''s endpoint when TENCENTIM_ENDPOINT is not set (any letter case)' {
            Set-Variables @{ SDKAPPID = '1400000001'; SECRETKEY = $emulator.SecretKey; REGION = 'seoul' }

            $connection = Connect-TencentIm -SkipConnectionTest -PassThru

            $connection.Region | Should -Be 'Seoul'
            $connection.Endpoint.Host | Should -Be 'adminapikr.im.qcloud.com'
        }

        It 'takes -SdkAppId and the key from TENCENTIM_SECRETKEY' {
            Set-Variables @{ SECRETKEY = $emulator.SecretKey }

            $connection = Connect-TencentIm 1400000001 -Endpoint $emulator.BaseUri -PassThru

            $connection.AuthenticationMethod | Should -Be 'SecretKey'
            (Test-TencentImAccount alice).AccountStatus | Should -Be 'Imported'
        }
    }

    Context 'A parameter wins over its variable' {
        It '-SdkAppId over TENCENTIM_SDKAPPID (which names an app the emulator does not have)' {
            Set-GoodVariables
            Set-Variables @{ SDKAPPID = '1400000002' }

            $connection = Connect-TencentIm -SdkAppId 1400000001 -PassThru

            $connection.SdkAppId | Should -Be 1400000001
        }

        It '-SecretKey over TENCENTIM_SECRETKEY (a wrong key)' {
            Set-GoodVariables
            Set-Variables @{ SECRETKEY = New-TestSecretKey }

            $connection = Connect-TencentIm -SecretKey $emulator.SecureKey -PassThru

            $connection.AuthenticationMethod | Should -Be 'SecretKey'
            (Test-TencentImAccount alice).AccountStatus | Should -Be 'Imported'
        }

        It '-UserSig over TENCENTIM_SECRETKEY (a wrong key)' {
            Set-GoodVariables
            Set-Variables @{ SECRETKEY = New-TestSecretKey }

            $connection = Connect-TencentIm -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey) -PassThru

            $connection.AuthenticationMethod | Should -Be 'UserSig'
        }

        It '-Identifier over TENCENTIM_IDENTIFIER (not an admin)' {
            Set-GoodVariables
            Set-Variables @{ IDENTIFIER = 'alice' }

            $connection = Connect-TencentIm -Identifier ops -PassThru

            $connection.Identifier | Should -Be 'ops'
        }

        It '-Endpoint over TENCENTIM_ENDPOINT (a closed port)' {
            Set-GoodVariables
            Set-Variables @{ ENDPOINT = "http://127.0.0.1:$(Get-FreeClosedPort)/" }

            $connection = Connect-TencentIm -Endpoint $emulator.BaseUri -PassThru

            $connection.Endpoint | Should -Be $emulator.BaseUri
        }

        It '-Region over TENCENTIM_ENDPOINT and TENCENTIM_REGION' {
            Set-GoodVariables
            Set-Variables @{ REGION = 'Seoul' }

            $connection = Connect-TencentIm -Region Frankfurt -SkipConnectionTest -PassThru

            $connection.Region | Should -Be 'Frankfurt'
            $connection.Endpoint.Host | Should -Be 'adminapiger.im.qcloud.com'
        }
    }

    Context 'Missing or malformed variables stop it before any request' {
        BeforeEach {
            $script:requestsBefore = (Get-TestStats $emulator).TotalRequests
        }

        AfterEach {
            (Get-TestStats $emulator).TotalRequests | Should -Be $script:requestsBefore
        }

        It 'no SDKAppID: SdkAppIdMissing, naming -SdkAppId and TENCENTIM_SDKAPPID' {
            Set-Variables @{ SECRETKEY = $emulator.SecretKey; ENDPOINT = $emulator.BaseUri }

            $err = Get-ThrownError { Connect-TencentIm }

            $err.FullyQualifiedErrorId | Should -BeExactly "SdkAppIdMissing,$commandName"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -Match '-SdkAppId'
            $err.Exception.Message | Should -Match 'TENCENTIM_SDKAPPID'
        }

        It 'no key: SecretKeyMissing, naming -SecretKey and TENCENTIM_SECRETKEY' {
            Set-Variables @{ SDKAPPID = '1400000001'; ENDPOINT = $emulator.BaseUri }

            $err = Get-ThrownError { Connect-TencentIm }

            $err.FullyQualifiedErrorId | Should -BeExactly "SecretKeyMissing,$commandName"
            $err.Exception.Message | Should -Match '-SecretKey'
            $err.Exception.Message | Should -Match 'TENCENTIM_SECRETKEY'
        }

        It 'TENCENTIM_SDKAPPID = ''<Value>'': InvalidSdkAppIdVariable, naming the variable and its length, not its value' -ForEach @(
            @{ Value = 'my-app' }
            @{ Value = '0' }
            @{ Value = '-1400000001' }
            @{ Value = '99999999999' }
        ) {
            Set-GoodVariables
            Set-Variables @{ SDKAPPID = $Value }

            $err = Get-ThrownError { Connect-TencentIm }

            $err.FullyQualifiedErrorId | Should -BeExactly "InvalidSdkAppIdVariable,$commandName"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -BeExactly 'TENCENTIM_SDKAPPID'
            $err.Exception.Message | Should -Match "TENCENTIM_SDKAPPID is not an SDKAppID: its value, $($Value.Length) characters long,"
            $err.Exception.Message | Should -Not -Match ([regex]::Escape("'$Value'"))
        }

        It 'TENCENTIM_REGION = ''Mars'': InvalidRegionVariable, naming the variable and the regions' {
            Set-Variables @{ SDKAPPID = '1400000001'; SECRETKEY = $emulator.SecretKey; REGION = 'Mars' }

            $err = Get-ThrownError { Connect-TencentIm }

            $err.FullyQualifiedErrorId | Should -BeExactly "InvalidRegionVariable,$commandName"
            $err.TargetObject | Should -BeExactly 'TENCENTIM_REGION'
            $err.Exception.Message | Should -Match 'TENCENTIM_REGION is not a region'
            $err.Exception.Message | Should -Not -Match 'Mars'
            $err.Exception.Message | Should -Match 'Singapore'
        }

        It 'TENCENTIM_ENDPOINT = ''not a uri'': InvalidEndpointVariable, naming the variable' {
            Set-Variables @{ SDKAPPID = '1400000001'; SECRETKEY = $emulator.SecretKey; ENDPOINT = 'not a uri' }

            $err = Get-ThrownError { Connect-TencentIm }

            $err.FullyQualifiedErrorId | Should -BeExactly "InvalidEndpointVariable,$commandName"
            $err.TargetObject | Should -BeExactly 'TENCENTIM_ENDPOINT'
            $err.Exception.Message | Should -Match 'TENCENTIM_ENDPOINT is not an absolute URI'
            $err.Exception.Message | Should -Not -Match 'not a uri'
        }

        It 'TENCENTIM_ENDPOINT = http:// to a host that is not loopback: InvalidEndpoint, naming the variable' {
            Set-Variables @{ SDKAPPID = '1400000001'; SECRETKEY = $emulator.SecretKey; ENDPOINT = 'http://192.0.2.1/' }

            $err = Get-ThrownError { Connect-TencentIm }

            $err.FullyQualifiedErrorId | Should -BeExactly "InvalidEndpoint,$commandName"
            $err.Exception.Message | Should -Match '^TENCENTIM_ENDPOINT: '
            $err.Exception.Message | Should -Match 'must use https'
        }
    }
}
