#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The second runbook (samples/Sync-DirectoryAccounts.ps1), run as an automation account would: signed in from the
# TENCENTIM_* environment variables, against the emulator. The emulator starts with alice and bob, accounts the runbook
# did not import; each test uses its own UserIDs (a deleted UserID cannot be imported again for 3 months).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:runbook = Join-Path (Get-TestRepoRoot) 'samples/Sync-DirectoryAccounts.ps1'
    $script:emulator = Start-TestEmulator -Accounts 'alice', 'bob'
    $script:saved = Save-TencentImVariables

    # UserID -> {UserID, Nick, FaceUrl} of every account of the emulator.
    function script:Get-EmulatorAccount {
        $accounts = @{}
        $list = Invoke-RestMethod ([uri]::new($emulator.BaseUri, 'emulator/accounts?detail=1'))
        $list | ForEach-Object { $accounts[$_.UserID] = $_ }
        $accounts
    }

    function script:Get-ApiCount([string] $Api) { [long](Get-TestStats $emulator).Requests.$Api }

    # Writes a directory CSV (UserID, Nick, FaceUrl) of the given UserIDs; Nick is 'Nick of <UserID>' unless given.
    function script:New-Directory([string] $Name, [string[]] $UserId, [hashtable] $Nick = @{}) {
        $file = Join-Path $TestDrive $Name
        $UserId | ForEach-Object {
            [pscustomobject]@{ UserID = $_; Nick = if ($Nick.ContainsKey($_)) { $Nick[$_] } else { "Nick of $_" }; FaceUrl = "https://example.com/$_.png" }
        } | Export-Csv -LiteralPath $file -NoTypeInformation
        $file
    }

    function script:Get-State([string] $StatePath) { @(Get-Content -LiteralPath $StatePath | Where-Object { $_ }) }
}

AfterAll {
    Restore-TencentImVariables $saved
    Stop-TestEmulator $emulator
}

