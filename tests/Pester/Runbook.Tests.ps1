# The README's runbook (samples/Find-MissingAccounts.ps1), run as an automation account would: signed in from the
# TENCENTIM_* environment variables, against the emulator. And the other way to test a runbook: mock the cmdlet.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:runbook = Join-Path (Get-TestRepoRoot) 'samples/Find-MissingAccounts.ps1'
    $script:emulator = Start-TestEmulator -Accounts 'alice', 'bob', 'carol'
    $script:saved = @{}
    foreach ($name in 'TENCENTIM_SDKAPPID', 'TENCENTIM_SECRETKEY', 'TENCENTIM_ENDPOINT', 'TENCENTIM_REGION', 'TENCENTIM_IDENTIFIER') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
    }
}

AfterAll {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    Stop-TestEmulator $emulator
}

Describe 'samples/Find-MissingAccounts.ps1' {
    BeforeEach {
        Disconnect-TencentIm
        Set-TestEmulatorVariables $emulator
        $userFile = Join-Path $TestDrive 'users.txt'
        Set-Content $userFile 'alice', 'mallory', '', 'bob', 'trent', ('x' * 40)
        $out = Join-Path $TestDrive 'missing.csv'
    }

    AfterEach { Disconnect-TencentIm }

    It 'signs in from the environment and writes the UserIDs that are not imported' {
        & $runbook -Path $userFile -OutFile $out -WarningAction SilentlyContinue

        $missing = Import-Csv $out
        $missing.UserID | Should -Be 'mallory', 'trent'
        $missing.AccountStatus | Should -Be 'NotImported', 'NotImported'
        (Get-TencentImConnection).SdkAppId | Should -Be $emulator.SdkAppId
    }

    It 'lists a UserID it could not check, with the reason, and warns' {
        & $runbook -Path $userFile -OutFile $out -WarningVariable warnings -WarningAction SilentlyContinue

        $errors = Import-Csv "$out.errors.csv"
        $errors.UserID | Should -Be ('x' * 40)
        $errors.ErrorId | Should -Match '^UserIdTooLong'
        $warnings | Should -Match '1 UserID\(s\) could not be checked'
    }
}

Describe 'Testing a runbook without the service: Mock Test-TencentImAccount' {
    It 'runs the runbook against a mocked cmdlet' {
        Mock Get-TencentImConnection { [pscustomobject]@{ SdkAppId = 1 } }
        Mock Test-TencentImAccount {
            process { foreach ($id in $UserId) { [pscustomobject]@{ UserID = $id; AccountStatus = if ($id -eq 'alice') { 'Imported' } else { 'NotImported' }; ResultCode = 0; ResultInfo = '' } } }
        }
        $userFile = Join-Path $TestDrive 'mocked.txt'
        Set-Content $userFile 'alice', 'zoe'
        $out = Join-Path $TestDrive 'mocked.csv'

        & $runbook -Path $userFile -OutFile $out

        (Import-Csv $out).UserID | Should -Be 'zoe'
        Should -Invoke Test-TencentImAccount -Times 2 -Exactly
    }
}
