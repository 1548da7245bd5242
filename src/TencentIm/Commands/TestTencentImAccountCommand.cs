using System;
using System.Management.Automation;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Engine;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Tells which UserIDs exist (are imported) in a Tencent Cloud IM app.</para>
/// <para type="description">Test-TencentImAccount reads UserIDs from the pipeline or -UserId, sends them to the service's account_check API in batches of up to 100, several requests at a time within the app's rate limit, and writes one AccountCheckResult per input UserID, in input order, while input still arrives. Blank lines of text are skipped and surrounding whitespace is trimmed; a UserID repeated within one batch is sent once and still answered for each occurrence. A UserID that is empty, longer than 32 bytes in UTF-8 or holds a line break, and an input object without a UserID, Identifier or Id property, gets a non-terminating error in its place and is not sent. An account that the service answers with a passing per-account code (70500, 70169, …) is asked once more in a later request before it is reported as Unknown. Passing failures (timeouts, throttling, gateway errors) are retried. A configuration error (wrong key, identifier not an admin, wrong data centre) stops the command with one error; a request that still fails after its retries gives one non-terminating error per UserID in it, and the other requests go on.</para>
/// </summary>
/// <example>
///   <code>Get-Content users.txt | Test-TencentImAccount | Where-Object AccountStatus -eq NotImported</code>
///   <para>Lists the UserIDs of users.txt that do not exist in the app.</para>
/// </example>
/// <example>
///   <code>Import-Csv users.csv | Test-TencentImAccount | Export-Csv checked.csv</code>
///   <para>Checks the UserId column of a CSV file (a column named UserId, Identifier or Id) and saves the answers.</para>
/// </example>
/// <example>
///   <code>Get-Content users.txt -ReadCount 1000 | Test-TencentImAccount | Export-Csv checked.csv</code>
///   <para>For files of millions of UserIDs: reading 1,000 lines at a time saves PowerShell's per-line cost, about a third of the run (docs/benchmarks.md).</para>
/// </example>
/// <example>
///   <code>Test-TencentImAccount -UserId alice, bob -ErrorVariable failed; $failed.TargetObject</code>
///   <para>Checks two UserIDs; the UserIDs that could not be checked are the target objects of the errors.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "TencentImAccount")]
[OutputType(typeof(AccountCheckResult))]
public sealed class TestTencentImAccountCommand : TencentImBatchCmdlet
{
    /// <summary>The default of -ThrottleLimit; docs/benchmarks.md has the measurement behind it.</summary>
    internal const int DefaultThrottleLimit = 32;

    private const int MaxBatchSize = 100; // ServiceApi.AccountCheck.MaxItemsPerCall, as attributes need a constant

    /// <summary>
    /// <para type="description">The UserIDs to check. Takes text, whole numbers and arrays from the pipeline (Get-Content, Get-Content -ReadCount 1000), and objects or hashtables with a UserID, Identifier or Id property or key (Import-Csv rows, the results of Test-TencentImAccount). A blank line of text is skipped; an object whose UserID is empty, an object without any of those properties, and a UserID with a line break in it (Get-Content -Raw) each get a non-terminating error in their place, and nothing is sent for them.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Identifier", "Id")]
    [AllowEmptyString]
    [AllowEmptyCollection]
    [AllowNull]
    public object?[]? UserId { get; set; }

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
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    internal override object?[]? InputValues => UserId;

    internal override IBatchRun StartRun(ImRestClient client) =>
        NewRun(new AccountCheckOperation(client), BatchSize, ThrottleLimit, SendAsIs);
}
