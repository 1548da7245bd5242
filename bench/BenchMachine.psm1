# The machine the benchmark runs on: waiting until it is quiet before a measurement, the load it saw, and the facts
# a report states (cores, CPU, memory, OS, .NET, PowerShell, commit). Linux facts come from /proc; elsewhere they
# are left empty.

Set-StrictMode -Version Latest
# A module does not see its caller's preference: a failed step must stop the benchmark, not be measured around.
$ErrorActionPreference = 'Stop'

function Write-BenchStep([string] $Text) {
    Write-Host ("[{0:HH:mm:ss}] {1}" -f [DateTime]::Now, $Text)
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

# Waits (polling every 30 s, up to QuietWaitSec) while another session runs tests, then up to IdleWaitSec for other
# load to settle; returns what it saw.
function Wait-QuietMachine {
    param([int] $QuietWaitSec, [int] $IdleWaitSec)

    $waited = 0
    $active = @(Get-ActiveTestRun)
    while ($active.Count -gt 0 -and $waited -lt $QuietWaitSec) {
        if ($waited -eq 0) { Write-BenchStep "A test run is active ($($active.Count) processes, e.g. $($active[0].Substring(0, [Math]::Min(100, $active[0].Length)))); waiting up to $QuietWaitSec s." }
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
        if ($idleWaited -eq 0) { Write-BenchStep ("  the machine is busy ({0:N2} cores); waiting up to $IdleWaitSec s" -f $otherCores) }
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

function Get-CommandText([string[]] $Command) { (& $Command[0] $Command[1..($Command.Count - 1)] 2>$null | Out-String).Trim() }

# What the report says about the run: the machine, the tools, the commit and the module measured.
function Get-MachineFacts {
    param([string] $Root, [string] $ModuleDll)

    [ordered]@{
        DateUtc = [DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm:ss') + ' UTC'
        Cores = [Environment]::ProcessorCount
        Cpu = if (Get-Command lscpu -ErrorAction SilentlyContinue) { ((lscpu | Select-String 'Model name') -replace '.*:\s*', '') } else { '' }
        MemoryGB = if (Test-Path /proc/meminfo) { [Math]::Round([double]((Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s+(\d+)').Matches[0].Groups[1].Value) / 1MB, 1) } else { $null }
        Os = if (Test-Path /etc/os-release) { ((Select-String -Path /etc/os-release -Pattern '^PRETTY_NAME=(.*)').Matches[0].Groups[1].Value.Trim('"')) } else { [Runtime.InteropServices.RuntimeInformation]::OSDescription }
        Kernel = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        DotnetSdk = Get-CommandText 'dotnet', '--version'
        DotnetRuntime = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        PowerShell = $PSVersionTable.PSVersion.ToString()
        GitCommit = Get-CommandText 'git', '-C', $Root, 'rev-parse', '--short', 'HEAD'
        GitDirtyFiles = @((Get-CommandText 'git', '-C', $Root, 'status', '--porcelain', '--', 'src') -split "`n" | Where-Object { $_ }).Count
        ModuleDllSha256 = (Get-FileHash $ModuleDll -Algorithm SHA256).Hash.Substring(0, 16)
    }
}

Export-ModuleMember -Function Write-BenchStep, Get-LoadAverage, Get-MachineBusySeconds, Wait-QuietMachine, Get-MachineFacts
