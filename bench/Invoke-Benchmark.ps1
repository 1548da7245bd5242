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
    [string] $EmulatorPath,
    [string] $ResultsPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
if (-not $ModulePath) { $ModulePath = Join-Path $root 'out/TencentIm' }
if (-not $EmulatorPath) { $EmulatorPath = Join-Path $root 'src/TencentIm.Emulator/bin/Release/net10.0/TencentIm.Emulator.dll' }
if (-not $ResultsPath) { $ResultsPath = Join-Path $PSScriptRoot 'results' }

if ($Quick) {
    $quickSizes = @{ Ids = 20000; PlainIds = 2000; LatencyIds = 3000; PlainLatencyIds = 300; ThrottleIds = 2000; Repetitions = 1; ImportRepetitions = 3; QuotaSeconds = 8 }
    foreach ($name in $quickSizes.Keys) {
        if (-not $PSBoundParameters.ContainsKey($name)) { Set-Variable -Name $name -Value $quickSizes[$name] }
    }
}

$sdkAppId = [uint32]1400000001
$secretKey = 'bench-secret-key-0123456789abcdef0123456789abcdef'
$importedEvery = 3
$idsPerCall = 100
$ceiling = $RateLimit * $idsPerCall
$childTimeoutSec = 1800

#region Helpers

function Write-Step([string] $text) {
    Write-Host ("[{0:HH:mm:ss}] {1}" -f [DateTime]::Now, $text)
}

function Get-Median([double[]] $values) {
    $sorted = @($values | Sort-Object)
    if ($sorted.Count -eq 0) { return $null }
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$middle] }
    return ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

function Get-LoadAverage {
    if (Test-Path /proc/loadavg) { return (Get-Content /proc/loadavg -Raw).Trim() }
    return ''
}

# CPU seconds the whole machine has spent busy (not idle, not waiting for I/O), from /proc/stat.
function Get-MachineBusySeconds {
    if (-not (Test-Path /proc/stat)) { return 0.0 }
    $fields = ((Get-Content /proc/stat -TotalCount 1) -split '\s+')[1..8] | ForEach-Object { [double]$_ }
    # user nice system idle iowait irq softirq steal
    return ($fields[0] + $fields[1] + $fields[2] + $fields[5] + $fields[6] + $fields[7]) / 100.0
}

# Test runs that would share the machine: dotnet test and build.ps1 test (Pester runs inside it).
function Get-ActiveTestRun {
    if (-not (Get-Command ps -ErrorAction SilentlyContinue)) { return @() }
    @(& ps -eo pid=,args= | Where-Object {
            $_ -match 'dotnet (test|.*testhost)|Invoke-Pester|build\.ps1\s+test' -and $_ -notmatch '\bgrep\b'
        } | ForEach-Object { $_.Trim() })
}

# Waits while another session runs tests; returns what it saw.
function Wait-QuietMachine {
    $waited = 0
    $first = @(Get-ActiveTestRun)
    $active = $first
    while ($active.Count -gt 0 -and $waited -lt $QuietWaitSec) {
        if ($waited -eq 0) { Write-Step "A test run is active ($($active.Count) processes, e.g. $($active[0].Substring(0, [Math]::Min(100, $active[0].Length)))); waiting up to $QuietWaitSec s." }
        Start-Sleep -Seconds 30
        $waited += 30
        $active = @(Get-ActiveTestRun)
    }
    # Then, briefly, for other work (builds of other sessions) to settle: less than a third of a core busy over 3 s.
    $idleWaited = 0
    do {
        $before = Get-MachineBusySeconds
        Start-Sleep -Seconds 3
        $otherCores = ((Get-MachineBusySeconds) - $before) / 3
        if ($otherCores -lt 0.33) { break }
        if ($idleWaited -eq 0) { Write-Step ("  the machine is busy ({0:N2} cores); waiting up to $IdleWaitSec s" -f $otherCores) }
        Start-Sleep -Seconds 7
        $idleWaited += 10
    } while ($idleWaited -lt $IdleWaitSec)
    [pscustomobject]@{
        WaitedSec = $waited + $idleWaited
        TestRunAtStart = $active.Count -gt 0
        BusyCoresBefore = [Math]::Round($otherCores, 2)
        LoadAverage = Get-LoadAverage
    }
}

function Start-BenchEmulator([string[]] $Extra = @()) {
    Start-TencentImEmulator -ArgumentList (@('--accounts-file', $accountsFile, '--secret-key', $secretKey, '--sdkappid', $sdkAppId) + $Extra)
}

function Get-EmulatorCpuSeconds($emulator) {
    if (-not $emulator) { return 0.0 }
    $emulator.Process.Refresh()
    return $emulator.Process.TotalProcessorTime.TotalSeconds
}

