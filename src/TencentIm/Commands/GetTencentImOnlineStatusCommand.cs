using System.Management.Automation;
using TencentIm.Apis;
using TencentIm.Client;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Tells whether users of a Tencent Cloud IM app are logged in: Online, PushOnline or Offline.</para>
/// <para type="description">Get-TencentImOnlineStatus reads UserIDs from the pipeline or -UserId, sends them to the service's query_online_status API in batches of up to 500, several requests at a time within the app's rate limit (200 calls per second), and writes one OnlineStatusResult per input UserID, in input order, while input still arrives. Status is Online (logged in, app in the foreground), PushOnline (logged in on a device whose app is in the background and still receives pushes), Offline (not logged in), or Unknown when the service gave no state for the account: its ResultCode then says why, 70107 for an account that does not exist. With -Detail, each result's Detail lists the platforms the account is logged in on and its state on each. Blank lines of text are skipped and surrounding whitespace is trimmed; a UserID repeated within one batch is sent once and still answered for each occurrence. A UserID that is empty, longer than 32 bytes in UTF-8 or holds a line break, and an input object without a UserID, Identifier or Id property, gets a non-terminating error in its place and is not sent. Passing failures (timeouts, throttling, gateway errors) are retried, and an account answered with a passing code is asked once more. A configuration error (wrong key, identifier not an admin, wrong data centre) stops the command with one error; a request that still fails after its retries gives one non-terminating OnlineStatusFailed error per UserID in it, and the other requests go on.</para>
/// </summary>
/// <example>
///   <code>Get-Content users.txt | Get-TencentImOnlineStatus | Where-Object Status -eq Online</code>
///   <para>Lists the users of users.txt who are logged in with the app in the foreground.</para>
/// </example>
/// <example>
///   <code>Get-TencentImOnlineStatus -UserId alice, bob -Detail | Format-List UserID, Status, Detail</code>
///   <para>Shows, for two users, their state and each platform they are logged in on ("iPhone: PushOnline").</para>
/// </example>
/// <example>
///   <code>Import-Csv users.csv | Get-TencentImOnlineStatus | Where-Object ResultCode -eq 70107</code>
///   <para>Lists the rows of a CSV file (a column named UserId, Identifier or Id) whose accounts do not exist: their Status is Unknown, with ResultCode 70107.</para>
/// </example>
/// <example>
///   <code>Get-Content users.txt | Get-TencentImOnlineStatus | Where-Object Status -ne Offline | Revoke-TencentImLogin -Confirm:$false</code>
///   <para>Logs out every user of users.txt who is not offline (an account that does not exist comes back NotFound).</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "TencentImOnlineStatus")]
[OutputType(typeof(OnlineStatusResult))]
public sealed class GetTencentImOnlineStatusCommand : TencentImBatchCmdlet
{
    /// <summary>The default of -ThrottleLimit, as for Test-TencentImAccount: 500 IDs a call leave the rate limit, not concurrency, the bound.</summary>
    internal const int DefaultThrottleLimit = 32;

    private const int MaxBatchSize = 500; // ServiceApi.QueryOnlineStatus.MaxItemsPerCall, as attributes need a constant

    /// <summary>
    /// <para type="description">The UserIDs to query. Takes text, whole numbers and arrays from the pipeline (Get-Content, Get-Content -ReadCount 1000), and objects or hashtables with a UserID, Identifier or Id property or key (Import-Csv rows, the results of Test-TencentImAccount). A blank line of text is skipped; an object whose UserID is empty, an object without any of those properties, and a UserID with a line break in it (Get-Content -Raw) each get a non-terminating error in their place, and nothing is sent for them.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Identifier", "Id")]
    [AllowEmptyString]
    [AllowEmptyCollection]
    [AllowNull]
    public object?[]? UserId { get; set; }

    /// <summary>
    /// <para type="description">Asks the service for the platforms each account is logged in on (IsNeedDetail): each result's Detail then lists them, as objects with Platform and Status (empty for an account logged in nowhere). Without it, Detail is null.</para>
    /// <para type="default">no platforms: Detail is null</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Detail { get; set; }

    /// <summary>
    /// <para type="description">Distinct UserIDs per request, 1 to 500 (the service's limit). Default: 500.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, MaxBatchSize)]
    public int BatchSize { get; set; } = MaxBatchSize;

    /// <summary>
    /// <para type="description">Requests in flight at once, 1 to 256. Default: 32, more than enough for the service's 200 calls per second of up to 500 UserIDs each. The connection's rate limit (Connect-TencentIm -MaxRequestsPerSecond) applies on top.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    internal override object?[]? InputValues => UserId;

    internal override IBatchRun StartRun(ImRestClient client) =>
        NewRun(new OnlineStatusOperation(client, Detail.IsPresent), BatchSize, ThrottleLimit, SendAsIs);
}
