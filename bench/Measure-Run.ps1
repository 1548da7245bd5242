<#
.SYNOPSIS
One measurement of the benchmark, in its own fresh PowerShell process. Invoke-Benchmark.ps1 starts it; it is not
meant to be run by hand (but can be, to try one contender).

.DESCRIPTION
Contenders:
  Import     Import-Module of the built module, timed alone (nothing else loaded first).
  Floor      Get-Content <file> | Out-Null: the cost of reading the file through the pipeline.
  FloorSink  Get-Content <file> | Measure-BenchOutput -CountOnly: the same through the checking sink, to show that
             the sink costs what Out-Null costs.
  Module     Import-Module, Connect-TencentIm, then (timed) Get-Content <file> | Test-TencentImAccount | Measure-BenchOutput
             (or | Out-Null with -OutNull, to show what the sink costs).
  Plain      (timed) ./Plain-AccountCheck.ps1 -Path <file> ... | Measure-BenchOutput.
Everything before the timed pipeline (module import, connection, the sink's dll) is outside the timing. With
-StartAtUnixMs it waits for that moment before the timed pipeline, so that processes run side by side start
together. At the end it writes one line, 'BENCH-RESULT <json>', with the time (and the start and end in Unix
milliseconds), the CPU time, the peak resident set (VmHWM) of this process, the GC counts, the sink's verdict (count,
order, statuses) and the errors.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateSet('Import', 'Floor', 'FloorSink', 'Module', 'Plain')]
    [string] $Contender,

    [string] $Path,
    [string] $ModulePath,
    [string] $SinkPath,
    [string] $BaseUri,
    [string] $SecretKey,
    [string] $UserSig,
    [uint32] $SdkAppId = 1400000001,
    [int] $MaxRequestsPerSecond = 0,
    [int] $ThrottleLimit = 0,
    # Module: wait this long between Connect-TencentIm and the timed run (0: start at once, as a script would).
    [int] $PauseAfterConnectMs = 0,
    # Module: end the pipeline with Out-Null instead of the checking sink (nothing is checked then).
    [switch] $OutNull,
    # Start the timed pipeline at this moment (Unix milliseconds), so that processes run side by side start together.
    [long] $StartAtUnixMs = 0
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-ProcStatus([string] $name) {
    # Linux: /proc/self/status gives VmHWM (peak resident set) and VmRSS in kB.
    if (Test-Path /proc/self/status) {
        foreach ($line in [IO.File]::ReadAllLines('/proc/self/status')) {
            if ($line.StartsWith("${name}:")) { return [long]($line -replace '\D', '') * 1024 }
        }
    }
    $process = [Diagnostics.Process]::GetCurrentProcess()
    if ($name -eq 'VmHWM') { return $process.PeakWorkingSet64 } else { return $process.WorkingSet64 }
}

$result = [ordered]@{
    Contender = $Contender
    Seconds = $null
    CpuSeconds = $null
    ProcessCpuSeconds = $null
    PeakRssBytes = $null
    RssBytesAtEnd = $null
    Gc = $null
    Summary = $null
    ErrorCount = 0
    FirstErrors = @()
    Failure = $null
    StartedUnixMs = $null
    EndedUnixMs = $null
}

try {
    if ($Contender -eq 'Import') {
        $stopwatch = [Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath
        $stopwatch.Stop()
        $result.Seconds = $stopwatch.Elapsed.TotalSeconds
    }
    else {
        Import-Module $SinkPath
        $runErrors = @()
        $invoke = $null
        switch ($Contender) {
            'Floor' { $invoke = { Get-Content -Path $Path | Out-Null } }
            'FloorSink' { $invoke = { Get-Content -Path $Path | Measure-BenchOutput -CountOnly } }
            'Module' {
                Import-Module $ModulePath
                $connect = @{
                    SdkAppId = $SdkAppId
                    SecretKey = ConvertTo-SecureString $SecretKey -AsPlainText -Force
                    Endpoint = [uri]$BaseUri
                }
                if ($MaxRequestsPerSecond -gt 0) { $connect.MaxRequestsPerSecond = $MaxRequestsPerSecond }
                Connect-TencentIm @connect
                $test = @{ ErrorAction = 'SilentlyContinue'; ErrorVariable = 'runErrors' }
                if ($ThrottleLimit -gt 0) { $test.ThrottleLimit = $ThrottleLimit }
                $invoke = if ($OutNull) { { Get-Content -Path $Path | Test-TencentImAccount @test | Out-Null } } else { { Get-Content -Path $Path | Test-TencentImAccount @test | Measure-BenchOutput } }
                if ($PauseAfterConnectMs -gt 0) { Start-Sleep -Milliseconds $PauseAfterConnectMs }
            }
            'Plain' {
                $plain = Join-Path $PSScriptRoot 'Plain-AccountCheck.ps1'
                $invoke = { & $plain -Path $Path -BaseUri $BaseUri -SdkAppId $SdkAppId -UserSig $UserSig | Measure-BenchOutput }
            }
        }

        $wait = $StartAtUnixMs - [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        if ($wait -gt 0) { Start-Sleep -Milliseconds $wait }
        $result.StartedUnixMs = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $gcBefore = 0..2 | ForEach-Object { [GC]::CollectionCount($_) }
        $cpuBefore = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime
        $stopwatch = [Diagnostics.Stopwatch]::StartNew()
        $summary = . $invoke   # dot-sourced: -ErrorVariable fills this scope's $runErrors
        $stopwatch.Stop()
        $result.EndedUnixMs = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $cpuAfter = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime

        $result.Seconds = $stopwatch.Elapsed.TotalSeconds
        $result.CpuSeconds = ($cpuAfter - $cpuBefore).TotalSeconds
        $result.Gc = [ordered]@{
            Gen0 = [GC]::CollectionCount(0) - $gcBefore[0]
            Gen1 = [GC]::CollectionCount(1) - $gcBefore[1]
            Gen2 = [GC]::CollectionCount(2) - $gcBefore[2]
        }
        $result.Summary = $summary
        $result.ErrorCount = @($runErrors).Count
        $result.FirstErrors = @($runErrors | Select-Object -First 3 | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message) [target $($_.TargetObject)]" })
    }
}
catch {
    $result.Failure = "$($_.FullyQualifiedErrorId): $($_.Exception.Message)"
}

$result.PeakRssBytes = Get-ProcStatus 'VmHWM'
$result.RssBytesAtEnd = Get-ProcStatus 'VmRSS'
$result.ProcessCpuSeconds = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds
'BENCH-RESULT ' + ($result | ConvertTo-Json -Depth 5 -Compress)