# Runs Measure-Run.ps1 in a fresh pwsh process and returns its result with the run's context. With -Processes N,
# runs N children at once against the same emulator (each checks the same file through its own connection, all
# starting their timed pipelines at one agreed moment) and returns one record for them together: their IDs added up,
# over the time from the first start to the last end.
function Invoke-Measurement {
    param(
        [string] $Scenario,
        [string] $Name,
        [string] $Contender,
        [int] $Count,
        [string] $File,
        $Emulator,
        [hashtable] $Extra = @{},
        [int] $Processes = 1,
        [switch] $Untimed
    )

    $quiet = if ($Untimed) { $null } else { Wait-QuietMachine }
    $arguments = [ordered]@{ Contender = $Contender; ModulePath = $moduleSnapshot; SinkPath = $sinkDll; SdkAppId = $sdkAppId }
    if ($File) { $arguments.Path = $File }
    if ($Emulator) { $arguments.BaseUri = $Emulator.BaseUri.AbsoluteUri; $arguments.SecretKey = $secretKey; $arguments.UserSig = $userSig }
    foreach ($key in $Extra.Keys) { $arguments[$key] = $Extra[$key] }
    # Time enough for every child to start, import the module and connect before the agreed moment.
    if ($Processes -gt 1) { $arguments.StartAtUnixMs = [DateTimeOffset]::UtcNow.AddSeconds(8).ToUnixTimeMilliseconds() }

    $start = [Diagnostics.ProcessStartInfo]::new($pwshExe)
    foreach ($a in $pwshPrefix) { $start.ArgumentList.Add($a) }
    foreach ($a in @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Measure-Run.ps1'))) { $start.ArgumentList.Add($a) }
    foreach ($key in $arguments.Keys) {
        if ($arguments[$key] -is [bool]) { if ($arguments[$key]) { $start.ArgumentList.Add("-$key") } }
        else { $start.ArgumentList.Add("-$key"); $start.ArgumentList.Add([string]$arguments[$key]) }
    }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
    $start.Environment['POWERSHELL_UPDATECHECK'] = 'Off'

    $statsBefore = if ($Emulator) { Get-TencentImEmulatorStats $Emulator } else { $null }
    $emulatorCpuBefore = Get-EmulatorCpuSeconds $Emulator
    $busyBefore = Get-MachineBusySeconds
    $wall = [Diagnostics.Stopwatch]::StartNew()
    $started = @(for ($p = 0; $p -lt $Processes; $p++) {
            $process = [Diagnostics.Process]::Start($start)
            [pscustomobject]@{ Process = $process; StdOut = $process.StandardOutput.ReadToEndAsync(); StdErr = $process.StandardError.ReadToEndAsync() }
        })
    foreach ($run in $started) {
        if (-not $run.Process.WaitForExit($childTimeoutSec * 1000)) {
            $run.Process.Kill($true)
            $run.Process.WaitForExit()
        }
        $run.Process.WaitForExit()
    }
    $wall.Stop()
    $busy = (Get-MachineBusySeconds) - $busyBefore
    $emulatorCpu = (Get-EmulatorCpuSeconds $Emulator) - $emulatorCpuBefore
    $statsAfter = if ($Emulator) { Get-TencentImEmulatorStats $Emulator } else { $null }

    $children = @(foreach ($run in $started) {
            $line = @($run.StdOut.Result -split "`r?`n" | Where-Object { $_.StartsWith('BENCH-RESULT ') }) | Select-Object -Last 1
            $child = if ($line) { $line.Substring('BENCH-RESULT '.Length) | ConvertFrom-Json } else { $null }
            if ($run.StdErr.Result.Trim()) {
                Add-Content -Path (Join-Path $ResultsPath 'child-stderr.log') -Value "--- $Scenario $Name`n$($run.StdErr.Result)"
            }
            [pscustomobject]@{
                Result = $child
                Failure = if (-not $child) { "no result (exit code $($run.Process.ExitCode)): $($run.StdOut.Result) $($run.StdErr.Result)".Trim() } elseif ($child.Failure) { $child.Failure } else { $null }
            }
        })
    $ok = @($children | Where-Object { -not $_.Failure } | ForEach-Object Result)
    $failure = @($children | Where-Object Failure | ForEach-Object Failure) -join '; '
    if (-not $failure) { $failure = $null }
    function Get-Sum([string] $property) { if ($ok.Count) { ($ok | ForEach-Object { $_.$property } | Measure-Object -Sum).Sum } else { $null } }
    $summaries = @($ok | Where-Object { $null -ne $_.Summary } | ForEach-Object Summary)
    function Get-SummarySum([string] $property) { if ($summaries.Count) { ($summaries | ForEach-Object { $_.$property } | Measure-Object -Sum).Sum } else { $null } }

    $seconds = if ($failure -or -not $ok.Count) { $null } elseif ($Processes -eq 1) { $ok[0].Seconds } else {
        (($ok.EndedUnixMs | Measure-Object -Maximum).Maximum - ($ok.StartedUnixMs | Measure-Object -Minimum).Minimum) / 1000.0
    }
    $ids = $Count * $Processes
    $cpu = Get-Sum 'ProcessCpuSeconds'
    $requests = if ($statsBefore) { $statsAfter.Requests.account_check - $statsBefore.Requests.account_check } else { $null }
    $record = [pscustomobject][ordered]@{
        Scenario = $Scenario
        Name = $Name
        Contender = $Contender
        Ids = $ids
        Processes = $Processes
        Seconds = $seconds
        IdsPerSecond = if ($seconds -and $Contender -ne 'Import') { [Math]::Round($ids / $seconds) } else { $null }
        CpuSeconds = Get-Sum 'CpuSeconds'
        ProcessCpuSeconds = $cpu
        PeakRssMB = if ($ok.Count) { [Math]::Round(($ok.PeakRssBytes | Measure-Object -Maximum).Maximum / 1MB, 1) } else { $null }
        Gc = if ($Processes -eq 1 -and $ok.Count) { $ok[0].Gc } else { $null }
        Output = Get-SummarySum 'Count'
        OutOfOrder = Get-SummarySum 'OutOfOrder'
        WrongStatus = Get-SummarySum 'WrongStatus'
        Unknown = Get-SummarySum 'Unknown'
        FirstProblems = @($summaries | ForEach-Object { $_.FirstProblems } | Where-Object { $_ })
        Errors = Get-Sum 'ErrorCount'
        FirstErrors = @($ok | ForEach-Object { $_.FirstErrors } | Where-Object { $_ })
        Failure = $failure
        Requests = $requests
        Throttled = if ($statsBefore) { $statsAfter.Throttled - $statsBefore.Throttled } else { $null }
        EmulatorMaxConcurrent = if ($statsAfter) { $statsAfter.MaxConcurrentRequests } else { $null }
        EmulatorCpuSeconds = [Math]::Round($emulatorCpu, 2)
        # Busy CPU of the whole machine during the children's life, less theirs and the emulator's: other load.
        OtherCpuSeconds = if ($ok.Count) { [Math]::Round([Math]::Max(0.0, $busy - $cpu - $emulatorCpu), 2) } else { $null }
        WallSeconds = [Math]::Round($wall.Elapsed.TotalSeconds, 2)
        LoadAverage = if ($quiet) { $quiet.LoadAverage } else { Get-LoadAverage }
        WaitedSec = if ($quiet) { $quiet.WaitedSec } else { 0 }
        TestRunActive = if ($quiet) { $quiet.TestRunAtStart } else { $false }
        BusyCoresBefore = if ($quiet) { $quiet.BusyCoresBefore } else { $null }
    }
    $verdict = if ($failure) { "FAILED: $failure" } elseif ($Contender -in 'Module', 'Plain' -and $ok.Count) {
        $lost = $ids - $record.Output
        "out $($record.Output), lost $lost, order $($record.OutOfOrder), status $($record.WrongStatus), unknown $($record.Unknown), errors $($record.Errors), 60007 $($record.Throttled)"
    } else { '' }
    $rate = if ($record.IdsPerSecond) { "{0:N0} IDs/s" -f $record.IdsPerSecond } else { '' }
    Write-Step ("  {0,-3} {1,-28} {2,9:N3} s {3,14} rss {4,6:N1} MB  {5}" -f $Scenario, $Name, $seconds, $rate, $record.PeakRssMB, $verdict)
    if (-not $Untimed) { $script:runs.Add($record) }
    $record
}

function New-IdFile([string] $path, [int] $count) {
    $writer = [IO.StreamWriter]::new($path, $false, [Text.UTF8Encoding]::new($false))
    try {
        $writer.NewLine = "`n"
        for ($i = 0; $i -lt $count; $i++) { $writer.WriteLine('user_' + $i.ToString('D7')) }
    }
    finally { $writer.Dispose() }
}

function Format-Ratio($value) { if ($null -eq $value) { 'n/a' } else { '{0:N2}' -f $value } }

#endregion

#region Set-up

if (-not (Test-Path (Join-Path $ModulePath 'TencentIm.psd1'))) { throw "No built module at $ModulePath. Run: dotnet pwsh ./build.ps1 build" }
if (-not (Test-Path $EmulatorPath)) { throw "No built emulator at $EmulatorPath. Run: dotnet pwsh ./build.ps1 build" }
New-Item -ItemType Directory -Force $ResultsPath | Out-Null
Remove-Item (Join-Path $ResultsPath 'child-stderr.log') -ErrorAction SilentlyContinue

# Snapshots: another session may rebuild out/ and bin/ while this runs.
$snapshot = Join-Path $ResultsPath 'snapshot'
if (Test-Path $snapshot) { Remove-Item $snapshot -Recurse -Force }
$moduleSnapshot = Join-Path $snapshot 'TencentIm'
Copy-Item $ModulePath $moduleSnapshot -Recurse
$moduleSnapshot = Join-Path $moduleSnapshot 'TencentIm.psd1'
Copy-Item (Split-Path $EmulatorPath -Parent) (Join-Path $snapshot 'emulator') -Recurse
$env:TENCENTIM_EMULATOR_DLL = Join-Path $snapshot "emulator/$(Split-Path $EmulatorPath -Leaf)"
Import-Module (Join-Path $root 'build/EmulatorProcess.psm1') -Force

# The checking sink, compiled once for every child.
$sinkDll = Join-Path $snapshot 'BenchSink.dll'
Add-Type -TypeDefinition (Get-Content (Join-Path $PSScriptRoot 'BenchSink.cs') -Raw) -OutputAssembly $sinkDll -OutputType Library

# The children run the same PowerShell as this script, in a fresh process (dotnet pwsh.dll when run as a dotnet tool).
$pwshExe = [Environment]::ProcessPath
$pwshPrefix = if ((Split-Path $pwshExe -Leaf) -match '^dotnet(\.exe)?$') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }

