#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Logs never hold a secret. A fresh pwsh runs every exported cmdlet the ways a script or a CI job would (each way to
# connect, checks that succeed and fail, signing, UserSig reports, disconnecting, and the usual errors) with -Verbose
# and -Debug, under Start-Transcript, and shows everything on its console. Every record of every stream is also
# captured (*>&1) and rendered the ways a user or a log shipper might: default views, Out-String -Width 4096,
# Format-List * -Force, ConvertTo-Json -Depth 3, Get-Error and Exception.ToString() of each error.
# Then neither the secret key nor anything shaped like a UserSig (eJ followed by 40 or more characters of the UserSig
# alphabet) may appear in the transcript, the console output or the renderings.
# One output is a UserSig on purpose and is left out of the scan: the success output of the one
# New-TencentImUserSig -AsPlainText call (its verbose and debug records are scanned). The test shows that the scan
# would have caught it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    # A key no text could contain by chance.
    $script:key = 'sekrit' + [guid]::NewGuid().ToString('N') + 'Q7'
    $script:userSigPattern = 'eJ[0-9A-Za-z*_-]{40,}'
    $script:emulator = Start-TestEmulator -SecretKey $key -Accounts 'alice', 'bob', 'leaver' `
        -Options @{ Admin = 'administrator', 'ops'; FailingAccount = 'carol' }
    # Every request fails: an HTTP 502 or a connection dropped mid-answer.
    $script:faulty = Start-TestEmulator -SecretKey $key -Accounts 'alice' `
        -Options @{ FaultRate = 1; FaultKind = 'http502', 'drop'; Seed = 7 }
    $script:outDir = Join-Path $TestDrive 'logs'
    $null = New-Item -ItemType Directory $outDir

    $childScript = @'
param([string] $Manifest, [string] $Endpoint, [string] $FaultyEndpoint, [string] $ClosedEndpoint, [string] $OutDir)
$PSStyle.OutputRendering = 'PlainText'
$ErrorActionPreference = 'Continue'
$DebugPreference = 'Continue'
$ProgressPreference = 'SilentlyContinue'
foreach ($name in 'SDKAPPID', 'SECRETKEY', 'IDENTIFIER', 'REGION', 'ENDPOINT') { Remove-Item "env:TENCENTIM_$name" -ErrorAction Ignore }
Import-Module $Manifest
$secureKey = ConvertTo-SecureString $env:TEST_SECRET_KEY -AsPlainText -Force
$wrongKey = ConvertTo-SecureString ([guid]::NewGuid().ToString('N')) -AsPlainText -Force
$captured = [System.Collections.Generic.List[object]]::new()
$excluded = [System.Collections.Generic.List[object]]::new()
$null = Start-Transcript -Path (Join-Path $OutDir 'transcript.txt')

# Runs a step with every stream merged, keeps each record, and shows them on the console (and so in the transcript).
function Step([string] $Name, [scriptblock] $Block) {
    Write-Host "=== $Name"
    $records = @(& $Block *>&1)
    foreach ($record in $records) { $captured.Add($record) }
    $records | Out-Host
}

