#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The TencentIm.Emulator module as users run it: Start-TencentImEmulator's handle and options, Connect-TencentIm
# -Emulator, Get-TencentImEmulatorAccount, Get-TencentImEmulatorRequest, Set-TencentImEmulator,
# Reset-TencentImEmulator, Stop-TencentImEmulator; an emulator ends with the PowerShell process that started it; and
# the errors when dotnet or the ASP.NET Core runtime is missing.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule

    function script:Get-ErrorId($ErrorRecord) { $ErrorRecord.FullyQualifiedErrorId.Split(',')[0] }
    function script:Get-PlainKey([securestring] $Secure) { [System.Net.NetworkCredential]::new('', $Secure).Password }
}

Describe 'Start-TencentImEmulator' {
    BeforeAll {
        $script:emu = Start-TencentImEmulator -Account alice, bob
    }
    AfterAll { Stop-TencentImEmulator $emu }

    It 'returns a handle: a loopback Endpoint, the SDKAppID, the admin, a SecureString key, the process''s id, start time and state' {
        $emu.Endpoint | Should -BeOfType [uri]
        $emu.Endpoint.Host | Should -Be '127.0.0.1'
        $emu.Endpoint.Port | Should -BeGreaterThan 0
        $emu.SdkAppId | Should -Be 1400000001
        $emu.Identifier | Should -Be 'administrator'
        $emu.SecretKey | Should -BeOfType [securestring]
        $emu.Id | Should -Be (Get-Process -Id $emu.Id).Id
        $emu.StartTime | Should -BeOfType [datetime]
        $emu.HasExited | Should -BeFalse
    }

    It 'serialises with no environment and no key: ConvertTo-Json -Depth 5 of a handle shows no TENCENTIM_SECRETKEY, and it has no Process' {
        $saved = $env:TENCENTIM_SECRETKEY
        $env:TENCENTIM_SECRETKEY = 'parent-real-looking-key-0123456789'
        try {
            $leaky = Start-TencentImEmulator
            try {
                $json = $leaky | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue

                $json | Should -Not -Match 'TENCENTIM_SECRETKEY'
                $json | Should -Not -Match 'parent-real-looking-key'
                $json | Should -Not -Match ([regex]::Escape((Get-PlainKey $leaky.SecretKey)))
                $json | Should -Match ('"Id": ' + $leaky.Id)
                $leaky.PSObject.Properties.Name | Should -Not -Contain 'Process'
            }
            finally { Stop-TencentImEmulator $leaky }
        }
        finally { $env:TENCENTIM_SECRETKEY = $saved }
    }

    It 'writes with -Verbose what it runs: dotnet, the app and the port, never the key' {
        $verbose = Start-TencentImEmulator -Verbose 4>&1
        $started = $verbose | Where-Object { $_ -is [TencentIm.Emulator.Commands.TencentImEmulator] }
        try {
            $lines = ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"

            $lines | Should -Match 'dotnet'
            $lines | Should -Match 'TencentIm\.Emulator\.dll'
            $lines | Should -Match "port $($started.Endpoint.Port)"
            $lines | Should -Not -Match ([regex]::Escape((Get-PlainKey $started.SecretKey)))
        }
        finally { Stop-TencentImEmulator $started }
    }

    It 'refuses an -Account with a line break, or empty, naming it' {
        $err = Get-ThrownError { Start-TencentImEmulator -Account alice, "a`nb" }
        Get-ErrorId $err | Should -Be 'UserIdHasLineBreak'
        "$err" | Should -Match '-Account'

        $err = Get-ThrownError { Start-TencentImEmulator -Account alice, '' }
        Get-ErrorId $err | Should -Be 'UserIdEmpty'
    }

    It 'refuses a -FailingAccount code that is not a non-zero whole number: <_>' -ForEach 'dave=abc', 'erin=0' {
        $err = Get-ThrownError { Start-TencentImEmulator -Account dave, erin -FailingAccount $_ }

        Get-ErrorId $err | Should -Be 'InvalidFailingAccount'
        "$err" | Should -Match ([regex]::Escape($_))
    }

    It 'passes a -FaultKind in any case on to the emulator (HTTP502 is http502)' {
        $cased = Start-TencentImEmulator -FaultRate 0.5 -FaultKind HTTP502, Drop
        try {
            (Invoke-RestMethod -Uri ([uri]::new($cased.Endpoint, 'emulator/faults')) -NoProxy).FaultKinds | Should -Be 'http502', 'drop'
            Set-TencentImEmulator $cased -FaultKind HTTP503
            (Invoke-RestMethod -Uri ([uri]::new($cased.Endpoint, 'emulator/faults')) -NoProxy).FaultKinds | Should -Be 'http503'
        }
        finally { Stop-TencentImEmulator $cased }
    }

    It 'chooses among every fault kind but slow when -FaultKind is not given' {
        $default = Start-TencentImEmulator -FaultRate 0.1 -Seed 42
        try {
            $kinds = (Invoke-RestMethod -Uri ([uri]::new($default.Endpoint, 'emulator/faults')) -NoProxy).FaultKinds

            $kinds | Should -Not -Contain 'slow'
            $kinds | Should -Be '70169', '70202', '70500', 'http502', 'http503', 'truncated', 'drop', 'drop-after'
        }
        finally { Stop-TencentImEmulator $default }
    }

    It 'answers on its endpoint when it returns (no wait needed)' {
        (Invoke-RestMethod -Uri ([uri]::new($emu.Endpoint, 'emulator/accounts')) -NoProxy) | Should -Be 'alice', 'bob'
    }

    It 'gives each emulator a fresh random key, and never puts it on the command line or in the handle''s text' {
        $other = Start-TencentImEmulator
        try {
            $key = Get-PlainKey $emu.SecretKey
            $key.Length | Should -Be 64
            Get-PlainKey $other.SecretKey | Should -Not -Be $key
            (Get-Process -Id $emu.Id).CommandLine | Should -Not -Match ([regex]::Escape($key))
            "$emu" | Should -Not -Match ([regex]::Escape($key))
            ($emu | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($key))
        }
        finally { Stop-TencentImEmulator $other }
    }

    It 'uses the -SecretKey, -SdkAppId and -Admin given' {
        $key = New-TestSecretKey
        $custom = Start-TencentImEmulator -SecretKey (ConvertTo-SecureString $key -AsPlainText -Force) -SdkAppId 1400000042 -Admin ops, administrator -Account alice
        try {
            $custom.SdkAppId | Should -Be 1400000042
            $custom.Identifier | Should -Be 'ops'
            Get-PlainKey $custom.SecretKey | Should -BeExactly $key
            # The key given is the one the emulator checks UserSigs with.
            Connect-TencentIm -SdkAppId 1400000042 -SecretKey (ConvertTo-SecureString $key -AsPlainText -Force) -Identifier ops -Endpoint $custom.Endpoint
            ('alice' | Test-TencentImAccount).AccountStatus | Should -Be 'Imported'
        }
        finally { Stop-TencentImEmulator $custom }
    }

    It 'seeds from -AccountFile and -Account together' {
        $file = Join-Path $TestDrive 'staff.txt'
        Set-Content $file 'carol', '', 'dave'
        $seeded = Start-TencentImEmulator -Account alice -AccountFile $file
        try {
            (Get-TencentImEmulatorAccount $seeded).UserID | Should -Be 'alice', 'carol', 'dave'
        }
        finally { Stop-TencentImEmulator $seeded }
    }

    It 'stops with PortInUse, in one line, when -Port is taken' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $err = Get-ThrownError { Start-TencentImEmulator -Port $port }

            Get-ErrorId $err | Should -Be 'PortInUse'
            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            "$err" | Should -Match "port $port is in use"
            "$err" | Should -Match '-Port 0'
            "$err" | Should -Not -Match '\n|   at '
        }
        finally { $listener.Stop() }
    }

    It 'names its own parameters and dates in its errors, not the emulator app''s options or Unix seconds' {
        $err = Get-ThrownError { Start-TencentImEmulator -Now '1960-01-01T00:00:00Z' }
        Get-ErrorId $err | Should -Be 'InvalidNow'
        "$err" | Should -Match '-Now is 1960-01-01 00:00:00Z'
        "$err" | Should -Not -Match '--now|2147483647'

        $err = Get-ThrownError { Start-TencentImEmulator -Trial -DenyDelete }
        Get-ErrorId $err | Should -Be 'EmulatorCannotStart'
        "$err" | Should -Match '-Trial and -DenyDelete'
        "$err" | Should -Not -Match '--trial|--deny-delete'
    }

    It 'says that an -AccountFile is a directory' {
        $err = Get-ThrownError { Start-TencentImEmulator -AccountFile $TestDrive }

        Get-ErrorId $err | Should -Be 'AccountFileIsDirectory'
        "$err" | Should -Match 'is a directory'
    }

    It 'stops with AccountFileNotFound for a file that does not exist' {
        $err = Get-ThrownError { Start-TencentImEmulator -AccountFile (Join-Path $TestDrive 'nope.txt') }

        Get-ErrorId $err | Should -Be 'AccountFileNotFound'
        "$err" | Should -Match 'nope\.txt'
    }

    It 'stops with EmulatorCannotStart and the emulator''s reason when the options do not fit together' {
        $err = Get-ThrownError { Start-TencentImEmulator -Account alice -Online bob }

        Get-ErrorId $err | Should -Be 'EmulatorCannotStart'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$err" | Should -Match "'bob' is to be Online at start, but it is not one of the emulator's accounts"
    }

    It 'pins the clock with -Now and takes every behaviour option' {
        # Ten minutes ahead, in whole seconds: UserSigs signed on this machine's clock stay valid there.
        $now = [DateTimeOffset]::FromUnixTimeSeconds([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() + 600)
        $full = Start-TencentImEmulator -Account alice, bob, carol -Now $now -Trial -AccountLimit 10 -RateLimit @{ account_check = 50 } -ServiceRateLimits `
            -RateLimitCountsRejected -LatencyMs 1 -LatencyJitterMs 1 -FaultRate 0 -FaultKind 70500 -SlowResponseMs 100 -Seed 5 `
            -Online 'alice=Web' -PushOnline bob -FailingAccount carol -FlakyAccount bob -ForeignSdkAppId 1400000099 -RequestLogSize 5
        try {
            Connect-TencentIm -Emulator $full -SkipConnectionTest
            $results = 'alice', 'bob', 'carol' | Test-TencentImAccount -ErrorAction SilentlyContinue
            $results[0].AccountStatus | Should -Be 'Imported'
            ('alice', 'bob' | Get-TencentImOnlineStatus).Status | Should -Be 'Online', 'PushOnline'
            @(Get-TencentImEmulatorRequest $full)[0].Time | Should -Be $now
        }
        finally { Stop-TencentImEmulator $full }
    }
}

