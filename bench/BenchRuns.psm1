# The benchmark's runs: the set-up they share (snapshots, the sink, the ID files, the accounts file), one
# measurement in fresh pwsh processes through Measure-Run.ps1, and the scenarios (import, a, b, c) built from it.
# Every record goes to the context's Runs list; BenchReport.psm1 makes the tables from it.

Set-StrictMode -Version Latest
# A module does not see its caller's preference: a failed step must stop the benchmark, not be measured around.
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'BenchMachine.psm1')

$sdkAppId = [uint32]1400000001
$secretKey = 'bench-secret-key-0123456789abcdef0123456789abcdef'
$importedEvery = 3
$idsPerCall = 100
$childTimeoutSec = 1800

# Every contender asks about 100 IDs a call, so a quota of q calls/s admits q x 100 IDs/s.
function Get-BenchIdsPerCall { $idsPerCall }

# ID files a quota run needs: a run at quota q takes QuotaSeconds at the full quota; each of the two processes that
# share SharedQuota takes half.
function Get-QuotaSize {
    param([int[]] $Quotas, [int] $SharedQuota, [int] $QuotaSeconds)
    $perQuota = @{}
    foreach ($quota in $Quotas) { $perQuota[$quota] = $quota * $idsPerCall * $QuotaSeconds }
    @{ PerQuota = $perQuota; Shared = [int]($SharedQuota * $idsPerCall * $QuotaSeconds / 2) }
}

function New-IdFile([string] $Path, [int] $Count, [int] $Step = 1) {
    $writer = [IO.StreamWriter]::new($Path, $false, [Text.UTF8Encoding]::new($false))
    try {
        $writer.NewLine = "`n"
        for ($i = 0; $i -lt $Count; $i += $Step) { $writer.WriteLine('user_' + $i.ToString('D7')) }
    }
    finally { $writer.Dispose() }
}

# Everything the runs share. Returns the context every other function here takes.
function New-BenchContext {
    param(
        [string] $ModulePath,
        # The built TencentIm.Emulator module (out/TencentIm.Emulator): the emulator starts through its public cmdlets.
        [string] $EmulatorModulePath,
        [string] $ResultsPath,
        # Every ID file size used; each file is the first lines of the largest.
        [int[]] $Sizes,
        [int] $QuietWaitSec,
        [int] $IdleWaitSec
    )

    if (-not (Test-Path (Join-Path $ModulePath 'TencentIm.psd1'))) { throw "No built module at $ModulePath. Run: dotnet pwsh ./build.ps1 build" }
    if (-not (Test-Path (Join-Path $EmulatorModulePath 'TencentIm.Emulator.psd1'))) { throw "No built emulator module at $EmulatorModulePath. Run: dotnet pwsh ./build.ps1 build" }
    New-Item -ItemType Directory -Force $ResultsPath | Out-Null
    Remove-Item (Join-Path $ResultsPath 'child-stderr.log') -ErrorAction SilentlyContinue

    # Snapshots: another session may rebuild out/ and bin/ while this runs.
    $snapshot = Join-Path $ResultsPath 'snapshot'
    if (Test-Path $snapshot) { Remove-Item $snapshot -Recurse -Force }
    Copy-Item $ModulePath (Join-Path $snapshot 'TencentIm') -Recurse
    $moduleSnapshot = Join-Path $snapshot 'TencentIm/TencentIm.psd1'
    Copy-Item $EmulatorModulePath (Join-Path $snapshot 'TencentIm.Emulator') -Recurse
    Import-Module (Join-Path $snapshot 'TencentIm.Emulator/TencentIm.Emulator.psd1') -Global

    # The checking sink, compiled once for every child.
    $sinkDll = Join-Path $snapshot 'BenchSink.dll'
    Add-Type -TypeDefinition (Get-Content (Join-Path $PSScriptRoot 'BenchSink.cs') -Raw) -OutputAssembly $sinkDll -OutputType Library

    # The children run the same PowerShell as this process, fresh (dotnet pwsh.dll when run as a dotnet tool).
    $pwshExe = [Environment]::ProcessPath
    $pwshPrefix = if ((Split-Path $pwshExe -Leaf) -match '^dotnet(\.exe)?$') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }

    # The pre-signed UserSig of the plain script, made with the module's public signer (here, not measured).
    Import-Module $moduleSnapshot
    $userSig = [TencentIm.Signing.UserSigSigner]::Sign([TencentIm.Signing.SecretKey]::FromSecureString((ConvertTo-SecureString $secretKey -AsPlainText -Force)),
        $sdkAppId, 'administrator', [DateTimeOffset]::UtcNow, [TimeSpan]::FromHours(6), $null)

    $idFiles = @{}
    foreach ($size in $Sizes) {
        $idFiles[$size] = Join-Path $ResultsPath "ids-$size.txt"
        New-IdFile $idFiles[$size] $size
    }
    $largest = ($Sizes | Measure-Object -Maximum).Maximum
    $accountsFile = Join-Path $ResultsPath "accounts-every-$importedEvery-of-$largest.txt"
    New-IdFile $accountsFile $largest -Step $importedEvery

    [pscustomobject]@{
        ResultsPath = $ResultsPath
        ModuleSnapshot = $moduleSnapshot
        ModuleDll = Join-Path (Split-Path $moduleSnapshot) 'TencentIm.dll'
        SinkDll = $sinkDll
        PwshExe = $pwshExe
        PwshPrefix = $pwshPrefix
        UserSig = $userSig
        IdFiles = $idFiles
        LargestIds = $largest
        AccountsFile = $accountsFile
        QuietWaitSec = $QuietWaitSec
        IdleWaitSec = $IdleWaitSec
        Runs = [Collections.Generic.List[object]]::new()
    }
}

