#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Edge cases that a hostile new user's run found: every input item gets exactly one outcome, one fault of the run is
# one error, advice that fits how the user connected, and output that serializes as names.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:emulator = Start-TestEmulator -Accounts 'alice', 'bob', '7', '12345678901234567890'
    $script:commandName = 'TencentIm.Commands.TestTencentImAccountCommand'
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'Every input item gets exactly one outcome' {
    BeforeEach {
        Connect-TestEmulator $emulator
    }

    It 'gives EmptyUserId for a $null in the pipeline, in its place, instead of dropping it' {
        $mixed = 'alice', $null, 'bob' | Test-TencentImAccount -ErrorAction Continue 2>&1

        $mixed | Should -HaveCount 3
        $mixed[1].FullyQualifiedErrorId | Should -BeExactly "EmptyUserId,$commandName"
        $mixed[2].UserID | Should -BeExactly 'bob'
    }

    It 'gives EmptyUserId for -UserId $null instead of writing nothing' {
        $errors = $null
        $results = Test-TencentImAccount -UserId $null -ErrorVariable errors -ErrorAction SilentlyContinue

        $results | Should -BeNullOrEmpty
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly "EmptyUserId,$commandName"
    }

    It 'takes whole numbers typed as <Type> as UserIDs' -ForEach @(
        @{ Type = 'Decimal'; Value = [decimal]7; Text = '7' }
        @{ Type = 'Double'; Value = [double]7; Text = '7' }
        @{ Type = 'a Decimal literal beyond Int64'; Value = 12345678901234567890; Text = '12345678901234567890' }
    ) {
        $result = $Value | Test-TencentImAccount

        $result.UserID | Should -BeExactly $Text
        $result.AccountStatus | Should -Be 'Imported'
    }

    It 'refuses a number with a fraction as a UserID, in its place' {
        $mixed = 'alice', 1.5 | Test-TencentImAccount -ErrorAction Continue 2>&1

        $mixed[1].FullyQualifiedErrorId | Should -BeExactly "InputObjectHasNoUserId,$commandName"
    }

    It 'refuses a UserID with a lone surrogate locally (UserIdNotValidText), not as an answer the service left out' {
        $before = Get-AccountCheckCount $emulator

        $results = "a$([char]0xD800)b" | Test-TencentImAccount -ErrorVariable errors -ErrorAction SilentlyContinue

        $results | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeExactly "UserIdNotValidText,$commandName"
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-AccountCheckCount $emulator) - $before | Should -Be 0
    }

    It 'trims a byte order mark and zero-width spaces around a UserID, as it trims whitespace' {
        $results = "$([char]0xFEFF)alice", "bob$([char]0x200B)" | Test-TencentImAccount

        $results.UserID | Should -BeExactly 'alice', 'bob'
        $results.AccountStatus | Should -Be 'Imported', 'Imported'
    }

    It 'refuses a piped connection as input (InputObjectIsConnection) instead of checking its admin identifier' {
        $connection = Get-TencentImConnection
        $before = Get-AccountCheckCount $emulator

        $results = $connection | Test-TencentImAccount -ErrorVariable errors -ErrorAction SilentlyContinue

        $results | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeExactly "InputObjectIsConnection,$commandName"
        "$($errors[0])" | Should -Match '-Connection'
        (Get-AccountCheckCount $emulator) - $before | Should -Be 0
    }

    It 'writes the answers of a trickling input while it still arrives, not only once 100 IDs are in' {
        $firstResultAfter = $null
        $count = 0
        # Ten IDs, one every 300 ms: the first answer must come out before the last ID has been read.
        1..10 | ForEach-Object { $count++; if ($_ -gt 1) { [System.Threading.Thread]::Sleep(300) }; 'alice' } |
            Test-TencentImAccount |
            ForEach-Object { if ($null -eq $firstResultAfter) { $firstResultAfter = $count } }

        $firstResultAfter | Should -BeLessThan 10
    }
}

