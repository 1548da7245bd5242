#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The help of every exported cmdlet of both modules (TencentIm and TencentIm.Emulator) is complete (synopsis,
# description, every parameter, output type, two examples), about_TencentIm and about_TencentIm_Emulator are found,
# and every example runs against the emulator.
# The help comes from the cmdlets' doc comments through build/help/New-MamlHelp.ps1.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters

    $cmdlets = foreach ($command in Get-Command -Module TencentIm, TencentIm.Emulator -CommandType Cmdlet | Sort-Object Name) {
        @{
            Name       = $command.Name
            Parameters = @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        }
    }
    $examples = foreach ($command in $cmdlets) {
        $n = 0
        foreach ($example in @((Get-Help $command.Name).examples.example)) {
            if ($null -eq $example) { continue }
            $n++
            @{ Name = $command.Name; Number = $n; Code = [string]$example.code }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = (Resolve-Path (Get-TestModulePath)).ProviderPath
    $script:emulatorModulePath = (Resolve-Path (Get-TestEmulatorModulePath)).ProviderPath
}

Describe '<Name> help' -ForEach $cmdlets -Tag 'WindowsPowerShell' {
    BeforeAll {
        $help = Get-Help $Name -Full
    }

    It 'has a synopsis written for it' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without a help file, Get-Help makes the synopsis from the syntax: 'Name [-Param] <type> ...'.
        $help.Synopsis.Trim() | Should -Not -Match "^$([regex]::Escape($Name))(\s+\[?-|\s+\[<|\s*$)"
    }

    It 'has a description' {
        ($help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'describes -<_>' -ForEach $Parameters {
        $parameter = @($help.parameters.parameter | Where-Object name -eq $_)
        $parameter | Should -HaveCount 1 -Because "-$_ must be in the help of $Name"
        ($parameter[0].description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$_ of $Name needs a description"
    }

    It 'gives -<_> a default that says what happens: no date or time from when the help was built, no bare 0 for "not given"' -ForEach $Parameters {
        $parameter = @($help.parameters.parameter | Where-Object name -eq $_)[0]
        $default = "$($parameter.defaultValue)".Trim()

        $default | Should -Not -BeNullOrEmpty
        $default | Should -Not -Match '\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{1,2}:\d{2}' -Because "-$_ of $Name must not show a date or time as its default"
        $default | Should -Not -Be '0' -Because "-$_ of $Name must say in words what happens when it is not given"
    }

    It 'lists every output type' {
        $listed = @($help.returnValues.returnValue.type.name | ForEach-Object { "$_".Trim() } | Where-Object { $_ })
        $listed | Should -Not -BeNullOrEmpty
        foreach ($type in (Get-Command $Name).OutputType) {
            $listed | Should -Contain $type.Name
        }
    }

    It 'has at least two examples, each with code and remarks' {
        $all = @($help.examples.example)
        $all.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $all) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Defaults stated in words' -Tag 'WindowsPowerShell' {
    It '<Cmdlet> -<Parameter>: "<Expected>"' -ForEach @(
        @{ Cmdlet = 'Test-TencentImUserSig'; Parameter = 'At'; Expected = 'now' }
        @{ Cmdlet = 'Test-TencentImUserSig'; Parameter = 'SdkAppId'; Expected = 'the SDKAppID of the connection, if there is one; else not checked' }
        @{ Cmdlet = 'Test-TencentImUserSig'; Parameter = 'Connection'; Expected = 'the session''s current connection, if there is one' }
        @{ Cmdlet = 'Connect-TencentIm'; Parameter = 'MaxRequestsPerSecond'; Expected = 'each API''s documented limit (account_check 100, account_import 200, …)' }
        @{ Cmdlet = 'Connect-TencentIm'; Parameter = 'SdkAppId'; Expected = 'the TENCENTIM_SDKAPPID environment variable' }
        @{ Cmdlet = 'Connect-TencentIm'; Parameter = 'Region'; Expected = 'the TENCENTIM_ENDPOINT or TENCENTIM_REGION environment variable, else China' }
        @{ Cmdlet = 'New-TencentImUserSig'; Parameter = 'Lifetime'; Expected = 'one day (86400 seconds)' }
        @{ Cmdlet = 'New-TencentImUserSig'; Parameter = 'Connection'; Expected = 'the session''s current connection' }
        @{ Cmdlet = 'Test-TencentImAccount'; Parameter = 'Connection'; Expected = 'the session''s current connection' }
        @{ Cmdlet = 'Remove-TencentImAccount'; Parameter = 'Force'; Expected = 'asks before each UserID, unless $ConfirmPreference is None' }
        @{ Cmdlet = 'Get-TencentImOnlineStatus'; Parameter = 'Detail'; Expected = 'no platforms: Detail is null' }
        @{ Cmdlet = 'Revoke-TencentImLogin'; Parameter = 'Force'; Expected = 'asks for confirmation of each UserID' }
    ) {
        $parameter = @((Get-Help $Cmdlet -Full).parameters.parameter | Where-Object name -eq $Parameter)

        $parameter | Should -HaveCount 1
        "$($parameter[0].defaultValue)".Trim() | Should -BeExactly $Expected
    }
}

Describe '<_>' -ForEach 'about_TencentIm', 'about_TencentIm_Emulator' -Tag 'WindowsPowerShell' {
    It 'is found by Get-Help' {
        $topic = Get-Help $_ -ErrorAction Stop
        "$topic" | Should -Match $_
        "$topic" | Should -Match 'SHORT DESCRIPTION'
    }
}

Describe 'The help examples' {
    BeforeAll {
        $script:key = [guid]::NewGuid().ToString('N')
        # Remove-TencentImAccount's examples delete leaver1 … test_user2, and only these (leavers.txt).
        # ops_admin: the -Identifier of Connect-TencentIm's example 2.
        $script:emulator = Start-TencentImEmulator -Account 'alice', 'bob', 'carol', 'leaver1', 'leaver2', 'test_user1', 'test_user2' `
            -SecretKey (ConvertTo-SecureString $key -AsPlainText -Force) -Admin 'administrator', 'ops_admin'

        # The files the examples read, in the folder they run in.
        $script:workDir = Join-Path $TestDrive 'examples'
        New-Item -ItemType Directory $workDir | Out-Null
        # Start-TencentImEmulator's example 2 seeds from this file.
        Set-Content (Join-Path $workDir 'accounts.txt') 'alice', 'bob'
        Set-Content (Join-Path $workDir 'users.txt') 'alice', 'mallory', 'bob'
        @([pscustomobject]@{ UserId = 'alice'; Name = 'Alice' }, [pscustomobject]@{ UserId = 'trent'; Name = 'Trent' }) |
            Export-Csv (Join-Path $workDir 'users.csv') -NoTypeInformation
        Set-Content (Join-Path $workDir 'leavers.txt') 'leaver1', 'leaver2', 'nobody'
        # Import-TencentImAccount's example: the columns UserID, Nick and FaceUrl, one cell empty.
        Set-Content (Join-Path $workDir 'staff.csv') 'UserID,Nick,FaceUrl', 'staff_dan,Dan,https://example.com/dan.png', 'staff_eve,Eve,'
        # Invoke-TencentImApi's pipeline example: a message per row.
        Set-Content (Join-Path $workDir 'notices.csv') 'UserID,Text', 'alice,Maintenance at 22:00', 'bob,Maintenance at 22:00'

        # Each example runs in a runspace of its own, so that its session connection (Connect-TencentIm keeps one per
        # runspace) does not leak into other test files. Before it: the module, a connection to the emulator, and
        # stand-ins for what needs a person or a vault.
        $script:prelude = {
            param($ModulePath, $EmulatorModulePath, $Endpoint, $Key, $WorkDir)
            $ErrorActionPreference = 'Stop'
            Import-Module (Join-Path $ModulePath 'TencentIm.psd1')
            Import-Module (Join-Path $EmulatorModulePath 'TencentIm.Emulator.psd1')
            Set-Location -LiteralPath $WorkDir
            function Read-Host { param([Parameter(Position = 0)] $Prompt, [switch] $AsSecureString) ConvertTo-SecureString $Key -AsPlainText -Force }
            function Get-Secret { param([Parameter(Position = 0)] $Name) [pscredential]::new('1400000001', (ConvertTo-SecureString $Key -AsPlainText -Force)) }
            Connect-TencentIm -SdkAppId 1400000001 -SecretKey (ConvertTo-SecureString $Key -AsPlainText -Force) -Endpoint $Endpoint
        }.ToString()
    }

    AfterAll {
        if ($emulator) { Stop-TencentImEmulator $emulator }
    }

    It '<Name> example <Number> runs against the emulator' -ForEach $examples {
        # The rewrites: a data centre, given as a parameter or an environment variable, becomes the emulator.
        $code = $Code -replace '-Region\s+\w+', "-Endpoint '$($emulator.Endpoint)'"
        $code = $code -replace "\`$env:TENCENTIM_REGION\s*=\s*'\w+'", "`$env:TENCENTIM_ENDPOINT = '$($emulator.Endpoint)'"

        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript($prelude + "`n" + $code).AddParameters(@{
                    ModulePath = $modulePath; EmulatorModulePath = $emulatorModulePath; Endpoint = $emulator.Endpoint; Key = $key; WorkDir = $workDir
                })
            $failure = $null
            try { $null = $ps.Invoke() } catch { $failure = if ($_.Exception.InnerException) { $_.Exception.InnerException } else { $_.Exception } }
            $errors = @($ps.Streams.Error | ForEach-Object { "$_" })
            if ($failure) { $errors += "$($failure.Message)" }
            $errors | Should -BeNullOrEmpty -Because "the example '$code' must run without error"
        }
        finally {
            $ps.Dispose()
            # Environment variables are the process's: an example that sets them must not leak them into other tests.
            Get-ChildItem env:TENCENTIM_* | Remove-Item
        }
    }
}
