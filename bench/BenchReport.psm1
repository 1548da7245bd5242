# The benchmark's report: from the records of the runs, the medians and ranges per measurement, the figures against
# their targets, and the markdown (bench/results/latest.md; docs/benchmarks.md quotes its tables).

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return $null }
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$middle] }
    return ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

function Format-Ratio($Value) { if ($null -eq $Value) { 'n/a' } else { '{0:N2}' -f $Value } }

function Get-Run($Runs, [string] $Scenario, [string] $Name) { @($Runs | Where-Object { $_.Scenario -eq $Scenario -and $_.Name -eq $Name -and -not $_.Failure }) }

function Get-MedianOf($Runs, [string] $Scenario, [string] $Name, [string] $Property) {
    $values = @(Get-Run $Runs $Scenario $Name | ForEach-Object { $_.$Property } | Where-Object { $null -ne $_ })
    if ($values.Count) { Get-Median $values } else { $null }
}

function Get-Group($Groups, [string] $Scenario, [string] $Name) { $Groups | Where-Object { $_.Scenario -eq $Scenario -and $_.Name -eq $Name } | Select-Object -First 1 }

# Every answer present, in input order, with the right status, and no error.
function Test-Correct($Run) {
    -not ($Run.Failure -or $Run.Output -ne $Run.Ids -or $Run.OutOfOrder -or $Run.WrongStatus -or $Run.Unknown -or $Run.Errors)
}

# One line per measured thing, in the order first run: medians over its repetitions. $Runs is the context's list.
function Get-BenchGroup($Runs) {
    foreach ($group in ($Runs | Group-Object Scenario, Name | Sort-Object { $Runs.IndexOf($_.Group[0]) })) {
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
            MedianSeconds = Get-MedianOf $Runs $first.Scenario $first.Name 'Seconds'
            MedianIdsPerSecond = if ($rates.Count) { [Math]::Round((Get-Median $rates)) } else { $null }
            MinIdsPerSecond = if ($rates.Count) { ($rates | Measure-Object -Minimum).Minimum } else { $null }
            MaxIdsPerSecond = if ($rates.Count) { ($rates | Measure-Object -Maximum).Maximum } else { $null }
            MedianCpuSeconds = Get-MedianOf $Runs $first.Scenario $first.Name 'CpuSeconds'
            MedianPeakRssMB = Get-MedianOf $Runs $first.Scenario $first.Name 'PeakRssMB'
            Throttled = ($group.Group | Measure-Object Throttled -Sum).Sum
            AllCorrect = if ($checked) { @($group.Group | Where-Object { -not (Test-Correct $_) }).Count -eq 0 } else { $null }
        }
    }
}

