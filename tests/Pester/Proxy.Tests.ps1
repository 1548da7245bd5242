#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The system proxy as the environment sets it (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), each case in a fresh pwsh, because
# .NET reads these variables once per process (HttpClient.DefaultProxy). The proxy they name does not run: a request
# sent through it fails naming it, one sent directly reaches the emulator. tests/TencentIm.Tests/Cmdlets/ProxyTests.cs
# and SystemProxyTests.cs send requests through a real forwarding proxy.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:emulator = Start-TestEmulator -Accounts 'alice'
    $script:manifest = Join-Path (Get-TestModulePath) 'TencentIm.psd1'

    # The child prints one line per fact, 'name=value'; the key comes in its environment, -Verbose goes to its stdout.
    $script:childScript = @'
param([string] $Manifest, [string] $Endpoint, [string] $Switch)
Import-Module $Manifest
$key = ConvertTo-SecureString $env:TEST_SECRET_KEY -AsPlainText -Force
$more = @{}
if ($Switch) { $more[$Switch] = $true }
try {
    $connection = Connect-TencentIm 1400000001 $key -Endpoint $Endpoint -MaximumRetryCount 0 -PassThru -Verbose @more
    "proxy=$($connection.Proxy)"
    "status=$((Test-TencentImAccount alice).AccountStatus)"
}
catch {
    "error=$($_.FullyQualifiedErrorId)"
    "message=$($_.ErrorDetails.Message)"
    "exception=$($_.Exception.ToString() -replace '\r?\n', ' ')"
}
'@

    function script:Invoke-Child([hashtable] $Proxies, [string] $Endpoint = $emulator.BaseUri, [string] $Switch = '') {
        # Both spellings: .NET reads the lower-case one first, and the child must not inherit this process's.
        $environment = @{ TEST_SECRET_KEY = $emulator.SecretKey }
        foreach ($name in 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY') {
            $environment[$name] = [string]$Proxies[$name]
            $environment[$name.ToLowerInvariant()] = [string]$Proxies[$name]
        }
        Invoke-TestPwsh -Script $childScript -ArgumentList $manifest, $Endpoint, $Switch -Environment $environment
    }
}

AfterAll {
    Stop-TestEmulator $script:emulator
}

Describe 'Connect-TencentIm and the system proxy from the environment' {
    BeforeEach {
        $script:proxy = "http://127.0.0.1:$(Get-FreeClosedPort)/"
        $script:before = Get-AccountCheckCount $emulator
    }

    It 'sends through HTTP_PROXY by default: the error names that proxy, and nothing reached the endpoint' {
        $run = Invoke-Child @{ HTTP_PROXY = $proxy }

        $run.ExitCode | Should -Be 0
        $run.Facts.error | Should -BeExactly 'ConnectionTestProxyUnreachable,TencentIm.Commands.ConnectTencentImCommand'
        $run.Facts.message | Should -Match ([regex]::Escape("could not reach the proxy $proxy"))
        $run.StdOut | Should -Match ([regex]::Escape("VERBOSE: Proxy: $proxy, the system proxy"))
        (Get-AccountCheckCount $emulator) - $before | Should -Be 0
    }

    It '-NoProxy goes directly although HTTP_PROXY is set' {
        $run = Invoke-Child @{ HTTP_PROXY = $proxy } -Switch NoProxy

        $run.Facts['error'] | Should -BeNullOrEmpty -Because $run.Facts['message']
        $run.Facts.proxy | Should -Be 'None'
        $run.Facts.status | Should -Be 'Imported'
        (Get-AccountCheckCount $emulator) - $before | Should -Be 2
    }

    It 'goes directly when NO_PROXY exempts the endpoint, and the connection says so' {
        $run = Invoke-Child @{ HTTP_PROXY = $proxy; NO_PROXY = '127.0.0.1' }

        $run.Facts['error'] | Should -BeNullOrEmpty -Because $run.Facts['message']
        $run.Facts.proxy | Should -Be 'System (none for this endpoint)'
        $run.Facts.status | Should -Be 'Imported'
    }

    It 'shows the password of HTTPS_PROXY=http://user:password@host:port/ nowhere, for an https endpoint' {
        $password = 'env-proxy-pw-5d1e'
        $withPassword = $proxy -replace '^http://', "http://ops:$password@"
        $endpoint = "https://127.0.0.1:$(Get-FreeClosedPort)/"

        $run = Invoke-Child @{ HTTPS_PROXY = $withPassword } -Endpoint $endpoint

        $run.Facts.error | Should -BeExactly 'ConnectionTestProxyUnreachable,TencentIm.Commands.ConnectTencentImCommand'
        $run.Facts.message | Should -Match ([regex]::Escape("could not reach the proxy $proxy"))
        $run.StdOut + $run.StdErr | Should -Not -Match $password
        $run.StdOut + $run.StdErr | Should -Not -Match ([regex]::Escape($emulator.SecretKey))
    }
}
