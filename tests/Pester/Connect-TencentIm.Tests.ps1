#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Connect-TencentIm against the emulator: each way to authenticate, each configuration error the connection test
# must name, the checks made before any request, and how the session's connection and -Connection are used.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:emulator = Start-TestEmulator -Accounts 'alice', 'bob' `
        -Options @{ Admin = 'administrator', 'ops'; ForeignSdkAppId = 1400000099 }
    $script:key = $emulator.SecretKey
    $script:secureKey = $emulator.SecureKey
    $script:endpoint = $emulator.BaseUri
    $script:commandName = 'TencentIm.Commands.ConnectTencentImCommand'
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'Connect-TencentIm -SecretKey' {
    It 'proves the settings with one account_check and -PassThru returns the connection' {
        $before = Get-AccountCheckCount $emulator

        $connection = Connect-TencentIm -SdkAppId 1400000001 -SecretKey $secureKey -Endpoint $endpoint -PassThru

        (Get-AccountCheckCount $emulator) - $before | Should -Be 1
        $connection | Should -BeOfType ([TencentIm.Connections.TencentImConnection])
        $connection.SdkAppId | Should -Be 1400000001
        $connection.Identifier | Should -Be 'administrator'
        $connection.Endpoint | Should -Be $endpoint
        $connection.AuthenticationMethod | Should -Be 'SecretKey'
        $connection.IsClosed | Should -BeFalse
    }

    It 'writes nothing without -PassThru' {
        $output = Connect-TencentIm -SdkAppId 1400000001 -SecretKey $secureKey -Endpoint $endpoint
        $output | Should -BeNullOrEmpty
    }

    It 'never shows the secret key: not in ToString, property values, formatted views or verbose output' {
        $connection = Connect-TencentIm 1400000001 $secureKey -Endpoint $endpoint -PassThru -Verbose 4>&1 |
            Tee-Object -Variable everything | Where-Object { $_ -is [TencentIm.Connections.TencentImConnection] }

        $connection.ToString() | Should -Be "SDKAppID 1400000001 as administrator at $endpoint"
        $texts = @(
            $connection.ToString()
            $connection.PSObject.Properties | ForEach-Object { [string]$_.Value }
            $connection | Format-List * | Out-String
            $connection | Format-Table | Out-String
            $connection | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
            $everything | ForEach-Object { [string]$_ }
        ) -join "`n"
        $texts | Should -Match '1400000001'
        $texts | Should -Not -Match ([regex]::Escape($key))
    }

    It '-Identifier signs as another app admin' {
        $connection = Connect-TencentIm 1400000001 $secureKey -Identifier ops -Endpoint $endpoint -PassThru
        $connection.Identifier | Should -Be 'ops'
        (Test-TencentImAccount alice).AccountStatus | Should -Be 'Imported'
    }

    It 'takes a key pasted with a trailing newline' {
        $pasted = ConvertTo-SecureString "$key`r`n" -AsPlainText -Force
        $connection = Connect-TencentIm 1400000001 $pasted -Endpoint $endpoint -PassThru
        $connection.SdkAppId | Should -Be 1400000001
    }
}

Describe 'Connect-TencentIm -Credential' {
    It 'takes the SDKAppID from the user name and the key from the password' {
        $credential = [pscredential]::new('1400000001', $secureKey)
        $before = Get-AccountCheckCount $emulator

        $connection = Connect-TencentIm -Credential $credential -Endpoint $endpoint -PassThru

        (Get-AccountCheckCount $emulator) - $before | Should -Be 1
        $connection.SdkAppId | Should -Be 1400000001
        $connection.AuthenticationMethod | Should -Be 'SecretKey'
        (Test-TencentImAccount alice, nobody).AccountStatus | Should -Be 'Imported', 'NotImported'
    }

    It 'stops before any request when the user name is not an SDKAppID, naming its length (not the name, which may be the key) and the fix' {
        $credential = [pscredential]::new('my-im-app', $secureKey)
        $before = (Get-TestStats $emulator).TotalRequests

        $err = Get-ThrownError { Connect-TencentIm -Credential $credential -Endpoint $endpoint }

        $err.FullyQualifiedErrorId | Should -BeExactly "CredentialUserNameNotSdkAppId,$commandName"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -BeNullOrEmpty
        $err.Exception.Message | Should -Match 'the user name, 9 characters long, is not an SDKAppID'
        $err.Exception.Message | Should -Not -Match 'my-im-app'
        $err.Exception.Message | Should -Match 'SDKAppID \(digits only\) as user name'
        (Get-TestStats $emulator).TotalRequests | Should -Be $before
    }
}

