#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module's output types have a default table view that fits an 80-column console with every column of the view
# and its values whole, and Format-List shows every property.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:emulator = Start-TestEmulator -Accounts alice, ('u' * 32), ('d' * 32) -Options @{ FailingAccount = 'carol'; PushOnline = ('u' * 32) }
    # An app with room for one more account: the second new one is Failed (70398).
    $script:limited = Start-TestEmulator -Accounts alice -Options @{ AccountLimit = 2 }

    # Lines as an 80-column console shows them: colour sequences take no columns, trailing blanks are not drawn.
    function script:Get-RenderedLines([Parameter(ValueFromPipeline)] $InputObject, [switch] $List) {
        begin { $all = [System.Collections.Generic.List[object]]::new() }
        process { $all.Add($InputObject) }
        end {
            $text = if ($List) { $all | Format-List | Out-String -Width 80 } else { $all | Format-Table | Out-String -Width 80 }
            @(($text -replace '\x1b\[[0-9;]*m', '') -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ })
        }
    }

    function script:Get-ViewLabels([string] $TypeName) {
        $format = Get-FormatData -TypeName $TypeName
        $format.FormatViewDefinition[0].Control.Headers.Label
    }
}

AfterAll {
    Stop-TestEmulator $script:emulator
    Stop-TestEmulator $script:limited
}

Describe 'Default views' {
    It '<TypeName> has a table as its default view, with the columns <Labels>' -ForEach @(
        @{ TypeName = 'TencentIm.AccountCheckResult'; Labels = 'UserID', 'AccountStatus', 'ResultCode', 'ResultInfo' }
        @{ TypeName = 'TencentIm.AccountDeleteResult'; Labels = 'UserID', 'Status', 'ResultCode', 'ResultInfo' }
        @{ TypeName = 'TencentIm.AccountImportResult'; Labels = 'UserID', 'Status', 'ResultCode', 'ResultInfo' }
        @{ TypeName = 'TencentIm.Connections.TencentImConnection'; Labels = 'SdkAppId', 'Identifier', 'Auth', 'Endpoint' }
        @{ TypeName = 'TencentIm.Signing.SignedUserSig'; Labels = 'UserID', 'SdkAppId', 'ExpiresOn (UTC)', 'UserSig' }
        @{ TypeName = 'TencentIm.Signing.UserSigReport'; Labels = 'Result', 'Code', 'UserID', 'SdkAppId', 'ExpiresOn (UTC)' }
        @{ TypeName = 'TencentIm.OnlineStatusResult'; Labels = 'UserID', 'Status', 'ResultCode', 'ResultInfo' }
        @{ TypeName = 'TencentIm.LoginRevocationResult'; Labels = 'UserID', 'Status', 'ResultCode', 'ResultInfo' }
    ) {
        $format = Get-FormatData -TypeName $TypeName

        $format | Should -Not -BeNullOrEmpty
        $format.FormatViewDefinition[0].Control | Should -BeOfType ([System.Management.Automation.TableControl])
        $format.FormatViewDefinition[0].Control.Headers.Label | Should -BeExactly $Labels
    }
}