# The pre-signed UserSig of the plain script, made with the module's public signer (in this process, not measured).
Import-Module $moduleSnapshot
$userSig = [TencentIm.Signing.UserSigSigner]::Sign([TencentIm.Signing.SecretKey]::FromSecureString((ConvertTo-SecureString $secretKey -AsPlainText -Force)),
    $sdkAppId, 'administrator', [DateTimeOffset]::UtcNow, [TimeSpan]::FromHours(6), $null)

# ID files: every size used, each the first lines of the largest.
# (c): a run at quota q takes QuotaSeconds at the full quota (100 IDs a call); each of the two sharing processes half.
$quotaIds = @{}
foreach ($quota in $Quotas) { $quotaIds[$quota] = $quota * $idsPerCall * $QuotaSeconds }
$sharedIds = [int]($SharedQuota * $idsPerCall * $QuotaSeconds / 2)
$sizes = @(@($Ids, $PlainIds, $LatencyIds, $PlainLatencyIds, $ThrottleIds, $SmallMemoryIds, 1000, $sharedIds) + @($quotaIds.Values) | Where-Object { $_ -gt 0 }) | Sort-Object -Unique
$idFiles = @{}
foreach ($size in $sizes) {
    $idFiles[$size] = Join-Path $ResultsPath "ids-$size.txt"
    New-IdFile $idFiles[$size] $size
}
$largest = ($sizes | Measure-Object -Maximum).Maximum
$accountsFile = Join-Path $ResultsPath "accounts-every-$importedEvery-of-$largest.txt"
$writer = [IO.StreamWriter]::new($accountsFile, $false, [Text.UTF8Encoding]::new($false))
try {
    $writer.NewLine = "`n"
    for ($i = 0; $i -lt $largest; $i += $importedEvery) { $writer.WriteLine('user_' + $i.ToString('D7')) }
}
finally { $writer.Dispose() }