# The figures the targets are about (latest.json's Summary). $Ceiling: the IDs/s the limit of (b) admits.
function Get-BenchSummary {
    param($Runs, [int] $Ids, [int] $PlainIds, [int] $SmallMemoryIds, [int] $Ceiling)

    $groups = Get-BenchGroup $Runs
    $importMs = Get-MedianOf $Runs 'imp' 'Import-Module' 'Seconds'
    if ($null -ne $importMs) { $importMs = [Math]::Round($importMs * 1000) }
    $floor = Get-Group $groups 'a' 'floor (Out-Null)'
    $module = Get-Group $groups 'a' 'module'
    $plain = Get-Group $groups 'a' 'plain script'
    $moduleRate = if ($module -and $module.MedianSeconds) { $Ids / $module.MedianSeconds } else { $null }
    $plainRate = if ($plain -and $plain.MedianSeconds) { $PlainIds / $plain.MedianSeconds } else { $null }
    $floorRate = if ($floor -and $floor.MedianSeconds) { $Ids / $floor.MedianSeconds } else { $null }
    $rssLarge = if ($module) { $module.MedianPeakRssMB } else { $null }
    $rssSmall = Get-MedianOf $Runs 'mem' "module $SmallMemoryIds IDs" 'PeakRssMB'
    $bModule = Get-Group $groups 'b' 'module (defaults)'
    $bModulePaused = Get-Group $groups 'b' 'module (defaults, 1.5 s after Connect)'
    $bPlain = Get-Group $groups 'b' 'plain script'
    # (c): each measurement's median IDs/s as a share of what its quota admits (quota x 100 IDs a call).
    $quotaShares = @(foreach ($g in @($groups | Where-Object Scenario -eq 'c')) {
            $quotaIdsPerSecond = @($Runs | Where-Object { $_.Scenario -eq 'c' -and $_.Name -eq $g.Name })[0].QuotaIdsPerSecond
            [pscustomobject][ordered]@{
                Name = $g.Name; Ids = $g.Ids; QuotaIdsPerSecond = $quotaIdsPerSecond; MedianIdsPerSecond = $g.MedianIdsPerSecond
                Share = if ($null -ne $g.MedianIdsPerSecond -and $quotaIdsPerSecond) { $g.MedianIdsPerSecond / $quotaIdsPerSecond } else { $null }
                MinShare = if ($null -ne $g.MinIdsPerSecond -and $quotaIdsPerSecond) { $g.MinIdsPerSecond / $quotaIdsPerSecond } else { $null }
                Throttled = $g.Throttled; AllCorrect = $g.AllCorrect
            }
        })
    $correct = @($Runs | Where-Object { $_.Contender -in 'Module', 'Plain' -and $_.Name -notlike '*(Out-Null)*' } | Where-Object { -not (Test-Correct $_) }).Count -eq 0
    $noisy = @($Runs | Where-Object { $_.TestRunActive -or $_.OtherCpuSeconds -gt [Math]::Max(0.5, 0.1 * $_.WallSeconds) })

    [ordered]@{
        ImportModuleMs = $importMs
        A = [ordered]@{
            FloorIdsPerSecond = $floorRate; ModuleIdsPerSecond = $moduleRate; PlainIdsPerSecond = $plainRate
            ModuleOverPlain = if ($moduleRate -and $plainRate) { $moduleRate / $plainRate } else { $null }
            ModuleTimeOverFloorTime = if ($moduleRate -and $floorRate) { $floorRate / $moduleRate } else { $null }
            FloorOverPlain = if ($floorRate -and $plainRate) { $floorRate / $plainRate } else { $null }
        }
        B = [ordered]@{
            CeilingIdsPerSecond = $Ceiling
            ModuleIdsPerSecond = if ($bModule) { $bModule.MedianIdsPerSecond } else { $null }
            ModuleAfterPauseIdsPerSecond = if ($bModulePaused) { $bModulePaused.MedianIdsPerSecond } else { $null }
            PlainIdsPerSecond = if ($bPlain) { $bPlain.MedianIdsPerSecond } else { $null }
        }
        C = $quotaShares
        Memory = [ordered]@{
            SmallIds = $SmallMemoryIds; ModuleSmallPeakRssMB = $rssSmall; ModuleLargePeakRssMB = $rssLarge
            ModuleGrowthMB = if ($null -ne $rssLarge -and $null -ne $rssSmall) { $rssLarge - $rssSmall } else { $null }
            FloorSmallPeakRssMB = Get-MedianOf $Runs 'mem' "floor $SmallMemoryIds IDs" 'PeakRssMB'
            FloorLargePeakRssMB = if ($floor) { $floor.MedianPeakRssMB } else { $null }
        }
        AllAnswersCorrect = $correct
        NoisyRuns = @($noisy | ForEach-Object { "$($_.Scenario) $($_.Name): other CPU $($_.OtherCpuSeconds) s in $($_.WallSeconds) s, test run active $($_.TestRunActive)" })
        Groups = $groups
    }
}