Describe 'Rendered in 80 columns' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    It 'AccountCheckResult: every column, a 32-byte UserID whole, and an Unknown row''s code' {
        $longId = 'u' * 32
        $results = Test-TencentImAccount $longId, 'nobody', 'carol'

        $lines = $results | Get-RenderedLines

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        $lines[0] | Should -Match ('^' + ((Get-ViewLabels TencentIm.AccountCheckResult) -join '\s+') + '$')
        $lines[2] | Should -Match "^$longId\s+Imported\s+0$"
        $lines[3] | Should -Match '^nobody\s+NotImported\s+0$'
        $lines[4] | Should -Match '^carol\s+Unknown\s+70500\s+\S'
    }

    It 'AccountDeleteResult: every column, a 32-byte UserID whole, and a NotFound row''s code and info' {
        $longId = 'd' * 32

        $lines = Remove-TencentImAccount $longId, 'nobody' -Force | Get-RenderedLines

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        $lines[0] | Should -Match ('^' + ((Get-ViewLabels TencentIm.AccountDeleteResult) -join '\s+') + '$')
        $lines[2] | Should -Match "^$longId\s+Deleted\s+0$"
    }

    It 'OnlineStatusResult: every column, a 32-byte UserID whole, PushOnline whole, and an Unknown row''s code' {
        $longId = 'u' * 32
        $results = Get-TencentImOnlineStatus $longId, 'alice', 'nobody'

        $lines = $results | Get-RenderedLines

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        $lines[0] | Should -Match ('^' + ((Get-ViewLabels TencentIm.OnlineStatusResult) -join '\s+') + '$')
        $lines[2] | Should -Match "^$longId\s+PushOnline\s+0$"
        $lines[3] | Should -Match '^alice\s+Offline\s+0$'
        $lines[4] | Should -Match '^nobody\s+Unknown\s+70107\s+The account'
    }

    It 'LoginRevocationResult: every column, a 32-byte UserID whole, and a NotFound row''s code' {
        $longId = 'u' * 32
        $results = Revoke-TencentImLogin $longId, 'nobody' -Force

        $lines = $results | Get-RenderedLines

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        $lines[0] | Should -Match ('^' + ((Get-ViewLabels TencentIm.LoginRevocationResult) -join '\s+') + '$')
        $lines[2] | Should -Match "^$longId\s+Revoked\s+0$"
        $lines[3] | Should -Match '^nobody\s+NotFound\s+70107\s+\S'
    }

    It 'AccountImportResult: every column, a 32-byte UserID whole, and a Failed row''s code' {
        Connect-TestEmulator $limited
        $longId = 'i' * 32

        $lines = Import-TencentImAccount $longId, 'over' | Get-RenderedLines

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        $lines[0] | Should -Match ('^' + ((Get-ViewLabels TencentIm.AccountImportResult) -join '\s+') + '$')
        $lines[2] | Should -Match "^$longId\s+Imported\s+0$"
        $lines[3] | Should -Match '^over\s+Failed\s+70398\s+\S'
    }

    It 'TencentImConnection: every column, with a region''s endpoint whole' {
        $connection = Connect-TencentIm 1400000001 $emulator.SecureKey -Region Singapore -SkipConnectionTest -PassThru

        $lines = $connection | Get-RenderedLines

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        $lines[0] | Should -Match '^\s*SdkAppId\s+Identifier\s+Auth\s+Endpoint$'
        $lines[2] | Should -Match ('^1400000001\s+administrator\s+SecretKey\s+' + [regex]::Escape($connection.Endpoint.AbsoluteUri) + '$')
        $connection.Endpoint.Host | Should -Be 'adminapisgp.im.qcloud.com'
    }

    It 'SignedUserSig: every column, a 32-byte UserID whole, the expiry in UTC and (secure) for the UserSig' {
        $signed = New-TencentImUserSig -UserId ('s' * 32) -Lifetime 3600

        $lines = $signed | Get-RenderedLines

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        $lines[0] | Should -CMatch '^UserID\s+SdkAppId\s+ExpiresOn \(UTC\)\s+UserSig$'
        $expires = $signed.ExpiresOn.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss')
        $lines[2] | Should -Match ('^' + ('s' * 32) + '\s+1400000001\s+' + [regex]::Escape($expires) + '\s+\(secure\)$')
    }

    It 'UserSigReport: every column, for a valid UserSig and for a malformed one' {
        $userSig = New-TestUserSig -SecretKey $emulator.SecretKey -Identifier ('r' * 16)
        $reports = @(
            Test-TencentImUserSig -UserSig $userSig
            Test-TencentImUserSig -UserSig 'garbage'
        )

        $lines = $reports | Get-RenderedLines

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        $lines[0] | Should -Match '^Result\s+Code\s+UserID\s+SdkAppId\s+ExpiresOn \(UTC\)$'
        $expires = $reports[0].ExpiresOn.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss')
        $lines[2] | Should -Match ('^Valid\s+0\s+' + ('r' * 16) + '\s+1400000001\s+' + [regex]::Escape($expires) + '$')
        $lines[3] | Should -Match '^Malformed\s+70003$'
    }
}

Describe 'Format-List' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    It 'shows every property of <Name>' -ForEach @(
        @{ Name = 'AccountCheckResult'; Make = { Test-TencentImAccount carol } }
        @{ Name = 'AccountDeleteResult'; Make = { Remove-TencentImAccount nobody -Force } }
        @{ Name = 'AccountImportResult'; Make = { Import-TencentImAccount -UserId alice } }
        @{ Name = 'TencentImConnection'; Make = { Connect-TestEmulator $emulator @{ PassThru = $true } } }
        @{ Name = 'SignedUserSig'; Make = { New-TencentImUserSig -UserId alice } }
        @{ Name = 'UserSigReport'; Make = { New-TencentImUserSig -UserId alice | Test-TencentImUserSig } }
        @{ Name = 'OnlineStatusResult'; Make = { Get-TencentImOnlineStatus alice -Detail } }
        @{ Name = 'LoginRevocationResult'; Make = { Revoke-TencentImLogin nobody -Force } }
    ) {
        $object = & $Make

        $lines = $object | Get-RenderedLines -List

        $names = @($object.PSObject.Properties.Name)
        $names.Count | Should -BeGreaterOrEqual 4
        foreach ($name in $names) {
            $lines -match "^$([regex]::Escape($name))\s*:" | Should -HaveCount 1 -Because "Format-List must show $name"
        }
    }
}
