#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The emulator verifies UserSigs as the service does: it accepts those of Tencent's official signer (the test
# vectors, with the emulator's clock pinned to their issue time), and rejects altered or expired ones.
# That the module's own UserSigs pass is shown by every Connect-TencentIm -SecretKey test.

BeforeDiscovery {
    $vectorFile = Join-Path $PSScriptRoot '../TestData/usersig-test-vectors.json'
    $script:vectors = @((Get-Content $vectorFile -Raw | ConvertFrom-Json).vectors | ForEach-Object {
            @{ Vector = $_; Identifier = $_.identifier; SdkAppId = $_.sdkAppId }
        })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule

    # One account_check of the identifier itself, as Connect-TencentIm's connection test makes it, with a given UserSig.
    function script:Invoke-RawAccountCheck($Emulator, [uint32] $SdkAppId, [string] $Identifier, [string] $UserSig) {
        $query = 'v4/im_open_login_svc/account_check?sdkappid={0}&identifier={1}&usersig={2}&random=1&contenttype=json' -f
            $SdkAppId, [uri]::EscapeDataString($Identifier), [uri]::EscapeDataString($UserSig)
        $body = @{ CheckItem = @(@{ UserID = $Identifier }) } | ConvertTo-Json -Compress
        Invoke-RestMethod -Method Post -Uri ([uri]::new($Emulator.BaseUri, $query)) -Body $body -ContentType 'application/json'
    }

    # The UserSig's document with one field changed and the original TLS.sig kept, re-encoded as a UserSig.
    function script:Edit-UserSig([string] $UserSig, [string] $Field, $Value) {
        $base64 = $UserSig.Replace('*', '+').Replace('-', '/').Replace('_', '=')
        $compressed = [System.IO.MemoryStream]::new([Convert]::FromBase64String($base64))
        $zlib = [System.IO.Compression.ZLibStream]::new($compressed, [System.IO.Compression.CompressionMode]::Decompress)
        $reader = [System.IO.StreamReader]::new($zlib)
        $document = $reader.ReadToEnd() | ConvertFrom-Json
        $reader.Dispose()
        $document.$Field = $Value
        $json = [System.Text.Encoding]::UTF8.GetBytes(($document | ConvertTo-Json -Compress))
        $output = [System.IO.MemoryStream]::new()
        $zlib = [System.IO.Compression.ZLibStream]::new($output, [System.IO.Compression.CompressionLevel]::Optimal, $true)
        $zlib.Write($json, 0, $json.Length)
        $zlib.Dispose()
        [Convert]::ToBase64String($output.ToArray()).Replace('+', '*').Replace('/', '-').Replace('=', '_')
    }
}

Describe 'The emulator and the official signer''s UserSig for <Identifier> in <SdkAppId>' -ForEach $vectors {
    BeforeAll {
        # The clock is pinned 100 seconds after the vector's issue time, so the vector is valid whatever today is.
        $script:vectorEmulator = Start-TestEmulator -SecretKey $Vector.secretKey -Options @{
            SdkAppId = $Vector.sdkAppId; Admin = $Vector.identifier; Now = [DateTimeOffset]::FromUnixTimeSeconds($Vector.time + 100) }
    }

    AfterAll {
        Stop-TestEmulator $script:vectorEmulator
    }

    It 'accepts the vector''s UserSig' {
        $answer = Invoke-RawAccountCheck $vectorEmulator $Vector.sdkAppId $Vector.identifier $Vector.userSig

        $answer.ErrorCode | Should -Be 0
        $answer.ActionStatus | Should -Be 'OK'
        $answer.ResultItem[0].UserID | Should -Be $Vector.identifier
        $answer.ResultItem[0].ResultCode | Should -Be 0
    }

    It 'rejects the UserSig with one character changed (70003 or 70009)' {
        $middle = [int]($Vector.userSig.Length / 2)
        $replacement = if ($Vector.userSig[$middle] -ceq 'A') { 'B' } else { 'A' }
        $tampered = $Vector.userSig.Substring(0, $middle) + $replacement + $Vector.userSig.Substring($middle + 1)

        $answer = Invoke-RawAccountCheck $vectorEmulator $Vector.sdkAppId $Vector.identifier $tampered

        $answer.ActionStatus | Should -Be 'FAIL'
        $answer.ErrorCode | Should -BeIn 70003, 70009
    }

    It 'rejects the UserSig with its expiry extended but its signature kept (70009)' {
        $tampered = Edit-UserSig $Vector.userSig 'TLS.expire' ($Vector.expire * 2)

        $answer = Invoke-RawAccountCheck $vectorEmulator $Vector.sdkAppId $Vector.identifier $tampered

        $answer.ErrorCode | Should -Be 70009
    }

    It 'accepts the re-encoded, unchanged UserSig (the tampering helper alters only what it is told)' {
        $same = Edit-UserSig $Vector.userSig 'TLS.expire' $Vector.expire

        $answer = Invoke-RawAccountCheck $vectorEmulator $Vector.sdkAppId $Vector.identifier $same

        $answer.ErrorCode | Should -Be 0
    }

    It 'rejects the UserSig when signed with another key (70009)' {
        $other = New-TestUserSig -SecretKey (New-TestSecretKey) -SdkAppId $Vector.sdkAppId -Identifier $Vector.identifier `
            -IssuedAt ([DateTimeOffset]::FromUnixTimeSeconds($Vector.time)) -Lifetime ([TimeSpan]::FromSeconds($Vector.expire))

        $answer = Invoke-RawAccountCheck $vectorEmulator $Vector.sdkAppId $Vector.identifier $other

        $answer.ErrorCode | Should -Be 70009
    }

    It 'rejects the UserSig for another identifier in the request (70013)' {
        $answer = Invoke-RawAccountCheck $vectorEmulator $Vector.sdkAppId 'someone_else' $Vector.userSig

        $answer.ErrorCode | Should -Be 70013
    }
}

Describe 'The emulator''s clock and the vector''s expiry' {
    BeforeAll {
        $script:vector = (Get-Content (Join-Path $PSScriptRoot '../TestData/usersig-test-vectors.json') -Raw | ConvertFrom-Json).vectors[1]
        $script:clockEmulator = Start-TestEmulator -SecretKey $vector.secretKey -Options @{ Now = [DateTimeOffset]::FromUnixTimeSeconds($vector.time + 100) }
    }

    AfterAll {
        Stop-TestEmulator $script:clockEmulator
    }

    It 'accepts the UserSig through its last second and answers 70001 one second later' {
        $clock = [uri]::new($clockEmulator.BaseUri, 'emulator/clock')
        (Invoke-RawAccountCheck $clockEmulator 1400000001 administrator $vector.userSig).ErrorCode | Should -Be 0

        $now = Invoke-RestMethod -Method Post -Uri "$clock`?advanceSeconds=$($vector.expire - 100)"
        $now.Now | Should -Be ($vector.time + $vector.expire)
        (Invoke-RawAccountCheck $clockEmulator 1400000001 administrator $vector.userSig).ErrorCode | Should -Be 0

        $null = Invoke-RestMethod -Method Post -Uri "$clock`?advanceSeconds=1"
        $answer = Invoke-RawAccountCheck $clockEmulator 1400000001 administrator $vector.userSig
        $answer.ErrorCode | Should -Be 70001
        $answer.ActionStatus | Should -Be 'FAIL'
    }
}
