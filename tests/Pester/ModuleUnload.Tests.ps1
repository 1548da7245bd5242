#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Remove-Module TencentIm leaves nothing open: every connection made in that session is closed (its key wiped, the
# requests in flight cancelled, even those another runspace runs with it), and the module imports and connects again
# in the same process. In a fresh pwsh, because removing the module here would take it from the other test files.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:manifest = Join-Path (Get-TestModulePath) 'TencentIm.psd1'
    # Every answer takes 200 ms, so that a run of 50,000 IDs is still going when the module is removed.
    $script:emulator = Start-TestEmulator -Accounts 'alice' -Options @{ LatencyMs = 200 }

    # The child prints one line per fact, 'name=value'; the key comes in its environment.
    $script:childScript = @'
param([string] $Manifest, [string] $Endpoint)
$ErrorActionPreference = 'Stop'
function Test-KeyWiped($Connection) {
    # The key's bytes, read through the internals on purpose: no public member may show them.
    $flags = [System.Reflection.BindingFlags]'Instance, NonPublic, Public'
    $client = [TencentIm.Connections.TencentImConnection].GetProperty('Client', $flags).GetValue($Connection)
    $sigs = $client.GetType().GetProperty('UserSigs', $flags).GetValue($client)
    $key = $sigs.GetType().GetField('_key', $flags).GetValue($sigs)
    $bytes = [byte[]]$key.GetType().GetField('_bytes', $flags).GetValue($key)
    @($bytes | Where-Object { $_ -ne 0 }).Count -eq 0
}
$key = ConvertTo-SecureString $env:TEST_SECRET_KEY -AsPlainText -Force

Import-Module $Manifest
$kept = Connect-TencentIm 1400000001 $key -Endpoint $Endpoint -PassThru
$current = Connect-TencentIm 1400000001 $key -Endpoint $Endpoint -PassThru
"keptWipedBefore=$(Test-KeyWiped $kept)"

# A thread job's way: another runspace runs a long check with the kept connection.
$job = [powershell]::Create()
$null = $job.AddScript("Import-Module '$($Manifest -replace "'", "''")'").AddStatement()
$null = $job.AddScript('param($c) 1..50000 | ForEach-Object { "u$_" } | Test-TencentImAccount -Connection $c -ThrottleLimit 4').AddArgument($kept)
$output = [System.Management.Automation.PSDataCollection[psobject]]::new()
$null = Register-ObjectEvent -InputObject $output -EventName DataAdded -SourceIdentifier FirstResult -MaxTriggerCount 1
$invocation = $job.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
"firstResult=$($null -ne (Wait-Event -SourceIdentifier FirstResult -Timeout 30))"

Remove-Module TencentIm
"removed=$(-not (Get-Module TencentIm))"
$job.EndInvoke($invocation)
"jobErrors=$(@($job.Streams.Error | ForEach-Object FullyQualifiedErrorId) -join ';')"
"jobResults=$($output.Count)"
$job.Dispose()
"keptClosed=$($kept.IsClosed)"
"currentClosed=$($current.IsClosed)"
"keptWiped=$(Test-KeyWiped $kept)"
"currentWiped=$(Test-KeyWiped $current)"

Import-Module $Manifest
"currentAfterImport=$($null -eq (Get-TencentImConnection))"
$again = Connect-TencentIm 1400000001 $key -Endpoint $Endpoint -PassThru
"againStatuses=$((Test-TencentImAccount alice, bob).AccountStatus -join ',')"
"againIsCurrent=$([object]::ReferenceEquals((Get-TencentImConnection), $again))"
"keptStillClosed=$($kept.IsClosed)"
try { $null = Test-TencentImAccount alice -Connection $kept; 'keptError=none' } catch { "keptError=$($_.FullyQualifiedErrorId)" }
'@
}

Describe 'Remove-Module TencentIm' {
    AfterAll {
        Stop-TestEmulator $script:emulator
    }

    It 'closes every connection of the session, cancels a run another runspace makes with one, and imports and connects again' {
        $run = Invoke-TestPwsh -Script $childScript -ArgumentList $manifest, $emulator.BaseUri -Environment @{ TEST_SECRET_KEY = $emulator.SecretKey } -TimeoutSeconds 120

        $run.StdErr | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0 -Because $run.StdOut
        $run.Facts.keptWipedBefore | Should -Be 'False'
        $run.Facts.firstResult | Should -Be 'True'
        $run.Facts.removed | Should -Be 'True'
        # The run with the kept connection stopped with one ConnectionClosed error, before its 50,000 results.
        $run.Facts.jobErrors | Should -BeExactly 'ConnectionClosed,TencentIm.Commands.TestTencentImAccountCommand'
        [int]$run.Facts.jobResults | Should -BeLessThan 50000
        $run.Facts.keptClosed | Should -Be 'True'
        $run.Facts.currentClosed | Should -Be 'True'
        $run.Facts.keptWiped | Should -Be 'True'
        $run.Facts.currentWiped | Should -Be 'True'
        # Imported again: no current connection survives from before, and a new one works.
        $run.Facts.currentAfterImport | Should -Be 'True'
        $run.Facts.againStatuses | Should -Be 'Imported,NotImported'
        $run.Facts.againIsCurrent | Should -Be 'True'
        $run.Facts.keptStillClosed | Should -Be 'True'
        $run.Facts.keptError | Should -BeExactly 'ConnectionClosed,TencentIm.Commands.TestTencentImAccountCommand'
    }
}
