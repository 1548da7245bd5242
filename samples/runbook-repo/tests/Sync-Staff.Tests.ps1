#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Sync-Staff.ps1 against the local Tencent IM emulator, through the public cmdlets only: start it, seed it, run the
# runbook, look at what it sent, replay faults with a seed, stop it. Needs the modules TencentIm and TencentIm.Emulator
# (Install-Module, or PSModulePath) and the .NET 10 ASP.NET Core Runtime.

BeforeAll {
    Import-Module TencentIm, TencentIm.Emulator
    $script:runbook = Join-Path $PSScriptRoot '../Sync-Staff.ps1'
    $script:staff = Join-Path $PSScriptRoot '../staff.csv'

    $script:emu = Start-TencentImEmulator -Account alice, bob -FaultRate 0.1 -Seed 42
    Connect-TencentIm -Emulator $emu
}

AfterAll {
    Stop-TencentImEmulator $emu
}

Describe 'Sync-Staff.ps1' {
    BeforeEach {
        # Every test starts from the seeded state (alice and bob, no requests recorded, the same dice), connected to it.
        Reset-TencentImEmulator $emu
        Connect-TencentIm -Emulator $emu -SkipConnectionTest
    }

    It 'imports the missing staff' {
        & $runbook -Path $staff

        Get-TencentImEmulatorAccount -Emulator $emu | Should -HaveCount 5
        Get-TencentImEmulatorRequest -Emulator $emu -Api multiaccount_import | Should -Not -BeNullOrEmpty
    }

    It 'sends only the staff who have no account, with their Nick' {
        $imported = & $runbook -Path $staff

        $imported.UserID | Should -Be 'carol', 'dave', 'erin'
        $sent = @(Get-TencentImEmulatorRequest -Emulator $emu -Api multiaccount_import | Where-Object ErrorCode -eq 0)[-1].Body.AccountList
        $sent.UserID | Should -Be 'carol', 'dave', 'erin'
        $sent.Nick | Should -Be 'Carol', 'Dave', 'Erin'
        (Get-TencentImEmulatorAccount -Emulator $emu -UserId alice).Nick | Should -BeNullOrEmpty -Because 'an existing account is not written to'
    }

    It 'replays the same faults with the same seed, and still imports everyone' {
        $faulty = Start-TencentImEmulator -Account alice, bob -FaultRate 0.3 -FaultKind 70500, http503 -Seed 7
        try {
            Connect-TencentIm -Emulator $faulty
            $runs = foreach ($run in 1, 2) {
                Reset-TencentImEmulator $faulty
                $null = & $runbook -Path $staff
                (Get-TencentImEmulatorAccount -Emulator $faulty).UserID -join ','
                @(Get-TencentImEmulatorRequest -Emulator $faulty | ForEach-Object { "$($_.Api):$($_.Fault)" }) -join ' '
            }

            $runs[0] | Should -Be 'alice,bob,carol,dave,erin'
            $runs[2] | Should -Be $runs[0]
            $runs[1] | Should -Match ':(70500|http503)' -Because 'the seed injects faults into this run'
            $runs[3] | Should -Be $runs[1] -Because 'the same seed and the same requests meet the same faults'
        }
        finally {
            Stop-TencentImEmulator $faulty
        }
    }

    It 'reports the staff it could not import when the service keeps failing, and imports none of them' {
        Connect-TencentIm -Emulator $emu -MaximumRetryCount 1 -SkipConnectionTest
        Set-TencentImEmulator -Emulator $emu -FaultRate 1 -FaultKind 70500

        { & $runbook -Path $staff } | Should -Throw -ErrorId 'SyncStaffFailed*'

        (Get-TencentImEmulatorAccount -Emulator $emu).UserID | Should -Be 'alice', 'bob'
        Get-TencentImEmulatorRequest -Emulator $emu | ForEach-Object { $_.ErrorCode | Should -Be 70500 }
    }

    It 'imports nobody when the accounts, seeded from a file, already exist' {
        $file = Join-Path $TestDrive 'accounts.txt'
        Import-Csv $staff | ForEach-Object UserID | Set-Content $file
        $full = Start-TencentImEmulator -AccountFile $file
        try {
            Connect-TencentIm -Emulator $full
            $imported = & $runbook -Path $staff

            $imported | Should -BeNullOrEmpty
            Get-TencentImEmulatorRequest -Emulator $full -Api multiaccount_import | Should -BeNullOrEmpty
        }
        finally {
            Stop-TencentImEmulator $full
        }
    }
}