Step 'Connect-TencentIm -SecretKey' { $script:keyConnection = Connect-TencentIm 1400000001 $secureKey -Endpoint $Endpoint -PassThru -Verbose -Debug; $keyConnection }
Step 'Get-TencentImConnection' { Get-TencentImConnection -Verbose -Debug }
Step 'Test-TencentImAccount, with an unknown, a failing, a too-long and an empty UserID' {
    Test-TencentImAccount alice, nobody, carol, ('x' * 33), '' -Verbose -Debug
}
Step 'Remove-TencentImAccount, with -WhatIf, then an existing, an unknown and a too-long UserID' {
    Remove-TencentImAccount leaver -WhatIf -Verbose -Debug
    Remove-TencentImAccount leaver, nobody, ('x' * 33) -Force -Verbose -Debug
}
Step 'Test-TencentImAccount, 250 IDs from the pipeline' { 1..250 | ForEach-Object { "user$_" } | Test-TencentImAccount -Verbose -Debug }
Step 'Get-TencentImOnlineStatus -Detail, with an unknown and a too-long UserID' {
    Get-TencentImOnlineStatus alice, nobody, ('x' * 33) -Detail -Verbose -Debug
}
Step 'Revoke-TencentImLogin, with -WhatIf, then an existing and an unknown UserID' {
    Revoke-TencentImLogin bob -WhatIf -Verbose -Debug
    Revoke-TencentImLogin bob, nobody -Force -Verbose -Debug
}
Step 'Import-TencentImAccount, with a Nick, a too-long Nick and -WhatIf' {
    @{ UserID = 'imported1'; Nick = 'One' }, @{ UserID = 'imported2'; Nick = ('n' * 501) }, 'imported3' | Import-TencentImAccount -Verbose -Debug
    Import-TencentImAccount -UserId imported4 -FaceUrl 'https://example.com/4.png' -WhatIf -Verbose -Debug
}
Step 'Invoke-TencentImApi: a read, a write, a pipeline with a bad body, an error code and an unknown API' {
    Invoke-TencentImApi profile/portrait_get -Body @{ To_Account = @('alice', 'nobody'); TagList = @('Tag_Profile_IM_Nick') } -Verbose -Debug
    @{ From_Account = 'alice'; ProfileItem = @(@{ Tag = 'Tag_Profile_IM_Nick'; Value = 'A' }) }, 'not json' | Invoke-TencentImApi profile/portrait_set -Verbose -Debug
    Invoke-TencentImApi openim/sendmsg -Body @{ To_Account = 'bob'; MsgRandom = 1; MsgBody = @(@{ MsgType = 'TIMTextElem'; MsgContent = @{ Text = 'hi' } }) } -AsHashtable -Verbose -Debug
    Invoke-TencentImApi openim/sendmsg -Body @{ To_Account = 'nobody'; MsgRandom = 2; MsgBody = @(@{ MsgType = 'TIMTextElem'; MsgContent = @{ Text = 'hi' } }) } -Raw -Verbose -Debug
    Invoke-TencentImApi nosuch/api -Verbose -Debug
}
Step 'Connect-TencentIm -Credential' {
    Connect-TencentIm -Credential ([pscredential]::new('1400000001', $secureKey)) -Endpoint $Endpoint -PassThru -Verbose -Debug
}
Step 'Connect-TencentIm from TENCENTIM_SDKAPPID, TENCENTIM_SECRETKEY and TENCENTIM_ENDPOINT' {
    $env:TENCENTIM_SDKAPPID = '1400000001'; $env:TENCENTIM_SECRETKEY = $env:TEST_SECRET_KEY; $env:TENCENTIM_ENDPOINT = $Endpoint
    Connect-TencentIm -PassThru -Verbose -Debug
    Remove-Item env:TENCENTIM_SDKAPPID, env:TENCENTIM_SECRETKEY, env:TENCENTIM_ENDPOINT
}
Step 'New-TencentImUserSig' { $script:signed = New-TencentImUserSig -UserId alice, administrator -Verbose -Debug; $signed }

Write-Host '=== New-TencentImUserSig -AsPlainText (its success output is left out of the scan)'
$records = @(New-TencentImUserSig -UserId administrator -AsPlainText -Verbose -Debug *>&1)
foreach ($record in $records) {
    if ($record -is [string]) { $excluded.Add($record) } else { $captured.Add($record); $record | Out-Host }
}
$plain = $excluded[0]

