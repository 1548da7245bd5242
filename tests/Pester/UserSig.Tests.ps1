#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# New-TencentImUserSig signs UserSigs from the connection's key or an explicit one; Test-TencentImUserSig explains
# whether and why the service would reject one, with the service's error code. The emulator, which verifies UserSigs
# as the service does, shows that the signed ones are accepted.

BeforeDiscovery {
    $script:vectors = @((Get-Content (Join-Path $PSScriptRoot '../TestData/usersig-test-vectors.json') -Raw | ConvertFrom-Json).vectors |
            ForEach-Object { @{ Vector = $_; Identifier = $_.identifier; SdkAppId = $_.sdkAppId } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:emulator = Start-TestEmulator -Accounts 'alice' -Options @{ Admin = 'administrator', 'ops' }
    $script:newCommand = 'TencentIm.Commands.NewTencentImUserSigCommand'
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'New-TencentImUserSig' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    It 'signs from the connection''s key: a SignedUserSig that Test-TencentImUserSig finds valid, signature included' {
        $signed = New-TencentImUserSig -UserId alice -Lifetime (New-TimeSpan -Hours 3)

        $signed | Should -BeOfType ([TencentIm.Signing.SignedUserSig])
        $signed.UserID | Should -Be 'alice'
        $signed.SdkAppId | Should -Be 1400000001
        $signed.UserSig | Should -BeOfType ([securestring])
        $signed.ExpiresOn - $signed.IssuedOn | Should -Be (New-TimeSpan -Hours 3)
        $report = Test-TencentImUserSig -UserSig $signed.UserSig -Identifier alice -SecretKey $emulator.SecureKey
        $report.IsValid | Should -BeTrue
        $report.SignatureValid | Should -BeTrue
        $report.Result | Should -Be 'Valid'
        $report.ServiceErrorCode | Should -Be 0
        $report.UserID | Should -Be 'alice'
        $report.IssuedOn | Should -Be $signed.IssuedOn
        $report.ExpiresOn | Should -Be $signed.ExpiresOn
        $report.Lifetime | Should -Be (New-TimeSpan -Hours 3)
    }

    It 'pipes into Test-TencentImUserSig, which takes the UserSig and the UserID by property name' {
        $reports = 'alice', 'bob' | New-TencentImUserSig | Test-TencentImUserSig

        $reports.UserID | Should -Be 'alice', 'bob'
        $reports.IsValid | Should -Be $true, $true
        $reports.SignatureValid | Should -Be $true, $true
    }

    It 'reads a number given to -Lifetime as seconds, not ticks: -Lifetime <Given> lives <Seconds> s' -ForEach @(
        @{ Given = 3600; Seconds = 3600 }
        @{ Given = 86400L; Seconds = 86400 }
        @{ Given = '7.00:00:00'; Seconds = 604800 }
    ) {
        $signed = New-TencentImUserSig -UserId alice -Lifetime $Given

        ($signed.ExpiresOn - $signed.IssuedOn).TotalSeconds | Should -Be $Seconds
        (Test-TencentImUserSig -UserSig $signed.UserSig).Lifetime.TotalSeconds | Should -Be $Seconds
    }

    It 'defaults to a lifetime of one day' {
        $signed = New-TencentImUserSig -UserId alice

        $signed.ExpiresOn - $signed.IssuedOn | Should -Be (New-TimeSpan -Days 1)
    }

    It 'stops with LifetimeOutOfRange for -Lifetime 0' {
        $err = Get-ThrownError { New-TencentImUserSig -UserId alice -Lifetime 0 }

        $err.FullyQualifiedErrorId | Should -BeExactly "LifetimeOutOfRange,$newCommand"
        $err.Exception.Message | Should -Match '-Lifetime'
    }

    It 'stops with an error naming -Lifetime, not an unhandled .NET exception, for -Lifetime ([TimeSpan]::MaxValue)' {
        # "Never expires" as a script might ask for it: no expiry date can be computed for it.
        $err = Get-ThrownError { New-TencentImUserSig -UserId alice -Lifetime ([TimeSpan]::MaxValue) }

        $err.FullyQualifiedErrorId | Should -Not -BeLike 'System.*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match '-Lifetime'
    }

    It '-AsPlainText returns the text, starting with eJ, which the emulator accepts as an admin''s UserSig' {
        $plain = New-TencentImUserSig -UserId administrator -Lifetime 7200 -AsPlainText

        $plain | Should -BeOfType ([string])
        $plain | Should -Match '^eJ[0-9A-Za-z*_-]+$'
        $before = Get-AccountCheckCount $emulator
        $connection = Connect-TencentIm 1400000001 -UserSig $plain -Endpoint $emulator.BaseUri -PassThru
        (Get-AccountCheckCount $emulator) - $before | Should -Be 1
        $connection.AuthenticationMethod | Should -Be 'UserSig'
        (Test-TencentImAccount alice, nobody).AccountStatus | Should -Be 'Imported', 'NotImported'
    }

    It 'the SecureString UserSig connects as it is (Connect-TencentIm -UserSig $signed.UserSig)' {
        $signed = New-TencentImUserSig -UserId ops -Lifetime 7200

        $connection = Connect-TencentIm 1400000001 -UserSig $signed.UserSig -Identifier ops -Endpoint $emulator.BaseUri -PassThru

        $connection.Identifier | Should -Be 'ops'
        (Test-TencentImAccount alice).AccountStatus | Should -Be 'Imported'
    }

    It 'signs with -SdkAppId and -SecretKey in a runspace without any connection' {
        $plain = @(Invoke-InNewRunspace -Script @'
            if (Get-TencentImConnection) { throw 'This runspace should have no connection.' }
            New-TencentImUserSig -UserId administrator -SdkAppId 1400000001 -SecretKey $args[0] -AsPlainText
'@ -ArgumentList $emulator.SecureKey)

        $plain | Should -HaveCount 1
        $report = Test-TencentImUserSig -UserSig $plain[0] -SdkAppId 1400000001 -Identifier administrator -SecretKey $emulator.SecureKey
        $report.IsValid | Should -BeTrue
        (Connect-TencentIm 1400000001 -UserSig $plain[0] -Endpoint $emulator.BaseUri -PassThru).AuthenticationMethod | Should -Be 'UserSig'
    }

    It 'stops with ConnectionHasNoKey when the connection was made with -UserSig' {
        $connection = Connect-TencentIm 1400000001 -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey) -Endpoint $emulator.BaseUri -PassThru

        $err = Get-ThrownError { New-TencentImUserSig -UserId alice }

        $err.FullyQualifiedErrorId | Should -BeExactly "ConnectionHasNoKey,$newCommand"
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -Match 'was made with -UserSig'
        $err.Exception.Message | Should -Match 'Pass -SdkAppId and -SecretKey'
        [object]::ReferenceEquals($err.TargetObject, $connection) | Should -BeTrue
    }

    It 'gives UserIdTooLong for a UserID over 32 bytes, saying that none was signed for it (signing sends nothing), and signs the others' {
        $tooLong = 'a' * 33

        $signed = New-TencentImUserSig -UserId alice, $tooLong, bob -ErrorVariable errors -ErrorAction SilentlyContinue

        $signed.UserID | Should -Be 'alice', 'bob'
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly "UserIdTooLong,$newCommand"
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errors[0].TargetObject | Should -Be $tooLong
        $errors[0].Exception.Message | Should -Match '33 bytes long in UTF-8; the service allows at most 32\. No UserSig was signed for it\.$'
        $errors[0].Exception.Message | Should -Not -Match 'sent'
    }

    It 'returns the UserID property spelled as the service and Test-TencentImAccount spell it (UserID)' {
        $signed = New-TencentImUserSig -UserId alice

        $names = @($signed.PSObject.Properties.Name)
        $names -ccontains 'UserID' | Should -BeTrue -Because "the properties are: $($names -join ', ')"
        $names -ccontains 'UserId' | Should -BeFalse
        $signed.ToString() | Should -Match "^UserSig for 'alice' in SDKAppID 1400000001"
    }

    It 'stops with SecretKeyEmpty, the ErrorId Connect-TencentIm gives, for a <Name> -SecretKey' -ForEach @(
        @{ Name = 'empty'; Text = '' }
        @{ Name = 'blank'; Text = " `t " }
    ) {
        $secure = [securestring]::new()
        foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }

        $errors = @(
            Get-ThrownError { New-TencentImUserSig -UserId alice -SdkAppId 1400000001 -SecretKey $secure }
            Get-ThrownError { Connect-TencentIm 1400000001 -SecretKey $secure -Endpoint $emulator.BaseUri }
        )

        $errors[0].FullyQualifiedErrorId | Should -BeExactly "SecretKeyEmpty,$newCommand"
        $errors[1].FullyQualifiedErrorId | Should -BeExactly 'SecretKeyEmpty,TencentIm.Commands.ConnectTencentImCommand'
        foreach ($err in $errors) {
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -Match '^-SecretKey: the secret key is empty\. Copy it from the IM console'
        }
    }
}

Describe 'Test-TencentImUserSig' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    It 'a valid UserSig: IsValid, Result Valid, code 0, SignatureValid checked with the connection''s key' {
        $report = Test-TencentImUserSig -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey -Identifier alice) -Identifier alice

        $report | Should -BeOfType ([TencentIm.Signing.UserSigReport])
        $report.IsValid | Should -BeTrue
        $report.Result | Should -Be 'Valid'
        $report.ServiceErrorCode | Should -Be 0
        $report.SignatureValid | Should -BeTrue
        $report.SdkAppId | Should -Be 1400000001
        $report.Explanation | Should -Match '^Valid until '
    }

    It 'expired at -At: 70001 Expired' {
        $userSig = New-TestUserSig -SecretKey $emulator.SecretKey -Lifetime (New-TimeSpan -Hours 1)

        $report = Test-TencentImUserSig -UserSig $userSig -At ([DateTimeOffset]::UtcNow.AddHours(2))

        $report.IsValid | Should -BeFalse
        $report.Result | Should -Be 'Expired'
        $report.ServiceErrorCode | Should -Be 70001
        $report.Explanation | Should -Match '70001: it expired at'
    }

    It 'issued hours ahead of this machine''s clock: IssuedInFuture, not valid, saying by how much and the clock-skew fix' {
        $userSig = New-TestUserSig -SecretKey $emulator.SecretKey -IssuedAt ([DateTimeOffset]::UtcNow.AddHours(3.25))

        $report = Test-TencentImUserSig -UserSig $userSig

        $report.IsValid | Should -BeFalse
        $report.Result | Should -Be 'IssuedInFuture'
        $report.ServiceErrorCode | Should -Be 70003
        $report.SignatureValid | Should -BeTrue
        $report.Explanation | Should -Match 'issued at .+, 3 hours after now by this machine''s clock'
        $report.Explanation | Should -Match 'clock of the machine that signed it is ahead of this machine''s'
        $report.Explanation | Should -Match 'NTP'
        $report.Explanation | Should -Match 'sign it again'
    }

    It 'judged at an -At before its issue time: IssuedInFuture, naming -At' {
        $signed = New-TencentImUserSig -UserId alice -Lifetime 3600

        $report = Test-TencentImUserSig -UserSig $signed.UserSig -At $signed.IssuedOn.AddSeconds(-8)

        $report.IsValid | Should -BeFalse
        $report.Result | Should -Be 'IssuedInFuture'
        $report.Explanation | Should -Match '8 seconds after -At'
    }

    It 'judged at the very second it was issued: Valid' {
        $signed = New-TencentImUserSig -UserId alice -Lifetime 3600

        $report = Test-TencentImUserSig -UserSig $signed.UserSig -At $signed.IssuedOn

        $report.Result | Should -Be 'Valid'
        $report.IsValid | Should -BeTrue
    }

    It 'stops with SecretKeyEmpty for an empty -SecretKey, as the other cmdlets do' {
        $err = Get-ThrownError { Test-TencentImUserSig -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey) -SecretKey ([securestring]::new()) }

        $err.FullyQualifiedErrorId | Should -BeExactly 'SecretKeyEmpty,TencentIm.Commands.TestTencentImUserSigCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match '^-SecretKey: the secret key is empty\.'
    }

    It 'signed for another identifier than -Identifier: 70013 IdentifierMismatch' {
        $report = Test-TencentImUserSig -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey -Identifier alice) -Identifier bob

        $report.IsValid | Should -BeFalse
        $report.Result | Should -Be 'IdentifierMismatch'
        $report.ServiceErrorCode | Should -Be 70013
        $report.Explanation | Should -Match "signed for 'alice', not 'bob'"
    }

    It 'signed for another SDKAppID than -SdkAppId: 70014 SdkAppIdMismatch' {
        $report = Test-TencentImUserSig -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey) -SdkAppId 1400000002

        $report.IsValid | Should -BeFalse
        $report.Result | Should -Be 'SdkAppIdMismatch'
        $report.ServiceErrorCode | Should -Be 70014
        $report.Explanation | Should -Match 'signed for SDKAppID 1400000001, not 1400000002'
    }

    It 'checked with another key (-SecretKey): 70009 SignatureMismatch and SignatureValid false' {
        $other = ConvertTo-SecureString (New-TestSecretKey) -AsPlainText -Force

        $report = Test-TencentImUserSig -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey) -SecretKey $other

        $report.IsValid | Should -BeFalse
        $report.Result | Should -Be 'SignatureMismatch'
        $report.ServiceErrorCode | Should -Be 70009
        $report.SignatureValid | Should -BeFalse
    }

    It 'garbage: 70003 Malformed, nothing decoded' {
        $report = Test-TencentImUserSig -UserSig 'this is not a usersig'

        $report.IsValid | Should -BeFalse
        $report.Result | Should -Be 'Malformed'
        $report.ServiceErrorCode | Should -Be 70003
        $report.UserID | Should -BeNullOrEmpty
        $report.SdkAppId | Should -BeNullOrEmpty
        $report.Explanation | Should -Match '70003'
    }

    It 'without -SecretKey and with no connection: SignatureValid $null, and the explanation says it was not checked' {
        $userSig = New-TestUserSig -SecretKey $emulator.SecretKey

        $report = @(Invoke-InNewRunspace -Script 'Test-TencentImUserSig -UserSig $args[0]' -ArgumentList $userSig)

        $report | Should -HaveCount 1
        $null -eq $report[0].SignatureValid | Should -BeTrue
        $report[0].Result | Should -Be 'Valid'
        $report[0].Explanation | Should -Match 'The signature was not checked'
    }

    It 'without -SecretKey, when the connection was made with -UserSig: SignatureValid $null, not checked' {
        Connect-TencentIm 1400000001 -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey) -Endpoint $emulator.BaseUri

        $report = Test-TencentImUserSig -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey -Identifier alice)

        $null -eq $report.SignatureValid | Should -BeTrue
        $report.Explanation | Should -Match 'The signature was not checked'
    }

    It 'the official signer''s UserSig for <Identifier> in <SdkAppId>, with its key and within its lifetime: Valid' -ForEach $vectors {
        $at = [DateTimeOffset]::FromUnixTimeSeconds($Vector.time + 100)
        $key = ConvertTo-SecureString $Vector.secretKey -AsPlainText -Force

        $report = Test-TencentImUserSig -UserSig $Vector.userSig -SdkAppId $Vector.sdkAppId -Identifier $Vector.identifier -SecretKey $key -At $at

        $report.Result | Should -Be 'Valid'
        $report.IsValid | Should -BeTrue
        $report.SignatureValid | Should -BeTrue
        $report.IssuedOn | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds($Vector.time))
        $report.Lifetime.TotalSeconds | Should -Be $Vector.expire
    }

    It 'the official signer''s UserSig for <Identifier> in <SdkAppId>, one second past its lifetime: 70001' -ForEach $vectors {
        $at = [DateTimeOffset]::FromUnixTimeSeconds($Vector.time + $Vector.expire + 1)
        $key = ConvertTo-SecureString $Vector.secretKey -AsPlainText -Force

        $report = Test-TencentImUserSig -UserSig $Vector.userSig -SdkAppId $Vector.sdkAppId -SecretKey $key -At $at

        $report.ServiceErrorCode | Should -Be 70001
    }
}
