#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Test-TencentImAccount against the emulator: statuses, input forms, order, batching, invalid input, per-account and
# per-request failures, configuration errors, output type and view, and streaming.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule

    # Every third of user0..user9999 exists, plus a few named accounts (one multibyte, one 32 bytes of emoji).
    $script:seeded = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::Ordinal)
    foreach ($i in 0..9999) { if ($i % 3 -eq 0) { $null = $seeded.Add("user$i") } }
    foreach ($name in 'alice', 'bob', '用户甲', ('😀' * 8)) { $null = $seeded.Add($name) }
    $script:emulator = Start-TestEmulator -Accounts @($seeded) -Options @{ FailingAccount = 'carol' }
    # dave answers 70500 to his first account_check only; erin answers a per-account code that is not transient.
    $script:flakyEmulator = Start-TestEmulator -Accounts 'alice', 'dave' -Options @{ FlakyAccount = 'dave'; FailingAccount = 'erin=70107' }
    $script:commandName = 'TencentIm.Commands.TestTencentImAccountCommand'

    function script:Get-ExpectedStatus([string[]] $UserId) {
        foreach ($id in $UserId) { if ($seeded.Contains($id)) { 'Imported' } else { 'NotImported' } }
    }

    function script:New-UserIds([int] $Count, [int] $Start = 0) {
        foreach ($i in $Start..($Start + $Count - 1)) { "user$i" }
    }
}

AfterAll {
    Stop-TestEmulator $script:emulator
    Stop-TestEmulator $script:flakyEmulator
}