Describe 'Text, not numbers, in serialized output' {
    It 'writes a UserSig report''s Result as its name in JSON' {
        $json = Test-TencentImUserSig -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey) | ConvertTo-Json -Compress

        $json | Should -Match '"Result":"Valid"'
    }

    It 'writes a connection''s Region as its name in JSON' {
        $connection = Connect-TencentIm 1400000001 $emulator.SecureKey -Region Frankfurt -SkipConnectionTest -PassThru

        ($connection | ConvertTo-Json -Compress) | Should -Match '"Region":"Frankfurt"'
        Disconnect-TencentIm -Connection $connection
    }

    It 'names the account of a UserSig report UserID, as every output does' {
        $report = Test-TencentImUserSig -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey -Identifier ops)

        $report.PSObject.Properties.Name | Should -Contain 'UserID'
        $report.UserID | Should -BeExactly 'ops'
    }
}

Describe 'Connections that cannot be used' {
    It 'Test-TencentImUserSig -Connection with a closed connection stops with ConnectionClosed instead of skipping the signature check' {
        $connection = Connect-TestEmulator $emulator -Parameters @{ PassThru = $true }
        Disconnect-TencentIm -Connection $connection

        $err = Get-ThrownError { Test-TencentImUserSig -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey) -Connection $connection }

        $err.FullyQualifiedErrorId | Should -BeExactly 'ConnectionClosed,TencentIm.Commands.TestTencentImUserSigCommand'
    }

    It 'says in NotConnected that a connection belongs to one runspace and how to pass it to -Parallel' {
        $modulePath = Join-Path (Get-TestModulePath) 'TencentIm.psd1'
        $message = 1 | ForEach-Object -Parallel {
            Import-Module $using:modulePath
            try { Test-TencentImAccount alice } catch { "$_" }
        }

        $message | Should -Match '\$using:'
    }

    It 'refuses an -Endpoint with a user name and password in it (EndpointHasCredentials), never showing the password' {
        $uri = [uri]::new($emulator.BaseUri, '/')
        $withCredentials = "http://user:s3cret-pw@$($uri.Authority)/"

        $err = Get-ThrownError { Connect-TencentIm 1400000001 $emulator.SecureKey -Endpoint $withCredentials }

        $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidEndpoint,TencentIm.Commands.ConnectTencentImCommand'
        "$err" | Should -Match 'user name or password'
        "$err" | Should -Not -Match 's3cret-pw'
    }
}

Describe 'Advice that fits how the user connected' {
    It 'explains a 70001 on a UserSig signed here from the key as clock skew, not as "connect with -SecretKey"' {
        # The emulator's clock runs 400 s ahead: a 300-second UserSig signed here is already expired there.
        $ahead = Start-TestEmulator -Options @{ Now = [DateTimeOffset]::UtcNow.AddSeconds(400) }
        try {
            $err = Get-ThrownError { Connect-TestEmulator $ahead -Parameters @{ UserSigLifetimeSec = 300 } }

            $err.FullyQualifiedErrorId | Should -BeExactly 'ConnectionTestUserSigExpired,TencentIm.Commands.ConnectTencentImCommand'
            "$err" | Should -Match 'clock'
            "$err" | Should -Not -Match 'Connect again with -SecretKey'
        }
        finally {
            Stop-TestEmulator $ahead
        }
    }

    It 'explains a 70009 on a pre-signed UserSig as signed with another key, without telling a key-less machine to check its key' {
        $other = New-TestUserSig -SecretKey (New-TestSecretKey)

        $err = Get-ThrownError { Connect-TencentIm 1400000001 -UserSig $other -Endpoint $emulator.BaseUri }

        $err.FullyQualifiedErrorId | Should -BeExactly 'ConnectionTestSecretKeyMismatch,TencentIm.Commands.ConnectTencentImCommand'
        "$err" | Should -Match 'Sign the UserSig with the secret key of SDKAppID 1400000001'
    }
}

