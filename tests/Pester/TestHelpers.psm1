# Shared helpers of the Pester tests: the module under test, an emulator per test file, connections and UserSigs.
# Emulators start through the public TencentIm.Emulator module (Start-TencentImEmulator), the path users take.
# Every emulator gets a fresh random secret key, so no test can pass with a key baked into the module or the emulator.

Set-StrictMode -Version Latest

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:SdkAppId = [uint32]1400000001

function Get-TestRepoRoot { $script:RepoRoot }

function Get-TestModulePath {
    <# The module folder to test: $env:TENCENTIM_TEST_MODULE (build.ps1 test sets it), else <repo>/out/TencentIm. #>
    if ($env:TENCENTIM_TEST_MODULE) { return $env:TENCENTIM_TEST_MODULE }
    Join-Path $script:RepoRoot 'out/TencentIm'
}

function Get-TestEmulatorModulePath {
    <# The emulator module to test: $env:TENCENTIM_TEST_EMULATOR_MODULE, else TencentIm.Emulator beside the module under test. #>
    if ($env:TENCENTIM_TEST_EMULATOR_MODULE) { return $env:TENCENTIM_TEST_EMULATOR_MODULE }
    Join-Path (Split-Path (Get-TestModulePath) -Parent) 'TencentIm.Emulator'
}

function Get-TestPackageDirectory {
    <# The folder with the .nupkg files to test: $env:TENCENTIM_TEST_PACKAGES (build.ps1 test sets it), else <repo>/out. #>
    if ($env:TENCENTIM_TEST_PACKAGES) { return $env:TENCENTIM_TEST_PACKAGES }
    Join-Path $script:RepoRoot 'out'
}

function Import-TestModule {
    <# Imports the module under test and the emulator module (into the global scope, where the tests call them). #>
    $path = Get-TestModulePath
    $emulatorPath = Get-TestEmulatorModulePath
    foreach ($manifest in (Join-Path $path 'TencentIm.psd1'), (Join-Path $emulatorPath 'TencentIm.Emulator.psd1')) {
        if (-not (Test-Path $manifest)) { throw "The module is not built at '$manifest'. Run: dotnet pwsh ./build.ps1 build" }
    }
    Import-Module (Join-Path $path 'TencentIm.psd1') -Global
    Import-Module (Join-Path $emulatorPath 'TencentIm.Emulator.psd1') -Global
}

function Get-TestDirectory {
    # Pester's TestDrive is a PSDrive, visible from this module (the $TestDrive variable is not).
    $drive = Get-PSDrive TestDrive -ErrorAction SilentlyContinue
    if ($drive) { return $drive.Root }
    [System.IO.Path]::GetTempPath()
}

function New-TestSecretKey { [guid]::NewGuid().ToString('N') }

function Start-TestEmulator {
    <#
    .SYNOPSIS
    Starts an emulator (Start-TencentImEmulator) with a random secret key, the given accounts and -Options (a hashtable
    of Start-TencentImEmulator's parameters, such as @{ FaultRate = 1; FaultKind = 'http503' }).
    .OUTPUTS
    An object with Handle (what Start-TencentImEmulator returned), BaseUri (its Endpoint), Process, SecretKey (plain,
    tests only), SecureKey and SdkAppId.
    #>
    # CmdletBinding: a parameter it does not have (the old -ArgumentList) is an error, never silently ignored.
    [CmdletBinding()]
    param(
        [string[]] $Accounts = @(),
        [hashtable] $Options = @{},
        [string] $SecretKey = (New-TestSecretKey)
    )

    $secure = ConvertTo-SecureString $SecretKey -AsPlainText -Force
    $parameters = @{ SecretKey = $secure }
    if ($Accounts.Count -gt 0) { $parameters.Account = $Accounts }
    foreach ($k in $Options.Keys) { $parameters[$k] = $Options[$k] }
    $handle = Start-TencentImEmulator @parameters
    [pscustomobject]@{
        Handle    = $handle
        BaseUri   = $handle.Endpoint
        SecretKey = $SecretKey
        SecureKey = $secure
        SdkAppId  = $handle.SdkAppId
    }
}

function Stop-TestEmulator {
    param($Emulator)
    if ($Emulator) { Stop-TencentImEmulator $Emulator.Handle }
}

function Connect-TestEmulator {
    <# Connect-TencentIm to the emulator with its key; extra parameters are passed through (splat a hashtable). #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [hashtable] $Parameters = @{}
    )
    $p = @{ SdkAppId = $Emulator.SdkAppId; SecretKey = $Emulator.SecureKey; Endpoint = $Emulator.BaseUri }
    foreach ($k in $Parameters.Keys) { $p[$k] = $Parameters[$k] }
    Connect-TencentIm @p
}