Describe 'Connect-TencentIm -Emulator' {
    BeforeAll {
        $script:emu = Start-TencentImEmulator -Account alice -Admin administrator, ops
    }
    AfterAll { Stop-TencentImEmulator $emu }

    It 'connects with the emulator''s SDKAppID, endpoint, admin and key, and proves it with one call' {
        $connection = Connect-TencentIm -Emulator $emu -PassThru

        $connection.SdkAppId | Should -Be $emu.SdkAppId
        $connection.Endpoint | Should -Be $emu.Endpoint
        $connection.Identifier | Should -Be 'administrator'
        ('alice', 'zed' | Test-TencentImAccount).AccountStatus | Should -Be 'Imported', 'NotImported'
        @(Get-TencentImEmulatorRequest $emu -Api account_check)[0].Body.CheckItem.UserID | Should -Be 'administrator'
    }

    It 'takes the handle from a variable of another type than its own module''s (by property name), and -Identifier over the handle''s' {
        $copy = [pscustomobject]@{ Endpoint = $emu.Endpoint; SdkAppId = $emu.SdkAppId; Identifier = 'administrator'; SecretKey = $emu.SecretKey; HasExited = $false }

        (Connect-TencentIm -Emulator $copy -Identifier ops -PassThru).Identifier | Should -Be 'ops'
    }

    It 'stops with NotAnEmulator for an object that is not a handle' {
        $err = Get-ThrownError { Connect-TencentIm -Emulator ([pscustomobject]@{ Endpoint = $emu.Endpoint }) }

        Get-ErrorId $err | Should -Be 'NotAnEmulator'
        "$err" | Should -Match 'Start-TencentImEmulator'
    }

    It 'stops with EmulatorStopped for an emulator that has stopped' {
        $stopped = Start-TencentImEmulator
        Stop-TencentImEmulator $stopped

        $err = Get-ThrownError { Connect-TencentIm -Emulator $stopped }

        Get-ErrorId $err | Should -Be 'EmulatorStopped'
        "$err" | Should -Match 'has stopped'
    }
}

