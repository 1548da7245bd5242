<#
.SYNOPSIS
The TencentIm benchmark: Test-TencentImAccount against the plain Invoke-RestMethod script and the Get-Content floor,
all against the local emulator. One script, one run; docs/benchmarks.md records a run and its targets.

.DESCRIPTION
Needs a built module and emulator (dotnet pwsh ./build.ps1 build). The script:
  1. copies out/TencentIm and the emulator's build output to bench/results/snapshot (so that a rebuild by someone
     else during the run changes nothing), and compiles bench/BenchSink.cs (the checking end of every pipeline);
  2. writes the ID files under bench/results: user_0000000, user_0000001, ... (the smaller files are the first lines
     of the largest), and the emulator's accounts file: every 3rd ID (user_0000000, user_0000003, ...) is imported;
  3. times Import-Module of the module (-ImportRepetitions fresh processes, median);
  4. (a) no latency, no limit, one emulator: the floor (Get-Content | Out-Null), the same through the sink, the module
     on -Ids IDs (Connect-TencentIm -MaxRequestsPerSecond 1000000), the same ending in Out-Null (unchecked), and the
     plain script on -PlainIds IDs, repeated -Repetitions times in turn (median), after one untimed warm-up of the
     emulator; then the module and the floor on -SmallMemoryIds IDs, for the peak resident set at a small size;
  5. (b) -LatencyMs latency and the emulator's account_check limit at -RateLimit calls/s, a fresh emulator per run,
     -Repetitions times: the module with its defaults (its own limit of 100 calls/s, -ThrottleLimit 32) on
     -LatencyIds IDs, the same started 1.5 s after Connect-TencentIm, and the module at each of -ThrottleLimits on
     -ThrottleIds IDs; then, once, the plain script on -PlainLatencyIds IDs (0: not at all);
  6. (c) -LatencyMs latency and account_check quotas below the 100 calls/s the module assumes, which it is not told:
     each of -Quotas, and -SharedQuota shared by two module processes started together (each with its own
     connection), in both readings of the undocumented rule (refused calls use up quota or not:
     --rate-limit-counts-rejected), a fresh emulator per run, -Repetitions times. Each run is sized to last about
     -QuotaSeconds at the full quota, convergence included; the figure is the share of the quota it achieved.
-Scenario picks which of import, a, b, c to run (all by default).
Every contender runs in a fresh pwsh process (bench/Measure-Run.ps1); the emulator is a process of its own. Each
answer is checked as it passes (count, input order, Imported exactly for every 3rd ID) and none is kept.

Before each measurement the script waits (polling every 30 s, up to -QuietWaitSec) while a test run of another
session is active (dotnet test, testhost, Invoke-Pester, build.ps1 test), then up to -IdleWaitSec for the machine to
be nearly idle (other load, such as a build, under a third of a core); it records the load average and the CPU time
other processes used during the measurement ('Other CPU').

Writes bench/results/latest.json (every run and the machine) and bench/results/latest.md (the tables), and prints
the tables.

.EXAMPLE
dotnet pwsh ./bench/Invoke-Benchmark.ps1

The full run (about 12 minutes on a 2-core machine; the plain script at 200 ms latency alone takes ~3.5 minutes).

.EXAMPLE
dotnet pwsh -c './bench/Invoke-Benchmark.ps1 -Scenario b,c -ThrottleLimits @() -PlainLatencyIds 0'

Only the 200 ms scenarios, without the -ThrottleLimit comparison and the plain script: the module's defaults against
the 100 calls/s limit, and the quotas below it (about 15 minutes). Array arguments need -c: pwsh -File passes
"b,c" as one string.

.EXAMPLE
dotnet pwsh ./bench/Invoke-Benchmark.ps1 -Quick

