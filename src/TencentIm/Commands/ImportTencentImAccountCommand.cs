using System.Management.Automation;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Engine;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Imports accounts (UserIDs, with an optional Nick and FaceUrl) into a Tencent Cloud IM app.</para>
/// <para type="description">Import-TencentImAccount reads UserIDs from the pipeline or -UserId, sends them to the service's multiaccount_import API in batches of up to 100, several requests at a time within the app's rate limit, and writes one AccountImportResult per input UserID, in input order, while input still arrives. Input objects bind by property name: a UserID, Identifier or Id property or key, and optional Nick and FaceUrl ones (Import-Csv rows with those columns, hashtables, the results of Test-TencentImAccount); -Nick and -FaceUrl apply to the input that has no such property. Importing an account that exists is not an error: the service treats it as an update of the Nick and FaceUrl sent.</para>
/// <para type="description">The service lists the accounts it did not import without a reason; for each, Import-TencentImAccount makes one account_import call, which answers the reason, so that every Failed result carries the service's ResultCode and its ErrorInfo (70399: the UserID was deleted less than 3 months ago; 70398: the app's edition allows no more accounts). If that call imports the account after all, it is Imported.</para>
/// <para type="description">Blank lines of text are skipped and surrounding whitespace is trimmed, of UserIDs, Nicks and FaceUrls alike; a blank Nick or FaceUrl (an empty CSV cell) is not sent. A UserID repeated within one batch is sent once, with the Nick and FaceUrl of its first occurrence, and still answered for each occurrence. A UserID that is empty, longer than 32 bytes in UTF-8 or holds a line break, a Nick or FaceUrl longer than 500 bytes, and an input object without a UserID, Identifier or Id property, gets a non-terminating error of category InvalidArgument in its place and is not sent. Passing failures (timeouts, throttling, gateway errors) are retried. A configuration error (wrong key, identifier not an app admin, wrong data centre) stops the command with one error; a request that still fails after its retries gives one non-terminating AccountImportFailed error per UserID in it, and the other requests go on. -WhatIf lists the accounts that would be imported and sends nothing; -Confirm asks for each.</para>
/// </summary>
/// <example>
///   <code>Get-Content users.txt | Test-TencentImAccount | Where-Object AccountStatus -eq NotImported | Import-TencentImAccount</code>
///   <para>Imports the UserIDs of users.txt that do not exist in the app yet.</para>
/// </example>
/// <example>
///   <code>Import-Csv staff.csv | Import-TencentImAccount | Where-Object Status -eq Failed</code>
///   <para>Imports the accounts of a CSV file with the columns UserID, Nick and FaceUrl (an empty cell sends no value), and lists the ones the service did not import, with its ResultCode and the reason.</para>
/// </example>
/// <example>
///   <code>Import-TencentImAccount -UserId dave -Nick 'Dave' -FaceUrl 'https://example.com/dave.png' -WhatIf</code>
///   <para>Shows the account that would be imported, with its Nick and FaceUrl, and sends nothing.</para>
/// </example>
[Cmdlet(VerbsData.Import, "TencentImAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AccountImportResult))]
public sealed class ImportTencentImAccountCommand : TencentImBatchCmdlet
{
    /// <summary>The default of -ThrottleLimit, as Test-TencentImAccount's: the two APIs share the 100 calls/s limit.</summary>
    internal const int DefaultThrottleLimit = TestTencentImAccountCommand.DefaultThrottleLimit;

    private const int MaxBatchSize = 100; // ServiceApi.MultiAccountImport.MaxItemsPerCall, as attributes need a constant

    /// <summary>
    /// <para type="description">The UserIDs to import. Takes text, whole numbers and arrays from the pipeline (Get-Content, Get-Content -ReadCount 1000), and objects or hashtables with a UserID, Identifier or Id property or key (Import-Csv rows, the results of Test-TencentImAccount); their Nick and FaceUrl properties or keys, if any, are imported with them. A blank line of text is skipped; an object whose UserID is empty, an object without any of those properties, and a UserID with a line break in it (Get-Content -Raw) each get a non-terminating error in their place, and nothing is sent for them.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Identifier", "Id")]
    [AllowEmptyString]
    [AllowEmptyCollection]
    [AllowNull]
    public object?[]? UserId { get; set; }

    /// <summary>
    /// <para type="description">The nickname to set on every account whose input has no Nick property or key (text, typed UserIDs). At most 500 bytes in UTF-8; trimmed; blank sends none.</para>
    /// <para type="default">the input object's Nick, if it has one; else none is sent</para>
    /// </summary>
    [Parameter]
    [AllowEmptyString]
    [AllowNull]
    public string? Nick { get; set; }

    /// <summary>
    /// <para type="description">The profile photo URL to set on every account whose input has no FaceUrl property or key (text, typed UserIDs). At most 500 bytes in UTF-8; trimmed; blank sends none.</para>
    /// <para type="default">the input object's FaceUrl, if it has one; else none is sent</para>
    /// </summary>
    [Parameter]
    [AllowEmptyString]
    [AllowNull]
    public string? FaceUrl { get; set; }

    /// <summary>
    /// <para type="description">Distinct UserIDs per multiaccount_import request, 1 to 100 (the service's limit). Default: 100.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, MaxBatchSize)]
    public int BatchSize { get; set; } = MaxBatchSize;

    /// <summary>
    /// <para type="description">Requests in flight at once, 1 to 256. Default: 32, enough to reach the service's 100 calls per second when each call takes up to 300 ms. The connection's rate limit (Connect-TencentIm -MaxRequestsPerSecond) applies on top.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    internal override object?[]? InputValues => UserId;

    internal override string ProgressDone => "processed";

    internal override IBatchRun StartRun(ImRestClient client) =>
        NewRun(new AccountImportOperation(client), BatchSize, ThrottleLimit, ToItem);

    /// <summary>The account to send for a valid UserID: its profile fields checked, and the user's consent asked here, on the pipeline thread.</summary>
    private bool ToItem(string userId, object? source, out AccountImportItem item, out ItemFailure? failure)
    {
        item = null!;
        if (!ProfileFieldInput.TryRead("Nick", userId, source, Nick, out string? nick, out failure)
            || !ProfileFieldInput.TryRead("FaceUrl", userId, source, FaceUrl, out string? faceUrl, out failure))
        {
            return false;
        }

        if (!ShouldProcess(Describe(userId, nick, faceUrl), "Import account (create it, or update the Nick and FaceUrl of an existing one)"))
        {
            return false;
        }

        item = new AccountImportItem(userId, nick, faceUrl);
        return true;
    }

    private static string Describe(string userId, string? nick, string? faceUrl)
    {
        string text = $"UserID '{userId}'";
        if (nick != null)
        {
            text += $", Nick '{nick}'";
        }

        if (faceUrl != null)
        {
            text += $", FaceUrl '{faceUrl}'";
        }

        return text;
    }
}
