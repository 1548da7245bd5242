#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The session's connection: Get-TencentImConnection shows it, Disconnect-TencentIm closes and forgets it, -Connection
# overrides it on every cmdlet that calls or signs, and it belongs to one runspace: other runspaces (a new
# [powershell], ForEach-Object -Parallel) do not see it and must be handed a connection with -Connection.
# Two emulators, two apps with their own keys and accounts: app A (1400000001) has alice, app B (1400000002) has
# bob, so an answer tells which app was asked.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:a = Start-TestEmulator -Accounts 'alice'
    $script:b = Start-TestEmulator -Accounts 'bob' -Options @{ SdkAppId = 1400000002 }
    $script:modulePath = Join-Path (Get-TestModulePath) 'TencentIm.psd1'

    function script:Connect-A([switch] $PassThru) { Connect-TencentIm 1400000001 $a.SecureKey -Endpoint $a.BaseUri -PassThru:$PassThru }
    function script:Connect-B([switch] $PassThru) { Connect-TencentIm 1400000002 $b.SecureKey -Endpoint $b.BaseUri -PassThru:$PassThru }
}

AfterAll {
    Stop-TestEmulator $script:a
    Stop-TestEmulator $script:b
}

Describe 'Get-TencentImConnection' {
    It 'returns the session''s current connection: the very object Connect-TencentIm -PassThru returned' {
        $connection = Connect-A -PassThru

        $current = @(Get-TencentImConnection)

        $current | Should -HaveCount 1
        [object]::ReferenceEquals($current[0], $connection) | Should -BeTrue
        $current[0].SdkAppId | Should -Be 1400000001
        $current[0].IsClosed | Should -BeFalse
    }

    It 'returns the newer connection after Connect-TencentIm again' {
        $null = Connect-A -PassThru
        $newer = Connect-B -PassThru

        [object]::ReferenceEquals((Get-TencentImConnection), $newer) | Should -BeTrue
        (Get-TencentImConnection).SdkAppId | Should -Be 1400000002
    }

    It 'writes nothing when the session has no connection, so that if (Get-TencentImConnection) is false' {
        Connect-A
        Disconnect-TencentIm

        $output = @(Get-TencentImConnection)

        $output | Should -HaveCount 0
        [bool](Get-TencentImConnection) | Should -BeFalse
    }
}

Describe 'Disconnect-TencentIm' {
    It 'closes and forgets the current connection: later calls without -Connection fail with NotConnected' {
        $connection = Connect-A -PassThru

        Disconnect-TencentIm

        $connection.IsClosed | Should -BeTrue
        Get-TencentImConnection | Should -BeNullOrEmpty
        $err = Get-ThrownError { Test-TencentImAccount alice }
        $err.FullyQualifiedErrorId | Should -BeExactly 'NotConnected,TencentIm.Commands.TestTencentImAccountCommand'
        $err.Exception.Message | Should -Match 'Run Connect-TencentIm first, or pass -Connection'
    }

    It 'a kept -PassThru connection, once disconnected, has IsClosed and fails with ConnectionClosed, sending nothing' {
        $connection = Connect-A -PassThru
        Disconnect-TencentIm
        $before = (Get-TestStats $a).TotalRequests

        $errCheck = Get-ThrownError { Test-TencentImAccount alice -Connection $connection }
        $errSign = Get-ThrownError { New-TencentImUserSig alice -Connection $connection }

        $connection.IsClosed | Should -BeTrue
        $errCheck.FullyQualifiedErrorId | Should -BeExactly 'ConnectionClosed,TencentIm.Commands.TestTencentImAccountCommand'
        $errCheck.CategoryInfo.Category | Should -Be 'ConnectionError'
        $errCheck.Exception.Message | Should -Match 'SDKAppID 1400000001 was closed\. Run Connect-TencentIm again'
        [object]::ReferenceEquals($errCheck.TargetObject, $connection) | Should -BeTrue
        $errSign.FullyQualifiedErrorId | Should -BeExactly 'ConnectionClosed,TencentIm.Commands.NewTencentImUserSigCommand'
        (Get-TestStats $a).TotalRequests | Should -Be $before
    }

    It '-Connection $x closes only $x: the session''s current connection stays open and in use' {
        $x = Connect-A -PassThru
        $current = Connect-B -PassThru

        Disconnect-TencentIm -Connection $x

        $x.IsClosed | Should -BeTrue
        $current.IsClosed | Should -BeFalse
        [object]::ReferenceEquals((Get-TencentImConnection), $current) | Should -BeTrue
        (Test-TencentImAccount bob).AccountStatus | Should -Be 'Imported'
    }

    It 'takes the connection to close from the pipeline' {
        $x = Connect-A -PassThru
        $current = Connect-B -PassThru

        $x | Disconnect-TencentIm

        $x.IsClosed | Should -BeTrue
        $current.IsClosed | Should -BeFalse
    }

    It '-Connection with the current connection also forgets it' {
        $current = Connect-A -PassThru

        Disconnect-TencentIm -Connection $current

        $current.IsClosed | Should -BeTrue
        Get-TencentImConnection | Should -BeNullOrEmpty
    }

    It 'without a connection, does nothing and writes no error' {
        Connect-A
        Disconnect-TencentIm

        Disconnect-TencentIm -ErrorVariable errors

        $errors | Should -BeNullOrEmpty
    }
}

