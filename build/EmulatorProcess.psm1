# Starts and stops the local Tencent IM emulator as a child process, for the demo, the Pester tests and bench/.
# The emulator prints one line, 'TencentIm.Emulator listening on http://127.0.0.1:<port>/', and exits when its
# standard input closes, so a test run that dies leaves no emulator behind.

function Get-EmulatorPath {
    if ($env:TENCENTIM_EMULATOR_DLL) { return $env:TENCENTIM_EMULATOR_DLL }
    $root = Split-Path $PSScriptRoot -Parent
    foreach ($configuration in 'Release', 'Debug') {
        $path = Join-Path $root "src/TencentIm.Emulator/bin/$configuration/net10.0/TencentIm.Emulator.dll"
        if (Test-Path $path) { return $path }
    }
    throw 'The emulator is not built. Run: dotnet pwsh ./build.ps1 build'
}

function Start-TencentImEmulator {
    <#
    .SYNOPSIS
    Starts the emulator on a free loopback port and returns an object with its BaseUri and Process.
    .PARAMETER ArgumentList
    Emulator options, such as '--accounts-file', 'samples/accounts.txt', '--secret-key', $key.
    #>
    [CmdletBinding()]
    param([string[]] $ArgumentList = @())

    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add((Get-EmulatorPath))
    foreach ($a in @('--port', '0', '--exit-on-stdin-close') + $ArgumentList) { $start.ArgumentList.Add([string]$a) }
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    # Drain stderr in the background: a full pipe would block the emulator. Read it only after a failed start.
    $errorText = $process.StandardError.ReadToEndAsync()

    # The first line says where it listens; anything else (or nothing within 30 s) is a failed start.
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds(30)) -or $null -eq $read.Result) {
        if (-not $process.HasExited) { $process.Kill() }
        $null = $errorText.Wait(5000)
        throw "The emulator did not start. $(if ($errorText.IsCompleted) { $errorText.Result })"
    }
    if ($read.Result -notmatch 'listening on (https?://\S+)') {
        $process.Kill()
        throw "The emulator printed '$($read.Result)' instead of its address."
    }
    [pscustomobject]@{
        BaseUri = [uri]$Matches[1]
        Process = $process
    }
}

function Stop-TencentImEmulator {
    <#
    .SYNOPSIS
    Stops an emulator started by Start-TencentImEmulator (closes its standard input, then waits for it).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)

    $process = $Emulator.Process
    if ($process.HasExited) { return }
    $process.StandardInput.Close()
    if (-not $process.WaitForExit(10000)) { $process.Kill($true) }
}

function Get-TencentImEmulatorStats {
    <# .SYNOPSIS
    The emulator's counters (GET /emulator/stats). #>
    param([Parameter(Mandatory)] $Emulator)
    $uri = [uri]::new($Emulator.BaseUri, 'emulator/stats')
    # An emulator started with --https-self-signed has a certificate nobody trusts, on purpose; its stats are read
    # regardless (each read opens a connection, which its Connections counter includes).
    if ($uri.Scheme -eq 'https') { return Invoke-RestMethod -Uri $uri -SkipCertificateCheck }
    Invoke-RestMethod -Uri $uri
}

Export-ModuleMember -Function Start-TencentImEmulator, Stop-TencentImEmulator, Get-TencentImEmulatorStats, Get-EmulatorPath
