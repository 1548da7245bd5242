using System.Management.Automation;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Engine;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Logs users of a Tencent Cloud IM app out and invalidates every UserSig issued for them so far.</para>
/// <para type="description">Revoke-TencentImLogin reads UserIDs from the pipeline or -UserId and calls the service's kick API for each (one account a call, several calls at a time within the app's rate limit of 200 calls per second). The user is logged out, and every UserSig issued for the account so far stops working; a UserSig signed afterwards logs in again. It writes one LoginRevocationResult per input UserID, in input order: Status Revoked, NotFound (the account does not exist, ResultCode 70107), or Failed (the service refused; ResultCode and ResultInfo say why). It asks for confirmation of each UserID (ConfirmImpact High) on the pipeline thread before anything is sent: -Force or -Confirm:$false skips the question, and -WhatIf sends nothing. Blank lines of text are skipped and surrounding whitespace is trimmed; a UserID that is empty, longer than 32 bytes in UTF-8 or holds a line break, and an input object without a UserID, Identifier or Id property, gets a non-terminating error in its place and is not sent. A UserID given twice is revoked twice (kick is idempotent) and answered for each occurrence. Passing failures (timeouts, throttling, gateway errors) are retried; kick may be sent again after an attempt that got no answer, since revoking twice is revoking once. A configuration error (wrong key, identifier not an admin, wrong data centre) stops the command with one error; a call that still fails after its retries gives one non-terminating RevokeLoginFailed error for its UserID, which is then not known to be logged out, and the others go on.</para>
/// </summary>
/// <example>
///   <code>Revoke-TencentImLogin -UserId alice -Force</code>
///   <para>Logs alice out and invalidates her UserSigs, without asking for confirmation. Without -Force it asks first.</para>
/// </example>
/// <example>
///   <code>Get-Content users.txt | Revoke-TencentImLogin -WhatIf</code>
///   <para>Shows which users of users.txt would be logged out, and sends nothing.</para>
/// </example>
/// <example>
///   <code>Import-Csv users.csv | Revoke-TencentImLogin -Confirm:$false | Where-Object Status -ne Revoked</code>
///   <para>Logs out the users of a CSV file (a column named UserId, Identifier or Id) and lists those that were not: accounts that do not exist (NotFound) and those the service refused (Failed).</para>
/// </example>
/// <example>
///   <code>Revoke-TencentImLogin -UserId bob -Force -ErrorVariable failed; $failed.TargetObject</code>
///   <para>Logs bob out; had the call failed after its retries, the error's target object would name him, as not known to be logged out.</para>
/// </example>
[Cmdlet(VerbsSecurity.Revoke, "TencentImLogin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(LoginRevocationResult))]
public sealed class RevokeTencentImLoginCommand : TencentImBatchCmdlet
{
    /// <summary>The default of -ThrottleLimit: 200 calls per second of about 300 ms each keep 60 in flight.</summary>
    internal const int DefaultThrottleLimit = 64;

    private bool _skipConfirmation;

    /// <summary>
    /// <para type="description">The UserIDs whose login state to revoke. Takes text, whole numbers and arrays from the pipeline (Get-Content, Get-Content -ReadCount 1000), and objects or hashtables with a UserID, Identifier or Id property or key (Import-Csv rows, the results of Get-TencentImOnlineStatus). A blank line of text is skipped; an object whose UserID is empty, an object without any of those properties, and a UserID with a line break in it (Get-Content -Raw) each get a non-terminating error in their place, and nothing is sent for them.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Identifier", "Id")]
    [AllowEmptyString]
    [AllowEmptyCollection]
    [AllowNull]
    public object?[]? UserId { get; set; }

    /// <summary>
    /// <para type="description">Revokes without asking for confirmation of each UserID, unless -Confirm is also given. -WhatIf still sends nothing.</para>
    /// <para type="default">asks for confirmation of each UserID</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// <para type="description">Calls in flight at once, 1 to 256 (kick takes one UserID a call). Default: 64, enough to reach the service's 200 calls per second when each call takes up to 300 ms. The connection's rate limit (Connect-TencentIm -MaxRequestsPerSecond) applies on top.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    internal override object?[]? InputValues => UserId;

    internal override IBatchRun StartRun(ImRestClient client)
    {
        // -Force skips the question, not -WhatIf, and not an explicit -Confirm.
        _skipConfirmation = Force.IsPresent && !IsSwitchOn("WhatIf", "WhatIfPreference") && !IsSwitchOn("Confirm", null);
        return NewRun(new KickOperation(client), 1, ThrottleLimit, Approve);
    }

    /// <summary>Asks ShouldProcess on the pipeline thread, before the UserID is queued; false with no failure when declined.</summary>
    private bool Approve(string userId, object? source, out string item, out ItemFailure? failure)
    {
        item = userId;
        failure = null;
        return _skipConfirmation || ShouldProcess(userId, "Revoke the login state (log out, and invalidate every UserSig issued so far)");
    }

    /// <summary>Whether a common switch is on: as bound, else (for -WhatIf) as its preference variable says.</summary>
    private bool IsSwitchOn(string parameter, string? preference)
    {
        if (MyInvocation.BoundParameters.TryGetValue(parameter, out object? value))
        {
            return LanguagePrimitives.IsTrue(value);
        }

        return preference != null && LanguagePrimitives.IsTrue(GetVariableValue(preference));
    }
}
