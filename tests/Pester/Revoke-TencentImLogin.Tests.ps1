#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Revoke-TencentImLogin against the emulator: revoked, not found, the UserSigs a kick invalidates, confirmation and
# -WhatIf, input forms, order, duplicates, invalid input, pipelines with the other cmdlets, 20 % faults of every kind.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule

    # alice is also an app admin, so that a UserSig of hers can be tried against the emulator's gate.
    $script:emulator = Start-TestEmulator -Accounts 'alice', 'bob', 'carol', 'dave', 'erin', 'frank', '用户甲' `
        -Options @{ Admin = 'administrator', 'alice'; Online = 'alice=Web', 'bob'; PushOnline = 'carol=iPhone' }
    $script:commandName = 'TencentIm.Commands.RevokeTencentImLoginCommand'

    function script:Get-KickCount([Parameter(Mandatory)] $Emulator) {
        [long](Get-TestStats $Emulator).Requests.kick
    }
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'Revoke-TencentImLogin' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    Context 'Revoking' {
        It 'runs the issue''s command, Revoke-TencentImLogin -UserId alice: she is Offline, and a UserSig signed for her before is refused' {
            # Signed a minute before the kick; the emulator's clock is this machine's.
            $before = New-TestUserSig -SecretKey $emulator.SecretKey -Identifier alice -IssuedAt ([DateTimeOffset]::UtcNow.AddMinutes(-1))
            $null = Connect-TencentIm 1400000001 -Identifier alice -UserSig $before -Endpoint $emulator.BaseUri -PassThru
            Connect-TestEmulator $emulator

            $result = Revoke-TencentImLogin -UserId alice -Confirm:$false

            $result.UserID | Should -BeExactly 'alice'
            $result.Status | Should -BeExactly 'Revoked'
            $result.ResultCode | Should -Be 0
            (Get-TencentImOnlineStatus alice).Status | Should -BeExactly 'Offline'
            $err = Get-ThrownError { Connect-TencentIm 1400000001 -Identifier alice -UserSig $before -Endpoint $emulator.BaseUri }
            $err.FullyQualifiedErrorId | Should -BeExactly 'ConnectionTestUserSigExpired,TencentIm.Commands.ConnectTencentImCommand'
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            "$err" | Should -Match 'ErrorCode 70001'
            "$err" | Should -Match 'Revoke-TencentImLogin'
            # A UserSig signed after the kick logs her in again.
            $after = (New-TencentImUserSig -UserId alice).UserSig
            (Connect-TencentIm 1400000001 -Identifier alice -UserSig $after -Endpoint $emulator.BaseUri -PassThru).Identifier | Should -BeExactly 'alice'
        }

        It 'answers NotFound with ResultCode 70107 for an account that does not exist, as a result, not an error' {
            $results = Revoke-TencentImLogin -UserId ghost, bob -Force -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -BeExactly 'ghost', 'bob'
            $results.Status | Should -BeExactly 'NotFound', 'Revoked'
            $results.ResultCode | Should -Be 70107, 0
            $results[0].ResultInfo | Should -Not -BeNullOrEmpty
        }

        It 'revokes in input order, one call per UserID, a duplicate twice, skipping blank lines and trimming' {
            $file = Join-Path $TestDrive 'leavers.txt'
            Set-Content -Path $file -Value 'dave', '', ' erin ', 'ghost', '  ', 'dave', 'frank'
            $before = Get-KickCount $emulator

            $results = Get-Content $file | Revoke-TencentImLogin -Force -ThrottleLimit 3

            (Get-KickCount $emulator) - $before | Should -Be 5
            $results.UserID | Should -BeExactly 'dave', 'erin', 'ghost', 'dave', 'frank'
            $results.Status | Should -BeExactly 'Revoked', 'Revoked', 'NotFound', 'Revoked', 'Revoked'
        }

        It 'gives UserIdTooLong and EmptyUserId in their places, sends nothing for them, and revokes the others' {
            $tooLong = '用' * 11
            $file = Join-Path $TestDrive 'rows.csv'
            Set-Content -Path $file -Value 'UserID,Name', 'erin,E', ',Nobody', "$tooLong,Long", '用户甲,Jia'
            $before = Get-KickCount $emulator

            $mixed = Import-Csv $file | Revoke-TencentImLogin -Force -ErrorAction Continue 2>&1

            (Get-KickCount $emulator) - $before | Should -Be 2
            $mixed | Should -HaveCount 4
            $mixed[0].Status | Should -BeExactly 'Revoked'
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "EmptyUserId,$commandName"
            $mixed[1].TargetObject.Name | Should -BeExactly 'Nobody'
            $mixed[2].FullyQualifiedErrorId | Should -BeExactly "UserIdTooLong,$commandName"
            $mixed[2].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $mixed[3].UserID | Should -BeExactly '用户甲'
            $mixed[3].Status | Should -BeExactly 'Revoked'
        }

        It 'logs out whoever Get-TencentImOnlineStatus finds logged in' {
            Set-TencentImEmulator $emulator.Handle -PushOnline 'frank=Android'

            $revoked = 'carol', 'dave', 'frank', 'ghost' | Get-TencentImOnlineStatus | Where-Object Status -in Online, PushOnline | Revoke-TencentImLogin -Force

            $revoked.UserID | Should -BeExactly 'carol', 'frank'
            $revoked.Status | Should -BeExactly 'Revoked', 'Revoked'
            ('carol', 'dave', 'frank' | Get-TencentImOnlineStatus).Status | Should -BeExactly 'Offline', 'Offline', 'Offline'
        }
    }

    Context 'Confirmation' {
        It 'sends nothing and writes nothing with -WhatIf, with or without -Force' {
            $before = Get-KickCount $emulator

            $results = 'bob', 'carol' | Revoke-TencentImLogin -WhatIf -ErrorVariable errors
            $forced = 'bob', 'carol' | Revoke-TencentImLogin -WhatIf -Force

            $results | Should -BeNullOrEmpty
            $forced | Should -BeNullOrEmpty
            $errors | Should -BeNullOrEmpty
            (Get-KickCount $emulator) - $before | Should -Be 0
        }

        It 'asks before each UserID by default (ConfirmImpact High): a host that cannot ask fails before anything is sent' {
            $before = Get-KickCount $emulator
            $connection = Connect-TestEmulator $emulator @{ PassThru = $true }

            $failure = Invoke-InNewRunspace -Script 'try { Revoke-TencentImLogin -UserId bob -Connection $args[0]; "no error" } catch { $_.Exception.Message }' -ArgumentList $connection

            # The question it tried to ask names the UserID.
            $failure | Should -Match 'request confirmation'
            $failure | Should -Match 'on target "bob"'
            (Get-KickCount $emulator) - $before | Should -Be 0
        }

        It 'does not ask with <Name>' -ForEach @(
            @{ Name = '-Force'; Arguments = '-Force' }
            @{ Name = '-Confirm:$false'; Arguments = '-Confirm:$false' }
        ) {
            $connection = Connect-TestEmulator $emulator @{ PassThru = $true }

            $result = Invoke-InNewRunspace -Script "Revoke-TencentImLogin -UserId bob -Connection `$args[0] $Arguments" -ArgumentList $connection

            $result.Status | Should -BeExactly 'Revoked'
        }
    }

    Context 'Errors and output' {
        It 'stops with ONE terminating IdentifierNotAppAdmin error when the identifier is no admin' {
            Connect-TencentIm 1400000001 $emulator.SecureKey -Identifier bob -Endpoint $emulator.BaseUri -SkipConnectionTest
            $err = $null
            $errors = $null

            try {
                $null = 'carol', 'dave', 'erin' | Revoke-TencentImLogin -Force -ErrorAction SilentlyContinue -ErrorVariable errors
            }
            catch {
                $err = $_
            }

            $err.FullyQualifiedErrorId | Should -BeExactly "IdentifierNotAppAdmin,$commandName"
            @($errors).Count | Should -Be 1
        }

        It 'writes TencentIm.LoginRevocationResult objects with the status as text' {
            $result = Revoke-TencentImLogin erin -Force

            $result | Should -BeOfType ([TencentIm.LoginRevocationResult])
            (Get-Command Revoke-TencentImLogin).OutputType.Type | Should -Contain ([TencentIm.LoginRevocationResult])
            $result.PSObject.Properties.Name | Should -Be 'UserID', 'Status', 'ResultCode', 'ResultInfo'
            ($result | ConvertTo-Json -Compress) | Should -Match '"Status":"Revoked"'
        }
    }
}