function Get-CommandText([string[]] $command) { (& $command[0] $command[1..($command.Count - 1)] 2>$null | Out-String).Trim() }
$machine = [ordered]@{
    DateUtc = [DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm:ss') + ' UTC'
    Cores = [Environment]::ProcessorCount
    Cpu = if (Get-Command lscpu -ErrorAction SilentlyContinue) { ((lscpu | Select-String 'Model name') -replace '.*:\s*', '') } else { '' }
    MemoryGB = if (Test-Path /proc/meminfo) { [Math]::Round([double]((Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s+(\d+)').Matches[0].Groups[1].Value) / 1MB, 1) } else { $null }
    Os = if (Test-Path /etc/os-release) { ((Select-String -Path /etc/os-release -Pattern '^PRETTY_NAME=(.*)').Matches[0].Groups[1].Value.Trim('"')) } else { [Runtime.InteropServices.RuntimeInformation]::OSDescription }
    Kernel = [Runtime.InteropServices.RuntimeInformation]::OSDescription
    DotnetSdk = Get-CommandText 'dotnet', '--version'
    DotnetRuntime = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
    PowerShell = $PSVersionTable.PSVersion.ToString()
    GitCommit = Get-CommandText 'git', '-C', $root, 'rev-parse', '--short', 'HEAD'
    GitDirtyFiles = @((Get-CommandText 'git', '-C', $root, 'status', '--porcelain', '--', 'src') -split "`n" | Where-Object { $_ }).Count
    ModuleDllSha256 = (Get-FileHash (Join-Path (Split-Path $moduleSnapshot) 'TencentIm.dll') -Algorithm SHA256).Hash.Substring(0, 16)
}
Write-Step "Machine: $($machine.Cores) cores, $($machine.Cpu), $($machine.MemoryGB) GB, $($machine.Os); .NET SDK $($machine.DotnetSdk), PowerShell $($machine.PowerShell); commit $($machine.GitCommit) ($($machine.GitDirtyFiles) changed files under src/)"

$runs = [Collections.Generic.List[object]]::new()

#endregion

#region Measurements

if ('import' -in $Scenario) {
    Write-Step "Import-Module, $ImportRepetitions fresh processes"
    for ($r = 0; $r -lt $ImportRepetitions; $r++) { $null = Invoke-Measurement -Scenario 'imp' -Name 'Import-Module' -Contender Import }
}

if ('a' -in $Scenario) {
Write-Step "(a) no latency, no limit: emulator seeded with every ${importedEvery}rd of $largest IDs"
$emulator = Start-BenchEmulator
try {
    $noLimit = @{ MaxRequestsPerSecond = 1000000 }
    Write-Step '  warm-up (untimed)'
    $null = Invoke-Measurement -Scenario 'a' -Name 'warm-up module' -Contender Module -Count 1000 -File $idFiles[1000] -Emulator $emulator -Extra $noLimit -Untimed
    $null = Invoke-Measurement -Scenario 'a' -Name 'warm-up plain' -Contender Plain -Count 1000 -File $idFiles[1000] -Emulator $emulator -Untimed

    for ($r = 1; $r -le $Repetitions; $r++) {
        Write-Step "  repetition $r of $Repetitions"
        $null = Invoke-Measurement -Scenario 'a' -Name 'floor (Out-Null)' -Contender Floor -Count $Ids -File $idFiles[$Ids]
        $null = Invoke-Measurement -Scenario 'a' -Name 'floor (sink)' -Contender FloorSink -Count $Ids -File $idFiles[$Ids]
        $null = Invoke-Measurement -Scenario 'a' -Name 'module' -Contender Module -Count $Ids -File $idFiles[$Ids] -Emulator $emulator -Extra $noLimit
        $null = Invoke-Measurement -Scenario 'a' -Name 'module (Out-Null)' -Contender Module -Count $Ids -File $idFiles[$Ids] -Emulator $emulator -Extra ($noLimit + @{ OutNull = $true })
        $null = Invoke-Measurement -Scenario 'a' -Name 'plain script' -Contender Plain -Count $PlainIds -File $idFiles[$PlainIds] -Emulator $emulator
    }
    Write-Step "  memory: the module and the floor on $SmallMemoryIds IDs"
    for ($r = 1; $r -le $Repetitions; $r++) {
        $null = Invoke-Measurement -Scenario 'mem' -Name "module $SmallMemoryIds IDs" -Contender Module -Count $SmallMemoryIds -File $idFiles[$SmallMemoryIds] -Emulator $emulator -Extra $noLimit
        $null = Invoke-Measurement -Scenario 'mem' -Name "floor $SmallMemoryIds IDs" -Contender Floor -Count $SmallMemoryIds -File $idFiles[$SmallMemoryIds]
    }
}
finally { Stop-TencentImEmulator $emulator }
}

if ('b' -in $Scenario) {
Write-Step "(b) $LatencyMs ms latency, account_check limited to $RateLimit calls/s (a fresh emulator per run)"
$latencyArgs = @('--latency-ms', $LatencyMs, '--rate-limit', "account_check=$RateLimit")
$latencyRuns = @(
    for ($r = 1; $r -le $Repetitions; $r++) {
        @{ Name = 'module (defaults)'; Contender = 'Module'; Size = $LatencyIds; Extra = @{} }
        # The same, started 1.5 s after Connect-TencentIm: without the connection test's call in the first window.
        @{ Name = 'module (defaults, 1.5 s after Connect)'; Contender = 'Module'; Size = $LatencyIds; Extra = @{ PauseAfterConnectMs = 1500 } }
        foreach ($limit in $ThrottleLimits) { @{ Name = "module -ThrottleLimit $limit"; Contender = 'Module'; Size = $ThrottleIds; Extra = @{ ThrottleLimit = $limit } } }
    }
    if ($PlainLatencyIds -gt 0) { @{ Name = 'plain script'; Contender = 'Plain'; Size = $PlainLatencyIds; Extra = @{} } }
)
foreach ($run in $latencyRuns) {
    $emulator = Start-BenchEmulator $latencyArgs
    try {
        $null = Invoke-Measurement -Scenario 'b' -Name $run.Name -Contender $run.Contender -Count $run.Size -File $idFiles[$run.Size] -Emulator $emulator -Extra $run.Extra
    }
    finally { Stop-TencentImEmulator $emulator }
}
}

if ('c' -in $Scenario) {
    Write-Step "(c) $LatencyMs ms latency, account_check quotas the module is not told: $($Quotas -join ', ') calls/s, and $SharedQuota shared by two processes (a fresh emulator per run)"
    # Whether a refused call uses up quota is not documented; the emulator plays both readings.
    $readings = @(
        @{ Name = 'refused calls use no quota'; Args = @() }
        @{ Name = 'refused calls use quota'; Args = @('--rate-limit-counts-rejected') }
    )
    $quotaRuns = @(
        for ($r = 1; $r -le $Repetitions; $r++) {
            foreach ($reading in $readings) {
                foreach ($quota in $Quotas) { @{ Name = "quota $quota, $($reading.Name)"; Quota = $quota; Args = $reading.Args; Size = $quotaIds[$quota]; Processes = 1 } }
                @{ Name = "quota $SharedQuota shared by 2 processes, $($reading.Name)"; Quota = $SharedQuota; Args = $reading.Args; Size = $sharedIds; Processes = 2 }
            }
        }
    )
    foreach ($run in $quotaRuns) {
        $emulator = Start-BenchEmulator (@('--latency-ms', $LatencyMs, '--rate-limit', "account_check=$($run.Quota)") + $run.Args)
        try {
            $record = Invoke-Measurement -Scenario 'c' -Name $run.Name -Contender Module -Count $run.Size -File $idFiles[$run.Size] -Emulator $emulator -Processes $run.Processes
            $record | Add-Member -NotePropertyName QuotaIdsPerSecond -NotePropertyValue ($run.Quota * $idsPerCall)
        }
        finally { Stop-TencentImEmulator $emulator }
    }
}

#endregion

#region Report

function Get-Run([string] $scenario, [string] $name) { @($runs | Where-Object { $_.Scenario -eq $scenario -and $_.Name -eq $name -and -not $_.Failure }) }
function Get-MedianOf([string] $scenario, [string] $name, [string] $property) {
    $values = @(Get-Run $scenario $name | ForEach-Object { $_.$property } | Where-Object { $null -ne $_ })
    if ($values.Count) { Get-Median $values } else { $null }
}
function Test-Correct($run) {
    -not ($run.Failure -or $run.Output -ne $run.Ids -or $run.OutOfOrder -or $run.WrongStatus -or $run.Unknown -or $run.Errors)
}

# One line per measured thing: medians over its repetitions.
$groups = foreach ($group in ($runs | Group-Object Scenario, Name | Sort-Object { $runs.IndexOf($_.Group[0]) })) {
    $first = $group.Group[0]
    $ok = @($group.Group | Where-Object { -not $_.Failure })
    $rates = @($ok | ForEach-Object { $_.IdsPerSecond } | Where-Object { $null -ne $_ })
    $checked = $first.Contender -in 'Module', 'Plain' -and $first.Name -notlike '*(Out-Null)*'
    [pscustomobject][ordered]@{
        Scenario = $first.Scenario
        Name = $first.Name
        Ids = $first.Ids
        Runs = $group.Count
        Failed = $group.Count - $ok.Count
        MedianSeconds = Get-MedianOf $first.Scenario $first.Name 'Seconds'
        MedianIdsPerSecond = if ($rates.Count) { [Math]::Round((Get-Median $rates)) } else { $null }
        MinIdsPerSecond = if ($rates.Count) { ($rates | Measure-Object -Minimum).Minimum } else { $null }
        MaxIdsPerSecond = if ($rates.Count) { ($rates | Measure-Object -Maximum).Maximum } else { $null }
        MedianCpuSeconds = Get-MedianOf $first.Scenario $first.Name 'CpuSeconds'
        MedianPeakRssMB = Get-MedianOf $first.Scenario $first.Name 'PeakRssMB'
        Throttled = ($group.Group | Measure-Object Throttled -Sum).Sum
        AllCorrect = if ($checked) { @($group.Group | Where-Object { -not (Test-Correct $_) }).Count -eq 0 } else { $null }
    }
}
function Get-Group([string] $scenario, [string] $name) { $groups | Where-Object { $_.Scenario -eq $scenario -and $_.Name -eq $name } | Select-Object -First 1 }

$importMs = Get-MedianOf 'imp' 'Import-Module' 'Seconds'
if ($null -ne $importMs) { $importMs = [Math]::Round($importMs * 1000) }
$floor = Get-Group 'a' 'floor (Out-Null)'
$floorSink = Get-Group 'a' 'floor (sink)'
$module = Get-Group 'a' 'module'
$moduleOutNull = Get-Group 'a' 'module (Out-Null)'
$plain = Get-Group 'a' 'plain script'
$moduleRate = if ($module -and $module.MedianSeconds) { $Ids / $module.MedianSeconds } else { $null }
$plainRate = if ($plain -and $plain.MedianSeconds) { $PlainIds / $plain.MedianSeconds } else { $null }
$floorRate = if ($floor -and $floor.MedianSeconds) { $Ids / $floor.MedianSeconds } else { $null }
$moduleVsPlain = if ($moduleRate -and $plainRate) { $moduleRate / $plainRate } else { $null }
$moduleVsFloor = if ($moduleRate -and $floorRate) { $floorRate / $moduleRate } else { $null }
$floorVsPlain = if ($floorRate -and $plainRate) { $floorRate / $plainRate } else { $null }
$rssLarge = if ($module) { $module.MedianPeakRssMB } else { $null }
$rssSmall = Get-MedianOf 'mem' "module $SmallMemoryIds IDs" 'PeakRssMB'
$rssGrowth = if ($null -ne $rssLarge -and $null -ne $rssSmall) { $rssLarge - $rssSmall } else { $null }
$floorRssLarge = if ($floor) { $floor.MedianPeakRssMB } else { $null }
$floorRssSmall = Get-MedianOf 'mem' "floor $SmallMemoryIds IDs" 'PeakRssMB'
$bModule = Get-Group 'b' 'module (defaults)'
$bModulePaused = Get-Group 'b' 'module (defaults, 1.5 s after Connect)'
$bPlain = Get-Group 'b' 'plain script'
# (c): each measurement's median IDs/s as a share of what its quota admits (quota x 100 IDs a call).
$quotaShares = @(foreach ($g in @($groups | Where-Object Scenario -eq 'c')) {
        $quotaIdsPerSecond = @($runs | Where-Object { $_.Scenario -eq 'c' -and $_.Name -eq $g.Name })[0].QuotaIdsPerSecond
        [pscustomobject][ordered]@{
            Name = $g.Name; Ids = $g.Ids; QuotaIdsPerSecond = $quotaIdsPerSecond; MedianIdsPerSecond = $g.MedianIdsPerSecond
            Share = if ($null -ne $g.MedianIdsPerSecond -and $quotaIdsPerSecond) { $g.MedianIdsPerSecond / $quotaIdsPerSecond } else { $null }
            MinShare = if ($null -ne $g.MinIdsPerSecond -and $quotaIdsPerSecond) { $g.MinIdsPerSecond / $quotaIdsPerSecond } else { $null }
            Throttled = $g.Throttled; AllCorrect = $g.AllCorrect
        }
    })
$correct = @($runs | Where-Object { $_.Contender -in 'Module', 'Plain' -and $_.Name -notlike '*(Out-Null)*' } | Where-Object { -not (Test-Correct $_) }).Count -eq 0
$noisy = @($runs | Where-Object { $_.TestRunActive -or $_.OtherCpuSeconds -gt [Math]::Max(0.5, 0.1 * $_.WallSeconds) })

$summary = [ordered]@{
    ImportModuleMs = $importMs
    A = [ordered]@{
        FloorIdsPerSecond = $floorRate; ModuleIdsPerSecond = $moduleRate; PlainIdsPerSecond = $plainRate
        ModuleOverPlain = $moduleVsPlain; ModuleTimeOverFloorTime = $moduleVsFloor; FloorOverPlain = $floorVsPlain
    }
    B = [ordered]@{
        CeilingIdsPerSecond = $ceiling
        ModuleIdsPerSecond = if ($bModule) { $bModule.MedianIdsPerSecond } else { $null }
        ModuleAfterPauseIdsPerSecond = if ($bModulePaused) { $bModulePaused.MedianIdsPerSecond } else { $null }
        PlainIdsPerSecond = if ($bPlain) { $bPlain.MedianIdsPerSecond } else { $null }
    }
    C = $quotaShares
    Memory = [ordered]@{
        SmallIds = $SmallMemoryIds; ModuleSmallPeakRssMB = $rssSmall; ModuleLargePeakRssMB = $rssLarge; ModuleGrowthMB = $rssGrowth
        FloorSmallPeakRssMB = $floorRssSmall; FloorLargePeakRssMB = $floorRssLarge
    }
    AllAnswersCorrect = $correct
    NoisyRuns = @($noisy | ForEach-Object { "$($_.Scenario) $($_.Name): other CPU $($_.OtherCpuSeconds) s in $($_.WallSeconds) s, test run active $($_.TestRunActive)" })
    Groups = $groups
}

$md = [Text.StringBuilder]::new()
function Add-Line([string] $text = '') { $null = $md.AppendLine($text) }
Add-Line "Run $($machine.DateUtc): $($machine.Cores) cores, $($machine.Cpu), $($machine.MemoryGB) GB RAM, $($machine.Os), .NET SDK $($machine.DotnetSdk), PowerShell $($machine.PowerShell), commit $($machine.GitCommit) ($($machine.GitDirtyFiles) changed files under src/), TencentIm.dll $($machine.ModuleDllSha256)."
Add-Line ("Command: dotnet pwsh ./bench/Invoke-Benchmark.ps1 $(($PSBoundParameters.GetEnumerator() | ForEach-Object { if ($_.Value -is [switch]) { "-$($_.Key)" } else { "-$($_.Key) $($_.Value -join ',')" } }) -join ' ')".TrimEnd())
Add-Line
Add-Line '| Scenario | Measurement | IDs | Runs | Median time (s) | Median IDs/s (min–max) | Median CPU (s) | Median peak RSS (MB) | 60007 (all runs) | All answers right |'
Add-Line '|---|---|--:|--:|--:|--:|--:|--:|--:|---|'
foreach ($g in $groups) {
    $time = if ($null -eq $g.MedianSeconds) { 'FAILED' } elseif ($g.Scenario -eq 'imp') { '{0:N3}' -f $g.MedianSeconds } else { '{0:N2}' -f $g.MedianSeconds }
    $rate = if ($null -ne $g.MedianIdsPerSecond) { '{0:N0} ({1:N0}–{2:N0})' -f $g.MedianIdsPerSecond, $g.MinIdsPerSecond, $g.MaxIdsPerSecond } else { '' }
    $right = if ($null -eq $g.AllCorrect) { '' } elseif ($g.AllCorrect) { 'yes' } else { '**NO**' }
    Add-Line ('| {0} | {1} | {2:N0} | {3} | {4} | {5} | {6:N2} | {7:N1} | {8} | {9} |' -f $g.Scenario, $g.Name, $g.Ids, $g.Runs, $time, $rate, $g.MedianCpuSeconds, $g.MedianPeakRssMB, $g.Throttled, $right)
}
Add-Line
Add-Line '| Figure | Value | Target | Met |'
Add-Line '|---|---|---|---|'
function Add-Target([string] $figure, [string] $value, [string] $target, $met) {
    $verdict = if ($null -eq $met) { '' } elseif ($met) { 'yes' } else { '**no**' }
    Add-Line "| $figure | $value | $target | $verdict |"
}
if ('import' -in $Scenario) { Add-Target "Import-Module (median of $ImportRepetitions)" "$importMs ms" '< 300 ms' ($null -ne $importMs -and $importMs -lt 300) }
if ('a' -in $Scenario) {
    Add-Target '(a) module / plain script, IDs/s' (Format-Ratio $moduleVsPlain) '>= 20' ($null -ne $moduleVsPlain -and $moduleVsPlain -ge 20)
    Add-Target '(a) module time / floor time, same IDs' (Format-Ratio $moduleVsFloor) '<= 2' ($null -ne $moduleVsFloor -and $moduleVsFloor -le 2)
    Add-Target '(a) floor / plain script, IDs/s (for reference)' (Format-Ratio $floorVsPlain) '' $null
}
if ($bModule) { Add-Target ('(b) module, {0:N0} IDs (median)' -f $bModule.Ids) ('{0:N0} IDs/s = {1:P1} of {2:N0}' -f $bModule.MedianIdsPerSecond, ($bModule.MedianIdsPerSecond / $ceiling), $ceiling) '>= 9,500 IDs/s' ($bModule.MedianIdsPerSecond -ge 9500) }
if ($bModulePaused) { Add-Target ('(b) module, {0:N0} IDs, run 1.5 s after Connect (median)' -f $bModulePaused.Ids) ('{0:N0} IDs/s = {1:P1} of {2:N0}' -f $bModulePaused.MedianIdsPerSecond, ($bModulePaused.MedianIdsPerSecond / $ceiling), $ceiling) '(diagnosis)' $null }
if ($bPlain) { Add-Target ('(b) plain script, {0:N0} IDs' -f $bPlain.Ids) ('{0:N0} IDs/s = {1:P1} of {2:N0}' -f $bPlain.MedianIdsPerSecond, ($bPlain.MedianIdsPerSecond / $ceiling), $ceiling) '' $null }
if ('b' -in $Scenario) { Add-Target '(b) no ID lost (module)' "$(if ($bModule) { $bModule.AllCorrect })" 'every ID answered, in order, right status' ($bModule -and $bModule.AllCorrect) }
foreach ($c in $quotaShares) {
    Add-Target ('(c) {0}, {1:N0} IDs (median)' -f $c.Name, $c.Ids) ('{0:N0} IDs/s = {1:P1} of {2:N0} (lowest run {3:P1}), {4} × 60007' -f $c.MedianIdsPerSecond, $c.Share, $c.QuotaIdsPerSecond, $c.MinShare, $c.Throttled) '>= 80 %, every ID answered, no error' ($null -ne $c.Share -and $c.Share -ge 0.8 -and $c.AllCorrect)
}
if ('a' -in $Scenario) {
    Add-Target ('Peak RSS, module, {0:N0} vs {1:N0} IDs (medians)' -f $Ids, $SmallMemoryIds) ('{0:N1} vs {1:N1} MB: +{2:N1} MB' -f $rssLarge, $rssSmall, $rssGrowth) '<= +50 MB' ($null -ne $rssGrowth -and $rssGrowth -le 50)
    Add-Target ('Peak RSS, floor, {0:N0} vs {1:N0} IDs (for reference)' -f $Ids, $SmallMemoryIds) ('{0:N1} vs {1:N1} MB: +{2:N1} MB' -f $floorRssLarge, $floorRssSmall, ($floorRssLarge - $floorRssSmall)) '' $null
}
Add-Target 'Every answer of every module and plain run present, in order, right status, no error' "$correct" '' $correct
Add-Line
if ($noisy.Count) {
    Add-Line "Runs with other load on the machine (other processes' CPU over 10 % of the run's wall time, or a test run active): $($noisy.Count) of $($runs.Count):"
    foreach ($line in $summary.NoisyRuns) { Add-Line "- $line" }
}
else { Add-Line 'No run saw other load on the machine (other processes'' CPU under 10 % of the wall time).' }
Add-Line
Add-Line '<details><summary>Every run</summary>'
Add-Line
Add-Line '| Scenario | Run | IDs | Time (s) | IDs/s | CPU (s) | Peak RSS (MB) | Out / lost / wrong | Errors | 60007 | Emulator CPU (s) | Other CPU (s) | Load avg |'
Add-Line '|---|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|---|'
foreach ($run in $runs) {
    $check = if ($run.Contender -in 'Module', 'Plain' -and $null -ne $run.Output) { "$($run.Output) / $($run.Ids - $run.Output) / $($run.OutOfOrder + $run.WrongStatus + $run.Unknown)" } else { '' }
    $time = if ($null -ne $run.Seconds) { if ($run.Contender -eq 'Import') { '{0:N3}' -f $run.Seconds } else { '{0:N2}' -f $run.Seconds } } else { "FAILED: $($run.Failure)" }
    Add-Line ('| {0} | {1} | {2:N0} | {3} | {4:N0} | {5:N2} | {6:N1} | {7} | {8} | {9} | {10} | {11} | {12} |' -f
        $run.Scenario, $run.Name, $run.Ids, $time, $run.IdsPerSecond, $run.CpuSeconds, $run.PeakRssMB, $check, $run.Errors, $run.Throttled, $run.EmulatorCpuSeconds, $run.OtherCpuSeconds, (($run.LoadAverage -split ' ')[0..2] -join ' '))
}
Add-Line
Add-Line '</details>'

$report = [ordered]@{ Machine = $machine; Parameters = [ordered]@{
        Ids = $Ids; PlainIds = $PlainIds; LatencyIds = $LatencyIds; PlainLatencyIds = $PlainLatencyIds; ThrottleLimits = $ThrottleLimits
        ThrottleIds = $ThrottleIds; SmallMemoryIds = $SmallMemoryIds; Repetitions = $Repetitions; ImportRepetitions = $ImportRepetitions
        Scenario = $Scenario; Quotas = $Quotas; SharedQuota = $SharedQuota; QuotaSeconds = $QuotaSeconds
        LatencyMs = $LatencyMs; RateLimit = $RateLimit; Quick = [bool]$Quick
    }; Summary = $summary; Runs = $runs
}
$report | ConvertTo-Json -Depth 6 | Set-Content (Join-Path $ResultsPath 'latest.json')
$md.ToString() | Set-Content (Join-Path $ResultsPath 'latest.md')
Write-Host ''
Write-Host $md.ToString()
Write-Step "Wrote $(Join-Path $ResultsPath 'latest.json') and latest.md"

#endregion