Describe 'Test-TencentImAccount' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    Context 'Statuses and order' {
        It 'answers Imported and NotImported as the app''s accounts are' {
            $results = 'alice', 'nobody', 'bob', 'user3', 'user4' | Test-TencentImAccount

            $results.UserID | Should -Be 'alice', 'nobody', 'bob', 'user3', 'user4'
            $results.AccountStatus | Should -Be 'Imported', 'NotImported', 'Imported', 'Imported', 'NotImported'
            $results.IsImported | Should -Be $true, $false, $true, $true, $false
            $results.ResultCode | Should -Be 0, 0, 0, 0, 0
        }

        It 'checks 1,234 IDs in at least 13 requests and answers them in input order' {
            $ids = @(New-UserIds 1234 -Start 500)
            $before = Get-AccountCheckCount $emulator

            $results = $ids | Test-TencentImAccount

            (Get-AccountCheckCount $emulator) - $before | Should -BeGreaterOrEqual 13
            $results | Should -HaveCount 1234
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            ($results.AccountStatus -join ',') | Should -BeExactly ((Get-ExpectedStatus $ids) -join ',')
        }

        It 'checks 10,000 IDs read from a file with Get-Content, each with its right status, in order' {
            $ids = @(New-UserIds 10000)
            $file = Join-Path $TestDrive 'users-10000.txt'
            Set-Content -Path $file -Value $ids
            $before = Get-AccountCheckCount $emulator

            $results = Get-Content $file | Test-TencentImAccount

            $results | Should -HaveCount 10000
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            ($results.AccountStatus -join ',') | Should -BeExactly ((Get-ExpectedStatus $ids) -join ',')
            (Get-AccountCheckCount $emulator) - $before | Should -Be 100
        }

        It 'sends a UserID repeated within a batch once, and answers every occurrence' {
            # 198 entries, 99 distinct: one request if the repeats are sent once (the API takes at most 100 items).
            $ids = @(foreach ($i in 0..98) { "user$i"; "user$i" })
            $before = Get-AccountCheckCount $emulator

            $results = $ids | Test-TencentImAccount

            (Get-AccountCheckCount $emulator) - $before | Should -Be 1
            $results | Should -HaveCount 198
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            ($results.AccountStatus -join ',') | Should -BeExactly ((Get-ExpectedStatus $ids) -join ',')
        }

        It 'answers repeats that are not adjacent, in input order' {
            $results = 'alice', 'nobody', 'alice', 'user3', 'nobody' | Test-TencentImAccount

            $results.UserID | Should -Be 'alice', 'nobody', 'alice', 'user3', 'nobody'
            $results.AccountStatus | Should -Be 'Imported', 'NotImported', 'Imported', 'Imported', 'NotImported'
        }
    }

    Context 'Input forms' {
        It 'skips blank and whitespace-only lines of piped input, without errors' {
            $results = 'alice', '', '   ', "`t", 'bob' | Test-TencentImAccount -ErrorVariable errors

            $results.UserID | Should -Be 'alice', 'bob'
            $errors | Should -BeNullOrEmpty
        }

        It 'skips the blank lines of a file' {
            $file = Join-Path $TestDrive 'with-blanks.txt'
            Set-Content -Path $file -Value 'alice', '', 'nobody', '  ', '', 'bob'

            $results = Get-Content $file | Test-TencentImAccount -ErrorVariable errors

            $results.UserID | Should -Be 'alice', 'nobody', 'bob'
            $errors | Should -BeNullOrEmpty
        }

        It 'trims surrounding whitespace, and the trimmed UserID is the one checked' {
            $results = '  alice  ', "bob`t", " user3`r" | Test-TencentImAccount

            $results.UserID | Should -BeExactly 'alice', 'bob', 'user3'
            $results.AccountStatus | Should -Be 'Imported', 'Imported', 'Imported'
        }

        It 'takes an array with -UserId' {
            $ids = @(New-UserIds 250 -Start 20)
            $before = Get-AccountCheckCount $emulator

            $results = Test-TencentImAccount -UserId $ids

            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            ($results.AccountStatus -join ',') | Should -BeExactly ((Get-ExpectedStatus $ids) -join ',')
            (Get-AccountCheckCount $emulator) - $before | Should -Be 3
        }

        It 'takes UserIDs as the positional parameter' {
            (Test-TencentImAccount alice, nobody).AccountStatus | Should -Be 'Imported', 'NotImported'
        }

        It 'takes the arrays of Get-Content -ReadCount 1000' {
            $ids = @(New-UserIds 2500 -Start 3000)
            $file = Join-Path $TestDrive 'users-2500.txt'
            Set-Content -Path $file -Value $ids
            $before = Get-AccountCheckCount $emulator

            $results = Get-Content $file -ReadCount 1000 | Test-TencentImAccount

            $results | Should -HaveCount 2500
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            ($results.AccountStatus -join ',') | Should -BeExactly ((Get-ExpectedStatus $ids) -join ',')
            (Get-AccountCheckCount $emulator) - $before | Should -Be 25
        }

        It 'takes Import-Csv rows by their <Column> column' -ForEach @(
            @{ Column = 'UserId' }
            @{ Column = 'Identifier' }
            @{ Column = 'Id' }
        ) {
            $file = Join-Path $TestDrive "users-$Column.csv"
            Set-Content -Path $file -Value "Name,$Column,Team", 'Alice,alice,red', 'Nobody,nobody,blue', 'Three,user3,red'

            $results = Import-Csv $file | Test-TencentImAccount

            $results.UserID | Should -Be 'alice', 'nobody', 'user3'
            $results.AccountStatus | Should -Be 'Imported', 'NotImported', 'Imported'
        }

        It 'takes numbers as UserIDs, and objects with a UserID property such as its own results' {
            $results = 42, [long]7 | Test-TencentImAccount
            $results.UserID | Should -BeExactly '42', '7'

            $again = 'alice', 'nobody' | Test-TencentImAccount | Test-TencentImAccount
            $again.UserID | Should -BeExactly 'alice', 'nobody'
            $again.AccountStatus | Should -Be 'Imported', 'NotImported'
        }

        It 'takes hashtables by their UserID, Identifier or Id key' {
            $results = @{ UserID = 'alice' }, @{ Identifier = 'nobody' }, @{ id = 'bob' } | Test-TencentImAccount

            $results.UserID | Should -BeExactly 'alice', 'nobody', 'bob'
        }
    }

    Context 'Input objects without a UserID' {
        It 'gives one InputObjectHasNoUserId error per CSV row without a UserID column, names the properties looked for, and sends nothing' {
            $file = Join-Path $TestDrive 'accounts-wrong-header.csv'
            Set-Content -Path $file -Value 'Account,Name', 'bob,B', 'alice,A'
            $before = Get-AccountCheckCount $emulator

            $results = Import-Csv $file | Test-TencentImAccount -ErrorVariable errors -ErrorAction SilentlyContinue

            $results | Should -BeNullOrEmpty
            $errors | Should -HaveCount 2
            $errors.FullyQualifiedErrorId | Should -BeExactly (@("InputObjectHasNoUserId,$commandName") * 2)
            $errors.CategoryInfo.Category | Should -Be 'InvalidArgument', 'InvalidArgument'
            $errors[0].TargetObject.Account | Should -BeExactly 'bob'
            $errors[0].ToString() | Should -Match 'UserID, Identifier or Id'
            $errors[0].ToString() | Should -Match 'Account, Name'
            (Get-AccountCheckCount $emulator) - $before | Should -Be 0
        }

        It 'gives InputObjectHasNoUserId for a <Kind>, in its place, and still answers the strings around it' -ForEach @(
            @{ Kind = 'hashtable without an ID key'; Make = { @{ Account = 'bob' } } }
            @{ Kind = 'FileInfo'; Make = { Get-Item -LiteralPath $PSCommandPath } }
            @{ Kind = 'boolean'; Make = { $true } }
        ) {
            $item = & $Make

            $mixed = @('alice', $item, 'nobody') | Test-TencentImAccount -ErrorAction Continue 2>&1

            $mixed | Should -HaveCount 3
            $mixed[0].UserID | Should -BeExactly 'alice'
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "InputObjectHasNoUserId,$commandName"
            $mixed[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $mixed[2].UserID | Should -BeExactly 'nobody'
        }

        It 'gives EmptyUserId for each CSV row whose UserID cell is <Cell>, in its place (a row is not a blank line)' -ForEach @(
            @{ Cell = 'empty'; Value = '' }
            @{ Cell = 'blank'; Value = '   ' }
        ) {
            $file = Join-Path $TestDrive "users-empty-cells.csv"
            Set-Content -Path $file -Value 'UserID,Name', 'alice,A', "$Value,B", 'nobody,C', "$Value,D"

            $mixed = Import-Csv $file | Test-TencentImAccount -ErrorAction Continue 2>&1

            $mixed | Should -HaveCount 4
            $mixed[0].UserID | Should -BeExactly 'alice'
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "EmptyUserId,$commandName"
            $mixed[1].TargetObject.Name | Should -BeExactly 'B'
            $mixed[2].UserID | Should -BeExactly 'nobody'
            $mixed[3].FullyQualifiedErrorId | Should -BeExactly "EmptyUserId,$commandName"
        }
    }

    Context 'Line breaks inside a UserID' {
        It 'gives UserIdHasLineBreak for Get-Content -Raw input, suggests dropping -Raw, and sends nothing' {
            $file = Join-Path $TestDrive 'raw.txt'
            Set-Content -Path $file -Value 'alice', 'bob', 'nobody'
            $before = Get-AccountCheckCount $emulator

            $results = Get-Content -Raw $file | Test-TencentImAccount -ErrorVariable errors -ErrorAction SilentlyContinue

            $results | Should -BeNullOrEmpty
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeExactly "UserIdHasLineBreak,$commandName"
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errors[0].ToString() | Should -Match '-Raw'
            (Get-AccountCheckCount $emulator) - $before | Should -Be 0
        }

        It 'gives UserIdHasLineBreak for an ID with an inner <Name>, in its place' -ForEach @(
            @{ Name = 'LF'; Id = "ali`nce" }
            @{ Name = 'CR'; Id = "ali`rce" }
            @{ Name = 'CRLF'; Id = "ali`r`nce" }
        ) {
            $mixed = 'alice', $Id, 'bob' | Test-TencentImAccount -ErrorAction Continue 2>&1

            $mixed | Should -HaveCount 3
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "UserIdHasLineBreak,$commandName"
            $mixed[2].UserID | Should -BeExactly 'bob'
        }
    }

    Context 'Invalid UserIDs' {
        It 'gives one UserIdTooLong error per ID over 32 bytes, in its place, and answers the others in order' {
            $ascii33 = 'a' * 33
            $cjk33 = '用' * 11          # 11 characters, 33 bytes in UTF-8
            $emoji33 = ('😀' * 8) + 'a' # 17 UTF-16 units, 33 bytes in UTF-8
            $ids = 'alice', $ascii33, 'nobody', $cjk33, 'bob', $emoji33, 'user3'

            $mixed = $ids | Test-TencentImAccount -ErrorAction Continue 2>&1

            $mixed | Should -HaveCount 7
            $results = @($mixed | Where-Object { $_ -is [TencentIm.AccountCheckResult] })
            $errors = @($mixed | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $results.UserID | Should -Be 'alice', 'nobody', 'bob', 'user3'
            $results.AccountStatus | Should -Be 'Imported', 'NotImported', 'Imported', 'Imported'
            $errors | Should -HaveCount 3
            $errors.FullyQualifiedErrorId | Should -BeExactly (@("UserIdTooLong,$commandName") * 3)
            $errors.CategoryInfo.Category | Should -Be 'InvalidArgument', 'InvalidArgument', 'InvalidArgument'
            $errors.TargetObject | Should -BeExactly $ascii33, $cjk33, $emoji33
            $errors[0].ToString() | Should -Match '33 bytes long in UTF-8; the service allows at most 32'
            # Each error in the place of its input.
            $mixed[1] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $mixed[3] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $mixed[5] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
        }

        It 'sends IDs of exactly 32 bytes (ASCII, CJK and emoji)' {
            $ids = ('a' * 32), ('用' * 10 + 'ab'), ('😀' * 8), '用户甲'
            $results = $ids | Test-TencentImAccount -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -BeExactly $ids
            $results.AccountStatus | Should -Be 'NotImported', 'NotImported', 'Imported', 'Imported'
        }

        It 'gives EmptyUserId for -UserId '''', and sends no request' {
            $before = Get-AccountCheckCount $emulator

            $results = Test-TencentImAccount -UserId '' -ErrorVariable errors -ErrorAction SilentlyContinue

            $results | Should -BeNullOrEmpty
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeExactly "EmptyUserId,$commandName"
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errors[0].TargetObject | Should -BeExactly ''
            $errors[0].ToString() | Should -Match 'A UserID is empty'
            (Get-AccountCheckCount $emulator) - $before | Should -Be 0
        }

        It 'gives EmptyUserId for an empty value in a -UserId array, in its place' {
            $mixed = Test-TencentImAccount -UserId 'alice', '', 'nobody' -ErrorAction Continue 2>&1

            $mixed | Should -HaveCount 3
            $mixed[0].UserID | Should -Be 'alice'
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "EmptyUserId,$commandName"
            $mixed[2].UserID | Should -Be 'nobody'
        }
    }

    Context '-BatchSize' {
        It 'sends at most <BatchSize> UserIDs per request: <Count> IDs in <Requests> requests' -ForEach @(
            @{ BatchSize = 1; Count = 5; Requests = 5 }
            @{ BatchSize = 7; Count = 50; Requests = 8 }
            @{ BatchSize = 100; Count = 250; Requests = 3 }
        ) {
            $ids = @(New-UserIds $Count -Start 7000)
            $before = Get-AccountCheckCount $emulator

            $results = $ids | Test-TencentImAccount -BatchSize $BatchSize

            (Get-AccountCheckCount $emulator) - $before | Should -Be $Requests
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            ($results.AccountStatus -join ',') | Should -BeExactly ((Get-ExpectedStatus $ids) -join ',')
        }

        It 'rejects -BatchSize <BatchSize> by validation, before any request' -ForEach @(
            @{ BatchSize = 101 }
            @{ BatchSize = 0 }
        ) {
            $before = Get-AccountCheckCount $emulator

            $err = Get-ThrownError { Test-TencentImAccount alice -BatchSize $BatchSize }

            $err.FullyQualifiedErrorId | Should -BeExactly "ParameterArgumentValidationError,$commandName"
            (Get-AccountCheckCount $emulator) - $before | Should -Be 0
        }
    }

    Context 'Per-account failures' {
        It 'gives AccountStatus Unknown, IsImported $null and the ResultCode for an account the service could not check' {
            $results = 'alice', 'carol', 'nobody' | Test-TencentImAccount -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -Be 'alice', 'carol', 'nobody'
            $results[1].AccountStatus | Should -Be 'Unknown'
            $null -eq $results[1].IsImported | Should -BeTrue
            $results[1].ResultCode | Should -Be 70500
            $results[1].ResultInfo | Should -Not -BeNullOrEmpty
            $results[0].AccountStatus | Should -Be 'Imported'
            $results[2].AccountStatus | Should -Be 'NotImported'
        }

        It 'asks once more, in a later request, for an account that got a transient per-account code (70500), and reports its real status' {
            Connect-TestEmulator $flakyEmulator
            $before = Get-AccountCheckCount $flakyEmulator

            $results = 'alice', 'dave', 'nobody' | Test-TencentImAccount -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -BeExactly 'alice', 'dave', 'nobody'
            $results.AccountStatus | Should -Be 'Imported', 'Imported', 'NotImported'
            $results[1].ResultCode | Should -Be 0
            (Get-AccountCheckCount $flakyEmulator) - $before | Should -Be 2
        }

        It 'asks only once more: an account whose code stays transient is Unknown after two requests' {
            $before = Get-AccountCheckCount $emulator

            $results = 'alice', 'carol' | Test-TencentImAccount

            $results[1].AccountStatus | Should -Be 'Unknown'
            $results[1].ResultCode | Should -Be 70500
            (Get-AccountCheckCount $emulator) - $before | Should -Be 2
        }

        It 'does not ask again for an account whose per-account code is not transient' {
            Connect-TestEmulator $flakyEmulator
            $before = Get-AccountCheckCount $flakyEmulator

            $results = 'alice', 'erin' | Test-TencentImAccount

            $results[1].AccountStatus | Should -Be 'Unknown'
            $results[1].ResultCode | Should -Be 70107
            (Get-AccountCheckCount $flakyEmulator) - $before | Should -Be 1
        }
    }

    Context 'Configuration errors' {
        It 'stops with ONE terminating error, naming the code and the fix, when the key is wrong' {
            Connect-TencentIm 1400000001 (ConvertTo-SecureString (New-TestSecretKey) -AsPlainText -Force) -Endpoint $emulator.BaseUri -SkipConnectionTest
            $ids = @(New-UserIds 5000)
            $before = Get-AccountCheckCount $emulator
            $caught = $null
            $results = @()

            try {
                $ids | Test-TencentImAccount -ErrorVariable errors -ErrorAction SilentlyContinue | ForEach-Object { $results += $_ }
            }
            catch {
                $caught = $_
            }

            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeExactly "SecretKeyMismatch,$commandName"
            $caught.CategoryInfo.Category | Should -Be 'AuthenticationError'
            "$caught" | Should -Match 'ErrorCode 70009'
            $caught.ErrorDetails.RecommendedAction | Should -Match 'Check that the key belongs to this SDKAppID'
            # -ErrorVariable holds every error the command wrote, the terminating one included: it must be alone.
            $errors | Should -HaveCount 1
            $results | Should -BeNullOrEmpty
            # The other requests stop: far fewer than the 50 batches of the input were sent.
            (Get-AccountCheckCount $emulator) - $before | Should -BeLessThan 50
        }

        It 'a configuration error is ONE terminating error every time, never preceded by per-UserID errors (150 runs)' {
            # Whether the run stops cleanly must not depend on which thread notices the failed request first: the
            # pipeline thread, still submitting IDs, may see the request completed before the request's own
            # continuation has recorded the error as fatal.
            $ids = @(New-UserIds 2000)
            $outcomes = foreach ($i in 1..150) {
                Connect-TencentIm 1400000001 (ConvertTo-SecureString (New-TestSecretKey) -AsPlainText -Force) -Endpoint $emulator.BaseUri -SkipConnectionTest
                $errors = $null
                try {
                    $null = $ids | Test-TencentImAccount -ErrorAction SilentlyContinue -ErrorVariable errors
                    'no terminating error'
                }
                catch {
                    '{0} with {1} error(s) in all' -f $_.FullyQualifiedErrorId, @($errors).Count
                }
            }

            $outcomes | Group-Object -NoElement | ForEach-Object { "$($_.Count) x $($_.Name)" } |
                Should -Be "150 x SecretKeyMismatch,$commandName with 1 error(s) in all"
        }
    }

    Context 'Output' {
        It 'writes TencentIm.AccountCheckResult objects' {
            $result = Test-TencentImAccount alice

            $result | Should -BeOfType ([TencentIm.AccountCheckResult])
            $result.PSObject.TypeNames[0] | Should -Be 'TencentIm.AccountCheckResult'
            (Get-Command Test-TencentImAccount).OutputType.Type | Should -Contain ([TencentIm.AccountCheckResult])
            $result.PSObject.Properties.Name | Should -Be 'UserID', 'AccountStatus', 'IsImported', 'ResultCode', 'ResultInfo'
            $result.AccountStatus | Should -BeOfType ([string])
        }

        It 'carries the status names, not numbers, into <Format>' -ForEach @(
            @{ Format = 'JSON'; Convert = { param($r) $r | ConvertTo-Json -Compress } }
            @{ Format = 'CSV'; Convert = { param($r) ($r | ConvertTo-Csv -NoTypeInformation) -join "`n" } }
        ) {
            $text = & $Convert (Test-TencentImAccount alice, nobody, carol)

            $text | Should -Match '"Imported"'
            $text | Should -Match 'NotImported'
            $text | Should -Match 'Unknown'
            $text | Should -Not -Match '"AccountStatus":\s*\d'
            $text | Should -Not -Match '(^|,)"?[012]"?,"?(True|False)?"?,'
        }

        It 'has a table as its default view, with UserID, AccountStatus, ResultCode and ResultInfo' {
            $format = Get-FormatData -TypeName TencentIm.AccountCheckResult

            $format | Should -Not -BeNullOrEmpty
            $format.FormatViewDefinition[0].Control | Should -BeOfType ([System.Management.Automation.TableControl])
            $format.FormatViewDefinition[0].Control.Headers.Label | Should -Be 'UserID', 'AccountStatus', 'ResultCode', 'ResultInfo'

            $lines = @((Test-TencentImAccount alice, nobody | Out-String -Width 120) -split "`r?`n" | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^UserID\s+AccountStatus\s+ResultCode\s+ResultInfo'
            $lines[2] | Should -Match '^alice\s+Imported\s+0'
            $lines[3] | Should -Match '^nobody\s+NotImported\s+0'
        }
    }

    Context 'Streaming' {
        It 'writes the first result before the input ends (5,000 IDs)' {
            $state = @{ Yielded = 0; YieldedAtFirstResult = -1; Results = 0 }
            function Get-Source {
                foreach ($i in 0..4999) {
                    $state.Yielded++
                    "user$i"
                }
            }

            Get-Source | Test-TencentImAccount | ForEach-Object {
                if ($state.Results -eq 0) { $state.YieldedAtFirstResult = $state.Yielded }
                $state.Results++
            }

            $state.Results | Should -Be 5000
            $state.Yielded | Should -Be 5000
            $state.YieldedAtFirstResult | Should -BeGreaterThan 0
            $state.YieldedAtFirstResult | Should -BeLessThan 5000
        }

        It 'with -ThrottleLimit 1, writes the first result before the 301st input item' {
            # One request in flight and at most two batches waiting: the first answer must be written before a
            # third batch can be started.
            $state = @{ Yielded = 0; YieldedAtFirstResult = -1; Results = 0 }
            function Get-Source {
                foreach ($i in 0..4999) {
                    $state.Yielded++
                    "user$i"
                }
            }

            Get-Source | Test-TencentImAccount -ThrottleLimit 1 | ForEach-Object {
                if ($state.Results -eq 0) { $state.YieldedAtFirstResult = $state.Yielded }
                $state.Results++
            }

            $state.Results | Should -Be 5000
            $state.YieldedAtFirstResult | Should -BeGreaterThan 0
            $state.YieldedAtFirstResult | Should -BeLessOrEqual 301
        }
    }
}

Describe 'Test-TencentImAccount with a pre-signed UserSig that expires mid-run' {
    BeforeAll {
        $script:clockEmulator = Start-TestEmulator -Accounts (New-UserIds 100)
    }

    AfterAll {
        Stop-TestEmulator $script:clockEmulator
    }

    It 'writes the results before the expiry, then stops with ONE UserSigExpired error naming the code and the fix' {
        $userSig = New-TestUserSig -SecretKey $clockEmulator.SecretKey -Lifetime ([TimeSpan]::FromHours(2))
        Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $clockEmulator.BaseUri
        $state = @{ Results = 0 }
        function Get-Source {
            $jumped = $false
            foreach ($i in 0..4999) {
                # Once 2,000 IDs are in and some answers are out, the emulator's clock jumps 3 hours: the UserSig has
                # expired for every later request. (Waiting for an answer keeps a busy machine, whose first requests
                # may not have left yet, from expiring them too.)
                if (-not $jumped -and $i -ge 2000 -and $state.Results -gt 0) {
                    Set-TencentImEmulator $clockEmulator.Handle -AdvanceBy (New-TimeSpan -Hours 3)
                    $jumped = $true
                }
                "user$i"
            }
        }
        $caught = $null

        try {
            Get-Source | Test-TencentImAccount -ErrorVariable errors -ErrorAction SilentlyContinue | ForEach-Object { $state.Results++ }
        }
        catch {
            $caught = $_
        }

        $state.Results | Should -BeGreaterThan 0
        $state.Results | Should -BeLessThan 5000
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeExactly 'UserSigExpired,TencentIm.Commands.TestTencentImAccountCommand'
        $caught.CategoryInfo.Category | Should -Be 'AuthenticationError'
        "$caught" | Should -Match 'ErrorCode 70001'
        $caught.ErrorDetails.RecommendedAction | Should -Match 'Connect again with -SecretKey or -Credential'
        $errors | Should -HaveCount 1
    }
}

Describe 'Test-TencentImAccount when requests keep failing' {
    BeforeAll {
        # Every request answers HTTP 503: retried, then given up.
        $script:faultyEmulator = Start-TestEmulator -Accounts 'alice' -Options @{ FaultRate = 1; FaultKind = 'http503' }
    }

    AfterAll {
        Stop-TestEmulator $script:faultyEmulator
    }

    It 'gives one non-terminating AccountCheckFailed error per UserID of the failed request, in input order' {
        # One retry, so that the request is given up after two attempts rather than the default five.
        Connect-TencentIm 1400000001 $faultyEmulator.SecureKey -Endpoint $faultyEmulator.BaseUri -SkipConnectionTest -MaximumRetryCount 1
        $tooLong = 'a' * 33
        $before = Get-AccountCheckCount $faultyEmulator

        $mixed = 'alice', $tooLong, 'nobody' | Test-TencentImAccount -ErrorAction Continue 2>&1

        (Get-AccountCheckCount $faultyEmulator) - $before | Should -Be 2
        $mixed | Should -HaveCount 3
        $mixed | ForEach-Object { $_ | Should -BeOfType ([System.Management.Automation.ErrorRecord]) }
        $mixed.FullyQualifiedErrorId | Should -BeExactly 'AccountCheckFailed,TencentIm.Commands.TestTencentImAccountCommand',
            'UserIdTooLong,TencentIm.Commands.TestTencentImAccountCommand',
            'AccountCheckFailed,TencentIm.Commands.TestTencentImAccountCommand'
        $mixed.TargetObject | Should -BeExactly 'alice', $tooLong, 'nobody'
        $mixed[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $mixed[0].ToString() | Should -Match "UserID 'alice' was not checked"
        $mixed[0].ToString() | Should -Match 'HTTP 503'
    }
}

Describe 'Test-TencentImAccount when the app''s quota is below the documented 100 calls/s' {
    # The module is not told the quota: it starts at 100 calls/s and must find what the service admits from its 60007
    # answers, with no error for any UserID. A 60007 proves the request did not run, so it spends none of the five
    # attempts; only the retry time limit (120 s) bounds it.
    BeforeAll {
        # q1 … q5000: every third one is imported.
        $script:quotaIds = @(1..5000 | ForEach-Object { "q$_" })
        $script:quotaImported = @($quotaIds | Where-Object { [int]$_.Substring(1) % 3 -eq 0 })
        $script:quotaStatuses = @($quotaIds | ForEach-Object { if ([int]$_.Substring(1) % 3 -eq 0) { 'Imported' } else { 'NotImported' } })
    }

    It 'checks 5,000 IDs against a quota of 5 calls/s (<Reading>) with no error, each ID answered right, in order' -ForEach @(
        @{ Reading = 'refused calls use no quota'; Extra = @{} }
        @{ Reading = 'refused calls count against the quota'; Extra = @{ RateLimitCountsRejected = $true } }
    ) {
        $limited = Start-TestEmulator -Accounts $quotaImported -Options (@{ RateLimit = @{ account_check = 5 } } + $Extra)
        try {
            Connect-TestEmulator $limited

            $output = $quotaIds | Test-TencentImAccount -ErrorVariable failed -ErrorAction SilentlyContinue -Verbose 4>&1

            $failed | Should -BeNullOrEmpty
            $results = @($output | Where-Object { $_ -is [TencentIm.AccountCheckResult] })
            $results | Should -HaveCount 5000
            ($results.UserID -join ',') | Should -BeExactly ($quotaIds -join ',')
            ($results.AccountStatus -join ',') | Should -BeExactly ($quotaStatuses -join ',')
            # It did meet the limit, and said so without spending attempts.
            (Get-TestStats $limited).Throttled | Should -BeGreaterThan 0
            $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            $verbose | Where-Object { $_ -match '^account_check: \d+ item\(s\), attempt 1, ErrorCode 60007 .*; over the frequency limit, so not counted as an attempt; retrying in \d+ ms\.$' } |
                Should -Not -BeNullOrEmpty
        }
        finally {
            Stop-TestEmulator $limited
        }
    }

    It 'answers every ID when the quota changes mid-run, from 50 to 5 and back to 50 calls/s' {
        $changing = Start-TestEmulator -Accounts $quotaImported -Options @{ RateLimit = @{ account_check = 50 } }
        try {
            Connect-TestEmulator $changing
            $ids = $quotaIds[0..1499]
            # Ten IDs a request, 32 in flight: at most 64 requests (640 IDs) wait ahead of the input, so the quota
            # changes while requests of the same run are in flight, after at least 6 and 46 requests are answered.
            $state = @{ Changes = @() }
            function Get-Source {
                foreach ($i in 0..1499) {
                    if ($i -eq 700 -or $i -eq 1100) {
                        $perSecond = if ($i -eq 700) { 5 } else { 50 }
                        $uri = [uri]::new($changing.BaseUri, "emulator/rate-limit?api=account_check&callsPerSecond=$perSecond")
                        $state.Changes += (Invoke-RestMethod -Method Post -Uri $uri).CallsPerSecond
                    }
                    $ids[$i]
                }
            }

            $results = @(Get-Source | Test-TencentImAccount -BatchSize 10 -ErrorVariable failed -ErrorAction SilentlyContinue)

            $state.Changes | Should -Be 5, 50
            $failed | Should -BeNullOrEmpty
            $results | Should -HaveCount 1500
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            ($results.AccountStatus -join ',') | Should -BeExactly ($quotaStatuses[0..1499] -join ',')
            (Get-TestStats $changing).Throttled | Should -BeGreaterThan 0
        }
        finally {
            Stop-TestEmulator $changing
        }
    }

    It 'lets two processes that share a quota of 10 calls/s (<Reading>) both answer every ID with no error' -ForEach @(
        @{ Reading = 'refused calls use no quota'; Extra = @{} }
        @{ Reading = 'refused calls count against the quota'; Extra = @{ RateLimitCountsRejected = $true } }
    ) {
        $shared = Start-TestEmulator -Accounts $quotaImported -Options (@{ RateLimit = @{ account_check = 10 } } + $Extra)
        try {
            # Each child checks q1 … q300 in requests of ten IDs, through its own connection and limiter, and reports
            # what it got; the key comes through the environment.
            $childScript = @'
param([string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Connect-TencentIm
$ids = @(1..300 | ForEach-Object { "q$_" })
$results = @($ids | Test-TencentImAccount -BatchSize 10 -ErrorAction SilentlyContinue -ErrorVariable failed)
$wrong = @($results | Where-Object { $_.AccountStatus -ne $(if ([int]$_.UserID.Substring(1) % 3 -eq 0) { 'Imported' } else { 'NotImported' }) })
[pscustomobject]@{
    Count = $results.Count
    InOrder = ($results.UserID -join ',') -ceq ($ids -join ',')
    Wrong = $wrong.Count
    Errors = @($failed | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })
} | ConvertTo-Json -Compress
'@
            $environment = @{ TENCENTIM_SDKAPPID = $shared.SdkAppId; TENCENTIM_SECRETKEY = $shared.SecretKey; TENCENTIM_ENDPOINT = $shared.BaseUri }
            $module = Join-Path (Get-TestModulePath) 'TencentIm.psd1'
            $children = @(1, 2 | ForEach-Object { Start-TestPwsh -Script $childScript -ArgumentList $module -Environment $environment })
            $runs = @($children | ForEach-Object { Wait-TestPwsh $_ -TimeoutSeconds 120 })

            foreach ($run in $runs) {
                $run.StdErr | Should -BeNullOrEmpty
                $run.ExitCode | Should -Be 0
                $report = $run.StdOut | ConvertFrom-Json
                $report.Errors | Should -BeNullOrEmpty
                $report.Count | Should -Be 300
                $report.InOrder | Should -BeTrue
                $report.Wrong | Should -Be 0
            }
            (Get-TestStats $shared).Throttled | Should -BeGreaterThan 0
        }
        finally {
            Stop-TestEmulator $shared
        }
    }
}