Describe 'Revoke-TencentImLogin when calls keep failing' {
    BeforeAll {
        $script:broken = Start-TestEmulator -Accounts 'alice' -Options @{ FaultRate = 1; FaultKind = 'http503' }
    }

    AfterAll {
        Stop-TestEmulator $script:broken
    }

    It 'gives one RevokeLoginFailed error per UserID, saying it is not known to be logged out, and the others go on' {
        Connect-TencentIm 1400000001 $broken.SecureKey -Endpoint $broken.BaseUri -SkipConnectionTest -MaximumRetryCount 1

        $mixed = 'alice', ('x' * 33), 'ghost' | Revoke-TencentImLogin -Force -ErrorAction Continue 2>&1

        $mixed | Should -HaveCount 3
        $mixed.FullyQualifiedErrorId | Should -BeExactly "RevokeLoginFailed,$commandName", "UserIdTooLong,$commandName", "RevokeLoginFailed,$commandName"
        $mixed[0].TargetObject | Should -BeExactly 'alice'
        "$($mixed[0])" | Should -Match "UserID 'alice' is not known to be logged out"
        "$($mixed[0])" | Should -Match 'HTTP 503'
        (Get-KickCount $broken) | Should -Be 4
    }
}

Describe 'Revoke-TencentImLogin with 20 % faults of every kind' {
    BeforeAll {
        $script:accounts = @(1..300 | ForEach-Object { "k$_" })
        $script:faulty = Start-TestEmulator -Accounts $accounts -Options @{ FaultRate = 0.2; FaultKind = (Get-EveryFaultKind); Seed = 9; SlowResponseMs = 3000 }
    }

    AfterAll {
        Stop-TestEmulator $script:faulty
    }

    It 'answers every ID exactly once, Revoked or NotFound as it should be, in order, and no error' {
        Connect-TencentIm 1400000001 $faulty.SecureKey -Endpoint $faulty.BaseUri -SkipConnectionTest -MaximumRetryCount 10 -RequestTimeoutSec 1
        $wanted = @($accounts) + @(1..40 | ForEach-Object { "missing$_" })

        $results = $wanted | Revoke-TencentImLogin -Force -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors | Should -BeNullOrEmpty
        $results | Should -HaveCount $wanted.Count
        ($results.UserID -join ',') | Should -BeExactly ($wanted -join ',')
        ($results.Status -join ',') | Should -BeExactly (((@('Revoked') * 300) + (@('NotFound') * 40)) -join ',')
        $stats = Get-TestStats $faulty
        foreach ($kind in '70169', '70202', '70500', 'http502', 'http503', 'truncated', 'drop', 'slow') {
            $stats.Faults.$kind | Should -BeGreaterThan 0 -Because "a $kind fault must have been injected"
        }
    }
}
