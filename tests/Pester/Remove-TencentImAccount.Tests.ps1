#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Remove-TencentImAccount against the emulator: statuses and order, input forms, invalid input, pipelines with the
# other cmdlets, -WhatIf, both readings of 71000, the 3-month rule after a delete, and a run through 20 % faults of
# every kind. Each test deletes accounts of its own (a prefix per test) from one shared emulator. The answers to the
# confirmation prompt ([A] Yes to All, [N] No) are tested in xunit (RemoveAccountConfirmationTests), whose host can
# answer them.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:commandName = 'TencentIm.Commands.RemoveTencentImAccountCommand'

    $accounts = @(
        foreach ($i in 1..9) { "order$i"; "dup$i"; "blank$i"; "long$i"; "csv$i"; "pipe$i"; "whatif$i"; "again$i" }
        foreach ($i in 1..250) { "many$i" }
        foreach ($i in 1..30) { "file$i" }
        '用户乙', ('😀' * 8)
    )
    $script:emulator = Start-TestEmulator -Accounts $accounts

    function script:Get-DeleteCount($Emulator) { [long](Get-TestStats $Emulator).Requests.account_delete }

    # The emulator's imported UserIDs, one by one.
    function script:Get-EmulatorAccounts($Emulator) {
        Get-TencentImEmulatorAccount $Emulator.Handle | ForEach-Object { $_.UserID }
    }

    # One raw call of the service's API with a UserSig signed here, for the APIs no cmdlet of this branch calls.
    function script:Invoke-RawApi($Emulator, [string] $Command, [string] $Body) {
        $userSig = New-TestUserSig -SecretKey $Emulator.SecretKey
        $query = 'v4/im_open_login_svc/{0}?sdkappid={1}&identifier=administrator&usersig={2}&random=1&contenttype=json' -f
            $Command, $Emulator.SdkAppId, [uri]::EscapeDataString($userSig)
        Invoke-RestMethod -Method Post -Uri ([uri]::new($Emulator.BaseUri, $query)) -Body $Body -ContentType 'application/json'
    }
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'Remove-TencentImAccount' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    Context 'Statuses and order' {
        It 'deletes the accounts that exist, answers NotFound (70107) for the others, in input order' {
            $results = 'order1', 'ghost1', 'order2', 'order3', 'ghost2' | Remove-TencentImAccount -Confirm:$false -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -BeExactly 'order1', 'ghost1', 'order2', 'order3', 'ghost2'
            $results.Status | Should -BeExactly 'Deleted', 'NotFound', 'Deleted', 'Deleted', 'NotFound'
            $results.ResultCode | Should -Be 0, 70107, 0, 0, 70107
            $results[1].ResultInfo | Should -Not -BeNullOrEmpty
            (Test-TencentImAccount order1, order2, order3, order4).AccountStatus | Should -Be 'NotImported', 'NotImported', 'NotImported', 'Imported'
        }

        It 'deletes 250 accounts in 3 requests of at most 100 and answers them in input order' {
            $ids = @(1..250 | ForEach-Object { "many$_" })
            $before = Get-DeleteCount $emulator

            $results = $ids | Remove-TencentImAccount -Force

            (Get-DeleteCount $emulator) - $before | Should -Be 3
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            @($results | Where-Object Status -ne 'Deleted') | Should -BeNullOrEmpty
            @(Get-EmulatorAccounts $emulator | Where-Object { $_ -like 'many*' }) | Should -BeNullOrEmpty
        }

        It 'deletes multibyte UserIDs of up to 32 bytes' {
            $results = '用户乙', ('😀' * 8) | Remove-TencentImAccount -Force

            $results.UserID | Should -BeExactly '用户乙', ('😀' * 8)
            $results.Status | Should -BeExactly 'Deleted', 'Deleted'
        }
    }

    Context 'Input' {
        It 'takes Get-Content leavers.txt | Remove-TencentImAccount -Confirm:$false, skipping blank lines without errors' {
            $ids = @(1..30 | ForEach-Object { "file$_" })
            $file = Join-Path $TestDrive 'leavers.txt'
            Set-Content -Path $file -Value (@('') + $ids[0..14] + @('', '   ') + $ids[15..29] + @(''))

            $results = Get-Content $file | Remove-TencentImAccount -Confirm:$false -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            @($results | Where-Object Status -ne 'Deleted') | Should -BeNullOrEmpty
        }

        It 'skips blank and whitespace-only piped lines, and trims the others' {
            $results = 'blank1', '', '   ', "`t", "  blank2`t" | Remove-TencentImAccount -Force -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -BeExactly 'blank1', 'blank2'
            $results.Status | Should -BeExactly 'Deleted', 'Deleted'
        }

        It 'sends a UserID repeated within a batch once, and answers Deleted for every occurrence' {
            $before = Get-DeleteCount $emulator

            $results = 'dup1', 'dup2', 'dup1', 'ghost3', 'dup1', 'ghost3' | Remove-TencentImAccount -Force

            (Get-DeleteCount $emulator) - $before | Should -Be 1
            $results.UserID | Should -BeExactly 'dup1', 'dup2', 'dup1', 'ghost3', 'dup1', 'ghost3'
            $results.Status | Should -BeExactly 'Deleted', 'Deleted', 'Deleted', 'NotFound', 'Deleted', 'NotFound'
        }

        It 'answers a UserID repeated in a later batch NotFound there: the first batch deleted it' {
            # One request at a time: with two in flight the second batch could delete dup3 first.
            $results = 'dup3', 'dup4', 'dup3' | Remove-TencentImAccount -Force -BatchSize 2 -ThrottleLimit 1

            $results.Status | Should -BeExactly 'Deleted', 'Deleted', 'NotFound'
        }

        It 'gives one UserIdTooLong error per ID over 32 bytes, in its place, sends nothing for it, and deletes the others' {
            $ascii33 = 'a' * 33
            $cjk33 = '用' * 11
            $before = Get-DeleteCount $emulator

            $mixed = 'long1', $ascii33, 'long2', $cjk33 | Remove-TencentImAccount -Force -ErrorAction Continue 2>&1

            $mixed | Should -HaveCount 4
            $mixed[0].Status | Should -BeExactly 'Deleted'
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "UserIdTooLong,$commandName"
            $mixed[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $mixed[1].TargetObject | Should -BeExactly $ascii33
            "$($mixed[1])" | Should -Match 'It was not sent\.'
            $mixed[2].Status | Should -BeExactly 'Deleted'
            $mixed[3].FullyQualifiedErrorId | Should -BeExactly "UserIdTooLong,$commandName"
            (Get-DeleteCount $emulator) - $before | Should -Be 1
        }

        It 'sends nothing when every ID is invalid or blank' {
            $before = Get-DeleteCount $emulator

            $null = '', ('x' * 40), "a`nb" | Remove-TencentImAccount -Force -ErrorAction SilentlyContinue -ErrorVariable errors

            $errors.FullyQualifiedErrorId | Should -BeExactly "UserIdTooLong,$commandName", "UserIdHasLineBreak,$commandName"
            (Get-DeleteCount $emulator) - $before | Should -Be 0
        }

        It 'takes Import-Csv rows by their UserId column' {
            $file = Join-Path $TestDrive 'leavers.csv'
            Set-Content -Path $file -Value 'Name,UserId', 'One,csv1', 'Nobody,ghost4', 'Two,csv2'

            $results = Import-Csv $file | Remove-TencentImAccount -Force

            $results.UserID | Should -BeExactly 'csv1', 'ghost4', 'csv2'
            $results.Status | Should -BeExactly 'Deleted', 'NotFound', 'Deleted'
        }
    }

    Context 'Pipelines with the other cmdlets' {
        It 'deletes only the accounts Test-TencentImAccount finds imported' {
            $before = Get-DeleteCount $emulator

            $results = 'pipe1', 'ghost5', 'pipe2' | Test-TencentImAccount | Where-Object AccountStatus -eq Imported | Remove-TencentImAccount -Force

            $results.UserID | Should -BeExactly 'pipe1', 'pipe2'
            $results.Status | Should -BeExactly 'Deleted', 'Deleted'
            (Get-DeleteCount $emulator) - $before | Should -Be 1
        }

        It 'passes its results on to Test-TencentImAccount, which finds them gone' {
            $checked = 'pipe3', 'pipe4' | Remove-TencentImAccount -Force | Test-TencentImAccount

            $checked.UserID | Should -BeExactly 'pipe3', 'pipe4'
            $checked.AccountStatus | Should -BeExactly 'NotImported', 'NotImported'
        }
    }

    Context '-WhatIf' {
        It 'sends nothing and deletes nothing' {
            $before = Get-DeleteCount $emulator

            $results = 'whatif1', 'whatif2', 'ghost6' | Remove-TencentImAccount -WhatIf -ErrorVariable errors

            (Get-DeleteCount $emulator) - $before | Should -Be 0
            $results | Should -BeNullOrEmpty
            $errors | Should -BeNullOrEmpty
            (Test-TencentImAccount whatif1, whatif2).AccountStatus | Should -Be 'Imported', 'Imported'
        }

        It 'with -Force too, still sends nothing' {
            $before = Get-DeleteCount $emulator

            $results = 'whatif3' | Remove-TencentImAccount -WhatIf -Force

            $results | Should -BeNullOrEmpty
            (Get-DeleteCount $emulator) - $before | Should -Be 0
            (Test-TencentImAccount whatif3).AccountStatus | Should -Be 'Imported'
        }
    }

    Context 'After a delete' {
        It 'the account is gone, and importing it again within 3 months answers 70399' {
            $deleted = Remove-TencentImAccount again1 -Force

            $deleted.Status | Should -BeExactly 'Deleted'
            (Test-TencentImAccount again1).AccountStatus | Should -BeExactly 'NotImported'
            (Invoke-RawApi $emulator 'account_import' '{"UserID":"again1"}').ErrorCode | Should -Be 70399
            (Invoke-RawApi $emulator 'multiaccount_import' '{"Accounts":["again1","again-new"]}').FailAccounts | Should -BeExactly 'again1'
            (Test-TencentImAccount again1, again-new).AccountStatus | Should -Be 'NotImported', 'Imported'
        }
    }

    Context 'Output' {
        It 'writes TencentIm.AccountDeleteResult objects whose Status is text' {
            $result = Remove-TencentImAccount order5 -Force

            $result | Should -BeOfType ([TencentIm.AccountDeleteResult])
            (Get-Command Remove-TencentImAccount).OutputType.Type | Should -Contain ([TencentIm.AccountDeleteResult])
            $result.PSObject.Properties.Name | Should -Be 'UserID', 'Status', 'ResultCode', 'ResultInfo'
            $result.Status | Should -BeOfType ([string])
            ($result | ConvertTo-Json -Compress) | Should -Match '"Status":"Deleted"'
        }

        It 'has a table as its default view that fits 80 columns' {
            $format = Get-FormatData -TypeName TencentIm.AccountDeleteResult

            $format.FormatViewDefinition[0].Control | Should -BeOfType ([System.Management.Automation.TableControl])
            $format.FormatViewDefinition[0].Control.Headers.Label | Should -Be 'UserID', 'Status', 'ResultCode', 'ResultInfo'
            $lines = @((Remove-TencentImAccount order6, ghost7 -Force | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^UserID\s+Status\s+ResultCode\s+ResultInfo'
            $lines[2] | Should -Match '^order6\s+Deleted\s+0'
            $lines[3] | Should -Match '^ghost7\s+NotFound\s+70107\s+\S'
        }
    }
}

Describe 'Remove-TencentImAccount when account deletion is not enabled (71000)' {
    It 'stops with ONE AccountDeleteNotEnabled error saying where to enable it, when 71000 comes <Reading>' -ForEach @(
        @{ Reading = 'for the request'; Option = @{ DenyDelete = $true }; Said = 'failed with ErrorCode 71000' }
        @{ Reading = 'for each account'; Option = @{ DenyDeletePerItem = $true }; Said = 'answered ResultCode 71000' }
    ) {
        # 50 requests' worth of IDs: far fewer than 50 requests are sent once the first answer stops the run.
        $ids = @(1..5000 | ForEach-Object { "denied$_" })
        $denied = Start-TestEmulator -Accounts $ids[0..499] -Options $Option
        try {
            Connect-TestEmulator $denied
            $results = @()
            $caught = $null

            try {
                $ids | Remove-TencentImAccount -Force -ErrorVariable errors -ErrorAction SilentlyContinue | ForEach-Object { $results += $_ }
            }
            catch {
                $caught = $_
            }

            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeExactly "AccountDeleteNotEnabled,$commandName"
            $caught.CategoryInfo.Category | Should -Be 'PermissionDenied'
            "$caught" | Should -Match $Said
            "$caught" | Should -Match 'not enabled for this app'
            "$caught" | Should -Match 'IM console'
            $caught.ErrorDetails.RecommendedAction | Should -Match "Click here to remove the restriction"
            $errors | Should -HaveCount 1
            $results | Should -BeNullOrEmpty
            [long](Get-TestStats $denied).Requests.account_delete | Should -BeLessThan 50
            @(Get-EmulatorAccounts $denied) | Should -HaveCount 500
        }
        finally {
            Stop-TestEmulator $denied
        }
    }
}

Describe 'Remove-TencentImAccount through 20 % faults of every kind' {
    It 'answers every UserID exactly once, in order, and deletes every account; a 70107 after a lost answer is Deleted and -Verbose says so' {
        # Every other ID exists. Faults are replayable: the seed and the bodies (five IDs each) decide them.
        $ids = @(0..1999 | ForEach-Object { if ($_ % 2 -eq 0) { "f$_" } else { "never$_" } })
        $existing = @($ids | Where-Object { $_ -like 'f*' })
        $faulty = Start-TestEmulator -Accounts $existing -Options @{ FaultRate = 0.2; FaultKind = (Get-EveryFaultKind); Seed = 11; SlowResponseMs = 3000 }
        try {
            Connect-TestEmulator $faulty -Parameters @{ MaximumRetryCount = 10; RequestTimeoutSec = 1 }

            $output = $ids | Remove-TencentImAccount -Force -BatchSize 5 -ErrorVariable failed -ErrorAction SilentlyContinue -Verbose 4>&1

            $failed | Should -BeNullOrEmpty
            $results = @($output | Where-Object { $_ -is [TencentIm.AccountDeleteResult] })
            $notes = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^UserID ''([^'']+)'': .* was taken as Deleted\.$' } |
                    ForEach-Object { $_.Message -replace '^UserID ''([^'']+)''.*$', '$1' })
            $results | Should -HaveCount 2000
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            @($results | Where-Object { $_.UserID -like 'f*' -and $_.Status -ne 'Deleted' }) | Should -BeNullOrEmpty
            # An ID that never existed is NotFound, unless its request followed a lost answer: then it cannot be told
            # from one that attempt deleted, and is Deleted with a note.
            foreach ($r in $results | Where-Object { $_.UserID -like 'never*' }) {
                if ($r.Status -ne 'NotFound') {
                    $r.Status | Should -BeExactly 'Deleted'
                    $notes | Should -Contain $r.UserID
                }
            }
            @($results | Where-Object { $_.UserID -like 'never*' -and $_.Status -eq 'NotFound' }).Count | Should -BeGreaterThan 500
            # The drop-after faults deleted accounts whose answers were lost: their retries heard 70107.
            @($notes | Where-Object { $_ -like 'f*' }) | Should -Not -BeNullOrEmpty
            @($results | Where-Object { $_.UserID -like 'f*' -and $_.ResultCode -eq 70107 }).UserID | Should -Be @($notes | Where-Object { $_ -like 'f*' })
            @(Get-EmulatorAccounts $faulty) | Should -BeNullOrEmpty
            $stats = Get-TestStats $faulty
            foreach ($kind in '70169', '70202', '70500', 'http502', 'http503', 'truncated', 'drop', 'slow', 'drop-after') {
                $stats.Faults.$kind | Should -BeGreaterThan 0 -Because "a $kind fault must have been injected"
            }
        }
        finally {
            Stop-TestEmulator $faulty
        }
    }
}
