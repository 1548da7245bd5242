<#
.SYNOPSIS
The plain approach an admin writes today, without the module: the benchmark's reference contender.

.DESCRIPTION
Reads UserIDs from a file, one a line, and calls the account_check REST API with Invoke-RestMethod, 100 IDs a call,
one call at a time, with a UserSig signed beforehand. Writes one [pscustomobject] per ResultItem. A failed call
stops the script (no retries, no rate limiting: one call at a time is far below the service's 100 calls/s).

It is written the way the API page suggests and kept reasonable: the file is read once, the batches are array
slices, the body is built with a foreach statement (not ForEach-Object), and nothing is printed per ID.

.EXAMPLE
./bench/Plain-AccountCheck.ps1 -Path users.txt -BaseUri https://adminapisgp.im.qcloud.com/ -SdkAppId 1400000001 -UserSig $sig
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [uri] $BaseUri,
    [Parameter(Mandatory)] [uint32] $SdkAppId,
    [Parameter(Mandatory)] [string] $UserSig,
    [string] $Identifier = 'administrator'
)

$ErrorActionPreference = 'Stop'

$ids = @(Get-Content -Path $Path) -ne ''   # blank lines dropped
$url = '{0}v4/im_open_login_svc/account_check?sdkappid={1}&identifier={2}&usersig={3}&contenttype=json' -f
    $BaseUri.AbsoluteUri, $SdkAppId, [uri]::EscapeDataString($Identifier), [uri]::EscapeDataString($UserSig)

for ($i = 0; $i -lt $ids.Count; $i += 100) {
    $last = [Math]::Min($i + 99, $ids.Count - 1)
    $body = @{ CheckItem = @(foreach ($id in $ids[$i..$last]) { @{ UserID = $id } }) }

    $answer = Invoke-RestMethod -Method Post -Uri ($url + '&random=' + (Get-Random -Maximum ([int]::MaxValue))) `
        -Body ($body | ConvertTo-Json -Depth 3) -ContentType 'application/json'
    if ($answer.ErrorCode -ne 0) {
        throw "account_check failed for IDs $i to ${last}: $($answer.ErrorCode) $($answer.ErrorInfo)"
    }

    foreach ($item in $answer.ResultItem) {
        [pscustomobject]@{
            UserID        = $item.UserID
            AccountStatus = $item.AccountStatus
            ResultCode    = $item.ResultCode
            ResultInfo    = $item.ResultInfo
        }
    }
}