Describe 'Get-TencentImEmulatorAccount and Get-TencentImEmulatorRequest' {
    BeforeAll {
        $script:emu = Start-TencentImEmulator -Account alice
        Connect-TencentIm -Emulator $emu
        $null = [pscustomobject]@{ UserID = 'dan'; Nick = 'Dan'; FaceUrl = 'https://example.com/dan.png' } | Import-TencentImAccount
        $null = 'alice', 'erin' | Test-TencentImAccount
    }
    AfterAll { Stop-TencentImEmulator $emu }

    It 'lists the accounts with the profile fields an import gave them' {
        $accounts = Get-TencentImEmulatorAccount -Emulator $emu

        $accounts.UserID | Should -Be 'alice', 'dan'
        $accounts[1].Nick | Should -BeExactly 'Dan'
        $accounts[1].FaceUrl | Should -BeExactly 'https://example.com/dan.png'
        $accounts[0].Nick | Should -BeNullOrEmpty
        ($emu | Get-TencentImEmulatorAccount -UserId dan, ghost).UserID | Should -Be 'dan'
    }

    It 'lists each request: API, body as an object, answer code; filtered by API name or path' {
        $all = @(Get-TencentImEmulatorRequest -Emulator $emu)
        $imports = @($emu | Get-TencentImEmulatorRequest -Api multiaccount_import)
        $checks = @(Get-TencentImEmulatorRequest $emu -Api im_open_login_svc/account_check)

        $all.Api | Should -Be 'account_check', 'multiaccount_import', 'account_check'
        $all.Sequence | Should -Be 1, 2, 3
        $imports | Should -HaveCount 1
        $imports[0].Body.AccountList[0].UserID | Should -BeExactly 'dan'
        $imports[0].Body.AccountList[0].Nick | Should -BeExactly 'Dan'
        $imports[0].ErrorCode | Should -Be 0
        $imports[0].HttpStatus | Should -Be 200
        $checks[-1].Body.CheckItem.UserID | Should -Be 'alice', 'erin'
        $checks[-1].Path | Should -Be 'im_open_login_svc/account_check'
    }

    It 'lists only the last N requests with -Last, after the -Api filter' {
        (Get-TencentImEmulatorRequest $emu -Last 2).Sequence | Should -Be 2, 3
        (Get-TencentImEmulatorRequest $emu -Api account_check -Last 1).Sequence | Should -Be 3
        (Get-TencentImEmulatorRequest $emu -Last 100).Sequence | Should -Be 1, 2, 3
    }

    It 'never shows the UserSig: the query keeps every parameter but it' {
        $request = @(Get-TencentImEmulatorRequest $emu)[0]

        $request.Query | Should -Match 'usersig=<redacted>'
        $request.Query | Should -Match 'sdkappid=1400000001'
        ($request | Format-List * | Out-String) | Should -Not -Match 'eJ[0-9A-Za-z*_-]{40,}'
    }

    It 'does what its help''s second example says: it counts the 70500s injected' {
        $example = (Get-Help Get-TencentImEmulatorRequest -Examples).examples.example[1]
        $example.remarks.Text -join ' ' | Should -Match '70500s injected'

        $groups = Invoke-Expression $example.code

        ($groups | Where-Object Name -eq '70500').Count | Should -BeGreaterThan 0
        ($groups | Where-Object Name -eq '0').Count | Should -BeGreaterThan 0
    }
}

