<#
.SYNOPSIS
Measures Test-, Import- and Remove-TencentImAccount against the emulator at the service's limits: how many accounts
per second each reaches, against the ceiling of 100 calls/s × 100 accounts = 10,000 accounts/s.

.DESCRIPTION
Starts the emulator with the service's documented rate limits (--service-rate-limits: multiaccount_import and
account_delete 100 calls/s), a fixed latency before every answer (-LatencyMs, 200 by default) and --trial (so that a
deleted UserID can be imported again in the next repetition). Each repetition checks -Count new UserIDs from a file
through Test-TencentImAccount (all NotImported), imports them
through Import-TencentImAccount, then deletes them through Remove-TencentImAccount -Force, each timed from the first
line read to the last result written, and checks that every UserID got its one result, in input order, Imported
(then Deleted). It prints one markdown row per measurement and a summary line per cmdlet (the median).

Build first (dotnet pwsh ./build.ps1 build); run it on a machine that is otherwise idle, as docs/benchmarks.md says.

.PARAMETER Count
UserIDs per run. Default: 100,000.

.PARAMETER LatencyMs
The emulator's delay before every answer, milliseconds. Default: 200.

.PARAMETER Repetitions
Import-then-delete runs. Default: 3.

.EXAMPLE
dotnet pwsh -NoProfile -File bench/Measure-Lifecycle.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(100, 10000000)]
    [int] $Count = 100000,

    [ValidateRange(0, 10000)]
    [int] $LatencyMs = 200,

    [ValidateRange(1, 20)]
    [int] $Repetitions = 3
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'out/TencentIm/TencentIm.psd1')
Import-Module (Join-Path $root 'out/TencentIm.Emulator/TencentIm.Emulator.psd1')

# The ceiling: each API's documented calls per second times its accounts per call (docs/service-api.md §3).
$ceiling = 100 * 100
$file = Join-Path ([IO.Path]::GetTempPath()) "lifecycle-ids-$Count.txt"
[IO.File]::WriteAllLines($file, [string[]](1..$Count | ForEach-Object { "life$_" }))

function Measure-Cmdlet([scriptblock] $Run, [string] $Expected, [string] $Property = 'Status') {
    # Counts the results and checks each one's UserID (input order) and Status as they stream by.
    $state = @{ Next = 1; Wrong = 0 }
    $seconds = (Measure-Command {
        & $Run | ForEach-Object {
            if ($_.UserID -cne "life$($state.Next)" -or $_.$Property -cne $Expected) { $state.Wrong++ }
            $state.Next++
        }
    }).TotalSeconds
    [pscustomobject]@{ Seconds = $seconds; Results = $state.Next - 1; Wrong = $state.Wrong }
}

$emulator = Start-TencentImEmulator -ServiceRateLimits -LatencyMs $LatencyMs -Trial -RequestLogSize 0
try {
    Connect-TencentIm -Emulator $emulator
    $Error.Clear()
    $rows = foreach ($i in 1..$Repetitions) {
        # account_check first, for comparison with the rows of Test-TencentImAccount above: same engine, same ceiling.
        $check = Measure-Cmdlet { Get-Content $file | Test-TencentImAccount } 'NotImported' 'AccountStatus'
        $import = Measure-Cmdlet { Get-Content $file | Import-TencentImAccount } 'Imported'
        $remove = Measure-Cmdlet { Get-Content $file | Remove-TencentImAccount -Force } 'Deleted'
        foreach ($m in @(@{ Cmdlet = 'Test-TencentImAccount'; R = $check }, @{ Cmdlet = 'Import-TencentImAccount'; R = $import }, @{ Cmdlet = 'Remove-TencentImAccount'; R = $remove })) {
            $perSecond = $Count / $m.R.Seconds
            [pscustomobject]@{
                Cmdlet = $m.Cmdlet; Run = $i; Seconds = [math]::Round($m.R.Seconds, 2); PerSecond = [math]::Round($perSecond)
                ShareOfCeiling = [math]::Round(100 * $perSecond / $ceiling, 1); AllRight = ($m.R.Results -eq $Count -and $m.R.Wrong -eq 0)
            }
        }
    }

    "| Cmdlet | Run | IDs | Seconds | Accounts/s | Share of 10,000/s | Every ID right, in order |"
    "|---|---|---|---|---|---|---|"
    foreach ($r in $rows) { "| $($r.Cmdlet) | $($r.Run) | $Count | $($r.Seconds) | $($r.PerSecond) | $($r.ShareOfCeiling) % | $(if ($r.AllRight) { 'yes' } else { 'NO' }) |" }
    foreach ($group in $rows | Group-Object Cmdlet) {
        $median = @($group.Group | Sort-Object PerSecond)[[int][math]::Floor(($group.Count - 1) / 2)]
        "Median $($group.Name): $($median.PerSecond) accounts/s, $($median.ShareOfCeiling) % of the ceiling."
    }
    "Errors: $($Error.Count)"
}
finally {
    Stop-TencentImEmulator $emulator
    Remove-Item $file -ErrorAction SilentlyContinue
}
