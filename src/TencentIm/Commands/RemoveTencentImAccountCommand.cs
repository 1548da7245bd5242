using System.Management.Automation;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Engine;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Deletes accounts (UserIDs) from a Tencent Cloud IM app.</para>
/// <para type="description">Remove-TencentImAccount reads UserIDs from the pipeline or -UserId, sends them to the service's account_delete API in batches of up to 100, several requests at a time within the app's rate limit (100 calls per second), and writes one AccountDeleteResult per input UserID, in input order: Status Deleted, NotFound (the service answered 70107: the account did not exist) or Failed (ResultCode and ResultInfo say why). Deleting an account also deletes the user's contacts, profile, groups and sessions, and cannot be undone; on editions other than the trial ones, a deleted UserID cannot be imported again for 3 months (70399).</para>
/// <para type="description">It asks before deleting each UserID, as PowerShell asks for every command whose impact is High: the question names the UserID, the app and the 3-month rule. [Y] Yes deletes that account, [A] Yes to All deletes it and every later one of the run without asking again, [N] No skips that UserID (it gets no result and no error, as in every PowerShell command that you decline), [L] No to All skips it and every later one. It asks on the pipeline thread before the UserID is queued, so nothing is sent for a UserID until you have answered. -Force or -Confirm:$false deletes without asking (so does $ConfirmPreference = 'None'); -Force with -Confirm still asks. -WhatIf lists what would be deleted and sends nothing.</para>
/// <para type="description">Blank lines of text are skipped and surrounding whitespace is trimmed; a UserID repeated within one batch is sent once and answered for each occurrence (each Deleted), while a repeat in a later batch finds the account gone (NotFound). A UserID that is empty, longer than 32 bytes in UTF-8 or holds a line break, and an input object without a UserID, Identifier or Id property, gets a non-terminating error in its place and is not sent. Passing failures (timeouts, throttling, gateway errors) are retried. When a retry follows an attempt whose answer was lost (no answer, a connection broken mid-answer, a gateway's 5xx, a timeout or internal error of the service), that attempt may have deleted the accounts, so a 70107 to the retry is reported as Deleted (ResultCode stays 70107) and -Verbose says so. A configuration error stops the command with one error: among them 71000, account deletion not enabled for the app (enable it in the IM console: Chat > Users, 'Click here to remove the restriction'; trial editions allow it by default), whether the service answers it for the request or for each account. A request that still fails after its retries gives one non-terminating AccountDeleteFailed error per UserID in it (those accounts may or may not have been deleted; running the command again for them is safe), and the other requests go on.</para>
/// </summary>
/// <example>
///   <code>Get-Content leavers.txt | Remove-TencentImAccount -WhatIf</code>
///   <para>Lists the accounts of leavers.txt that would be deleted, and deletes none: nothing is sent to the service.</para>
/// </example>
/// <example>
///   <code>Get-Content leavers.txt | Remove-TencentImAccount -Confirm:$false | Where-Object Status -ne Deleted</code>
///   <para>Deletes the accounts of leavers.txt without asking, and shows the UserIDs that were not deleted: NotFound (no such account) or Failed.</para>
/// </example>
/// <example>
///   <code>Get-Content leavers.txt | Test-TencentImAccount | Where-Object AccountStatus -eq Imported | Remove-TencentImAccount -Force</code>
///   <para>Deletes, without asking, only the accounts of leavers.txt that exist (Test-TencentImAccount's results carry the UserID).</para>
/// </example>
/// <example>
///   <code>Remove-TencentImAccount -UserId test_user1, test_user2 -Force -Verbose</code>
///   <para>Deletes two accounts without asking. -Verbose shows each request and its attempts, and says when a 70107 that followed a lost answer was taken as Deleted. Without -Force it asks for each account; answer A (Yes to All) to delete both after one question.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "TencentImAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(AccountDeleteResult))]
public sealed class RemoveTencentImAccountCommand : TencentImBatchCmdlet
{
    private const int MaxBatchSize = 100; // ServiceApi.AccountDelete.MaxItemsPerCall, as attributes need a constant

    private uint _sdkAppId;
    private bool _skipConfirmation;

    /// <summary>
    /// <para type="description">The UserIDs of the accounts to delete. Takes text, whole numbers and arrays from the pipeline (Get-Content, Get-Content -ReadCount 1000), and objects or hashtables with a UserID, Identifier or Id property or key (Import-Csv rows, the results of Test-TencentImAccount). A blank line of text is skipped; an object whose UserID is empty, an object without any of those properties, and a UserID with a line break in it (Get-Content -Raw) each get a non-terminating error in their place, and nothing is sent for them.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Identifier", "Id")]
    [AllowEmptyString]
    [AllowEmptyCollection]
    [AllowNull]
    public object?[]? UserId { get; set; }

    /// <summary>
    /// <para type="description">Deletes without asking, as -Confirm:$false does. -WhatIf still only lists, and an explicit -Confirm still asks.</para>
    /// <para type="default">asks before each UserID, unless $ConfirmPreference is None</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// <para type="description">Distinct UserIDs per request, 1 to 100 (the service's limit). Default: 100.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, MaxBatchSize)]
    public int BatchSize { get; set; } = MaxBatchSize;

    /// <summary>
    /// <para type="description">Requests in flight at once, 1 to 256. Default: 32, enough to reach the service's 100 calls per second when each call takes up to 300 ms. The connection's rate limit (Connect-TencentIm -MaxRequestsPerSecond) applies on top.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = TestTencentImAccountCommand.DefaultThrottleLimit;

    internal override object?[]? InputValues => UserId;

    internal override IBatchRun StartRun(ImRestClient client)
    {
        _sdkAppId = client.SdkAppId;
        // -Force stands for -Confirm:$false, as in PowerShell's own commands: it never overrides -WhatIf (ShouldProcess
        // then lists without deleting) nor a -Confirm given on purpose.
        _skipConfirmation = Force && !SwitchIsOn("Confirm", null) && !SwitchIsOn("WhatIf", "WhatIfPreference");
        return NewRun(new AccountDeleteOperation(client), BatchSize, ThrottleLimit, Confirm);
    }

    /// <summary>
    /// Asks, on the pipeline thread and before the UserID is queued, whether to delete it (or, with -WhatIf, says
    /// it would). A declined UserID is left out: no result and no error, as PowerShell's own commands do.
    /// </summary>
    private bool Confirm(string userId, object? source, out string item, out ItemFailure? failure)
    {
        item = userId;
        failure = null;
        return _skipConfirmation || ShouldProcess(
            $"Deleting the account '{userId}' of the Tencent IM app {_sdkAppId}.",
            $"Delete the account '{userId}' of the Tencent IM app {_sdkAppId}? This cannot be undone: the user's contacts, profile, groups and sessions are deleted with it, and a deleted UserID cannot be imported again for 3 months (except on trial editions).",
            "Remove-TencentImAccount");
    }

    /// <summary>Whether a switch is on: given as a parameter, else set by its preference variable (null for none).</summary>
    private bool SwitchIsOn(string name, string? preferenceVariable)
    {
        if (MyInvocation.BoundParameters.TryGetValue(name, out object? bound))
        {
            return bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound);
        }

        return preferenceVariable != null && LanguagePrimitives.IsTrue(GetVariableValue(preferenceVariable));
    }
}
