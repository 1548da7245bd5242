<#
.SYNOPSIS
A runbook: brings the IM app's accounts in line with a directory CSV (UserID, Nick, FaceUrl), importing who is missing
and, with -RemoveAbsent, deleting who this runbook imported earlier and has since left the CSV.

.DESCRIPTION
Signs in from the TENCENTIM_* environment variables unless the session is already connected, checks every UserID of
the CSV with Test-TencentImAccount, and imports the rows whose account is NotImported (with their Nick and FaceUrl)
with Import-TencentImAccount. Accounts that already exist are not written to: an import of an existing account would
overwrite its Nick and FaceUrl, which the app's users may have changed since.

-StatePath is a text file, one UserID a line, of the accounts this runbook has imported (created) in earlier runs. Each
UserID it imports is added; with -RemoveAbsent, each UserID of the state file that is no longer in the CSV is deleted
with Remove-TencentImAccount (without asking, unless the runbook runs with -Confirm) and taken out of the state file
once the service answers Deleted or NotFound. An account the runbook did not create (one that existed before, or was
in the app when the CSV listed it) is never in the state file, so it is never deleted. The state file records only
what happened: accounts that failed to import are not added, accounts that failed to delete stay (the next run tries
again).

-WhatIf flows to Import-TencentImAccount and Remove-TencentImAccount, which list what they would do and send nothing;
the state file and -ReportPath are then not written. -Confirm asks before each import and each deletion.

Every UserID that could not be checked, imported or deleted (an empty or over-long UserID, an over-long Nick, a request
that failed after its retries, a Failed status from the service) is reported and the rest go on. The runbook writes one
object per UserID it acted on (UserID, Action, Status, ResultCode, Reason) to the pipeline and to -ReportPath; if any
failed, it writes one error that counts them (ErrorId SyncDirectoryAccountsFailed) and ends with exit code 1.
tests/Pester/SyncRunbook.Tests.ps1 runs it against the emulator.

.PARAMETER Path
The directory CSV: columns UserID, Nick and FaceUrl (Nick and FaceUrl may be empty or absent).

.PARAMETER StatePath
The state file: the UserIDs this runbook imported in earlier runs, one a line. Created if it does not exist. Keep it
with the runbook's other durable data (an Azure Automation runbook would keep it in a storage account).

.PARAMETER RemoveAbsent
Deletes the accounts listed in the state file that are no longer in the CSV. Without it, nothing is deleted.

.PARAMETER ReportPath
A CSV file to write what happened to, one row per UserID acted on. Default: no file (the objects still go to the
pipeline).

.EXAMPLE
$env:TENCENTIM_SDKAPPID = '1400000001'; $env:TENCENTIM_SECRETKEY = Get-Secret TencentImKey -AsPlainText; $env:TENCENTIM_REGION = 'Singapore'
./samples/Sync-DirectoryAccounts.ps1 -Path staff.csv -StatePath sync-state.txt -ReportPath sync-report.csv

Imports the people of staff.csv who have no account yet, remembers them in sync-state.txt and writes what happened to
sync-report.csv.

.EXAMPLE
./samples/Sync-DirectoryAccounts.ps1 -Path staff.csv -StatePath sync-state.txt -RemoveAbsent -WhatIf

Lists the accounts a sync would import, and the accounts it imported earlier that it would delete because they have
left staff.csv; sends nothing that changes the app and leaves sync-state.txt as it is.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $StatePath,
    [switch] $RemoveAbsent,
    [string] $ReportPath
)

# The final summary error follows the caller's -ErrorAction; inside, an unexpected error stops the run.
$callerErrorAction = $ErrorActionPreference
$ErrorActionPreference = 'Stop'
if (-not (Get-TencentImConnection)) { Connect-TencentIm }

# UserIDs are case-sensitive: compare them ordinally (PowerShell's own hashtables and -in ignore case).
function New-UserIdSet { , [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::Ordinal) }

$rows = @(Import-Csv -LiteralPath $Path)
$inCsv = New-UserIdSet
foreach ($row in $rows) { if ($row.UserID) { $null = $inCsv.Add($row.UserID.Trim()) } }

$state = [System.Collections.Generic.List[string]]::new()
if (Test-Path -LiteralPath $StatePath) {
    foreach ($line in Get-Content -LiteralPath $StatePath) { if ($line.Trim()) { $state.Add($line.Trim()) } }
}