function Get-TestStats {
    <# The emulator's counters (GET /emulator/stats). #>
    param([Parameter(Mandatory)] $Emulator)
    $uri = [uri]::new($Emulator.BaseUri, 'emulator/stats')
    # An emulator started with -HttpsSelfSigned has a certificate nobody trusts, on purpose; its stats are read
    # regardless (each read opens a connection, which its Connections counter includes).
    if ($uri.Scheme -eq 'https') { return Invoke-RestMethod -Uri $uri -SkipCertificateCheck -NoProxy }
    Invoke-RestMethod -Uri $uri -NoProxy
}

function Get-AccountCheckCount {
    <# The account_check requests the emulator has seen. #>
    param([Parameter(Mandatory)] $Emulator)
    [long](Get-TestStats $Emulator).Requests.account_check
}

function New-TestUserSig {
    <# Signs a UserSig with the module's public signer. #>
    param(
        [Parameter(Mandatory)] [string] $SecretKey,
        [uint32] $SdkAppId = $script:SdkAppId,
        [string] $Identifier = 'administrator',
        [DateTimeOffset] $IssuedAt = [DateTimeOffset]::UtcNow,
        [TimeSpan] $Lifetime = [TimeSpan]::FromHours(2)
    )
    $secure = ConvertTo-SecureString $SecretKey -AsPlainText -Force
    $key = [TencentIm.Signing.SecretKey]::FromSecureString($secure)
    try {
        [TencentIm.Signing.UserSigSigner]::Sign($key, $SdkAppId, $Identifier, $IssuedAt, $Lifetime, $null)
    }
    finally {
        $key.Dispose()
    }
}

function Get-ThrownError {
    <#
    .SYNOPSIS
    Runs a script block and returns the terminating error it throws (an ErrorRecord); throws if it throws none.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    try {
        $null = & $ScriptBlock
    }
    catch {
        return $_
    }
    throw 'The script block threw no error.'
}

function Get-FreeClosedPort {
    <# A loopback TCP port that nothing listens on: bound to find a free one, then released. #>
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Invoke-InNewRunspace {
    <#
    .SYNOPSIS
    Runs a script in a new runspace with the module under test imported, and returns its output.
    The script gets the arguments as $args.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [object[]] $ArgumentList = @()
    )
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddScript("Import-Module '$((Join-Path (Get-TestModulePath) 'TencentIm.psd1') -replace "'", "''")'").AddStatement()
        $null = $ps.AddScript($Script)
        foreach ($a in $ArgumentList) { $null = $ps.AddArgument($a) }
        $ps.Invoke()
    }
    finally {
        $ps.Dispose()
    }
}

# The environment variables Connect-TencentIm reads (TENCENTIM_TEST_MODULE and TENCENTIM_TEST_EMULATOR_MODULE are the tests' own).
$script:ModuleVariables = 'TENCENTIM_SDKAPPID', 'TENCENTIM_SECRETKEY', 'TENCENTIM_IDENTIFIER', 'TENCENTIM_REGION', 'TENCENTIM_ENDPOINT'

function Save-TencentImVariables {
    <#
    .SYNOPSIS
    Saves the TENCENTIM_* variables Connect-TencentIm reads and clears them, so that a test starts from none set;
    Restore-TencentImVariables puts them back. Environment variables are process-wide: every test that sets one must
    restore it.
    #>
    $saved = @{}
    foreach ($name in $script:ModuleVariables) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    $saved
}

function Restore-TencentImVariables {
    param([Parameter(Mandatory)] [hashtable] $Saved)
    foreach ($name in $script:ModuleVariables) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}

function Set-TestEmulatorVariables {
    <#
    .SYNOPSIS
    Points the TENCENTIM_* variables Connect-TencentIm reads at the emulator (SdkAppId, its key, its endpoint), as an
    automation account's would be: for a runbook that signs in from the environment. Save-TencentImVariables first.
    #>
    param([Parameter(Mandatory)] $Emulator)
    $env:TENCENTIM_SDKAPPID = "$($Emulator.SdkAppId)"
    $env:TENCENTIM_SECRETKEY = $Emulator.SecretKey
    $env:TENCENTIM_ENDPOINT = "$($Emulator.BaseUri)"
}