Describe 'samples/Sync-DirectoryAccounts.ps1' {
    BeforeEach {
        Disconnect-TencentIm
        Set-TestEmulatorVariables $emulator
        $state = Join-Path $TestDrive "state-$([guid]::NewGuid().ToString('N')).txt"
        $global:LASTEXITCODE = 0
    }

    AfterEach { Disconnect-TencentIm }

    It 'signs in from the environment, imports only the missing rows with their Nick and FaceUrl, and records them in the state file' {
        $csv = New-Directory 'first.csv' 'alice', 's1-dave', 's1-erin'
        $report = Join-Path $TestDrive 'first-report.csv'

        $out = & $runbook -Path $csv -StatePath $state -ReportPath $report

        $LASTEXITCODE | Should -Be 0
        (Get-TencentImConnection).SdkAppId | Should -Be $emulator.SdkAppId
        $accounts = Get-EmulatorAccount
        $accounts['s1-dave'].Nick | Should -BeExactly 'Nick of s1-dave'
        $accounts['s1-dave'].FaceUrl | Should -BeExactly 'https://example.com/s1-dave.png'
        $accounts['s1-erin'].Nick | Should -BeExactly 'Nick of s1-erin'
        $accounts['alice'].Nick | Should -BeNullOrEmpty -Because 'an account that exists is not written to'
        Get-State $state | Should -Be 's1-dave', 's1-erin'
        $out.UserID | Should -Be 's1-dave', 's1-erin'
        $out.Status | Should -Be 'Imported', 'Imported'
        (Import-Csv $report).UserID | Should -Be 's1-dave', 's1-erin'
    }

    It 'with -RemoveAbsent deletes only the accounts it imported that left the CSV, never one that was there before' {
        $csv = New-Directory 'second-a.csv' 'alice', 's2-dave', 's2-erin'
        $null = & $runbook -Path $csv -StatePath $state
        Get-State $state | Should -Be 's2-dave', 's2-erin'
        # An account it imported that somebody else has deleted since: NotFound, and out of the state file.
        Add-Content -LiteralPath $state 's2-ghost'
        $csv = New-Directory 'second-b.csv' 's2-dave'

        $out = & $runbook -Path $csv -StatePath $state -RemoveAbsent

        $LASTEXITCODE | Should -Be 0
        $accounts = Get-EmulatorAccount
        $accounts.ContainsKey('s2-erin') | Should -BeFalse
        $accounts.ContainsKey('s2-dave') | Should -BeTrue
        $accounts.ContainsKey('alice') | Should -BeTrue -Because 'alice was in the app before the first run'
        $accounts.ContainsKey('bob') | Should -BeTrue -Because 'bob was never imported by the runbook'
        $removed = @($out | Where-Object Action -eq 'Remove')
        $removed.UserID | Should -Be 's2-erin', 's2-ghost'
        $removed.Status | Should -Be 'Deleted', 'NotFound'
        Get-State $state | Should -Be 's2-dave'
    }

    It 'without -RemoveAbsent deletes nothing' {
        $csv = New-Directory 'keep-a.csv' 's5-dave', 's5-erin'
        $null = & $runbook -Path $csv -StatePath $state
        $deletes = Get-ApiCount account_delete
        $csv = New-Directory 'keep-b.csv' 's5-dave'

        $out = & $runbook -Path $csv -StatePath $state

        Get-ApiCount account_delete | Should -Be $deletes
        $out | Should -BeNullOrEmpty
        (Get-EmulatorAccount).ContainsKey('s5-erin') | Should -BeTrue
        Get-State $state | Should -Be 's5-dave', 's5-erin'
    }

    It '-WhatIf sends no import and no delete, and leaves the state file and the report alone' {
        $csv = New-Directory 'whatif-a.csv' 's3-dave', 's3-erin'
        $null = & $runbook -Path $csv -StatePath $state
        $before = Get-Content -LiteralPath $state -Raw
        $imports = (Get-ApiCount multiaccount_import) + (Get-ApiCount account_import)
        $deletes = Get-ApiCount account_delete
        $checks = Get-ApiCount account_check
        $csv = New-Directory 'whatif-b.csv' 's3-dave', 's3-new'
        $report = Join-Path $TestDrive 'whatif-report.csv'

        $out = & $runbook -Path $csv -StatePath $state -RemoveAbsent -ReportPath $report -WhatIf

        (Get-ApiCount multiaccount_import) + (Get-ApiCount account_import) | Should -Be $imports
        Get-ApiCount account_delete | Should -Be $deletes
        Get-ApiCount account_check | Should -BeGreaterThan $checks -Because 'checking changes nothing, so -WhatIf still checks'
        Get-Content -LiteralPath $state -Raw | Should -BeExactly $before
        $report | Should -Not -Exist
        $out | Should -BeNullOrEmpty
        $accounts = Get-EmulatorAccount
        $accounts.ContainsKey('s3-erin') | Should -BeTrue
        $accounts.ContainsKey('s3-new') | Should -BeFalse
    }

    It 'reports a row with a too-long Nick as failed, imports the rest, and ends with an error and exit code 1' {
        $csv = New-Directory 'long.csv' 's4-dave', 's4-long', 's4-erin' -Nick @{ 's4-long' = 'x' * 501 }
        $report = Join-Path $TestDrive 'long-report.csv'

        $out = & $runbook -Path $csv -StatePath $state -ReportPath $report -ErrorVariable failed -ErrorAction SilentlyContinue

        $LASTEXITCODE | Should -Be 1
        $accounts = Get-EmulatorAccount
        $accounts.ContainsKey('s4-dave') | Should -BeTrue
        $accounts.ContainsKey('s4-erin') | Should -BeTrue
        $accounts.ContainsKey('s4-long') | Should -BeFalse
        Get-State $state | Should -Be 's4-dave', 's4-erin'
        $bad = @($out | Where-Object Status -eq 'Error')
        $bad.UserID | Should -Be 's4-long'
        $bad.Action | Should -Be 'Import'
        $bad.Reason | Should -Match '^NickTooLong'
        (Import-Csv $report | Where-Object Status -eq 'Error').UserID | Should -Be 's4-long'
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeExactly 'SyncDirectoryAccountsFailed,Sync-DirectoryAccounts.ps1'
        "$($failed[0])" | Should -Match '1 UserID\(s\) could not be checked, imported or deleted: s4-long\.'
    }
}