Step 'Connect-TencentIm -UserSig (text)' { $script:userSigConnection = Connect-TencentIm 1400000001 -UserSig $plain -Endpoint $Endpoint -PassThru -Verbose -Debug; $userSigConnection }
Step 'Test-TencentImAccount with the UserSig connection' { Test-TencentImAccount alice, nobody -Verbose -Debug }
Step 'Connect-TencentIm -UserSig (SecureString)' { Connect-TencentIm 1400000001 -UserSig $signed[1].UserSig -Endpoint $Endpoint -PassThru -Verbose -Debug }
Step 'Connect-TencentIm -UserSig, truncated' { Connect-TencentIm 1400000001 -UserSig $plain.Substring(0, 60) -Endpoint $Endpoint -Verbose -Debug }
Step 'Connect-TencentIm -UserSig, for another identifier' { Connect-TencentIm 1400000001 -UserSig $signed[0].UserSig -Endpoint $Endpoint -Verbose -Debug }
Step 'Test-TencentImUserSig' {
    Test-TencentImUserSig -UserSig $plain -Identifier administrator -Verbose -Debug
    $signed | Test-TencentImUserSig -SecretKey $secureKey -Verbose -Debug
    Test-TencentImUserSig -UserSig $plain -SecretKey $wrongKey -Verbose -Debug
    Test-TencentImUserSig -UserSig $plain -Identifier bob -SdkAppId 1400000002 -Verbose -Debug
    Test-TencentImUserSig -UserSig $plain.Substring(0, 60) -Verbose -Debug
    Test-TencentImUserSig -UserSig 'garbage' -Verbose -Debug
}
Step 'Connect-TencentIm with a wrong key' { Connect-TencentIm 1400000001 $wrongKey -Endpoint $Endpoint -Verbose -Debug }
Step 'Connect-TencentIm as an identifier that is not an app admin' { Connect-TencentIm 1400000001 $secureKey -Identifier alice -Endpoint $Endpoint -Verbose -Debug }
Step 'Test-TencentImAccount with a wrong key' {
    Connect-TencentIm 1400000001 $wrongKey -Endpoint $Endpoint -SkipConnectionTest -Verbose -Debug
    Test-TencentImAccount alice -Verbose -Debug
}
Step 'Test-TencentImAccount whose requests fail after their retries' {
    Connect-TencentIm 1400000001 $secureKey -Endpoint $FaultyEndpoint -SkipConnectionTest -MaximumRetryCount 1 -Verbose -Debug
    Test-TencentImAccount alice, bob, nobody -BatchSize 1 -ThrottleLimit 1 -Verbose -Debug
    Remove-TencentImAccount alice -Force -Verbose -Debug
    Get-TencentImOnlineStatus alice, nobody -ThrottleLimit 1 -Verbose -Debug
    Revoke-TencentImLogin alice -Force -ThrottleLimit 1 -Verbose -Debug
    Invoke-TencentImApi openim/sendmsg -Body @{ To_Account = 'alice'; MsgRandom = 3; MsgBody = @(@{ MsgType = 'TIMTextElem'; MsgContent = @{ Text = 'hi' } }) } -Verbose -Debug
}
Step 'Connect-TencentIm to an endpoint that does not answer' { Connect-TencentIm 1400000001 $secureKey -Endpoint $ClosedEndpoint -MaximumRetryCount 0 -Verbose -Debug }
Step 'Disconnect-TencentIm, then calls without and with the closed connection' {
    $script:closed = Connect-TencentIm 1400000001 $secureKey -Endpoint $Endpoint -PassThru -Verbose -Debug
    Disconnect-TencentIm -Verbose -Debug
    Disconnect-TencentIm -Connection $userSigConnection -Verbose -Debug
    Test-TencentImAccount alice -Verbose -Debug
    Test-TencentImAccount alice -Connection $closed -Verbose -Debug
    Test-TencentImAccount alice -Connection $userSigConnection -Verbose -Debug
    New-TencentImUserSig -UserId alice -Connection $closed -Verbose -Debug
    $closed
}

Write-Host '=== Renderings'
$texts = [System.Text.StringBuilder]::new()
$null = $texts.AppendLine(($captured | Out-String -Width 4096))
foreach ($item in $captured) {
    $null = $texts.AppendLine(($item | Format-List * -Force | Out-String -Width 4096))
    if ($item -is [System.Management.Automation.ErrorRecord]) {
        $null = $texts.AppendLine($item.Exception.ToString())
        $null = $texts.AppendLine(($item.Exception | Format-List * -Force | Out-String -Width 4096))
        $null = $texts.AppendLine(($item | Get-Error | Out-String -Width 4096))
        $null = $texts.AppendLine(($item | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue))
    }
    elseif ($item -is [TencentIm.Connections.TencentImConnection] -or $item -is [TencentIm.Signing.SignedUserSig] -or $item -is [TencentIm.Signing.UserSigReport]) {
        $null = $texts.AppendLine(($item | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue))
    }
}
foreach ($item in @($keyConnection, $userSigConnection, $closed) + @($signed)) {
    $null = $texts.AppendLine($item.ToString())
    $null = $texts.AppendLine(($item | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue))
}
foreach ($err in $Error) {
    $null = $texts.AppendLine($err.Exception.ToString())
    $null = $texts.AppendLine(($err | Format-List * -Force | Out-String -Width 4096))
}
[System.IO.File]::WriteAllText((Join-Path $OutDir 'renderings.txt'), $texts.ToString())
[System.IO.File]::WriteAllLines((Join-Path $OutDir 'excluded.txt'), [string[]]$excluded)
$null = Stop-Transcript
'@

    $script:run = Invoke-TestPwsh -Script $childScript -TimeoutSeconds 120 -Environment @{ TEST_SECRET_KEY = $key } -ArgumentList @(
        '-Manifest', (Join-Path (Get-TestModulePath) 'TencentIm.psd1'), '-Endpoint', $emulator.BaseUri,
        '-FaultyEndpoint', $faulty.BaseUri, '-ClosedEndpoint', "http://127.0.0.1:$(Get-FreeClosedPort)/", '-OutDir', $outDir)
    if (-not (Test-Path (Join-Path $outDir 'transcript.txt'))) {
        throw "The child run wrote no transcript (exit code $($run.ExitCode)): $($run.StdErr) $($run.StdOut)"
    }
    $script:logs = [ordered]@{
        Transcript = Get-Content (Join-Path $outDir 'transcript.txt') -Raw
        Console    = $run.StdOut + $run.StdErr
        Renderings = Get-Content (Join-Path $outDir 'renderings.txt') -Raw
    }
    $script:excluded = @(Get-Content (Join-Path $outDir 'excluded.txt'))
}

