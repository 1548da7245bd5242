<#
.SYNOPSIS
Measures how long Start-TencentImEmulator takes to return a running emulator (the TencentIm.Emulator module, built in
out/): the median of -Count starts, each from the call to the handle, each stopped before the next.

.DESCRIPTION
Each start is a fresh dotnet process running the emulator app from the module's server folder, up to its one
"listening on" line; the first start (the disk cache is cold, the JIT is not) is a warm-up and not counted. It
prints one line per start, the machine, and the median, minimum and maximum, as docs/benchmarks.md records them.

Build first (dotnet pwsh ./build.ps1 build).

.PARAMETER Count
Starts measured. Default: 10.

.PARAMETER ModulePath
The emulator module. Default: out/TencentIm.Emulator.

.EXAMPLE
dotnet pwsh -NoProfile -File bench/Measure-EmulatorStartup.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 1000)]
    [int] $Count = 10,

    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
if (-not $ModulePath) { $ModulePath = Join-Path $root 'out/TencentIm.Emulator' }
Import-Module (Join-Path $ModulePath 'TencentIm.Emulator.psd1')
Import-Module (Join-Path $PSScriptRoot 'BenchMachine.psm1')

$machine = Get-MachineFacts -Root $root -ModuleDll (Join-Path $ModulePath 'TencentIm.Emulator.Commands.dll')
Write-Host "Machine: $($machine.Cores) cores, $($machine.Cpu), $($machine.MemoryGB) GB, $($machine.Os); .NET SDK $($machine.DotnetSdk), PowerShell $($machine.PowerShell); commit $($machine.GitCommit); $(Get-Date -AsUTC -Format 'yyyy-MM-dd HH:mm') UTC$(if (Test-Path /proc/loadavg) { '; load average ' + ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' })"

Stop-TencentImEmulator (Start-TencentImEmulator -Account warmup)
$times = foreach ($i in 1..$Count) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $emulator = Start-TencentImEmulator -Account alice, bob
    $watch.Stop()
    Stop-TencentImEmulator $emulator
    Write-Host ("start {0,2}: {1,5:N0} ms" -f $i, $watch.Elapsed.TotalMilliseconds)
    $watch.Elapsed.TotalMilliseconds
}
$sorted = @($times | Sort-Object)
$median = if ($sorted.Count % 2) { $sorted[($sorted.Count - 1) / 2] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
Write-Host ("Start-TencentImEmulator: median {0:N0} ms, min {1:N0} ms, max {2:N0} ms over {3} starts" -f $median, $sorted[0], $sorted[-1], $Count)