$report = [System.Collections.Generic.List[object]]::new()
function Add-Report($UserID, $Action, $Status, $ResultCode, $Reason) {
    $report.Add([pscustomobject]@{ UserID = $UserID; Action = $Action; Status = $Status; ResultCode = $ResultCode; Reason = $Reason })
}

# Per-ID failures are non-terminating: collect them (per step, to know which action failed) instead of stopping the run.
function Add-Failures($Action, $Failures) {
    # The target is the UserID, or the CSV row when a field of the row was refused (an over-long Nick).
    foreach ($e in $Failures) {
        $target = $e.TargetObject
        $id = if ($target -and $target.PSObject.Properties['UserID']) { $target.UserID } else { "$target" }
        Add-Report $id $Action 'Error' $null "$($e.FullyQualifiedErrorId): $e"
    }
}

# 1. Which rows have no account yet. Test-TencentImAccount sends nothing that changes the app, so it runs under -WhatIf
# too (and says what is missing); an ID it cannot answer for (Unknown) is reported and not imported.
$missing = New-UserIdSet
$checkFailed = @()
$rows | Test-TencentImAccount -ErrorAction SilentlyContinue -ErrorVariable +checkFailed | ForEach-Object {
    if ($_.AccountStatus -eq 'NotImported') { $null = $missing.Add($_.UserID) }
    elseif ($_.AccountStatus -ne 'Imported') { Add-Report $_.UserID 'Check' 'Failed' $_.ResultCode $_.ResultInfo }
}
Add-Failures 'Check' $checkFailed

# 2. Import them, with the Nick and FaceUrl of their rows. $WhatIfPreference and $ConfirmPreference flow to the cmdlet.
$imported = New-UserIdSet
$importFailed = @()
if ($missing.Count) {
    $rows | Where-Object { $_.UserID -and $missing.Contains($_.UserID.Trim()) } |
        Import-TencentImAccount -ErrorAction SilentlyContinue -ErrorVariable +importFailed | ForEach-Object {
            if ($_.Status -eq 'Imported') { $null = $imported.Add($_.UserID) }
            Add-Report $_.UserID 'Import' $_.Status $_.ResultCode $_.ResultInfo
        }
}
Add-Failures 'Import' $importFailed

# 3. With -RemoveAbsent, delete the accounts this runbook imported earlier that are no longer in the CSV. Remove-
# TencentImAccount asks for each (ConfirmImpact High) unless told not to: a runbook has nobody to answer, so it asks only
# when the runbook itself runs with -Confirm. -WhatIf wins over -Confirm:$false.
$gone = New-UserIdSet
$removeFailed = @()
if ($RemoveAbsent) {
    $absent = @($state | Where-Object { -not $inCsv.Contains($_) })
    if ($absent) {
        $confirm = [bool]$PSBoundParameters['Confirm']
        $absent | Remove-TencentImAccount -Confirm:$confirm -ErrorAction SilentlyContinue -ErrorVariable +removeFailed | ForEach-Object {
            if ($_.Status -in 'Deleted', 'NotFound') { $null = $gone.Add($_.UserID) }
            Add-Report $_.UserID 'Remove' $_.Status $_.ResultCode $_.ResultInfo
        }
    }
}
Add-Failures 'Remove' $removeFailed

# 4. The state file records what happened (under -WhatIf nothing did, so it is not written).
if ($imported.Count -or $gone.Count) {
    $known = New-UserIdSet
    $newState = foreach ($id in @($state) + @($imported)) { if (-not $gone.Contains($id) -and $known.Add($id)) { $id } }
    Set-Content -LiteralPath $StatePath -Value ([string[]]@($newState)) -WhatIf:$false -Confirm:$false
}

if ($ReportPath -and -not $WhatIfPreference) {
    $report | Export-Csv -LiteralPath $ReportPath -NoTypeInformation -WhatIf:$false -Confirm:$false
}
$report

$failures = @($report | Where-Object Status -in 'Failed', 'Error')
if ($failures) {
    Write-Error -Message "$($failures.Count) UserID(s) could not be checked, imported or deleted: $(($failures.UserID | Select-Object -First 10) -join ', '). See the report (Status Failed or Error) for the reasons; the next run tries them again." `
        -ErrorId SyncDirectoryAccountsFailed -Category NotSpecified -TargetObject @($failures.UserID) -ErrorAction $callerErrorAction
    exit 1
}
