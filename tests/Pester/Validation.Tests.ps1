#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Parameters complete with Tab, and an invalid value fails before any request, with an error naming the parameter.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:emulator = Start-TestEmulator -Accounts 'alice'
    $script:key = $emulator.SecureKey
    $script:endpoint = $emulator.BaseUri
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'Tab completion' {
    It 'completes -Region S to Seoul, SiliconValley and Singapore' {
        $line = 'Connect-TencentIm -Region S'

        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length

        $completion.CompletionMatches.CompletionText | Sort-Object | Should -Be 'Seoul', 'SiliconValley', 'Singapore'
        $completion.CompletionMatches.ResultType | Sort-Object -Unique | Should -Be 'ParameterValue'
    }

    It 'offers the six regions for an empty -Region' {
        $line = 'Connect-TencentIm -Region '

        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length

        $completion.CompletionMatches.CompletionText | Sort-Object |
            Should -Be 'China', 'Frankfurt', 'Jakarta', 'Seoul', 'SiliconValley', 'Singapore'
    }
}

Describe 'Invalid values fail before any request, naming the parameter' {
    BeforeAll {
        Connect-TencentIm 1400000001 $key -Endpoint $endpoint
    }

    It '<Command> <Arguments>: <ErrorId> naming -<Parameter>' -ForEach @(
        @{ Command = 'Connect-TencentIm'; Arguments = '-Region Mars'; Parameter = 'Region'; ErrorId = 'ParameterArgumentTransformationError'
            Run = { Connect-TencentIm 1400000001 $key -Region Mars } }
        @{ Command = 'Connect-TencentIm'; Arguments = '-SdkAppId 0'; Parameter = 'SdkAppId'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Connect-TencentIm 0 $key -Endpoint $endpoint } }
        @{ Command = 'Connect-TencentIm'; Arguments = '-RequestTimeoutSec 0'; Parameter = 'RequestTimeoutSec'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Connect-TencentIm 1400000001 $key -Endpoint $endpoint -RequestTimeoutSec 0 } }
        @{ Command = 'Connect-TencentIm'; Arguments = '-RequestTimeoutSec 3601'; Parameter = 'RequestTimeoutSec'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Connect-TencentIm 1400000001 $key -Endpoint $endpoint -RequestTimeoutSec 3601 } }
        @{ Command = 'Connect-TencentIm'; Arguments = '-MaxRequestsPerSecond 0'; Parameter = 'MaxRequestsPerSecond'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Connect-TencentIm 1400000001 $key -Endpoint $endpoint -MaxRequestsPerSecond 0 } }
        @{ Command = 'Connect-TencentIm'; Arguments = '-MaximumRetryCount 21'; Parameter = 'MaximumRetryCount'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Connect-TencentIm 1400000001 $key -Endpoint $endpoint -MaximumRetryCount 21 } }
        @{ Command = 'Connect-TencentIm'; Arguments = '-RetryTimeLimitSec -1'; Parameter = 'RetryTimeLimitSec'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Connect-TencentIm 1400000001 $key -Endpoint $endpoint -RetryTimeLimitSec -1 } }
        @{ Command = 'Connect-TencentIm'; Arguments = '-UserSigLifetimeSec 299'; Parameter = 'UserSigLifetimeSec'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Connect-TencentIm 1400000001 $key -Endpoint $endpoint -UserSigLifetimeSec 299 } }
        @{ Command = 'Connect-TencentIm'; Arguments = '-Endpoint http://example.com'; Parameter = 'Endpoint'; ErrorId = 'InvalidEndpoint'
            Run = { Connect-TencentIm 1400000001 $key -Endpoint 'http://example.com' } }
        @{ Command = 'Test-TencentImAccount'; Arguments = '-BatchSize 0'; Parameter = 'BatchSize'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Test-TencentImAccount alice -BatchSize 0 } }
        @{ Command = 'Test-TencentImAccount'; Arguments = '-BatchSize 101'; Parameter = 'BatchSize'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Test-TencentImAccount alice -BatchSize 101 } }
        @{ Command = 'Test-TencentImAccount'; Arguments = '-ThrottleLimit 0'; Parameter = 'ThrottleLimit'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Test-TencentImAccount alice -ThrottleLimit 0 } }
        @{ Command = 'Test-TencentImAccount'; Arguments = '-ThrottleLimit 257'; Parameter = 'ThrottleLimit'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Test-TencentImAccount alice -ThrottleLimit 257 } }
        @{ Command = 'Remove-TencentImAccount'; Arguments = '-BatchSize 101'; Parameter = 'BatchSize'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Remove-TencentImAccount alice -Force -BatchSize 101 } }
        @{ Command = 'Remove-TencentImAccount'; Arguments = '-ThrottleLimit 0'; Parameter = 'ThrottleLimit'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Remove-TencentImAccount alice -Force -ThrottleLimit 0 } }
        @{ Command = 'Get-TencentImOnlineStatus'; Arguments = '-BatchSize 501'; Parameter = 'BatchSize'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Get-TencentImOnlineStatus alice -BatchSize 501 } }
        @{ Command = 'Get-TencentImOnlineStatus'; Arguments = '-ThrottleLimit 0'; Parameter = 'ThrottleLimit'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Get-TencentImOnlineStatus alice -ThrottleLimit 0 } }
        @{ Command = 'Revoke-TencentImLogin'; Arguments = '-ThrottleLimit 257'; Parameter = 'ThrottleLimit'; ErrorId = 'ParameterArgumentValidationError'
            Run = { Revoke-TencentImLogin alice -Force -ThrottleLimit 257 } }
    ) {
        $before = (Get-TestStats $emulator).TotalRequests

        $err = Get-ThrownError $Run

        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,TencentIm.Commands.*"
        $err.Exception.Message | Should -Match "\b-?$Parameter\b"
        (Get-TestStats $emulator).TotalRequests | Should -Be $before
    }
}

Describe 'A -Region value that names no single region' {
    # PowerShell converts 'Singapore,Seoul' (and the array Singapore, Seoul) to an enum by OR-ing the values:
    # Singapore (1) | Seoul (2) = 3, which is Frankfurt. Enum.TryParse, which reads TENCENTIM_REGION, does the same.
    BeforeEach {
        $script:savedVariables = Save-TencentImVariables
    }

    AfterEach {
        Restore-TencentImVariables $script:savedVariables
    }

    It '-Region Singapore, Seoul (two regions) is rejected, not taken as Frankfurt' {
        $outcome = try {
            $connection = Connect-TencentIm 1400000001 $key -Region Singapore, Seoul -SkipConnectionTest -PassThru
            "connected to $($connection.Region) at $($connection.Endpoint)"
        }
        catch {
            'rejected'
        }

        $outcome | Should -Be 'rejected'
    }

    It 'TENCENTIM_REGION = ''Singapore,Seoul'' gives InvalidRegionVariable, not a connection to Frankfurt' {
        [Environment]::SetEnvironmentVariable('TENCENTIM_REGION', 'Singapore,Seoul')

        $outcome = try {
            $connection = Connect-TencentIm 1400000001 $key -SkipConnectionTest -PassThru
            "connected to $($connection.Region) at $($connection.Endpoint)"
        }
        catch {
            $_.FullyQualifiedErrorId
        }

        $outcome | Should -BeExactly 'InvalidRegionVariable,TencentIm.Commands.ConnectTencentImCommand'
    }
}