function Start-BenchEmulator($Bench, [hashtable] $Extra = @{}) {
    # The request log off: the benchmark measures the client, not the emulator's bookkeeping.
    Start-TencentImEmulator -AccountFile $Bench.AccountsFile -SecretKey (ConvertTo-SecureString $secretKey -AsPlainText -Force) -SdkAppId $sdkAppId -RequestLogSize 0 @Extra
}

function Get-BenchEmulatorStats($Emulator) {
    Invoke-RestMethod -Uri ([uri]::new($Emulator.Endpoint, 'emulator/stats')) -NoProxy
}

function Get-EmulatorCpuSeconds($Emulator) {
    if (-not $Emulator) { return 0.0 }
    # The handle shows the process's Id only (its Process would serialise the environment).
    return (Get-Process -Id $Emulator.Id).TotalProcessorTime.TotalSeconds
}

# Runs Measure-Run.ps1 in a fresh pwsh process and returns its result with the run's context. With -Processes N,
# runs N children at once against the same emulator (each checks the same file through its own connection, all
# starting their timed pipelines at one agreed moment) and returns one record for them together: their IDs added up,
# over the time from the first start to the last end. Timed records are added to the context's Runs.
function Invoke-BenchMeasurement {
    param(
        $Bench,
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

    $quiet = if ($Untimed) { $null } else { Wait-QuietMachine -QuietWaitSec $Bench.QuietWaitSec -IdleWaitSec $Bench.IdleWaitSec }
    $arguments = [ordered]@{ Contender = $Contender; ModulePath = $Bench.ModuleSnapshot; SinkPath = $Bench.SinkDll; SdkAppId = $sdkAppId }
    if ($File) { $arguments.Path = $File }
    if ($Emulator) { $arguments.BaseUri = $Emulator.Endpoint.AbsoluteUri; $arguments.SecretKey = $secretKey; $arguments.UserSig = $Bench.UserSig }
    foreach ($key in $Extra.Keys) { $arguments[$key] = $Extra[$key] }
    # Time enough for every child to start, import the module and connect before the agreed moment.
    if ($Processes -gt 1) { $arguments.StartAtUnixMs = [DateTimeOffset]::UtcNow.AddSeconds(8).ToUnixTimeMilliseconds() }

    $start = [Diagnostics.ProcessStartInfo]::new($Bench.PwshExe)
    foreach ($a in $Bench.PwshPrefix) { $start.ArgumentList.Add($a) }
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

    $statsBefore = if ($Emulator) { Get-BenchEmulatorStats $Emulator } else { $null }
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
    $statsAfter = if ($Emulator) { Get-BenchEmulatorStats $Emulator } else { $null }

    $children = @(foreach ($run in $started) {
            $line = @($run.StdOut.Result -split "`r?`n" | Where-Object { $_.StartsWith('BENCH-RESULT ') }) | Select-Object -Last 1
            $child = if ($line) { $line.Substring('BENCH-RESULT '.Length) | ConvertFrom-Json } else { $null }
            if ($run.StdErr.Result.Trim()) {
                Add-Content -Path (Join-Path $Bench.ResultsPath 'child-stderr.log') -Value "--- $Scenario $Name`n$($run.StdErr.Result)"
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
    Write-BenchStep ("  {0,-3} {1,-28} {2,9:N3} s {3,14} rss {4,6:N1} MB  {5}" -f $Scenario, $Name, $seconds, $rate, $record.PeakRssMB, $verdict)
    if (-not $Untimed) { $Bench.Runs.Add($record) }
    $record
}

# Import-Module of the module, each in a fresh process.
function Invoke-ImportScenario($Bench, [int] $Repetitions) {
    Write-BenchStep "Import-Module, $Repetitions fresh processes"
    for ($r = 0; $r -lt $Repetitions; $r++) { $null = Invoke-BenchMeasurement $Bench -Scenario 'imp' -Name 'Import-Module' -Contender Import }
}

# (a) No latency, no limit, one emulator (warmed up once, untimed): the floor, the floor through the sink, the module
# (checked and ending in Out-Null) and the plain script in turn; then the module and the floor at a small size, for
# the peak resident set.
function Invoke-NoLatencyScenario {
    param($Bench, [int] $Ids, [int] $PlainIds, [int] $SmallMemoryIds, [int] $Repetitions)

    Write-BenchStep "(a) no latency, no limit: emulator seeded with every ${importedEvery}rd of $($Bench.LargestIds) IDs"
    $files = $Bench.IdFiles
    $emulator = Start-BenchEmulator $Bench
    try {
        $noLimit = @{ MaxRequestsPerSecond = 1000000 }
        Write-BenchStep '  warm-up (untimed)'
        $null = Invoke-BenchMeasurement $Bench -Scenario 'a' -Name 'warm-up module' -Contender Module -Count 1000 -File $files[1000] -Emulator $emulator -Extra $noLimit -Untimed
        $null = Invoke-BenchMeasurement $Bench -Scenario 'a' -Name 'warm-up plain' -Contender Plain -Count 1000 -File $files[1000] -Emulator $emulator -Untimed

        for ($r = 1; $r -le $Repetitions; $r++) {
            Write-BenchStep "  repetition $r of $Repetitions"
            $null = Invoke-BenchMeasurement $Bench -Scenario 'a' -Name 'floor (Out-Null)' -Contender Floor -Count $Ids -File $files[$Ids]
            $null = Invoke-BenchMeasurement $Bench -Scenario 'a' -Name 'floor (sink)' -Contender FloorSink -Count $Ids -File $files[$Ids]
            $null = Invoke-BenchMeasurement $Bench -Scenario 'a' -Name 'module' -Contender Module -Count $Ids -File $files[$Ids] -Emulator $emulator -Extra $noLimit
            $null = Invoke-BenchMeasurement $Bench -Scenario 'a' -Name 'module (Out-Null)' -Contender Module -Count $Ids -File $files[$Ids] -Emulator $emulator -Extra ($noLimit + @{ OutNull = $true })
            $null = Invoke-BenchMeasurement $Bench -Scenario 'a' -Name 'plain script' -Contender Plain -Count $PlainIds -File $files[$PlainIds] -Emulator $emulator
        }
        Write-BenchStep "  memory: the module and the floor on $SmallMemoryIds IDs"
        for ($r = 1; $r -le $Repetitions; $r++) {
            $null = Invoke-BenchMeasurement $Bench -Scenario 'mem' -Name "module $SmallMemoryIds IDs" -Contender Module -Count $SmallMemoryIds -File $files[$SmallMemoryIds] -Emulator $emulator -Extra $noLimit
            $null = Invoke-BenchMeasurement $Bench -Scenario 'mem' -Name "floor $SmallMemoryIds IDs" -Contender Floor -Count $SmallMemoryIds -File $files[$SmallMemoryIds]
        }
    }
    finally { Stop-TencentImEmulator $emulator }
}

# (b) Latency and the account_check limit, a fresh emulator per run: the module with its defaults, the same started
# 1.5 s after Connect-TencentIm, the module at each -ThrottleLimit; then, once, the plain script (0 IDs: not at all).
function Invoke-LatencyScenario {
    param($Bench, [int] $LatencyMs, [int] $RateLimit, [int] $LatencyIds, [int[]] $ThrottleLimits, [int] $ThrottleIds, [int] $PlainLatencyIds, [int] $Repetitions)

    Write-BenchStep "(b) $LatencyMs ms latency, account_check limited to $RateLimit calls/s (a fresh emulator per run)"
    $latencyArgs = @{ LatencyMs = $LatencyMs; RateLimit = @{ account_check = $RateLimit } }
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
        $emulator = Start-BenchEmulator $Bench $latencyArgs
        try {
            $null = Invoke-BenchMeasurement $Bench -Scenario 'b' -Name $run.Name -Contender $run.Contender -Count $run.Size -File $Bench.IdFiles[$run.Size] -Emulator $emulator -Extra $run.Extra
        }
        finally { Stop-TencentImEmulator $emulator }
    }
}

# (c) Latency and account_check quotas below the 100 calls/s the module assumes, which it is not told: each quota
# alone, and one quota shared by two module processes started together, a fresh emulator per run. Each record
# carries the IDs/s its quota admits.
function Invoke-QuotaScenario {
    param($Bench, [int] $LatencyMs, [int[]] $Quotas, [int] $SharedQuota, [int] $QuotaSeconds, [int] $Repetitions)

    Write-BenchStep "(c) $LatencyMs ms latency, account_check quotas the module is not told: $($Quotas -join ', ') calls/s, and $SharedQuota shared by two processes (a fresh emulator per run)"
    $size = Get-QuotaSize -Quotas $Quotas -SharedQuota $SharedQuota -QuotaSeconds $QuotaSeconds
    # Whether a refused call uses up quota is not documented; the emulator plays both readings.
    $readings = @(
        @{ Name = 'refused calls use no quota'; Args = @{} }
        @{ Name = 'refused calls use quota'; Args = @{ RateLimitCountsRejected = $true } }
    )
    $quotaRuns = @(
        for ($r = 1; $r -le $Repetitions; $r++) {
            foreach ($reading in $readings) {
                foreach ($quota in $Quotas) { @{ Name = "quota $quota, $($reading.Name)"; Quota = $quota; Args = $reading.Args; Size = $size.PerQuota[$quota]; Processes = 1 } }
                @{ Name = "quota $SharedQuota shared by 2 processes, $($reading.Name)"; Quota = $SharedQuota; Args = $reading.Args; Size = $size.Shared; Processes = 2 }
            }
        }
    )
    foreach ($run in $quotaRuns) {
        $emulator = Start-BenchEmulator $Bench (@{ LatencyMs = $LatencyMs; RateLimit = @{ account_check = $run.Quota } } + $run.Args)
        try {
            $record = Invoke-BenchMeasurement $Bench -Scenario 'c' -Name $run.Name -Contender Module -Count $run.Size -File $Bench.IdFiles[$run.Size] -Emulator $emulator -Processes $run.Processes
            $record | Add-Member -NotePropertyName QuotaIdsPerSecond -NotePropertyValue ($run.Quota * $idsPerCall)
        }
        finally { Stop-TencentImEmulator $emulator }
    }
}

Export-ModuleMember -Function Get-BenchIdsPerCall, Get-QuotaSize, New-BenchContext, Invoke-BenchMeasurement, Invoke-ImportScenario, Invoke-NoLatencyScenario, Invoke-LatencyScenario, Invoke-QuotaScenario