# latest.md: the line on the machine and the command, the medians, the figures against their targets, the noise,
# and every run.
function ConvertTo-BenchMarkdown {
    param(
        $Machine,
        # The entry script's bound parameters, to repeat its command line.
        $BoundParameters,
        [string[]] $Scenario,
        $Runs,
        $Summary,
        [int] $ImportRepetitions,
        [int] $Ids,
        [int] $SmallMemoryIds
    )

    $groups = $Summary.Groups
    $importMs = $Summary.ImportModuleMs
    $a = $Summary.A
    $memory = $Summary.Memory
    $ceiling = $Summary.B.CeilingIdsPerSecond
    $bModule = Get-Group $groups 'b' 'module (defaults)'
    $bModulePaused = Get-Group $groups 'b' 'module (defaults, 1.5 s after Connect)'
    $bPlain = Get-Group $groups 'b' 'plain script'
    $correct = $Summary.AllAnswersCorrect

    $md = [Text.StringBuilder]::new()
    function Add-Line([string] $text = '') { $null = $md.AppendLine($text) }
    function Add-Target([string] $figure, [string] $value, [string] $target, $met) {
        $verdict = if ($null -eq $met) { '' } elseif ($met) { 'yes' } else { '**no**' }
        Add-Line "| $figure | $value | $target | $verdict |"
    }

    Add-Line "Run $($Machine.DateUtc): $($Machine.Cores) cores, $($Machine.Cpu), $($Machine.MemoryGB) GB RAM, $($Machine.Os), .NET SDK $($Machine.DotnetSdk), PowerShell $($Machine.PowerShell), commit $($Machine.GitCommit) ($($Machine.GitDirtyFiles) changed files under src/), TencentIm.dll $($Machine.ModuleDllSha256)."
    Add-Line ("Command: dotnet pwsh ./bench/Invoke-Benchmark.ps1 $(($BoundParameters.GetEnumerator() | ForEach-Object { if ($_.Value -is [switch]) { "-$($_.Key)" } else { "-$($_.Key) $($_.Value -join ',')" } }) -join ' ')".TrimEnd())
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
    if ('import' -in $Scenario) { Add-Target "Import-Module (median of $ImportRepetitions)" "$importMs ms" '< 300 ms' ($null -ne $importMs -and $importMs -lt 300) }
    if ('a' -in $Scenario) {
        Add-Target '(a) module / plain script, IDs/s' (Format-Ratio $a.ModuleOverPlain) '>= 20' ($null -ne $a.ModuleOverPlain -and $a.ModuleOverPlain -ge 20)
        Add-Target '(a) module time / floor time, same IDs' (Format-Ratio $a.ModuleTimeOverFloorTime) '<= 2' ($null -ne $a.ModuleTimeOverFloorTime -and $a.ModuleTimeOverFloorTime -le 2)
        Add-Target '(a) floor / plain script, IDs/s (for reference)' (Format-Ratio $a.FloorOverPlain) '' $null
    }
    if ($bModule) { Add-Target ('(b) module, {0:N0} IDs (median)' -f $bModule.Ids) ('{0:N0} IDs/s = {1:P1} of {2:N0}' -f $bModule.MedianIdsPerSecond, ($bModule.MedianIdsPerSecond / $ceiling), $ceiling) '>= 9,500 IDs/s' ($bModule.MedianIdsPerSecond -ge 9500) }
    if ($bModulePaused) { Add-Target ('(b) module, {0:N0} IDs, run 1.5 s after Connect (median)' -f $bModulePaused.Ids) ('{0:N0} IDs/s = {1:P1} of {2:N0}' -f $bModulePaused.MedianIdsPerSecond, ($bModulePaused.MedianIdsPerSecond / $ceiling), $ceiling) '(diagnosis)' $null }
    if ($bPlain) { Add-Target ('(b) plain script, {0:N0} IDs' -f $bPlain.Ids) ('{0:N0} IDs/s = {1:P1} of {2:N0}' -f $bPlain.MedianIdsPerSecond, ($bPlain.MedianIdsPerSecond / $ceiling), $ceiling) '' $null }
    if ('b' -in $Scenario) { Add-Target '(b) no ID lost (module)' "$(if ($bModule) { $bModule.AllCorrect })" 'every ID answered, in order, right status' ($bModule -and $bModule.AllCorrect) }
    foreach ($c in $Summary.C) {
        Add-Target ('(c) {0}, {1:N0} IDs (median)' -f $c.Name, $c.Ids) ('{0:N0} IDs/s = {1:P1} of {2:N0} (lowest run {3:P1}), {4} × 60007' -f $c.MedianIdsPerSecond, $c.Share, $c.QuotaIdsPerSecond, $c.MinShare, $c.Throttled) '>= 80 %, every ID answered, no error' ($null -ne $c.Share -and $c.Share -ge 0.8 -and $c.AllCorrect)
    }
    if ('a' -in $Scenario) {
        Add-Target ('Peak RSS, module, {0:N0} vs {1:N0} IDs (medians)' -f $Ids, $SmallMemoryIds) ('{0:N1} vs {1:N1} MB: +{2:N1} MB' -f $memory.ModuleLargePeakRssMB, $memory.ModuleSmallPeakRssMB, $memory.ModuleGrowthMB) '<= +50 MB' ($null -ne $memory.ModuleGrowthMB -and $memory.ModuleGrowthMB -le 50)
        Add-Target ('Peak RSS, floor, {0:N0} vs {1:N0} IDs (for reference)' -f $Ids, $SmallMemoryIds) ('{0:N1} vs {1:N1} MB: +{2:N1} MB' -f $memory.FloorLargePeakRssMB, $memory.FloorSmallPeakRssMB, ($memory.FloorLargePeakRssMB - $memory.FloorSmallPeakRssMB)) '' $null
    }
    Add-Target 'Every answer of every module and plain run present, in order, right status, no error' "$correct" '' $correct
    Add-Line
    if ($Summary.NoisyRuns.Count) {
        Add-Line "Runs with other load on the machine (other processes' CPU over 10 % of the run's wall time, or a test run active): $($Summary.NoisyRuns.Count) of $($Runs.Count):"
        foreach ($line in $Summary.NoisyRuns) { Add-Line "- $line" }
    }
    else { Add-Line 'No run saw other load on the machine (other processes'' CPU under 10 % of the wall time).' }
    Add-Line
    Add-Line '<details><summary>Every run</summary>'
    Add-Line
    Add-Line '| Scenario | Run | IDs | Time (s) | IDs/s | CPU (s) | Peak RSS (MB) | Out / lost / wrong | Errors | 60007 | Emulator CPU (s) | Other CPU (s) | Load avg |'
    Add-Line '|---|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|---|'
    foreach ($run in $Runs) {
        $check = if ($run.Contender -in 'Module', 'Plain' -and $null -ne $run.Output) { "$($run.Output) / $($run.Ids - $run.Output) / $($run.OutOfOrder + $run.WrongStatus + $run.Unknown)" } else { '' }
        $time = if ($null -ne $run.Seconds) { if ($run.Contender -eq 'Import') { '{0:N3}' -f $run.Seconds } else { '{0:N2}' -f $run.Seconds } } else { "FAILED: $($run.Failure)" }
        Add-Line ('| {0} | {1} | {2:N0} | {3} | {4:N0} | {5:N2} | {6:N1} | {7} | {8} | {9} | {10} | {11} | {12} |' -f
            $run.Scenario, $run.Name, $run.Ids, $time, $run.IdsPerSecond, $run.CpuSeconds, $run.PeakRssMB, $check, $run.Errors, $run.Throttled, $run.EmulatorCpuSeconds, $run.OtherCpuSeconds, (($run.LoadAverage -split ' ')[0..2] -join ' '))
    }
    Add-Line
    Add-Line '</details>'
    $md.ToString()
}

Export-ModuleMember -Function Get-Median, Get-BenchGroup, Get-BenchSummary, ConvertTo-BenchMarkdown