Small sizes, one repetition: to try the benchmark out in about a minute. Its figures mean little.
#>
[CmdletBinding()]
param(
    # (a): IDs through the module and the floor.
    [int] $Ids = 1000000,
    # (a): IDs through the plain script.
    [int] $PlainIds = 100000,
    # (b): IDs through the module.
    [int] $LatencyIds = 100000,
    # (b): IDs through the plain script (one call at a time at 200 ms: ~5 calls/s, so 100,000 IDs take ~3.5 min).
    [int] $PlainLatencyIds = 100000,
    # (b): -ThrottleLimit values to compare, and the IDs for each.
    [int[]] $ThrottleLimits = @(8, 16, 32, 64),
    [int] $ThrottleIds = 100000,
    # Peak memory: the module's run at this size is compared with its run at -Ids.
    [int] $SmallMemoryIds = 1000,
    # (a) and the small memory run: runs of each contender (the median is reported).
    [int] $Repetitions = 3,
    # Fresh processes that time Import-Module (the median is reported).
    [int] $ImportRepetitions = 7,
    [int] $LatencyMs = 200,
    [int] $RateLimit = 100,
    # Which scenarios to run: import, a, b, c (all by default); e.g. -Scenario b,c.
    [ValidateSet('import', 'a', 'b', 'c')]
    [string[]] $Scenario = @('import', 'a', 'b', 'c'),
    # (c): account_check quotas below the 100 calls/s the module assumes (it is not told them), the quota that two
    # processes share, and about how long each run lasts at the full quota (its IDs are sized for that).
    [int[]] $Quotas = @(5, 10),
    [int] $SharedQuota = 10,
    [int] $QuotaSeconds = 30,
    # Small sizes and one repetition, to try the benchmark out.
    [switch] $Quick,
    # How long to wait for another session's test run to end before measuring anyway (and saying so).
    [int] $QuietWaitSec = 600,
    # How long to wait, before each measurement, for other load (such as another session's build) to settle.
    [int] $IdleWaitSec = 60,
    [string] $ModulePath,
    [string] $EmulatorModulePath,
    [string] $ResultsPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
if (-not $ModulePath) { $ModulePath = Join-Path $root 'out/TencentIm' }
if (-not $EmulatorModulePath) { $EmulatorModulePath = Join-Path $root 'out/TencentIm.Emulator' }
if (-not $ResultsPath) { $ResultsPath = Join-Path $PSScriptRoot 'results' }

if ($Quick) {
    $quickSizes = @{ Ids = 20000; PlainIds = 2000; LatencyIds = 3000; PlainLatencyIds = 300; ThrottleIds = 2000; Repetitions = 1; ImportRepetitions = 3; QuotaSeconds = 8 }
    foreach ($name in $quickSizes.Keys) {
        if (-not $PSBoundParameters.ContainsKey($name)) { Set-Variable -Name $name -Value $quickSizes[$name] }
    }
}

Import-Module (Join-Path $PSScriptRoot 'BenchMachine.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'BenchRuns.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'BenchReport.psm1') -Force

$quotaSize = Get-QuotaSize -Quotas $Quotas -SharedQuota $SharedQuota -QuotaSeconds $QuotaSeconds
# 1000: the warm-up of (a).
$sizes = @(@($Ids, $PlainIds, $LatencyIds, $PlainLatencyIds, $ThrottleIds, $SmallMemoryIds, 1000, $quotaSize.Shared) + @($quotaSize.PerQuota.Values) | Where-Object { $_ -gt 0 }) | Sort-Object -Unique
$bench = New-BenchContext -ModulePath $ModulePath -EmulatorModulePath $EmulatorModulePath -ResultsPath $ResultsPath -Sizes $sizes -QuietWaitSec $QuietWaitSec -IdleWaitSec $IdleWaitSec
$machine = Get-MachineFacts -Root $root -ModuleDll $bench.ModuleDll
Write-BenchStep "Machine: $($machine.Cores) cores, $($machine.Cpu), $($machine.MemoryGB) GB, $($machine.Os); .NET SDK $($machine.DotnetSdk), PowerShell $($machine.PowerShell); commit $($machine.GitCommit) ($($machine.GitDirtyFiles) changed files under src/)"

if ('import' -in $Scenario) { Invoke-ImportScenario $bench -Repetitions $ImportRepetitions }
if ('a' -in $Scenario) { Invoke-NoLatencyScenario $bench -Ids $Ids -PlainIds $PlainIds -SmallMemoryIds $SmallMemoryIds -Repetitions $Repetitions }
if ('b' -in $Scenario) {
    Invoke-LatencyScenario $bench -LatencyMs $LatencyMs -RateLimit $RateLimit -LatencyIds $LatencyIds -ThrottleLimits $ThrottleLimits -ThrottleIds $ThrottleIds -PlainLatencyIds $PlainLatencyIds -Repetitions $Repetitions
}
if ('c' -in $Scenario) { Invoke-QuotaScenario $bench -LatencyMs $LatencyMs -Quotas $Quotas -SharedQuota $SharedQuota -QuotaSeconds $QuotaSeconds -Repetitions $Repetitions }

$runs = $bench.Runs
$summary = Get-BenchSummary -Runs $runs -Ids $Ids -PlainIds $PlainIds -SmallMemoryIds $SmallMemoryIds -Ceiling ($RateLimit * (Get-BenchIdsPerCall))
$markdown = ConvertTo-BenchMarkdown -Machine $machine -BoundParameters $PSBoundParameters -Scenario $Scenario -Runs $runs -Summary $summary -ImportRepetitions $ImportRepetitions -Ids $Ids -SmallMemoryIds $SmallMemoryIds

$report = [ordered]@{ Machine = $machine; Parameters = [ordered]@{
        Ids = $Ids; PlainIds = $PlainIds; LatencyIds = $LatencyIds; PlainLatencyIds = $PlainLatencyIds; ThrottleLimits = $ThrottleLimits
        ThrottleIds = $ThrottleIds; SmallMemoryIds = $SmallMemoryIds; Repetitions = $Repetitions; ImportRepetitions = $ImportRepetitions
        Scenario = $Scenario; Quotas = $Quotas; SharedQuota = $SharedQuota; QuotaSeconds = $QuotaSeconds
        LatencyMs = $LatencyMs; RateLimit = $RateLimit; Quick = [bool]$Quick
    }; Summary = $summary; Runs = $runs
}
$report | ConvertTo-Json -Depth 6 | Set-Content (Join-Path $ResultsPath 'latest.json')
$markdown | Set-Content (Join-Path $ResultsPath 'latest.md')
Write-Host ''
Write-Host $markdown
Write-BenchStep "Wrote $(Join-Path $ResultsPath 'latest.json') and latest.md"