Describe 'Set-TencentImEmulator' {
    BeforeAll {
        # The clock ticks (a pinned one would never slide the rate-limit window).
        $script:emu = Start-TencentImEmulator -Account alice, bob
        $script:latest = { @(Get-TencentImEmulatorRequest $emu)[-1] }
    }
    AfterAll { Stop-TencentImEmulator $emu }
    BeforeEach {
        Reset-TencentImEmulator $emu
        Connect-TencentIm -Emulator $emu -SkipConnectionTest -MaximumRetryCount 0
    }

    It 'moves the clock forward with -AdvanceBy and -Now, and refuses to move it back' {
        $start = [DateTimeOffset]::UtcNow
        Set-TencentImEmulator $emu -AdvanceBy (New-TimeSpan -Hours 1)
        $null = 'alice' | Test-TencentImAccount
        (& $latest).Time | Should -BeGreaterOrEqual $start.AddHours(1).AddSeconds(-1)
        (& $latest).Time | Should -BeLessThan $start.AddHours(1).AddMinutes(1)

        Set-TencentImEmulator $emu -Now $start.AddHours(3)
        $null = 'alice' | Test-TencentImAccount
        (& $latest).Time | Should -BeGreaterOrEqual $start.AddHours(3).AddSeconds(-1)
        (& $latest).Time | Should -BeLessThan $start.AddHours(3).AddMinutes(1)

        $err = Get-ThrownError { Set-TencentImEmulator $emu -Now $start }
        Get-ErrorId $err | Should -Be 'ClockBackwards'
        "$err" | Should -Match 'only moves forward'
        "$err" | Should -Match '-Now'
        "$err" | Should -Not -Match '--now'
    }

    It 'changes nothing when one change is refused, and the refusal is a terminating error' {
        $before = [DateTimeOffset]::UtcNow
        $thrown = $null
        try { Set-TencentImEmulator $emu -AdvanceBy (New-TimeSpan -Days 1) -Online ghost -FaultRate 1 -FaultKind http503 -PushOnline bob }
        catch { $thrown = $_ }

        $thrown | Should -Not -BeNullOrEmpty
        Get-ErrorId $thrown | Should -Be 'AccountNotInEmulator'
        "$thrown" | Should -Match "'ghost'"
        (Invoke-RestMethod -Uri ([uri]::new($emu.Endpoint, 'emulator/faults')) -NoProxy).FaultRate | Should -Be 0
        ('bob' | Get-TencentImOnlineStatus).Status | Should -Be 'Offline'
        $null = 'alice' | Test-TencentImAccount
        (& $latest).Time | Should -BeLessThan $before.AddHours(1)
    }

    It 'logs users in and out' {
        Set-TencentImEmulator $emu -Online 'alice=iPhone:PushOnline+Web' -PushOnline bob
        $before = 'alice', 'bob' | Get-TencentImOnlineStatus -Detail
        Set-TencentImEmulator $emu -Offline alice

        $before.Status | Should -Be 'Online', 'PushOnline'
        $before[0].Detail.Platform | Should -Be 'iPhone', 'Web'
        ('alice' | Get-TencentImOnlineStatus).Status | Should -Be 'Offline'
    }

    It 'turns faults on and off mid-test' {
        Set-TencentImEmulator $emu -FaultRate 1 -FaultKind http503
        $null = 'alice' | Test-TencentImAccount -ErrorAction SilentlyContinue
        $faulted = & $latest
        Set-TencentImEmulator $emu -FaultRate 0
        $healed = 'alice' | Test-TencentImAccount

        $faulted.Fault | Should -Be 'http503'
        $faulted.HttpStatus | Should -Be 503
        $healed.AccountStatus | Should -Be 'Imported'
    }

    It 'sets a rate limit mid-test: calls beyond it answer 60007' {
        Set-TencentImEmulator $emu -RateLimit @{ account_check = 1 }
        Connect-TencentIm -Emulator $emu -SkipConnectionTest -MaxRequestsPerSecond 1000
        $null = 1..5 | ForEach-Object { "u$_" } | Test-TencentImAccount -BatchSize 1 -ErrorAction SilentlyContinue

        @(Get-TencentImEmulatorRequest $emu -Api account_check | Where-Object ErrorCode -eq 60007) | Should -Not -BeNullOrEmpty
    }

    It 'refuses an account that does not exist, with the emulator''s reason' {
        $err = Get-ThrownError { Set-TencentImEmulator $emu -Online ghost }

        Get-ErrorId $err | Should -Be 'AccountNotInEmulator'
        "$err" | Should -Match "'ghost' is not one of the emulator's accounts"
    }

    It 'writes the handle with -PassThru, and changes nothing with -WhatIf' {
        (Set-TencentImEmulator $emu -LatencyMs 0 -PassThru).Id | Should -Be $emu.Id
        Set-TencentImEmulator $emu -FaultRate 1 -WhatIf
        ('alice' | Test-TencentImAccount).AccountStatus | Should -Be 'Imported'
    }
}

