#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-TencentImOnlineStatus against the emulator: states, -Detail, missing accounts, input forms, order, batching,
# invalid input, pipelines with the other cmdlets, 20 % faults of every kind, output type and view.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule

    # o0 … o1999 exist; every fifth is Online and every seventh (not a fifth) PushOnline. Plus named accounts.
    $script:ids = @(0..1999 | ForEach-Object { "o$_" })
    $script:expected = @{}
    foreach ($i in 0..1999) {
        $expected["o$i"] = if ($i % 5 -eq 0) { 'Online' } elseif ($i % 7 -eq 0) { 'PushOnline' } else { 'Offline' }
    }
    $online = @($ids | Where-Object { $expected[$_] -eq 'Online' }) + 'alice=iPhone:PushOnline+Web'
    $pushOnline = @($ids | Where-Object { $expected[$_] -eq 'PushOnline' }) + 'carol=Android'
    $script:emulator = Start-TestEmulator -Accounts (@($ids) + 'alice', 'bob', 'carol', 'dave', '用户甲') `
        -Options @{ Online = $online; PushOnline = $pushOnline }
    $script:commandName = 'TencentIm.Commands.GetTencentImOnlineStatusCommand'

    function script:Get-QueryCount([Parameter(Mandatory)] $Emulator) {
        [long](Get-TestStats $Emulator).Requests.query_online_status
    }

    function script:Set-OnlineStatus([string] $UserId, [string] $Status, [string] $Platforms = '') {
        $entry = if ($Platforms) { "$UserId=$($Platforms -replace ',', '+')" } else { $UserId }
        $parameters = @{ $Status = $entry }
        Set-TencentImEmulator $emulator.Handle @parameters
    }
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'Get-TencentImOnlineStatus' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    Context 'States and order' {
        It 'answers Online, PushOnline and Offline as the users are logged in, and Unknown 70107 for an account that does not exist' {
            $results = 'alice', 'bob', 'carol', 'ghost', 'dave' | Get-TencentImOnlineStatus -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -BeExactly 'alice', 'bob', 'carol', 'ghost', 'dave'
            $results.Status | Should -BeExactly 'Online', 'Offline', 'PushOnline', 'Unknown', 'Offline'
            $results.ResultCode | Should -Be 0, 0, 0, 70107, 0
            $results[3].ResultInfo | Should -Match 'does not exist'
            $results[0].ResultInfo | Should -BeExactly ''
        }

        It 'runs the issue''s pipeline: Get-Content users.txt | Get-TencentImOnlineStatus | Where-Object Status -eq Online' {
            $file = Join-Path $TestDrive 'users.txt'
            Set-Content -Path $file -Value 'bob', 'alice', 'ghost', 'o5', 'o7', 'o10'

            $online = Get-Content $file | Get-TencentImOnlineStatus | Where-Object Status -eq Online

            $online.UserID | Should -BeExactly 'alice', 'o5', 'o10'
        }

        It 'answers Unknown 70107 for a whole request of accounts that do not exist (the service then fails the request, with its ErrorList)' {
            $results = 'ghost1', 'ghost2', 'ghost3' | Get-TencentImOnlineStatus -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.Status | Should -BeExactly 'Unknown', 'Unknown', 'Unknown'
            $results.ResultCode | Should -Be 70107, 70107, 70107
        }

        It 'queries 2,000 IDs from a file in 4 requests of 500, each with its right state, in order' {
            $file = Join-Path $TestDrive 'users-2000.txt'
            Set-Content -Path $file -Value $ids
            $before = Get-QueryCount $emulator

            $results = Get-Content $file | Get-TencentImOnlineStatus

            (Get-QueryCount $emulator) - $before | Should -Be 4
            $results | Should -HaveCount 2000
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            ($results.Status -join ',') | Should -BeExactly (($ids | ForEach-Object { $expected[$_] }) -join ',')
        }

        It 'follows a state changed while it runs (the emulator''s hook, as a client app logging in and out)' {
            Set-OnlineStatus dave PushOnline
            (Get-TencentImOnlineStatus dave).Status | Should -BeExactly 'PushOnline'

            Set-OnlineStatus dave Offline
            (Get-TencentImOnlineStatus dave).Status | Should -BeExactly 'Offline'
        }
    }

    Context '-Detail' {
        It 'lists each platform with its state, empty for a user logged in nowhere; without -Detail, Detail is null' {
            $results = Get-TencentImOnlineStatus -UserId alice, bob, carol, ghost -Detail
            $plain = Get-TencentImOnlineStatus -UserId alice

            $results[0].Detail | Should -HaveCount 2
            $results[0].Detail.Platform | Should -BeExactly 'iPhone', 'Web'
            $results[0].Detail.Status | Should -BeExactly 'PushOnline', 'Online'
            "$($results[0].Detail[0])" | Should -BeExactly 'iPhone: PushOnline'
            , $results[1].Detail | Should -BeOfType ([TencentIm.OnlinePlatformStatus[]])
            $results[1].Detail | Should -HaveCount 0
            $results[2].Detail.Platform | Should -BeExactly 'Android'
            $results[2].Detail.Status | Should -BeExactly 'PushOnline'
            $results[3].Detail | Should -HaveCount 0
            $null -eq $plain.Detail | Should -BeTrue
        }

        It 'carries the platforms into JSON' {
            $json = Get-TencentImOnlineStatus alice -Detail | ConvertTo-Json -Depth 3 -Compress

            $json | Should -Match '"Status":"Online"'
            $json | Should -Match '"Detail":\[\{"Platform":"iPhone","Status":"PushOnline"\},\{"Platform":"Web","Status":"Online"\}\]'
        }
    }

    Context 'Input' {
        It 'sends a UserID repeated within a batch once, and answers every occurrence' {
            $dupes = @(foreach ($i in 0..249) { "o$i"; "o$i" })
            $before = Get-QueryCount $emulator

            $results = $dupes | Get-TencentImOnlineStatus

            (Get-QueryCount $emulator) - $before | Should -Be 1
            $results | Should -HaveCount 500
            ($results.UserID -join ',') | Should -BeExactly ($dupes -join ',')
            ($results.Status -join ',') | Should -BeExactly (($dupes | ForEach-Object { $expected[$_] }) -join ',')
        }

        It 'skips blank lines of a file and trims whitespace' {
            $file = Join-Path $TestDrive 'with-blanks.txt'
            Set-Content -Path $file -Value 'alice', '', '  ', "  bob`t", '', 'carol '

            $results = Get-Content $file | Get-TencentImOnlineStatus -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -BeExactly 'alice', 'bob', 'carol'
            $results.Status | Should -BeExactly 'Online', 'Offline', 'PushOnline'
        }

        It 'gives UserIdTooLong for IDs over 32 bytes, in their place, sends nothing for them, and answers the others' {
            $ascii33 = 'a' * 33
            $cjk33 = '用' * 11
            $before = Get-QueryCount $emulator

            $mixed = 'alice', $ascii33, '用户甲', $cjk33, 'ghost' | Get-TencentImOnlineStatus -ErrorAction Continue 2>&1

            (Get-QueryCount $emulator) - $before | Should -Be 1
            $mixed | Should -HaveCount 5
            $mixed[0].Status | Should -BeExactly 'Online'
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "UserIdTooLong,$commandName"
            $mixed[1].TargetObject | Should -BeExactly $ascii33
            $mixed[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $mixed[2].UserID | Should -BeExactly '用户甲'
            $mixed[2].Status | Should -BeExactly 'Offline'
            $mixed[3].FullyQualifiedErrorId | Should -BeExactly "UserIdTooLong,$commandName"
            $mixed[4].ResultCode | Should -Be 70107
        }

        It 'gives EmptyUserId for -UserId '''' and InputObjectHasNoUserId for an object without one, and sends nothing' {
            $before = Get-QueryCount $emulator

            $mixed = @(Get-TencentImOnlineStatus -UserId '' -ErrorAction Continue 2>&1) + @(@{ Account = 'bob' } | Get-TencentImOnlineStatus -ErrorAction Continue 2>&1)

            $mixed.FullyQualifiedErrorId | Should -BeExactly "EmptyUserId,$commandName", "InputObjectHasNoUserId,$commandName"
            (Get-QueryCount $emulator) - $before | Should -Be 0
        }

        It 'takes the rows of Import-Csv and the results of Test-TencentImAccount' {
            $file = Join-Path $TestDrive 'users.csv'
            Set-Content -Path $file -Value 'Name,UserId', 'Alice,alice', 'Ghost,ghost', 'Carol,carol'

            $fromCsv = Import-Csv $file | Get-TencentImOnlineStatus
            $imported = 'alice', 'ghost', 'carol' | Test-TencentImAccount | Where-Object AccountStatus -eq Imported | Get-TencentImOnlineStatus

            $fromCsv.Status | Should -BeExactly 'Online', 'Unknown', 'PushOnline'
            $imported.UserID | Should -BeExactly 'alice', 'carol'
            $imported.Status | Should -BeExactly 'Online', 'PushOnline'
        }
    }

    Context '-BatchSize' {
        It 'sends at most <BatchSize> UserIDs per request: <Count> IDs in <Requests> requests' -ForEach @(
            @{ BatchSize = 1; Count = 3; Requests = 3 }
            @{ BatchSize = 100; Count = 250; Requests = 3 }
        ) {
            $some = $ids[0..($Count - 1)]
            $before = Get-QueryCount $emulator

            $results = $some | Get-TencentImOnlineStatus -BatchSize $BatchSize

            (Get-QueryCount $emulator) - $before | Should -Be $Requests
            ($results.UserID -join ',') | Should -BeExactly ($some -join ',')
        }

        It 'rejects -BatchSize <BatchSize> by validation, before any request' -ForEach @(
            @{ BatchSize = 0 }
            @{ BatchSize = 501 }
        ) {
            $before = Get-QueryCount $emulator

            $err = Get-ThrownError { Get-TencentImOnlineStatus alice -BatchSize $BatchSize }

            $err.FullyQualifiedErrorId | Should -BeExactly "ParameterArgumentValidationError,$commandName"
            (Get-QueryCount $emulator) - $before | Should -Be 0
        }
    }

    Context 'Errors' {
        It 'stops with ONE terminating SecretKeyMismatch error when the key is wrong' {
            Connect-TencentIm 1400000001 (ConvertTo-SecureString (New-TestSecretKey) -AsPlainText -Force) -Endpoint $emulator.BaseUri -SkipConnectionTest

            $err = $null
            $errors = $null

            try {
                $null = $ids | Get-TencentImOnlineStatus -BatchSize 10 -ErrorAction SilentlyContinue -ErrorVariable errors
            }
            catch {
                $err = $_
            }

            $err.FullyQualifiedErrorId | Should -BeExactly "SecretKeyMismatch,$commandName"
            "$err" | Should -Match 'ErrorCode 70009'
            @($errors).Count | Should -Be 1
        }
    }

    Context 'Output' {
        It 'writes TencentIm.OnlineStatusResult objects with the status as text' {
            $result = Get-TencentImOnlineStatus alice

            $result | Should -BeOfType ([TencentIm.OnlineStatusResult])
            (Get-Command Get-TencentImOnlineStatus).OutputType.Type | Should -Contain ([TencentIm.OnlineStatusResult])
            $result.PSObject.Properties.Name | Should -Be 'UserID', 'Status', 'ResultCode', 'ResultInfo', 'Detail'
            $result.Status | Should -BeOfType ([string])
            ($result | ConvertTo-Json -Compress) | Should -Match '"Status":"Online"'
        }
    }
}

Describe 'Get-TencentImOnlineStatus with 20 % faults of every kind' {
    BeforeAll {
        $script:faulty = Start-TestEmulator -Accounts $ids -Options @{
            Online = @($ids | Where-Object { $expected[$_] -eq 'Online' })
            PushOnline = @($ids | Where-Object { $expected[$_] -eq 'PushOnline' })
            FaultRate = 0.2; FaultKind = (Get-EveryFaultKind); Seed = 8; SlowResponseMs = 3000 }
    }

    AfterAll {
        Stop-TestEmulator $script:faulty
    }

    It 'answers every ID exactly once, with its right state, in order, and no error' {
        # Ten retries, one-second timeouts: a request fails eleven times in a row about once in fifty million.
        Connect-TencentIm 1400000001 $faulty.SecureKey -Endpoint $faulty.BaseUri -SkipConnectionTest -MaximumRetryCount 10 -RequestTimeoutSec 1
        $some = @($ids[0..1499]) + 'ghost'

        $results = $some | Get-TencentImOnlineStatus -BatchSize 5 -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors | Should -BeNullOrEmpty
        $results | Should -HaveCount $some.Count
        ($results.UserID -join ',') | Should -BeExactly ($some -join ',')
        ($results.Status -join ',') | Should -BeExactly ((@($some[0..1499] | ForEach-Object { $expected[$_] }) + 'Unknown') -join ',')
        $results[-1].ResultCode | Should -Be 70107
        $stats = Get-TestStats $faulty
        foreach ($kind in '70169', '70202', '70500', 'http502', 'http503', 'truncated', 'drop', 'slow') {
            $stats.Faults.$kind | Should -BeGreaterThan 0 -Because "a $kind fault must have been injected"
        }
    }
}