Describe '-Connection overrides the session''s connection on every cmdlet that uses one' {
    BeforeAll {
        $script:connectionA = Connect-A -PassThru
    }

    BeforeEach {
        # The session's connection is app B's: a cmdlet that ignored -Connection would ask or sign for app B.
        Connect-B
    }

    It 'Test-TencentImAccount -Connection asks that connection''s app' {
        $beforeA = Get-AccountCheckCount $a
        $beforeB = Get-AccountCheckCount $b

        $results = Test-TencentImAccount alice, bob -Connection $connectionA

        $results.AccountStatus | Should -Be 'Imported', 'NotImported'
        (Get-AccountCheckCount $a) - $beforeA | Should -Be 1
        (Get-AccountCheckCount $b) - $beforeB | Should -Be 0
    }

    It 'New-TencentImUserSig -Connection signs with that connection''s app and key' {
        $signed = New-TencentImUserSig alice -Connection $connectionA

        $signed.SdkAppId | Should -Be 1400000001
        $report = Test-TencentImUserSig -UserSig $signed.UserSig -SdkAppId 1400000001 -SecretKey $a.SecureKey
        $report.SignatureValid | Should -BeTrue
        $report.IsValid | Should -BeTrue
    }

    It 'Test-TencentImUserSig -Connection checks against that connection''s SDKAppID and key' {
        $userSig = New-TestUserSig -SecretKey $a.SecretKey -SdkAppId 1400000001 -Identifier alice

        $withA = Test-TencentImUserSig -UserSig $userSig -Connection $connectionA
        $withSession = Test-TencentImUserSig -UserSig $userSig

        $withA.Result | Should -Be 'Valid'
        $withA.SignatureValid | Should -BeTrue
        $withSession.Result | Should -Be 'SdkAppIdMismatch'
        $withSession.ServiceErrorCode | Should -Be 70014
    }

    It 'Disconnect-TencentIm -Connection closes that connection, not the session''s' {
        $x = Connect-TencentIm 1400000001 $a.SecureKey -Endpoint $a.BaseUri -SkipConnectionTest -PassThru
        Connect-B
        $session = Get-TencentImConnection

        Disconnect-TencentIm -Connection $x

        $x.IsClosed | Should -BeTrue
        $session.IsClosed | Should -BeFalse
    }
}

Describe 'Runspaces: each has its own current connection' {
    BeforeEach {
        Connect-A
    }

    It 'a new runspace ([powershell]::Create()) does not see the session''s connection: none there, and NotConnected' {
        $seen = Invoke-InNewRunspace -Script @'
            [pscustomobject]@{
                Connection = @(Get-TencentImConnection).Count
                Error      = try { Test-TencentImAccount alice; 'no error' } catch { $_.FullyQualifiedErrorId }
            }
'@

        $seen.Connection | Should -Be 0
        $seen.Error | Should -BeExactly 'NotConnected,TencentIm.Commands.TestTencentImAccountCommand'
    }

    It 'a connection made in another runspace does not replace this session''s' {
        $mine = Get-TencentImConnection

        $null = Invoke-InNewRunspace -Script 'Connect-TencentIm 1400000002 $args[0] -Endpoint $args[1]' -ArgumentList $b.SecureKey, $b.BaseUri

        [object]::ReferenceEquals((Get-TencentImConnection), $mine) | Should -BeTrue
        (Test-TencentImAccount alice).AccountStatus | Should -Be 'Imported'
    }

    It 'ForEach-Object -Parallel works with the connection passed in: -Connection $using:connection' {
        $connection = Get-TencentImConnection

        $results = 'alice', 'nobody', 'alice', 'nobody' | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:modulePath
            Test-TencentImAccount -UserId $_ -Connection $using:connection
        }

        $results | Should -HaveCount 4
        ($results | Sort-Object UserID).AccountStatus | Should -Be 'Imported', 'Imported', 'NotImported', 'NotImported'
    }

    It 'Start-Job with -Connection $using:connection says that a connection cannot cross into another process, and how to connect there' {
        $connection = Get-TencentImConnection

        $job = Start-Job {
            Import-Module $using:modulePath
            Test-TencentImAccount -UserId alice -Connection $using:connection
        }
        $null = Wait-Job $job -Timeout 120
        $results = Receive-Job $job -ErrorVariable jobErrors -ErrorAction SilentlyContinue
        Remove-Job $job -Force

        $results | Should -BeNullOrEmpty
        $jobErrors | Should -HaveCount 1
        $jobErrors[0].FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentTransformationError,TencentIm.Commands.TestTencentImAccountCommand'
        $jobErrors[0].ToString() | Should -Match 'cannot cross into another process'
        $jobErrors[0].ToString() | Should -Match 'TENCENTIM_'
        $jobErrors[0].ToString() | Should -Match 'Start-ThreadJob'
    }

    It 'ForEach-Object -Parallel without -Connection fails with NotConnected: the session''s connection is not shared' {
        $outcomes = 'alice', 'nobody' | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:modulePath
            try { Test-TencentImAccount -UserId $_; 'no error' } catch { $_.FullyQualifiedErrorId }
        }

        $outcomes | Should -BeExactly (@('NotConnected,TencentIm.Commands.TestTencentImAccountCommand') * 2)
    }
}
