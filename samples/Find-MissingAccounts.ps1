<#
.SYNOPSIS
A runbook: lists the UserIDs of a file that are not (or could not be confirmed to be) accounts of the IM app.

.DESCRIPTION
Signs in from the TENCENTIM_* environment variables unless the session is already connected (an automation account
or CI job sets them), checks every UserID of -Path, and writes those that are not Imported to -OutFile as CSV. UserIDs
that could not be checked at all (a request that failed after its retries, an ID over 32 bytes) are listed in a
warning and, with their reason, in <OutFile>.errors.csv, so that nothing is lost silently. tests/Pester/Runbook.Tests.ps1
runs it against the emulator.

.EXAMPLE
$env:TENCENTIM_SDKAPPID = '1400000001'; $env:TENCENTIM_SECRETKEY = Get-Secret TencentImKey -AsPlainText; $env:TENCENTIM_REGION = 'Singapore'
./samples/Find-MissingAccounts.ps1 -Path users.txt -OutFile missing.csv
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Path,
    [string] $OutFile = 'missing.csv'
)

$ErrorActionPreference = 'Stop'
if (-not (Get-TencentImConnection)) { Connect-TencentIm }

# Per-ID failures are non-terminating: collect them instead of stopping the run.
Get-Content -LiteralPath $Path |
    Test-TencentImAccount -ErrorAction SilentlyContinue -ErrorVariable +failed |
    Where-Object AccountStatus -ne 'Imported' |
    Select-Object UserID, AccountStatus, ResultCode, ResultInfo |
    Export-Csv -LiteralPath $OutFile -NoTypeInformation

if ($failed) {
    $failed | ForEach-Object { [pscustomobject]@{ UserID = $_.TargetObject; ErrorId = $_.FullyQualifiedErrorId; Reason = "$_" } } |
        Export-Csv -LiteralPath "$OutFile.errors.csv" -NoTypeInformation
    Write-Warning "$(@($failed).Count) UserID(s) could not be checked; see $OutFile.errors.csv."
}