AfterAll {
    Stop-TestEmulator $script:emulator
    Stop-TestEmulator $script:faulty
}

Describe 'Logs of every cmdlet with -Verbose and -Debug' {
    It 'the run went through every step and its logs hold what they should (verbose, debug, errors)' {
        $run.ExitCode | Should -Be 0
        foreach ($log in $logs.Transcript, $logs.Console) {
            $log | Should -Match '=== Disconnect-TencentIm, then calls'
            $log | Should -Match 'account_check: 1 item\(s\), attempt 1, OK in \d+ ms'
            $log | Should -Match 'account_delete: 2 item\(s\), attempt 1, OK in \d+ ms'
            $log | Should -Match 'multiaccount_import: 2 item\(s\), attempt 1, OK in \d+ ms'
            $log | Should -Match 'usersig=%3Credacted%3E'
            $log | Should -Match 'Request body: '
            $log | Should -Match 'retrying in \d+ ms'
            $log | Should -Match 'attempt 2, HttpStatus: .*HTTP 502'
            $log | Should -Match 'attempt \d, Unreachable: '
            $log | Should -Match 'query_online_status: 2 item\(s\), attempt 1, OK in \d+ ms'
            $log | Should -Match 'kick: 1 item\(s\), attempt 1, OK in \d+ ms'
            $log | Should -Match 'kick: 1 item\(s\), attempt 1, ErrorCode 70107 '
            $log | Should -Match 'What if: .* on target "bob"'
            $log | Should -Match 'portrait_get: 1 item\(s\), attempt 1, ErrorCode 0|portrait_get: 1 item\(s\), attempt 1, OK in \d+ ms'
            $log | Should -Match 'sendmsg: 1 item\(s\), attempt 1, OK in \d+ ms'
        }
        $expectedErrorIds = 'UserIdTooLong', 'EmptyUserId', 'NickTooLong', 'UserSigMalformed', 'UserSigIdentifierMismatch',
            'ConnectionTestSecretKeyMismatch', 'ConnectionTestIdentifierNotAppAdmin', 'SecretKeyMismatch',
            'ConnectionTestEndpointUnreachable', 'NotConnected', 'ConnectionClosed', 'OnlineStatusFailed', 'RevokeLoginFailed',
            'InvalidBody', 'MessageAccountNotFound', 'ApiNotFound', 'ApiCallOutcomeUnknown'
        foreach ($id in $expectedErrorIds) {
            $logs.Renderings | Should -Match "\b$id,TencentIm\.Commands\." -Because "the step that gives $id must have run"
        }
        # The failed requests of the faulty emulator: one error per UserID, with the inner exceptions of the drops.
        $logs.Renderings | Should -Match "UserID 'bob' was not checked"
        $logs.Renderings | Should -Match "AccountDeleteFailed,TencentIm\.Commands\.RemoveTencentImAccountCommand"
        $logs.Renderings | Should -Match 'System\.Net\.Http\.HttpRequestException'
        $logs.Renderings | Should -Match 'SecretKey'
        $logs.Renderings | Should -Match '"AuthenticationMethod": "UserSig"'
    }

    It 'the left-out -AsPlainText output is a UserSig, which the scan would have caught' {
        $excluded | Should -HaveCount 1
        $excluded[0] | Should -Match "^$userSigPattern$"
        "before $($excluded[0]) after" | Should -Match $userSigPattern
    }

    It 'the <Name> never holds the secret key' -ForEach @(
        @{ Name = 'Transcript' }
        @{ Name = 'Console' }
        @{ Name = 'Renderings' }
    ) {
        $logs[$Name].Length | Should -BeGreaterThan 1000
        $logs[$Name].Contains($key) | Should -BeFalse
    }

    It 'the <Name> never holds a UserSig (eJ and 40 or more characters of the UserSig alphabet)' -ForEach @(
        @{ Name = 'Transcript' }
        @{ Name = 'Console' }
        @{ Name = 'Renderings' }
    ) {
        $found = @([regex]::Matches($logs[$Name], $userSigPattern) | ForEach-Object Value)

        $found | Should -HaveCount 0 -Because "these look like UserSigs: $($found -join ', ')"
    }
}
