<#
.SYNOPSIS
A runbook: imports the staff of a CSV (UserID, Nick) who have no IM account yet.

.DESCRIPTION
Signs in from the TENCENTIM_* environment variables unless the session is already connected (Connect-TencentIm),
checks every UserID of the CSV with Test-TencentImAccount, and imports the NotImported ones with their Nick through
Import-TencentImAccount; existing accounts are not written to. It writes one object per UserID imported or failed
(UserID, Status, Reason). A UserID that could not be checked or imported does not stop the others; if any failed, the
runbook ends with one error (ErrorId SyncStaffFailed) that counts them.

tests/Sync-Staff.Tests.ps1 tests it against the local emulator (module TencentIm.Emulator).

.PARAMETER Path
The staff CSV: columns UserID and Nick.

.EXAMPLE
$env:TENCENTIM_SDKAPPID = '1400000001'; $env:TENCENTIM_SECRETKEY = Get-Secret TencentImKey -AsPlainText; $env:TENCENTIM_REGION = 'Singapore'
./Sync-Staff.ps1 -Path staff.csv
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Path
)

$ErrorActionPreference = 'Stop'
if (-not (Get-TencentImConnection)) { Connect-TencentIm }

$staff = @(Import-Csv -LiteralPath $Path)
$failed = [System.Collections.Generic.List[object]]::new()

# Who is missing: per-UserID errors are collected, not fatal.
$missing = @($staff.UserID | Test-TencentImAccount -ErrorAction SilentlyContinue -ErrorVariable +checkErrors |
        Where-Object AccountStatus -eq 'NotImported' | ForEach-Object UserID)
foreach ($e in $checkErrors) { $failed.Add([pscustomobject]@{ UserID = "$($e.TargetObject)"; Status = 'NotChecked'; Reason = "$e" }) }

# Import them with their Nick.
$rows = @($staff | Where-Object { $_.UserID -in $missing })
if ($rows) {
    $rows | Import-TencentImAccount -ErrorAction SilentlyContinue -ErrorVariable +importErrors | ForEach-Object {
        if ($_.Status -eq 'Imported') { [pscustomobject]@{ UserID = $_.UserID; Status = 'Imported'; Reason = '' } }
        else { $failed.Add([pscustomobject]@{ UserID = $_.UserID; Status = "$($_.Status)"; Reason = $_.ResultInfo }) }
    }
    foreach ($e in $importErrors) { $failed.Add([pscustomobject]@{ UserID = "$($e.TargetObject)"; Status = 'NotImported'; Reason = "$e" }) }
}

$failed
if ($failed.Count -gt 0) {
    $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
            [System.Exception]::new("$($failed.Count) of $($staff.Count) staff could not be checked or imported; see the objects with a Reason."),
            'SyncStaffFailed', 'NotSpecified', $Path))
}