Describe 'Connect-TencentIm -UserSig' {
    It 'connects with a UserSig signed for the app and identifier, given as text' {
        $userSig = New-TestUserSig -SecretKey $key
        $before = Get-AccountCheckCount $emulator

        $connection = Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $endpoint -PassThru -WarningVariable warnings

        (Get-AccountCheckCount $emulator) - $before | Should -Be 1
        $connection.AuthenticationMethod | Should -Be 'UserSig'
        $warnings | Should -BeNullOrEmpty
        (Test-TencentImAccount alice, nobody).AccountStatus | Should -Be 'Imported', 'NotImported'
    }

    It 'connects with a UserSig given as a SecureString' {
        $userSig = ConvertTo-SecureString (New-TestUserSig -SecretKey $key) -AsPlainText -Force
        $connection = Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $endpoint -PassThru
        $connection.AuthenticationMethod | Should -Be 'UserSig'
        (Test-TencentImAccount bob).AccountStatus | Should -Be 'Imported'
    }

    It 'never shows the whole UserSig' {
        $userSig = New-TestUserSig -SecretKey $key
        $connection = Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $endpoint -PassThru
        $texts = @(
            $connection.ToString()
            $connection.PSObject.Properties | ForEach-Object { [string]$_.Value }
            $connection | Format-List * | Out-String
        ) -join "`n"
        $texts | Should -Not -Match ([regex]::Escape($userSig))
    }

    It 'never shows the UserSig in -Verbose or -Debug output, of Connect-TencentIm or Test-TencentImAccount' {
        $userSig = New-TestUserSig -SecretKey $key

        $streams = @(
            Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $endpoint -Verbose -Debug 4>&1 5>&1
            Test-TencentImAccount alice -Verbose -Debug 4>&1 5>&1
        )

        $verbose = @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $debug = @($streams | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        $verbose.Count | Should -BeGreaterOrEqual 2
        $debug.Count | Should -BeGreaterOrEqual 2
        ($debug.Message -join "`n") | Should -Match 'account_check'
        ($streams | ForEach-Object { [string]$_ }) -join "`n" | Should -Not -Match ([regex]::Escape($userSig))
    }

    It 'stops before any request on <Fault>, with <ErrorId>, saying what is wrong and the fix' -ForEach @(
        @{ Fault = 'a UserSig for another SDKAppID'; Sign = @{ SdkAppId = 1400000002 }; ErrorId = 'UserSigSdkAppIdMismatch'
            Says = 'signed for SDKAppID 1400000002, not 1400000001'; Fix = 'Sign it for the app you connect to' }
        @{ Fault = 'a UserSig for another identifier'; Sign = @{ Identifier = 'ops' }; ErrorId = 'UserSigIdentifierMismatch'
            Says = "signed for identifier 'ops', not 'administrator'"; Fix = "Pass -Identifier 'ops'" }
        @{ Fault = 'an expired UserSig'; Sign = @{ IssuedAt = [DateTimeOffset]::UtcNow.AddHours(-3); Lifetime = [TimeSpan]::FromHours(1) }
            ErrorId = 'UserSigExpired'; Says = 'expired at'; Fix = 'Sign a new one, or connect with -SecretKey' }
    ) {
        $userSig = New-TestUserSig -SecretKey $key @Sign
        $before = (Get-TestStats $emulator).TotalRequests

        $err = Get-ThrownError { Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $endpoint }

        $err.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,$commandName"
        # The category the service's answer for the same fault has: one fault, one category.
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match ([regex]::Escape($Says))
        $err.Exception.Message | Should -Match ([regex]::Escape($Fix))
        (Get-TestStats $emulator).TotalRequests | Should -Be $before
    }

    It 'connects when -Identifier matches the UserSig''s identifier' {
        $userSig = New-TestUserSig -SecretKey $key -Identifier ops
        $connection = Connect-TencentIm 1400000001 -UserSig $userSig -Identifier ops -Endpoint $endpoint -PassThru
        $connection.Identifier | Should -Be 'ops'
    }

    It 'warns about a UserSig that expires within the hour, and still connects' {
        $userSig = New-TestUserSig -SecretKey $key -Lifetime ([TimeSpan]::FromMinutes(30))

        $connection = Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $endpoint -PassThru -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -Match 'expires at .+, in (29|30) minutes;'
        $warnings[0].Message | Should -Match 'longer lifetime, or connect with -SecretKey'
        $connection.AuthenticationMethod | Should -Be 'UserSig'
    }

    It 'says the time left in seconds when under two minutes are left, not "in 0 minutes"' {
        $userSig = New-TestUserSig -SecretKey $key -IssuedAt ([DateTimeOffset]::UtcNow.AddSeconds(-20)) -Lifetime ([TimeSpan]::FromSeconds(60))

        $null = Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $endpoint -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -Match 'expires at .+, in \d+ seconds?;'
        $warnings[0].Message | Should -Not -Match 'minute'
    }

    It 'stops before any request on a UserSig issued hours ahead of this machine''s clock, saying by how much and the clock-skew fix' {
        $userSig = New-TestUserSig -SecretKey $key -IssuedAt ([DateTimeOffset]::UtcNow.AddHours(3.25))
        $before = (Get-TestStats $emulator).TotalRequests

        $err = Get-ThrownError { Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $endpoint }

        $err.FullyQualifiedErrorId | Should -BeExactly "UserSigIssuedInFuture,$commandName"
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.TargetObject.Identifier | Should -Be 'administrator'
        $err.Exception.Message | Should -Match '-UserSig was issued at .+, 3 hours ahead of this machine''s clock'
        $err.Exception.Message | Should -Match 'NTP'
        $err.Exception.Message | Should -Match 'sign it again'
        $err.Exception.Message | Should -Not -Match 'decode'
        (Get-TestStats $emulator).TotalRequests | Should -Be $before
    }

    It 'connects with a warning on a UserSig issued seconds ahead of this machine''s clock (within the minute allowed for clock skew)' {
        $userSig = New-TestUserSig -SecretKey $key -IssuedAt ([DateTimeOffset]::UtcNow.AddSeconds(30))

        $connection = Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $endpoint -PassThru -WarningVariable warnings -WarningAction SilentlyContinue

        $connection.AuthenticationMethod | Should -Be 'UserSig'
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -Match '-UserSig was issued \d+ seconds ahead of this machine''s clock'
        $warnings[0].Message | Should -Match 'NTP'
    }

    It 'rejects -UserSigLifetimeSec with -UserSig before any request: a UserSig''s lifetime was fixed when it was signed' {
        $userSig = New-TestUserSig -SecretKey $key
        $before = (Get-TestStats $emulator).TotalRequests

        $err = Get-ThrownError { Connect-TencentIm 1400000001 -UserSig $userSig -UserSigLifetimeSec 3600 -Endpoint $endpoint }

        $err.FullyQualifiedErrorId | Should -BeExactly "UserSigLifetimeWithUserSig,$commandName"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be 3600
        $err.Exception.Message | Should -Match '-UserSigLifetimeSec applies to UserSigs signed from a key'
        $err.Exception.Message | Should -Match 'New-TencentImUserSig -Lifetime'
        (Get-TestStats $emulator).TotalRequests | Should -Be $before
    }

    It 'stops before any request on a text that is not a UserSig' {
        $before = (Get-TestStats $emulator).TotalRequests

        $err = Get-ThrownError { Connect-TencentIm 1400000001 -UserSig 'not a usersig' -Endpoint $endpoint }

        $err.FullyQualifiedErrorId | Should -BeExactly "UserSigMalformed,$commandName"
        # The category the service's answer for the same fault has: one fault, one category.
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'not a TLSSigAPIv2 UserSig'
        (Get-TestStats $emulator).TotalRequests | Should -Be $before
    }

    It 'reports a UserSig signed with another key as the service''s 70009 at the connection test' {
        $userSig = New-TestUserSig -SecretKey (New-TestSecretKey)

        $err = Get-ThrownError { Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $endpoint }

        $err.FullyQualifiedErrorId | Should -BeExactly "ConnectionTestSecretKeyMismatch,$commandName"
        $err.Exception.Message | Should -Match 'ErrorCode 70009'
    }
}

Describe 'Connect-TencentIm connection test errors' {
    It 'names a wrong secret key (70009) and the fix, without showing the key' {
        $wrongKey = New-TestSecretKey
        $err = Get-ThrownError { Connect-TencentIm 1400000001 (ConvertTo-SecureString $wrongKey -AsPlainText -Force) -Endpoint $endpoint }

        $err.FullyQualifiedErrorId | Should -BeExactly "ConnectionTestSecretKeyMismatch,$commandName"
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.TargetObject.SdkAppId | Should -Be 1400000001
        "$err" | Should -Match 'ErrorCode 70009'
        "$err" | Should -Match 'not signed with this app''s secret key'
        "$err" | Should -Match 'Check that the key belongs to this SDKAppID'
        $err.ErrorDetails.RecommendedAction | Should -Match 'key belongs to this SDKAppID'
        "$err" | Should -Not -Match ([regex]::Escape($wrongKey))
        "$err" | Should -Not -Match ([regex]::Escape($key))
    }

    It 'names <Fault> (<Code>) with the service''s ErrorInfo first, and the fix' -ForEach @(
        @{ Fault = 'an identifier that is not an app admin'; Code = 70403; SdkAppId = 1400000001; Identifier = 'alice'
            ErrorId = 'ConnectionTestIdentifierNotAppAdmin'; Category = 'PermissionDenied'
            Says = 'ErrorCode 70403: ''Request failed\. App admin permissions are required'; Cause = 'not an app admin'
            Fix = 'Pass -Identifier with an app admin account' }
        @{ Fault = 'an unknown SDKAppID'; Code = 70020; SdkAppId = 1400000002; Identifier = 'administrator'
            ErrorId = 'ConnectionTestSdkAppIdNotFound'; Category = 'ObjectNotFound'
            # The causes Tencent's pages give follow the ErrorInfo, none of them asserted alone.
            Says = "ErrorCode 70020: 'SDKAppID not found'\. This code can mean: "; Cause = 'another data centre'
            Fix = 'Check -SdkAppId, and pass the -Region' }
        @{ Fault = 'the wrong data centre'; Code = 60026; SdkAppId = 1400000099; Identifier = 'administrator'
            ErrorId = 'ConnectionTestWrongDataCenter'; Category = 'InvalidArgument'
            Says = "ErrorCode 60026: 'domain name or SDKAppID mismatched'"; Cause = 'another data centre'
            Fix = 'Pass the -Region the IM console shows' }
    ) {
        $err = Get-ThrownError { Connect-TencentIm $SdkAppId $secureKey -Identifier $Identifier -Endpoint $endpoint }

        $err.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,$commandName"
        $err.CategoryInfo.Category | Should -Be $Category
        $err.TargetObject.SdkAppId | Should -Be $SdkAppId
        $err.TargetObject.Identifier | Should -Be $Identifier
        "$err" | Should -Match $Says
        "$err" | Should -Match $Cause
        $err.ErrorDetails.RecommendedAction | Should -Match $Fix
    }

    It 'names an unreachable endpoint and the fix, in full sentences' {
        $port = Get-FreeClosedPort
        $err = Get-ThrownError { Connect-TencentIm 1400000001 $secureKey -Endpoint "http://127.0.0.1:$port/" -MaximumRetryCount 1 }

        $err.FullyQualifiedErrorId | Should -BeExactly "ConnectionTestEndpointUnreachable,$commandName"
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        "$err" | Should -Match ([regex]::Escape("could not reach http://127.0.0.1:$port"))
        # The system's reason ("Connection refused") ends in a full stop before the advice starts.
        "$err" | Should -Match '[.!?] Check -Region or -Endpoint'
        "$err" | Should -Match '[.!?]$'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Check -Region or -Endpoint'
    }

    It 'names an endpoint that answers HTTP 404 as not the IM REST API, with the endpoint advice' {
        # The emulator's test-hook path answers 404 for anything it does not know, as a web server would.
        $err = Get-ThrownError { Connect-TencentIm 1400000001 $secureKey -Endpoint ([uri]::new($endpoint, 'emulator/')) }

        $err.FullyQualifiedErrorId | Should -BeExactly "ConnectionTestEndpointNotTencentIm,$commandName"
        "$err" | Should -Match 'HTTP 404'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Check that -Endpoint is the Tencent IM REST API'
    }

    It 'leaves the session''s connection in place when the connection test fails' {
        Connect-TencentIm 1400000001 $secureKey -Endpoint $endpoint
        $null = Get-ThrownError { Connect-TencentIm 1400000001 $secureKey -Identifier alice -Endpoint $endpoint }

        (Test-TencentImAccount alice).AccountStatus | Should -Be 'Imported'
    }
}

Describe 'Connect-TencentIm against an endpoint with an untrusted certificate' {
    BeforeAll {
        # https with a self-signed certificate made at start: no client trusts it.
        $script:tlsEmulator = Start-TestEmulator -Options @{ HttpsSelfSigned = $true }
    }

    AfterAll {
        Stop-TestEmulator $script:tlsEmulator
    }

    It 'stops after ONE attempt with ConnectionTestTlsFailure, naming certificate validation and what to check' {
        $verbose = [System.Collections.Generic.List[string]]::new()

        $err = Get-ThrownError {
            Connect-TestEmulator $tlsEmulator -Parameters @{ Verbose = $true } 4>&1 | ForEach-Object { $verbose.Add([string]$_) }
        }

        $err.FullyQualifiedErrorId | Should -BeExactly "ConnectionTestTlsFailure,$commandName"
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.TargetObject.SdkAppId | Should -Be 1400000001
        "$err" | Should -Match 'could not open a secure \(TLS\) connection to https://127\.0\.0\.1:'
        "$err" | Should -Match 'certificate validation'
        $err.ErrorDetails.RecommendedAction | Should -Match 'install its root certificate'
        $err.ErrorDetails.RecommendedAction | Should -Match 'clock'
        "$err" | Should -Not -Match 'ConnectionTestEndpointUnreachable'
        # The client made exactly one attempt: one verbose line, attempt 1, and no retry announced.
        @($verbose | Where-Object { $_ -match 'account_check: ' }) | Should -HaveCount 1
        @($verbose | Where-Object { $_ -match '^account_check: 1 item\(s\), attempt 1, TlsFailure: .* in \d+ ms\.$' }) | Should -HaveCount 1
        $verbose -join "`n" | Should -Not -Match 'retrying in'
        (Get-TestStats $tlsEmulator).TotalRequests | Should -Be 0
    }

    It 'Test-TencentImAccount with -SkipConnectionTest stops with ONE terminating TlsFailure error, not one per UserID' {
        Connect-TestEmulator $tlsEmulator -Parameters @{ SkipConnectionTest = $true }
        $errors = $null
        $results = @()

        $caught = Get-ThrownError {
            1..250 | ForEach-Object { "user$_" } |
                Test-TencentImAccount -ErrorAction SilentlyContinue -ErrorVariable errors | ForEach-Object { $results += $_ }
        }

        $caught.FullyQualifiedErrorId | Should -BeExactly 'TlsFailure,TencentIm.Commands.TestTencentImAccountCommand'
        $caught.CategoryInfo.Category | Should -Be 'SecurityError'
        "$caught" | Should -Match 'certificate validation'
        $caught.ErrorDetails.RecommendedAction | Should -Match 'root certificate'
        @($errors) | Should -HaveCount 1
        $results | Should -BeNullOrEmpty
    }
}

Describe 'Connect-TencentIm during an outage' {
    It 'calls <Kind> on every attempt ConnectionTestServiceUnavailable, never the endpoint''s fault' -ForEach @(
        @{ Kind = '70169' }, @{ Kind = '70202' }, @{ Kind = '70500' }, @{ Kind = 'http502' }, @{ Kind = 'http503' },
        @{ Kind = 'truncated' }, @{ Kind = 'drop' }, @{ Kind = 'slow' }
    ) {
        # Every request meets the fault; a 'slow' one answers after 5 s, past the 1 s timeout of the test.
        $faulty = Start-TestEmulator -Options @{ FaultRate = 1; FaultKind = $Kind; SlowResponseMs = 5000 }
        try {
            $err = Get-ThrownError {
                Connect-TestEmulator $faulty -Parameters @{ MaximumRetryCount = 1; RequestTimeoutSec = 1 }
            }

            $err.FullyQualifiedErrorId | Should -BeExactly "ConnectionTestServiceUnavailable,$commandName"
            "$err" | Should -Match 'kept failing through every retry'
            "$err" | Should -Not -Match '-Endpoint is the'
            $err.ErrorDetails.RecommendedAction | Should -Match 'try again later'
            (Get-TestStats $faulty).Requests.account_check | Should -Be 2
        }
        finally {
            Stop-TestEmulator $faulty
        }
    }
}

Describe 'Connect-TencentIm parameter checks' {
    It 'rejects http:// to a host that is not loopback, before any call' {
        # 192.0.2.1 (TEST-NET-1) answers nothing: a call would end in EndpointUnreachable, not this.
        $err = Get-ThrownError { Connect-TencentIm 1400000001 $secureKey -Endpoint 'http://192.0.2.1/' }

        $err.FullyQualifiedErrorId | Should -BeExactly "InvalidEndpoint,$commandName"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        [string]$err.TargetObject | Should -Be 'http://192.0.2.1/'
        $err.Exception.Message | Should -Match 'must use https'
        $err.Exception.Message | Should -Match 'http:// is accepted only for a loopback host'
    }

    It 'rejects -Region with -Endpoint, before any call' {
        $before = (Get-TestStats $emulator).TotalRequests

        $err = Get-ThrownError { Connect-TencentIm 1400000001 $secureKey -Region Singapore -Endpoint $endpoint }

        $err.FullyQualifiedErrorId | Should -BeExactly "RegionAndEndpoint,$commandName"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'Pass -Region or -Endpoint, not both'
        (Get-TestStats $emulator).TotalRequests | Should -Be $before
    }

    It '-SkipConnectionTest makes no request, and the connection works on the first call' {
        $before = (Get-TestStats $emulator).TotalRequests

        $connection = Connect-TencentIm 1400000001 $secureKey -Endpoint $endpoint -SkipConnectionTest -PassThru

        (Get-TestStats $emulator).TotalRequests | Should -Be $before
        $connection.SdkAppId | Should -Be 1400000001
        (Test-TencentImAccount alice).AccountStatus | Should -Be 'Imported'
        (Get-TestStats $emulator).TotalRequests | Should -Be ($before + 1)
    }

    It '-SkipConnectionTest with a wrong key connects, and the error shows on the first call' {
        $wrong = ConvertTo-SecureString (New-TestSecretKey) -AsPlainText -Force
        Connect-TencentIm 1400000001 $wrong -Endpoint $endpoint -SkipConnectionTest

        $err = Get-ThrownError { Test-TencentImAccount alice }

        $err.FullyQualifiedErrorId | Should -BeExactly 'SecretKeyMismatch,TencentIm.Commands.TestTencentImAccountCommand'
    }
}

Describe 'The session''s connection and -Connection' {
    It 'Test-TencentImAccount uses the session''s connection without parameters' {
        Connect-TencentIm 1400000001 $secureKey -Endpoint $endpoint
        $before = Get-AccountCheckCount $emulator

        $results = Test-TencentImAccount alice, nobody

        $results.AccountStatus | Should -Be 'Imported', 'NotImported'
        (Get-AccountCheckCount $emulator) - $before | Should -Be 1
    }

    It '-Connection overrides the session''s connection (a connection made in another runspace)' {
        $good = Invoke-InNewRunspace -Script 'Connect-TencentIm 1400000001 $args[0] -Endpoint $args[1] -PassThru' -ArgumentList $secureKey, $endpoint
        $good | Should -HaveCount 1
        # The session's connection here has a wrong key: a call that used it would fail with 70009.
        Connect-TencentIm 1400000001 (ConvertTo-SecureString (New-TestSecretKey) -AsPlainText -Force) -Endpoint $endpoint -SkipConnectionTest

        (Test-TencentImAccount alice, nobody -Connection $good[0]).AccountStatus | Should -Be 'Imported', 'NotImported'
        (Get-ThrownError { Test-TencentImAccount alice }).FullyQualifiedErrorId | Should -BeLike 'SecretKeyMismatch,*'
    }

    It '-Connection from Connect-TencentIm -PassThru still works after the session connects again' {
        # The documented use of -PassThru: keep a connection to pass with -Connection while the session moves on.
        $good = Connect-TencentIm 1400000001 $secureKey -Endpoint $endpoint -PassThru
        Connect-TencentIm 1400000001 (ConvertTo-SecureString (New-TestSecretKey) -AsPlainText -Force) -Endpoint $endpoint -SkipConnectionTest

        $good.IsClosed | Should -BeFalse
        (Test-TencentImAccount alice, nobody -Connection $good).AccountStatus | Should -Be 'Imported', 'NotImported'
    }

    It 'with no connection, stops with NotConnected, naming Connect-TencentIm and -Connection' {
        $err = Invoke-InNewRunspace -Script 'try { Test-TencentImAccount alice } catch { $_ }'

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'NotConnected,TencentIm.Commands.TestTencentImAccountCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $err[0].Exception.Message | Should -Match 'Run Connect-TencentIm first, or pass -Connection'
    }
}

Describe 'Connect-TencentIm -Identifier hygiene' {
    BeforeAll {
        $script:idEmulator = Start-TestEmulator -Accounts 'alice'
    }

    AfterAll {
        Stop-TestEmulator $script:idEmulator
    }

    It 'trims whitespace around -Identifier, as it does around UserIDs, and connects as the trimmed admin' {
        $connection = Connect-TestEmulator $idEmulator -Parameters @{ Identifier = '  administrator '; PassThru = $true }

        $connection.Identifier | Should -BeExactly 'administrator'
        (Test-TencentImAccount alice -Connection $connection).AccountStatus | Should -Be 'Imported'
    }

    It 'rejects -Identifier <Name> before any call, with <ErrorId>' -ForEach @(
        @{ Name = 'of 33 bytes'; Value = 'a' * 33; ErrorId = 'IdentifierTooLong' }
        @{ Name = 'of whitespace only'; Value = '   '; ErrorId = 'IdentifierEmpty' }
    ) {
        $before = [long](Get-TestStats $idEmulator).TotalRequests

        $err = Get-ThrownError { Connect-TestEmulator $idEmulator -Parameters @{ Identifier = $Value } }

        $err.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,TencentIm.Commands.ConnectTencentImCommand"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        [long](Get-TestStats $idEmulator).TotalRequests | Should -Be $before
    }
}