Describe 'One fault of the run is one error' {
    It 'stops with ONE terminating Unreachable error, not one per UserID, when the endpoint cannot be reached at all' {
        $port = Get-FreeClosedPort
        Connect-TencentIm 1400000001 $emulator.SecureKey -Endpoint "http://127.0.0.1:$port/" -SkipConnectionTest -MaximumRetryCount 1

        # -ErrorVariable collects the per-UserID errors and the terminating one alike.
        $errors = $null
        $stopped = $null
        try {
            $null = 1..250 | ForEach-Object { "u$_" } | Test-TencentImAccount -ErrorVariable errors -ErrorAction SilentlyContinue
        }
        catch {
            $stopped = $_
        }

        $errors | Should -HaveCount 1
        $stopped.FullyQualifiedErrorId | Should -BeExactly "Unreachable,$commandName"
        $stopped.CategoryInfo.Category | Should -Be 'ConnectionError'
        "$stopped" | Should -Match 'could not reach'
    }
}

Describe 'The same fault, the same ErrorId' {
    It 'Connect-TencentIm -Identifier <Name> is IdentifierEmpty, as a blank one is' -ForEach @(
        @{ Name = "''"; Value = '' }
        @{ Name = "' '"; Value = ' ' }
    ) {
        $err = Get-ThrownError { Connect-TencentIm 1400000001 $emulator.SecureKey -Endpoint $emulator.BaseUri -Identifier $Value }

        $err.FullyQualifiedErrorId | Should -BeExactly 'IdentifierEmpty,TencentIm.Commands.ConnectTencentImCommand'
    }

    It 'Connect-TencentIm -Identifier with a line break is refused locally (IdentifierHasLineBreak), also with -SkipConnectionTest' {
        $err = Get-ThrownError { Connect-TencentIm 1400000001 $emulator.SecureKey -Endpoint $emulator.BaseUri -Identifier "ad`nmin" -SkipConnectionTest }

        $err.FullyQualifiedErrorId | Should -BeExactly 'IdentifierHasLineBreak,TencentIm.Commands.ConnectTencentImCommand'
    }

    It 'a blank TENCENTIM_SECRETKEY is SecretKeyEmpty, not SecretKeyMissing' {
        $saved = Save-TencentImVariables
        try {
            $env:TENCENTIM_SDKAPPID = '1400000001'
            $env:TENCENTIM_ENDPOINT = "$($emulator.BaseUri)"
            $env:TENCENTIM_SECRETKEY = '   '

            $err = Get-ThrownError { Connect-TencentIm }

            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretKeyEmpty,TencentIm.Commands.ConnectTencentImCommand'
            "$err" | Should -Match 'TENCENTIM_SECRETKEY is set, but blank'
        }
        finally {
            Restore-TencentImVariables $saved
        }
    }

    It 'Test-TencentImUserSig trims -Identifier as Connect-TencentIm does' {
        $report = Test-TencentImUserSig -UserSig (New-TestUserSig -SecretKey $emulator.SecretKey) -Identifier ' administrator ' -SdkAppId 1400000001

        $report.Result | Should -BeExactly 'Valid'
    }
}

Describe 'New-TencentImUserSig signs each UserID it can' {
    It 'signs the valid UserIDs of an array and gives EmptyUserId and UserIdTooLong in place of the others' {
        $mixed = New-TencentImUserSig -UserId ('a' * 33), 'ok', '' -SdkAppId 1400000001 -SecretKey $emulator.SecureKey -AsPlainText -ErrorAction Continue 2>&1

        $mixed | Should -HaveCount 3
        $mixed[0].FullyQualifiedErrorId | Should -BeExactly 'UserIdTooLong,TencentIm.Commands.NewTencentImUserSigCommand'
        $mixed[1] | Should -BeOfType ([string])
        $mixed[1] | Should -Match '^eJ'
        $mixed[2].FullyQualifiedErrorId | Should -BeExactly 'EmptyUserId,TencentIm.Commands.NewTencentImUserSigCommand'
    }
}
