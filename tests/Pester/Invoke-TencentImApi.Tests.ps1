#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Invoke-TencentImApi against the emulator process, as a script uses it: the issue's examples, body and output forms,
# piped bodies in order, errors whose target is the answer, exactly-once sends under faults (from the emulator's
# per-API counts), tab completion of -Api, and its help.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:emulator = Start-TestEmulator -Accounts 'alice', 'bob', 'carol'
    # Every call meets a fault that leaves open whether it ran: a timeout inside the service or an answer lost
    # after the API ran.
    $script:faulty = Start-TestEmulator -Accounts 'alice', 'bob' -Options @{ FaultRate = 1; FaultKind = '70500', 'drop-after' }

    function script:Get-ApiCount([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Command) {
        [long](Get-TestStats $Emulator).Requests.$Command
    }

    function script:New-Message([string] $To, [int] $Random, [string] $Text = 'hi') {
        @{ To_Account = $To; MsgRandom = $Random; MsgBody = @(@{ MsgType = 'TIMTextElem'; MsgContent = @{ Text = $Text } }) }
    }
}

AfterAll {
    Stop-TestEmulator $script:emulator
    Stop-TestEmulator $script:faulty
}

Describe 'Invoke-TencentImApi' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    It 'runs the issue''s read: portrait_get of two accounts' {
        Invoke-TencentImApi profile/portrait_set -Body @{ From_Account = 'bob'; ProfileItem = @(@{ Tag = 'Tag_Profile_IM_Nick'; Value = 'Bob' }) } | Out-Null

        $answer = Invoke-TencentImApi profile/portrait_get -Body @{ To_Account = @('alice', 'bob'); TagList = @('Tag_Profile_IM_Nick') }

        $answer.ActionStatus | Should -BeExactly 'OK'
        $answer.ErrorCode | Should -Be 0
        $answer.UserProfileItem.To_Account | Should -BeExactly 'alice', 'bob'
        ($answer.UserProfileItem | Where-Object To_Account -eq 'bob').ProfileItem.Value | Should -BeExactly 'Bob'
    }

    It 'runs the issue''s pipeline: a message per CSV row, 16 at a time, answers in row order' {
        $csv = Join-Path $TestDrive 'notices.csv'
        $rows = 1..30 | ForEach-Object { [pscustomobject]@{ UserID = ('alice', 'bob', 'carol')[$_ % 3]; Text = "notice $_" } }
        $rows | Export-Csv $csv -NoTypeInformation
        $before = Get-ApiCount $emulator sendmsg

        $i = 0
        $answers = Import-Csv $csv | ForEach-Object { @{ To_Account = $_.UserID; MsgRandom = ++$i; MsgBody = @(@{ MsgType = 'TIMTextElem'; MsgContent = @{ Text = $_.Text } }) } } |
            Invoke-TencentImApi openim/sendmsg -ThrottleLimit 16 -ErrorVariable errors

        $errors | Should -BeNullOrEmpty
        $answers | Should -HaveCount 30
        $answers.ActionStatus | Sort-Object -Unique | Should -BeExactly 'OK'
        # The emulator's MsgKey is "<arrival>_<MsgRandom>_<time>": the answers come back in the rows' order, MsgRandom 1 to 30.
        $answers | ForEach-Object { [int]($_.MsgKey -split '_')[1] } | Should -Be (1..30)
        (Get-ApiCount $emulator sendmsg) - $before | Should -Be 30
    }

    It 'takes a JSON string, an ordered dictionary and a PSCustomObject as bodies, and writes -AsHashtable and -Raw answers' {
        $json = '{"To_Account":["alice"],"TagList":["Tag_Profile_IM_Nick"]}'
        $ordered = [ordered]@{ To_Account = @('alice'); TagList = @('Tag_Profile_IM_Nick') }
        $custom = [pscustomobject]@{ To_Account = @('alice'); TagList = @('Tag_Profile_IM_Nick') }

        $objects = $json, $ordered, $custom | Invoke-TencentImApi v4/profile/portrait_get
        $table = Invoke-TencentImApi profile/portrait_get $json -AsHashtable
        $raw = Invoke-TencentImApi profile/portrait_get $json -Raw

        $objects | Should -HaveCount 3
        $objects | ForEach-Object { $_.UserProfileItem[0].To_Account | Should -BeExactly 'alice' }
        $table | Should -BeOfType [System.Collections.Specialized.OrderedDictionary]
        $table.UserProfileItem[0].To_Account | Should -BeExactly 'alice'
        $raw | Should -BeOfType [string]
        ($raw | ConvertFrom-Json).ActionStatus | Should -BeExactly 'OK'
    }

    It 'writes a non-terminating error for an ErrorCode, with the answer as its target, and goes on' {
        $answers = (New-Message 'ghost' 1), (New-Message 'bob' 2) | Invoke-TencentImApi openim/sendmsg -ErrorVariable failed -ErrorAction SilentlyContinue

        $answers | Should -HaveCount 1
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MessageAccountNotFound,*'
        $failed[0].Exception.ErrorCode | Should -Be 20003
        $failed[0].Exception.ErrorInfo | Should -Match 'does not exist'
        $failed[0].TargetObject.ActionStatus | Should -BeExactly 'FAIL'
        $failed[0].TargetObject.ErrorCode | Should -Be 20003
    }

    It 'sends a message exactly once when its answer is lost or the service times out inside, and says it may have taken effect' {
        Connect-TestEmulator $faulty -Parameters @{ SkipConnectionTest = $true; MaximumRetryCount = 3 }

        $answers = 1..4 | ForEach-Object { New-Message 'bob' $_ } | Invoke-TencentImApi openim/sendmsg -ErrorVariable failed -ErrorAction SilentlyContinue

        $answers | Should -BeNullOrEmpty
        $failed | Should -HaveCount 4
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ApiCallOutcomeUnknown,*' }
        "$($failed[0])" | Should -Match 'may have taken effect'
        Get-ApiCount $faulty sendmsg | Should -Be 4
    }

    It 'retries an idempotent API under the same faults' {
        Connect-TestEmulator $faulty -Parameters @{ SkipConnectionTest = $true; MaximumRetryCount = 2 }
        $before = Get-ApiCount $faulty portrait_get

        Invoke-TencentImApi profile/portrait_get -Body @{ To_Account = @('alice'); TagList = @('Tag_Profile_IM_Nick') } -ErrorAction SilentlyContinue

        (Get-ApiCount $faulty portrait_get) - $before | Should -Be 3
    }

    It 'completes -Api from the module''s table, with or without v4/' {
        $line = 'Invoke-TencentImApi profile/por'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $v4line = 'Invoke-TencentImApi v4/openim/se'
        $v4 = (TabExpansion2 -inputScript $v4line -cursorColumn $v4line.Length).CompletionMatches.CompletionText

        $completions | Should -Be 'profile/portrait_get', 'profile/portrait_set'
        $v4 | Should -Contain 'v4/openim/sendmsg'
    }

    It 'has an error-handling example that reports a missing account whether the service answers per account or fails the whole call' {
        $code = [string]@((Get-Help Invoke-TencentImApi).examples.example | Where-Object { "$($_.code)" -match 'ErrorVariable' })[0].code

        # Some accounts exist: the service answers OK, the missing one with its own ResultCode.
        $some = & ([scriptblock]::Create($code))
        # None exists (alice replaced): the service fails the whole call, the items in the error's TargetObject.
        $none = & ([scriptblock]::Create($code.Replace("'alice'", "'nobody'")))

        @($some) -match '^ghost: ResultCode 40003' | Should -HaveCount 1
        @($some) -match 'ErrorCode' | Should -HaveCount 0
        @($none) -match '^ghost: ResultCode 40003' | Should -HaveCount 1
        @($none) -match '^nobody: ResultCode 40003' | Should -HaveCount 1
        @($none) -match '^ProfileAccountNotFound\b.*ErrorCode 40003' | Should -HaveCount 1
    }

    It 'has help examples for a read, a write, a pipeline of bodies and error handling' {
        $examples = @((Get-Help Invoke-TencentImApi).examples.example | ForEach-Object { [string]$_.code })

        $examples.Count | Should -BeGreaterOrEqual 4
        $examples | Where-Object { $_ -match 'portrait_get' -and $_ -notmatch 'ErrorVariable' } | Should -Not -BeNullOrEmpty
        $examples | Where-Object { $_ -match 'portrait_set' } | Should -Not -BeNullOrEmpty
        $examples | Where-Object { $_ -match '\|\s*Invoke-TencentImApi openim/sendmsg' } | Should -Not -BeNullOrEmpty
        $examples | Where-Object { $_ -match 'ErrorVariable' -and $_ -match 'TargetObject' } | Should -Not -BeNullOrEmpty
    }
}