Describe 'Reset-TencentImEmulator' {
    It 'goes back to the seeded accounts, clock, faults and an empty request log' {
        $now = [DateTimeOffset]::FromUnixTimeSeconds([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())
        $emu = Start-TencentImEmulator -Account alice -Now $now -FaultRate 0.5 -Seed 1
        try {
            Connect-TencentIm -Emulator $emu -SkipConnectionTest
            Set-TencentImEmulator $emu -FaultRate 0 -AdvanceBy (New-TimeSpan -Hours 1)
            $null = 'bob' | Import-TencentImAccount

            $emu | Reset-TencentImEmulator

            (Get-TencentImEmulatorAccount $emu).UserID | Should -Be 'alice'
            @(Get-TencentImEmulatorRequest $emu) | Should -HaveCount 0
            $faults = Invoke-RestMethod -Uri ([uri]::new($emu.Endpoint, 'emulator/faults')) -NoProxy
            $faults.FaultRate | Should -Be 0.5
            Set-TencentImEmulator $emu -FaultRate 0
            $null = 'alice' | Test-TencentImAccount
            @(Get-TencentImEmulatorRequest $emu)[0].Time | Should -Be $now
        }
        finally { Stop-TencentImEmulator $emu }
    }
}

Describe 'Stop-TencentImEmulator' {
    It 'stops emulators from the pipeline, and stopping again does nothing' {
        $emulators = @(Start-TencentImEmulator; Start-TencentImEmulator)

        $emulators | Stop-TencentImEmulator
        $emulators | Stop-TencentImEmulator

        $emulators.HasExited | Should -Be $true, $true
    }

    It 'takes several emulators as one argument: Stop-TencentImEmulator $a, $b' {
        $a = Start-TencentImEmulator
        $b = Start-TencentImEmulator

        Stop-TencentImEmulator $a, $b

        $a.HasExited, $b.HasExited | Should -Be $true, $true
    }

    It 'makes the other cmdlets fail with EmulatorStopped' {
        $emu = Start-TencentImEmulator
        Stop-TencentImEmulator $emu

        $err = Get-ThrownError { Get-TencentImEmulatorRequest $emu -ErrorAction Stop }

        Get-ErrorId $err | Should -Be 'EmulatorStopped'
    }

    It 'is not needed: the emulator exits when the PowerShell process that started it exits' {
        $child = Invoke-TestPwsh -Script @'
param($Manifest)
Import-Module $Manifest
$emu = Start-TencentImEmulator -Account alice
"id=$($emu.Id)"
'@ -ArgumentList (Join-Path (Get-TestEmulatorModulePath) 'TencentIm.Emulator.psd1')
        $child.ExitCode | Should -Be 0 -Because $child.StdErr
        $id = [int]$child.Facts.id

        $process = try { [System.Diagnostics.Process]::GetProcessById($id) } catch [System.ArgumentException] { $null }
        if ($process) {
            # Its standard input closed with the child pwsh: it exits by itself.
            try {
                $process.WaitForExit(30000) | Should -BeTrue -Because "the emulator (process $id) must end with the pwsh that started it"
            }
            finally {
                if (-not $process.HasExited) { $process.Kill() }
                $process.Dispose()
            }
        }
    }
}

Describe 'Start-TencentImEmulator without .NET' {
    BeforeAll {
        $script:saved = $env:TENCENTIM_EMULATOR_DOTNET
    }
    AfterAll {
        $env:TENCENTIM_EMULATOR_DOTNET = $saved
    }

    It 'stops with DotnetNotFound, saying what to install, when there is no dotnet' {
        $env:TENCENTIM_EMULATOR_DOTNET = Join-Path $TestDrive 'no-such-dotnet'

        $err = Get-ThrownError { Start-TencentImEmulator }

        Get-ErrorId $err | Should -Be 'DotnetNotFound'
        $err.CategoryInfo.Category | Should -Be 'NotInstalled'
        "$err" | Should -Match 'https://dotnet.microsoft.com/download/dotnet/10.0'
    }

    It 'stops with AspNetCoreRuntimeMissing, saying what to install, when dotnet has no ASP.NET Core 10' {
        # A stand-in for a dotnet host without Microsoft.AspNetCore.App: what the real host writes, and its exit code.
        $message = "You must install or update .NET to run this application.`n`nApp: TencentIm.Emulator.dll`nFramework: 'Microsoft.AspNetCore.App', version '10.0.0' (x64)`n.NET location: /usr/share/dotnet`n`nNo frameworks were found."
        if ($IsWindows) {
            $fake = Join-Path $TestDrive 'dotnet.cmd'
            Set-Content $fake ('@echo off', (($message -split "`n" | ForEach-Object { if ($_) { "echo $_ 1>&2" } else { 'echo. 1>&2' } }) -join "`r`n"), 'exit /b 150')
        }
        else {
            $fake = Join-Path $TestDrive 'dotnet'
            Set-Content $fake ("#!/bin/sh`ncat >&2 <<'EOF'`n$message`nEOF`nexit 150") -NoNewline
            chmod +x $fake
        }
        $env:TENCENTIM_EMULATOR_DOTNET = $fake

        $err = Get-ThrownError { Start-TencentImEmulator }

        Get-ErrorId $err | Should -Be 'AspNetCoreRuntimeMissing'
        $err.CategoryInfo.Category | Should -Be 'NotInstalled'
        "$err" | Should -Match 'ASP.NET Core Runtime 10.0'
        "$err" | Should -Match 'https://dotnet.microsoft.com/download/dotnet/10.0'
    }
}

Describe 'The testing guide and about_TencentIm_Emulator' {
    BeforeAll {
        $root = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
        # The guide's ```powershell blocks that are whole test files (they have a Describe), and the about topic's
        # A TEST section (indented 8 spaces).
        $guide = Get-Content -Raw (Join-Path $root 'docs/testing-runbooks.md')
        $script:blocks = @([regex]::Matches($guide, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value } | Where-Object { $_ -match '(?m)^Describe ' })
        $about = Get-Content -Raw (Join-Path $root 'docs/about/about_TencentIm_Emulator.help.txt')
        $section = [regex]::Match($about, '(?ms)^A TEST\r?\n(.*?)\r?\n\r?\n(?! {8})').Groups[1].Value
        $script:blocks += ($section -split '\r?\n' | ForEach-Object { $_ -replace '^ {8}', '' }) -join "`n"
        $script:sample = Join-Path $root 'samples/runbook-repo'
    }

    It 'has three test files to run: two in the guide, one in the about topic' {
        $blocks | Should -HaveCount 3
        $blocks[2] | Should -Match "^Describe 'Sync-Staff'"
    }

    It 'runs every one of them, as pasted, beside the sample runbook: Pester 5 finds and passes each test' {
        $work = Join-Path $TestDrive 'guide-runbook-repo'
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $sample 'Sync-Staff.ps1'), (Join-Path $sample 'staff.csv') $work
        for ($i = 0; $i -lt $blocks.Count; $i++) { Set-Content (Join-Path $work "Block$i.Tests.ps1") $blocks[$i] }
        $modulePath = ((Split-Path (Get-TestModulePath) -Parent), (Split-Path (Get-TestEmulatorModulePath) -Parent), $env:PSModulePath) -join [IO.Path]::PathSeparator

        $child = Invoke-TestPwsh -TimeoutSeconds 180 -Script @'
param($Pester, $Work, $ModulePath)
$env:PSModulePath = $ModulePath
Import-Module $Pester
Set-Location $Work
$result = Invoke-Pester -Path (Get-ChildItem -Filter 'Block*.Tests.ps1').FullName -PassThru -Output None
"passed=$($result.PassedCount)"
"failed=$($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount)"
$result.Failed | ForEach-Object { "$($_.ExpandedPath): $($_.ErrorRecord)" } | Write-Host
'@ -ArgumentList (Get-Module Pester).Path, $work, $modulePath

        $child.ExitCode | Should -Be 0 -Because $child.StdErr
        $child.Facts.failed | Should -Be 0 -Because $child.StdOut
        $child.Facts.passed | Should -Be 3 -Because $child.StdOut
    }
}
