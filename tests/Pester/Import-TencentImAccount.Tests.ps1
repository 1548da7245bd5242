#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Import-TencentImAccount against the emulator: the pipelines of issue 8 (Test-TencentImAccount's output, Import-Csv
# with Nick and FaceUrl), input forms, order, duplicates, blanks, invalid UserIDs and profile fields, the per-account
# reasons (70399 after a delete, 70398 at the account limit, a trial edition), -WhatIf, faults, configuration errors
# and the output type.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule

    $script:emulator = Start-TestEmulator -Accounts 'alice', 'bob', 'gone', 'gone2'
    $script:commandName = 'TencentIm.Commands.ImportTencentImAccountCommand'

    function script:Get-ApiCount($Emulator, [string] $Api) { [long](Get-TestStats $Emulator).Requests.$Api }

    # The import requests (both APIs) the emulator has seen.
    function script:Get-ImportCount($Emulator) { (Get-ApiCount $Emulator multiaccount_import) + (Get-ApiCount $Emulator account_import) }

    # UserID, Nick and FaceUrl of every account (Get-TencentImEmulatorAccount), keyed by UserID.
    function script:Get-EmulatorAccount($Emulator) {
        $accounts = @{}
        Get-TencentImEmulatorAccount $Emulator.Handle | ForEach-Object { $accounts[$_.UserID] = $_ }
        $accounts
    }

    # The UserIDs, sorted ordinally by the emulator.
    function script:Get-EmulatorUserId($Emulator) {
        Get-TencentImEmulatorAccount $Emulator.Handle | ForEach-Object { [string]$_.UserID }
    }

    # Deletes accounts through the emulator's account_delete, as another admin tool would.
    function script:Remove-EmulatorAccount($Emulator, [string[]] $UserId) {
        $userSig = New-TestUserSig -SecretKey $Emulator.SecretKey
        $query = 'v4/im_open_login_svc/account_delete?sdkappid={0}&identifier=administrator&usersig={1}&random=1&contenttype=json' -f $Emulator.SdkAppId, [uri]::EscapeDataString($userSig)
        $body = @{ DeleteItem = @($UserId | ForEach-Object { @{ UserID = $_ } }) } | ConvertTo-Json -Compress
        $answer = Invoke-RestMethod -Method Post -Uri ([uri]::new($Emulator.BaseUri, $query)) -Body $body -ContentType 'application/json'
        $answer.ErrorCode | Should -Be 0
        @($answer.ResultItem.ResultCode | Where-Object { $_ -ne 0 }) | Should -BeNullOrEmpty
    }

    function script:New-UserIds([int] $Count, [string] $Prefix) { foreach ($i in 0..($Count - 1)) { "$Prefix$i" } }

    Remove-EmulatorAccount $emulator 'gone', 'gone2'
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'Import-TencentImAccount' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    Context 'The pipelines of issue 8' {
        It 'imports what Test-TencentImAccount finds NotImported: Get-Content wanted.txt | Test-TencentImAccount | Where-Object AccountStatus -eq NotImported | Import-TencentImAccount' {
            $file = Join-Path $TestDrive 'wanted.txt'
            Set-Content $file 'alice', 'w-new1', '', 'bob', 'w-new2', 'w-new3'
            $before = Get-ApiCount $emulator multiaccount_import

            $results = Get-Content $file | Test-TencentImAccount | Where-Object AccountStatus -eq NotImported | Import-TencentImAccount

            $results.UserID | Should -BeExactly 'w-new1', 'w-new2', 'w-new3'
            $results.Status | Should -Be 'Imported', 'Imported', 'Imported'
            $results.ResultCode | Should -Be 0, 0, 0
            (Get-ApiCount $emulator multiaccount_import) - $before | Should -Be 1
            $after = Get-Content $file | Test-TencentImAccount
            $after.AccountStatus | Should -Be 'Imported', 'Imported', 'Imported', 'Imported', 'Imported'
        }

        It 'imports a CSV file with its Nick and FaceUrl: Import-Csv staff.csv | Import-TencentImAccount (an empty cell sends no value)' {
            $file = Join-Path $TestDrive 'staff.csv'
            Set-Content $file -Encoding utf8 'UserID,Nick,FaceUrl,Team',
                's-ann,Ann,https://example.com/ann.png,red',
                's-ben,Ben,,blue',
                's-cai,,https://example.com/cai.png,red',
                's-dee,"  Dee Dee  ",,red',
                's-用户,用户甲,https://example.com/u.png,blue'

            $results = Import-Csv $file | Import-TencentImAccount -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -BeExactly 's-ann', 's-ben', 's-cai', 's-dee', 's-用户'
            $results.Status | Should -Be 'Imported', 'Imported', 'Imported', 'Imported', 'Imported'
            (Test-TencentImAccount s-ann, s-ben, s-cai, s-dee, s-用户).AccountStatus | Should -Be 'Imported', 'Imported', 'Imported', 'Imported', 'Imported'
            $accounts = Get-EmulatorAccount $emulator
            $accounts['s-ann'].Nick | Should -BeExactly 'Ann'
            $accounts['s-ann'].FaceUrl | Should -BeExactly 'https://example.com/ann.png'
            $accounts['s-ben'].Nick | Should -BeExactly 'Ben'
            $accounts['s-ben'].FaceUrl | Should -BeNullOrEmpty
            $accounts['s-cai'].Nick | Should -BeNullOrEmpty
            $accounts['s-cai'].FaceUrl | Should -BeExactly 'https://example.com/cai.png'
            $accounts['s-dee'].Nick | Should -BeExactly 'Dee Dee'
            $accounts['s-用户'].Nick | Should -BeExactly '用户甲'
        }

        It 'takes hashtables with keys in any case, and -Nick and -FaceUrl for input that has no such field' {
            $results = @{ userid = 'h-one'; NICK = 'One'; faceurl = 'https://example.com/1.png' }, 'h-two', @{ Id = 'h-three'; Team = 'x' } |
                Import-TencentImAccount -Nick 'Default' -FaceUrl 'https://example.com/default.png'

            $results.UserID | Should -BeExactly 'h-one', 'h-two', 'h-three'
            $accounts = Get-EmulatorAccount $emulator
            $accounts['h-one'].Nick | Should -BeExactly 'One'
            $accounts['h-one'].FaceUrl | Should -BeExactly 'https://example.com/1.png'
            $accounts['h-two'].Nick | Should -BeExactly 'Default'
            $accounts['h-three'].Nick | Should -BeExactly 'Default'
            $accounts['h-three'].FaceUrl | Should -BeExactly 'https://example.com/default.png'
        }

        It 'takes the arrays of Get-Content -ReadCount, and numbers' {
            $file = Join-Path $TestDrive 'readcount.txt'
            $ids = @(New-UserIds 25 'rc')
            Set-Content $file $ids

            $results = Get-Content $file -ReadCount 10 | Import-TencentImAccount
            $numbers = 4201, [long]4202 | Import-TencentImAccount

            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            $numbers.UserID | Should -BeExactly '4201', '4202'
            (Test-TencentImAccount 4201, rc24).AccountStatus | Should -Be 'Imported', 'Imported'
        }

        It 'takes -UserId, positionally too' {
            $results = Import-TencentImAccount p-one, p-two -Nick 'P'

            $results.UserID | Should -BeExactly 'p-one', 'p-two'
            (Get-EmulatorAccount $emulator)['p-two'].Nick | Should -BeExactly 'P'
        }

        It 'imports an existing account again as an update: Imported, with the new Nick and the FaceUrl it had' {
            $null = Import-TencentImAccount -UserId u-again -Nick 'Old' -FaceUrl 'https://example.com/old.png'

            $result = Import-TencentImAccount -UserId u-again -Nick 'New'

            $result.Status | Should -Be 'Imported'
            $result.ResultCode | Should -Be 0
            $account = (Get-EmulatorAccount $emulator)['u-again']
            $account.Nick | Should -BeExactly 'New'
            $account.FaceUrl | Should -BeExactly 'https://example.com/old.png'
        }
    }

    Context 'Order, duplicates and blanks' {
        It 'imports 1,234 IDs in at least 13 requests and answers them in input order' {
            $ids = @(New-UserIds 1234 'o')
            $before = Get-ApiCount $emulator multiaccount_import

            $results = $ids | Import-TencentImAccount

            (Get-ApiCount $emulator multiaccount_import) - $before | Should -BeGreaterOrEqual 13
            ($results.UserID -join ',') | Should -BeExactly ($ids -join ',')
            @($results | Where-Object Status -ne 'Imported') | Should -BeNullOrEmpty
            @((Test-TencentImAccount $ids) | Where-Object AccountStatus -ne 'Imported') | Should -BeNullOrEmpty
        }

        It 'sends a UserID repeated within a batch once, and answers every occurrence with the same Nick' {
            # 198 rows, 99 distinct UserIDs: one request if the repeats are sent once (the API takes at most 100).
            $rows = foreach ($i in 0..98) { @{ UserID = "d$i"; Nick = "nick$i" }; @{ UserID = "d$i"; Nick = "nick$i" } }
            $before = Get-ApiCount $emulator multiaccount_import

            $results = $rows | Import-TencentImAccount

            (Get-ApiCount $emulator multiaccount_import) - $before | Should -Be 1
            ($results.UserID -join ',') | Should -BeExactly (($rows | ForEach-Object { $_.UserID }) -join ',')
            ($results.Status | Select-Object -Unique) | Should -BeExactly 'Imported'
            $accounts = Get-EmulatorAccount $emulator
            $accounts['d0'].Nick | Should -BeExactly 'nick0'
            $accounts['d98'].Nick | Should -BeExactly 'nick98'
        }

        It 'skips blank lines of piped text without errors, and trims whitespace around UserIDs' {
            $results = 'b-one', '', '   ', "  b-two`t", "`t" | Import-TencentImAccount -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -BeExactly 'b-one', 'b-two'
        }

        It 'gives EmptyUserId for a CSV row whose UserID cell is empty, in its place, with the row as target' {
            $file = Join-Path $TestDrive 'empty-cell.csv'
            Set-Content $file 'UserID,Nick', 'e-one,One', ',Nobody', 'e-two,Two'

            $mixed = Import-Csv $file | Import-TencentImAccount -ErrorAction Continue 2>&1

            $mixed | Should -HaveCount 3
            $mixed[0].UserID | Should -BeExactly 'e-one'
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "EmptyUserId,$commandName"
            $mixed[1].TargetObject.Nick | Should -BeExactly 'Nobody'
            $mixed[2].UserID | Should -BeExactly 'e-two'
        }

        It 'gives InputObjectHasNoUserId for a CSV without a UserID column and sends nothing' {
            $file = Join-Path $TestDrive 'no-userid.csv'
            Set-Content $file 'Account,Nick', 'x-one,One'
            $before = Get-ImportCount $emulator

            $results = Import-Csv $file | Import-TencentImAccount -ErrorVariable errors -ErrorAction SilentlyContinue

            $results | Should -BeNullOrEmpty
            $errors.FullyQualifiedErrorId | Should -BeExactly "InputObjectHasNoUserId,$commandName"
            (Get-ImportCount $emulator) - $before | Should -Be 0
        }
    }

    Context 'Invalid UserIDs and profile fields' {
        It 'gives ImportRepeatDiffers to a UserID that comes again in the same request with another Nick, instead of answering Imported for a Nick never stored' {
            $rows = [pscustomobject]@{ UserID = 'rep1'; Nick = 'First' }, [pscustomobject]@{ UserID = 'rep1'; Nick = 'Second' }

            $mixed = $rows | Import-TencentImAccount -ErrorAction Continue 2>&1

            $mixed | Should -HaveCount 2
            $mixed[0].Status | Should -BeExactly 'Imported'
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "ImportRepeatDiffers,$commandName"
            "$($mixed[1])" | Should -Match 'only the first values were sent'
            (Get-EmulatorAccount $emulator)['rep1'].Nick | Should -BeExactly 'First'
        }

        It 'answers Imported for each occurrence of a UserID repeated with the same Nick' {
            $rows = [pscustomobject]@{ UserID = 'rep2'; Nick = 'Same' }, [pscustomobject]@{ UserID = 'rep2'; Nick = 'Same' }

            $results = $rows | Import-TencentImAccount -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.Status | Should -BeExactly 'Imported', 'Imported'
        }

        It 'gives one UserIdTooLong error per ID over 32 bytes, in its place, sends nothing for it and imports the others in order' {
            $ascii33 = 'a' * 33
            $cjk33 = '用' * 11
            $ids = 'l-one', $ascii33, 'l-two', $cjk33, 'l-three'
            $before = Get-ImportCount $emulator

            $mixed = $ids | Import-TencentImAccount -ErrorAction Continue 2>&1

            # One multiaccount_import for the three valid IDs, nothing else: the long ones were never sent.
            (Get-ImportCount $emulator) - $before | Should -Be 1
            $mixed | Should -HaveCount 5
            $mixed[0].UserID | Should -BeExactly 'l-one'
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "UserIdTooLong,$commandName"
            $mixed[1].TargetObject | Should -BeExactly $ascii33
            $mixed[2].UserID | Should -BeExactly 'l-two'
            $mixed[3].FullyQualifiedErrorId | Should -BeExactly "UserIdTooLong,$commandName"
            $mixed[4].UserID | Should -BeExactly 'l-three'
            $accounts = Get-EmulatorAccount $emulator
            $accounts.ContainsKey($ascii33) | Should -BeFalse
            $accounts.ContainsKey($cjk33) | Should -BeFalse
        }

        It 'gives <ErrorId> for a <Field> over 500 bytes in UTF-8, with the row as target, sends nothing for it, and takes exactly 500 bytes' -ForEach @(
            @{ Field = 'Nick'; ErrorId = 'NickTooLong' }
            @{ Field = 'FaceUrl'; ErrorId = 'FaceUrlTooLong' }
        ) {
            $tooLong = '用' * 167          # 501 bytes
            $longest = ('用' * 166) + 'ab' # 500 bytes
            $rows = @{ UserID = 'f-ok1' }, @{ UserID = "f-long-$Field"; $Field = $tooLong }, @{ UserID = "f-max-$Field"; $Field = $longest }
            $before = Get-ApiCount $emulator multiaccount_import

            $mixed = $rows | Import-TencentImAccount -ErrorAction Continue 2>&1

            $mixed | Should -HaveCount 3
            $mixed[0].Status | Should -Be 'Imported'
            $mixed[1] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $mixed[1].FullyQualifiedErrorId | Should -BeExactly "$ErrorId,$commandName"
            $mixed[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $mixed[1].TargetObject.UserID | Should -BeExactly "f-long-$Field"
            "$($mixed[1])" | Should -Match "The $Field given for UserID 'f-long-$Field' is 501 bytes long in UTF-8; the service allows at most 500\."
            "$($mixed[1])" | Should -Match 'Nothing was sent for this account'
            $mixed[2].UserID | Should -BeExactly "f-max-$Field"
            $mixed[2].Status | Should -Be 'Imported'
            (Get-ApiCount $emulator multiaccount_import) - $before | Should -Be 1
            $accounts = Get-EmulatorAccount $emulator
            $accounts.ContainsKey("f-long-$Field") | Should -BeFalse
            $accounts["f-max-$Field"].$Field | Should -BeExactly $longest
        }

        It 'gives NickTooLong for each UserID when -Nick is over 500 bytes, and sends nothing' {
            $before = Get-ImportCount $emulator

            $results = Import-TencentImAccount -UserId n-one, n-two -Nick ('n' * 501) -ErrorVariable errors -ErrorAction SilentlyContinue

            $results | Should -BeNullOrEmpty
            $errors.FullyQualifiedErrorId | Should -BeExactly "NickTooLong,$commandName", "NickTooLong,$commandName"
            $errors.TargetObject | Should -BeExactly 'n-one', 'n-two'
            (Get-ImportCount $emulator) - $before | Should -Be 0
        }

        It 'gives NickNotText for a Nick that is not text, in its place' {
            $mixed = @{ UserID = 't-one'; Nick = @{ First = 'x' } }, 't-two' | Import-TencentImAccount -ErrorAction Continue 2>&1

            $mixed[0].FullyQualifiedErrorId | Should -BeExactly "NickNotText,$commandName"
            "$($mixed[0])" | Should -Match "The key Nick of the input object for UserID 't-one' is a System.Collections.Hashtable, not text"
            $mixed[1].UserID | Should -BeExactly 't-two'
        }
    }

    Context 'Accounts the service does not import' {
        It 'answers Failed with 70399 and says why and what to do, for a UserID deleted less than 3 months ago (not a trial edition)' {
            $before = Get-ApiCount $emulator account_import

            $results = 'r-fresh', 'gone', 'r-fresh2' | Import-TencentImAccount -ErrorVariable errors

            $errors | Should -BeNullOrEmpty
            $results.UserID | Should -BeExactly 'r-fresh', 'gone', 'r-fresh2'
            $results.Status | Should -Be 'Imported', 'Failed', 'Imported'
            $results[1].ResultCode | Should -Be 70399
            $results[1].ResultInfo | Should -Match '^The UserID was deleted less than 3 months ago and cannot be imported again: gone\. '
            $results[1].ResultInfo | Should -Match 'cannot be imported again until 3 months after its deletion'
            $results[1].ResultInfo | Should -Match 'Import it again once those 3 months have passed, or use another UserID\.$'
            # The reason came from one account_import of that account alone.
            (Get-ApiCount $emulator account_import) - $before | Should -Be 1
            (Test-TencentImAccount gone).AccountStatus | Should -Be 'NotImported'
        }

        It 'imports a deleted UserID again at once on a trial edition (--trial)' {
            $trial = Start-TestEmulator -Accounts 'gone' -Options @{ Trial = $true }
            try {
                Remove-EmulatorAccount $trial 'gone'
                Connect-TestEmulator $trial

                $result = Import-TencentImAccount -UserId gone -Nick 'Back'

                $result.Status | Should -Be 'Imported'
                (Test-TencentImAccount gone).AccountStatus | Should -Be 'Imported'
                (Get-EmulatorAccount $trial)['gone'].Nick | Should -BeExactly 'Back'
            }
            finally {
                Stop-TestEmulator $trial
            }
        }

        It 'answers Failed with 70398 and what to do for every new account beyond the edition''s account limit, in order' {
            $limited = Start-TestEmulator -Accounts 'alice' -Options @{ AccountLimit = 3 }
            try {
                Connect-TestEmulator $limited

                $results = 'alice', 'k1', 'k2', 'k3', 'k4' | Import-TencentImAccount -Nick 'K' -ThrottleLimit 1

                $results.UserID | Should -BeExactly 'alice', 'k1', 'k2', 'k3', 'k4'
                $results.Status | Should -Be 'Imported', 'Imported', 'Imported', 'Failed', 'Failed'
                $results[3].ResultCode | Should -Be 70398
                $results[3].ResultInfo | Should -Match "^Account number exceeds the limit of the app's edition: k3\. "
                $results[3].ResultInfo | Should -Match "The app's edition allows no more accounts"
                $results[3].ResultInfo | Should -Match "Upgrade the app's edition in the IM console, or delete accounts the app no longer needs, then import again\.$"
                (Get-ApiCount $limited account_import) | Should -Be 2
                Get-EmulatorUserId $limited | Should -BeExactly 'alice', 'k1', 'k2'
            }
            finally {
                Stop-TestEmulator $limited
            }
        }
    }

    Context '-WhatIf' {
        It 'sends nothing and writes nothing with -WhatIf' {
            $file = Join-Path $TestDrive 'whatif.csv'
            Set-Content $file 'UserID,Nick,FaceUrl', 'wi-csv1,One,https://example.com/1.png', 'wi-csv2,,'
            $before = Get-TestStats $emulator

            $results = Import-Csv $file | Import-TencentImAccount -WhatIf
            $typed = Import-TencentImAccount -UserId wi-one, wi-two -WhatIf

            $results | Should -BeNullOrEmpty
            $typed | Should -BeNullOrEmpty
            $after = Get-TestStats $emulator
            $after.TotalRequests | Should -Be $before.TotalRequests
            (Get-EmulatorAccount $emulator).ContainsKey('wi-one') | Should -BeFalse
        }

        It 'shows each account it would import, with its Nick and FaceUrl, and sends nothing (a fresh pwsh''s console)' {
            $before = Get-TestStats $emulator
            $script = @'
param([string] $Manifest)
Import-Module $Manifest
Connect-TencentIm -SkipConnectionTest
@{ UserID = 'wi-ann'; Nick = 'Ann'; FaceUrl = 'https://example.com/ann.png' }, 'wi-bob' | Import-TencentImAccount -WhatIf
'@
            $environment = @{ TENCENTIM_SDKAPPID = $emulator.SdkAppId; TENCENTIM_SECRETKEY = $emulator.SecretKey; TENCENTIM_ENDPOINT = $emulator.BaseUri }

            $run = Invoke-TestPwsh -Script $script -ArgumentList (Join-Path (Get-TestModulePath) 'TencentIm.psd1') -Environment $environment

            $run.StdErr | Should -BeNullOrEmpty
            $lines = @($run.StdOut -split '\r?\n' | Where-Object { $_ -match '^What if:' })
            $lines | Should -HaveCount 2
            $lines[0] | Should -BeExactly 'What if: Performing the operation "Import account (create it, or update the Nick and FaceUrl of an existing one)" on target "UserID ''wi-ann'', Nick ''Ann'', FaceUrl ''https://example.com/ann.png''".'
            $lines[1] | Should -Match "on target `"UserID 'wi-bob'`"\.$"
            (Get-TestStats $emulator).TotalRequests | Should -Be $before.TotalRequests
        }

        It 'has ConfirmImpact Medium, so that it does not ask by default' {
            $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command Import-TencentImAccount))

            $metadata.SupportsShouldProcess | Should -BeTrue
            $metadata.ConfirmImpact | Should -Be 'Medium'
        }
    }

    Context 'Configuration errors and validation' {
        It 'stops with ONE terminating error naming the code and the fix when the key is wrong, and imports nothing' {
            Connect-TencentIm 1400000001 (ConvertTo-SecureString (New-TestSecretKey) -AsPlainText -Force) -Endpoint $emulator.BaseUri -SkipConnectionTest
            $ids = @(New-UserIds 2000 'c')
            $caught = $null

            try {
                $null = $ids | Import-TencentImAccount -ErrorVariable errors -ErrorAction SilentlyContinue
            }
            catch {
                $caught = $_
            }

            $caught.FullyQualifiedErrorId | Should -BeExactly "SecretKeyMismatch,$commandName"
            "$caught" | Should -Match 'ErrorCode 70009'
            $errors | Should -HaveCount 1
            (Get-EmulatorAccount $emulator).ContainsKey('c0') | Should -BeFalse
        }

        It 'rejects -BatchSize <BatchSize> by validation, before any request' -ForEach @(@{ BatchSize = 0 }, @{ BatchSize = 101 }) {
            $before = Get-ImportCount $emulator

            $err = Get-ThrownError { Import-TencentImAccount v-one -BatchSize $BatchSize }

            $err.FullyQualifiedErrorId | Should -BeExactly "ParameterArgumentValidationError,$commandName"
            (Get-ImportCount $emulator) - $before | Should -Be 0
        }

        It 'sends at most -BatchSize accounts a request: 25 IDs with -BatchSize 10 in 3 requests' {
            $before = Get-ApiCount $emulator multiaccount_import

            $results = New-UserIds 25 'bs' | Import-TencentImAccount -BatchSize 10

            $results | Should -HaveCount 25
            (Get-ApiCount $emulator multiaccount_import) - $before | Should -Be 3
        }
    }

    Context 'Output' {
        It 'writes TencentIm.AccountImportResult objects with UserID, Status (text), ResultCode and ResultInfo' {
            $result = Import-TencentImAccount out-one

            $result | Should -BeOfType ([TencentIm.AccountImportResult])
            (Get-Command Import-TencentImAccount).OutputType.Type | Should -Contain ([TencentIm.AccountImportResult])
            $result.PSObject.Properties.Name | Should -Be 'UserID', 'Status', 'ResultCode', 'ResultInfo'
            $result.Status | Should -BeOfType ([string])
            ($result | ConvertTo-Json -Compress) | Should -Match '"Status":"Imported"'
        }

        It 'has a table as its default view, with UserID, Status, ResultCode and ResultInfo' {
            $lines = @((Import-TencentImAccount out-two, gone | Out-String -Width 80) -split "`r?`n" | ForEach-Object TrimEnd | Where-Object { $_ })

            $lines[0] | Should -Match '^UserID\s+Status\s+ResultCode\s+ResultInfo$'
            $lines[2] | Should -Match '^out-two\s+Imported\s+0$'
            $lines[3] | Should -Match '^gone\s+Failed\s+70399\s+The UserID was deleted'
            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        }
    }
}

Describe 'Import-TencentImAccount when 20 % of the requests meet a fault of every kind' {
    It 'answers each of 3,000 IDs exactly once, in order, imports up to the account limit and gives the rest 70398' {
        # Ten IDs a request and an account limit of 2,500: 300 multiaccount_import calls and 500 account_import
        # follow-ups, a fifth of them answered with 70169, 70202, 70500, HTTP 502 or 503, a cut-off answer, a dropped
        # connection or no answer within the 1 s timeout. The emulator refuses a faulty request before it imports.
        $faulty = Start-TestEmulator -Options @{ FaultRate = 0.2; FaultKind = (Get-EveryFaultKind); Seed = 20261125; SlowResponseMs = 3000; AccountLimit = 2500 }
        try {
            Connect-TestEmulator $faulty @{ RequestTimeoutSec = 1; MaximumRetryCount = 10; SkipConnectionTest = $true }
            $ids = @(New-UserIds 3000 'z')

            $output = $ids | Import-TencentImAccount -BatchSize 10 -ErrorAction SilentlyContinue -ErrorVariable failed

            $failed | Should -BeNullOrEmpty
            $output | Should -HaveCount 3000
            ($output.UserID -join ',') | Should -BeExactly ($ids -join ',')
            $imported = @($output | Where-Object Status -eq 'Imported')
            $refused = @($output | Where-Object Status -eq 'Failed')
            $imported | Should -HaveCount 2500
            $refused | Should -HaveCount 500
            @($refused | Where-Object ResultCode -ne 70398) | Should -BeNullOrEmpty
            $inEmulator = @(Get-EmulatorUserId $faulty)
            $inEmulator | Should -HaveCount 2500
            (($inEmulator | Sort-Object) -join ',') | Should -BeExactly (($imported.UserID | Sort-Object) -join ',')
            $stats = Get-TestStats $faulty
            foreach ($kind in '70169', '70202', '70500', 'http502', 'http503', 'truncated', 'drop', 'slow') {
                $stats.Faults.$kind | Should -BeGreaterThan 0 -Because "a $kind fault must have been injected"
            }
        }
        finally {
            Stop-TestEmulator $faulty
        }
    }
}