function Get-PwshCommand {
    <#
    .SYNOPSIS
    How to start a fresh pwsh like this one: the executable and the arguments before pwsh's own.
    .DESCRIPTION
    Run as a dotnet tool ('dotnet pwsh'), this process is dotnet running $PSHOME/pwsh.dll, and dotnet alone would not
    know what to run; an installed pwsh is its own executable.
    #>
    $executable = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') {
        return @{ FileName = $executable; Prefix = @(Join-Path $PSHOME 'pwsh.dll') }
    }
    @{ FileName = $executable; Prefix = @() }
}

function Start-TestPwsh {
    <#
    .SYNOPSIS
    Starts a script in a fresh pwsh process (-NoProfile -NonInteractive -File) and returns at once; Wait-TestPwsh
    collects it. The script is written to a file in TestDrive; -Environment adds variables to the child's environment
    only (a way to hand it a key without putting the key on its command line).
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{}
    )
    $file = Join-Path (Get-TestDirectory) ("child-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
    [System.IO.File]::WriteAllText($file, $Script)
    $pwsh = Get-PwshCommand
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FileName)
    foreach ($a in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $file) + $ArgumentList) { $start.ArgumentList.Add([string]$a) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['NO_COLOR'] = '1'
    # The child starts with none of the variables Connect-TencentIm reads, whatever this process has.
    foreach ($name in $script:ModuleVariables) { $null = $start.Environment.Remove($name) }
    foreach ($k in $Environment.Keys) { $start.Environment[$k] = [string]$Environment[$k] }
    $process = [System.Diagnostics.Process]::Start($start)
    [pscustomobject]@{
        Process = $process
        StdOut  = $process.StandardOutput.ReadToEndAsync()
        StdErr  = $process.StandardError.ReadToEndAsync()
    }
}

function Wait-TestPwsh {
    <#
    .SYNOPSIS
    Waits for a child started by Start-TestPwsh and returns its ExitCode, StdOut and StdErr, and Facts: a hashtable of
    the stdout lines 'name=value', for a child that prints one line per fact. Kills it and throws if it does not finish
    within -TimeoutSeconds.
    #>
    param(
        [Parameter(Mandatory)] $Child,
        [int] $TimeoutSeconds = 60
    )
    $process = $Child.Process
    try {
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "The child pwsh did not finish within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        $facts = @{}
        foreach ($line in $Child.StdOut.Result -split '\r?\n') {
            if ($line -match '^(\w+)=(.*)$') { $facts[$Matches[1]] = $Matches[2] }
        }
        [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $Child.StdOut.Result; StdErr = $Child.StdErr.Result; Facts = $facts }
    }
    finally {
        $process.Dispose()
    }
}

function Invoke-TestPwsh {
    <#
    .SYNOPSIS
    Runs a script in a fresh pwsh process (-NoProfile -NonInteractive -File) and returns what Wait-TestPwsh returns
    (ExitCode, StdOut, StdErr, Facts). The script is written to a file in TestDrive; -Environment adds variables to the child's environment only
    (a way to hand it a key without putting the key on its command line).
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 60
    )
    Wait-TestPwsh (Start-TestPwsh -Script $Script -ArgumentList $ArgumentList -Environment $Environment) -TimeoutSeconds $TimeoutSeconds
}

function Get-EveryFaultKind {
    <# Every fault kind, slow included (Start-TencentImEmulator leaves slow out unless -FaultKind names it), in the emulator's order. #>
    '70169', '70202', '70500', 'http502', 'http503', 'truncated', 'drop', 'slow', 'drop-after'
}

Export-ModuleMember -Function Get-TestRepoRoot, Get-EveryFaultKind, Get-TestModulePath, Get-TestEmulatorModulePath, Get-TestPackageDirectory, Import-TestModule, Get-TestDirectory, New-TestSecretKey,
    Start-TestEmulator, Stop-TestEmulator, Connect-TestEmulator, Get-TestStats, Get-AccountCheckCount, New-TestUserSig,
    Get-ThrownError, Get-FreeClosedPort, Invoke-InNewRunspace, Save-TencentImVariables, Restore-TencentImVariables,
    Set-TestEmulatorVariables, Get-PwshCommand, Start-TestPwsh, Wait-TestPwsh, Invoke-TestPwsh
