#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Test-TencentImAccount's progress: shown only for a run longer than a second, with the IDs checked and the rate, a
# percentage when the total is known (an array given to -UserId), and always completed at the end, also when a
# terminating error ends the run. Each run happens in its own PowerShell instance, whose Streams.Progress keeps
# every ProgressRecord written.
# With --latency-ms 100 and -ThrottleLimit 1, 3,000 IDs take 30 requests of at least 100 ms: 3 s or more.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:emulator = Start-TestEmulator -Accounts 'user0' -Options @{ LatencyMs = 100 }
    $script:modulePath = Join-Path (Get-TestModulePath) 'TencentIm.psd1'
    $script:connection = Connect-TestEmulator $emulator @{ PassThru = $true }
    $script:ids = [string[]]@(foreach ($i in 0..2999) { "user$i" })

    # Runs the script in a new PowerShell with the module, $ProgressPreference and these arguments; returns the
    # progress records, the output, the errors and how long it took.
    function script:Invoke-WithProgress([string] $Script, [string] $Preference = 'Continue', [hashtable] $Arguments = @{}) {
        $ps = [powershell]::Create()
        $quoted = $modulePath -replace "'", "''"
        $null = $ps.AddScript("param(`$Arguments) Import-Module '$quoted'; `$ProgressPreference = '$Preference'; $Script").AddArgument($Arguments)
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $output = $ps.Invoke()
        [pscustomobject]@{
            Progress = @($ps.Streams.Progress)
            Output   = $output
            Errors   = @($ps.Streams.Error)
            Seconds  = $clock.Elapsed.TotalSeconds
        }
        $ps.Dispose()
    }
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'Test-TencentImAccount progress' {
    It 'for 3,000 IDs given to -UserId: updates with IDs checked, IDs/s and a rising percentage, then Completed' {
        $run = Invoke-WithProgress 'Test-TencentImAccount -UserId $Arguments.Ids -ThrottleLimit 1 -Connection $Arguments.Connection' `
            -Arguments @{ Ids = $ids; Connection = $connection }

        $run.Output | Should -HaveCount 3000
        $run.Seconds | Should -BeGreaterThan 2
        $updates = @($run.Progress | Where-Object RecordType -eq 'Processing')
        $updates.Count | Should -BeGreaterOrEqual 2
        $updates.Activity | Sort-Object -Unique | Should -Be 'Test-TencentImAccount'
        foreach ($update in $updates) {
            $update.StatusDescription | Should -Match '^[\d,]+ checked, [\d,]+ IDs/s$'
            $update.PercentComplete | Should -BeGreaterThan 0
            $update.PercentComplete | Should -BeLessOrEqual 100
        }
        # The percentage is the share of the 3,000 IDs checked, as the status text counts them.
        $checked = [int]($updates[0].StatusDescription -replace ' checked.*$' -replace ',')
        $updates[0].PercentComplete | Should -Be ([int][math]::Floor(100 * $checked / 3000))
        $updates[-1].PercentComplete | Should -BeGreaterThan $updates[0].PercentComplete
        $run.Progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'for 3,000 IDs from the pipeline: no percentage (the total is unknown), then Completed' {
        $run = Invoke-WithProgress '$Arguments.Ids | Test-TencentImAccount -ThrottleLimit 1 -Connection $Arguments.Connection' `
            -Arguments @{ Ids = $ids; Connection = $connection }

        $run.Output | Should -HaveCount 3000
        $updates = @($run.Progress | Where-Object RecordType -eq 'Processing')
        $updates.Count | Should -BeGreaterOrEqual 2
        $updates.StatusDescription | ForEach-Object { $_ | Should -Match '^[\d,]+ checked, [\d,]+ IDs/s$' }
        $updates.PercentComplete | Sort-Object -Unique | Should -Be -1
        $run.Progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'writes no progress with $ProgressPreference = ''SilentlyContinue'' (3,000 IDs, over 2 s)' {
        $run = Invoke-WithProgress 'Test-TencentImAccount -UserId $Arguments.Ids -ThrottleLimit 1 -Connection $Arguments.Connection' `
            -Preference SilentlyContinue -Arguments @{ Ids = $ids; Connection = $connection }

        $run.Output | Should -HaveCount 3000
        $run.Seconds | Should -BeGreaterThan 2
        $run.Progress | Should -HaveCount 0
    }

    It 'writes no progress for a run shorter than a second (10 IDs)' {
        $run = Invoke-WithProgress 'Test-TencentImAccount -UserId $Arguments.Ids -ThrottleLimit 1 -Connection $Arguments.Connection' `
            -Arguments @{ Ids = $ids[0..9]; Connection = $connection }

        $run.Output | Should -HaveCount 10
        $run.Progress | Should -HaveCount 0
    }

    It 'completes the progress when a terminating error (the UserSig expires mid-run) ends the run' {
        # A pre-signed UserSig cannot be renewed: once the emulator's clock has jumped 3 hours, after 2,000 IDs and
        # about 2 s of progress, every request fails with 70001 and the run stops with UserSigExpired.
        $userSig = New-TestUserSig -SecretKey $emulator.SecretKey -Lifetime ([TimeSpan]::FromHours(2))
        $clockEmulator = Start-TestEmulator -SecretKey $emulator.SecretKey -Accounts 'user0' -Options @{ LatencyMs = 100 }
        try {
            $presigned = Connect-TencentIm 1400000001 -UserSig $userSig -Endpoint $clockEmulator.BaseUri -PassThru
            $script = @'
                $clock = [uri]::new($Arguments.Endpoint, 'emulator/clock?advanceSeconds=10800')
                function Get-Source {
                    foreach ($i in 0..2999) {
                        if ($i -eq 2000) { $null = Invoke-RestMethod -Method Post -Uri $clock }
                        "user$i"
                    }
                }
                Get-Source | Test-TencentImAccount -ThrottleLimit 1 -Connection $Arguments.Connection
'@
            $run = Invoke-WithProgress $script -Arguments @{ Endpoint = $clockEmulator.BaseUri; Connection = $presigned }
        }
        finally {
            Stop-TestEmulator $clockEmulator
        }

        # In a script, a cmdlet's terminating error ends its statement and lands in the error stream.
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeExactly 'UserSigExpired,TencentIm.Commands.TestTencentImAccountCommand'
        @($run.Output).Count | Should -BeLessThan 3000
        @($run.Progress | Where-Object RecordType -eq 'Processing').Count | Should -BeGreaterOrEqual 1
        $run.Progress[-1].RecordType | Should -Be 'Completed'
    }
}
