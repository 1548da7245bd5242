using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Engine;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Calls any REST API of Tencent Cloud IM (profiles, messages, groups, relationship chains, ...) with the module's signing, rate limits, retries and errors.</para>
/// <para type="description">Invoke-TencentImApi POSTs a JSON body to https://{domain}/v4/{service}/{command} of the connection's app: it signs the call (sdkappid, identifier, a fresh UserSig, random and contenttype in the query), waits for the API's frequency limit, retries what is safe to retry, and reads the answer's envelope. -Api names the API as service/command (profile/portrait_get), with or without v4/; tab completion offers the APIs of the module's table. -Body is a hashtable, an ordered dictionary, a PSObject or a JSON object text; piped bodies are one call each, written in input order, up to -ThrottleLimit calls at a time (default 1). The answer is written as a PSCustomObject with ActionStatus, ErrorCode and ErrorInfo kept (-AsHashtable: an ordered dictionary; -Raw: the JSON text); whole numbers stay exact at any size (Int32, Int64, UInt64 or BigInteger), so 64-bit MsgSeq and MsgKey values are never rounded.</para>
/// <para type="description">Errors: an answer with a non-zero ErrorCode is a non-terminating error whose TargetObject is the whole answer (in the form asked for), so a script reads partial results from it, and whose exception (TencentImRequestException) has ErrorCode and ErrorInfo; its ErrorId is the module's name for a code it knows (InvalidParameters, MessageAccountNotFound, ProfileAccountNotFound, ServiceTimeout, ...) or ServiceError followed by the code (ServiceError10010). A body that is not an object or not JSON is an InvalidBody error for that input only, nothing sent for it. A configuration error (wrong key or SDKAppID, not an admin, wrong data centre, no connection, an API the service does not know) stops the command.</para>
/// <para type="description">Retries: throttling (60007), refused connections and other failures where the request certainly did not run are retried for every API. Timeouts, connections lost after the request was sent, gateway 5xx, cut-off answers and the service's 70169, 70202, 70500 and 60008, after which the request may have run, are retried only for APIs the module's table marks idempotent (reads, imports, deletes, kick, profile settings) or with -Idempotent. For any other API (openim/sendmsg, send_group_msg, create_group, and every API the table does not list) such a failure is an ApiCallOutcomeUnknown error that says the call may have taken effect: a message is never sent twice by a retry. Its TargetObject is always the input body (what to check and perhaps send again), whether the service answered (70169, 70202, 70500: the code is in the exception's ErrorCode and ErrorInfo) or not (a timeout, a gateway's 5xx, a connection lost). When an answer comes from a retry after such a failure (an idempotent API, or -Idempotent), the answer is written with a warning before it that names the body, the API and the earlier failure: the earlier attempt may have taken effect, so the answer may describe the state it left (account_delete can then answer 70107 "does not exist" for an account the lost attempt deleted).</para>
/// <para type="description">-WhatIf (or $WhatIfPreference) sends nothing: it says for each body which call it would make, and writes no output for it. -Confirm asks before each call; the command's impact is Medium, so the default $ConfirmPreference (High) never asks.</para>
/// </summary>
/// <example>
///   <code>Invoke-TencentImApi profile/portrait_get -Body @{ To_Account = @('alice', 'bob'); TagList = @('Tag_Profile_IM_Nick') } | Select-Object -ExpandProperty UserProfileItem</code>
///   <para>A read: the nicknames of alice and bob. Each UserProfileItem has To_Account, ProfileItem (Tag and Value) and a ResultCode of its own.</para>
/// </example>
/// <example>
///   <code>Invoke-TencentImApi v4/profile/portrait_set -Body '{"From_Account":"alice","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"Alice"}]}'</code>
///   <para>A write with a JSON body: sets alice's nickname. The answer is the envelope, ActionStatus OK and ErrorCode 0.</para>
/// </example>
/// <example>
///   <code>Import-Csv notices.csv | ForEach-Object { @{ To_Account = $_.UserID; MsgRandom = Get-Random -Maximum ([int]::MaxValue); MsgBody = @(@{ MsgType = 'TIMTextElem'; MsgContent = @{ Text = $_.Text } }) } } | Invoke-TencentImApi openim/sendmsg -ThrottleLimit 16</code>
///   <para>A pipeline of bodies: one message per CSV row, 16 calls at a time, the answers (MsgTime, MsgKey) in the order of the rows. A send that may have reached the service without an answer is not retried: it gets an ApiCallOutcomeUnknown error instead of a second message.</para>
/// </example>
/// <example>
///   <code>$answers = Invoke-TencentImApi profile/portrait_get -Body @{ To_Account = @('alice', 'ghost'); TagList = @('Tag_Profile_IM_Nick') } -ErrorVariable failed -ErrorAction SilentlyContinue
/// foreach ($e in $failed) { "$($e.FullyQualifiedErrorId.Split(',')[0]): ErrorCode $($e.Exception.ErrorCode) $($e.Exception.ErrorInfo)" }
/// @($answers) + @($failed | ForEach-Object TargetObject) | Where-Object { $_ -and $_.PSObject.Properties['UserProfileItem'] } | ForEach-Object UserProfileItem | Where-Object ResultCode -ne 0 | ForEach-Object { "$($_.To_Account): ResultCode $($_.ResultCode) $($_.ResultInfo)" }</code>
///   <para>Error handling: a call can fail for some accounts in two ways, and this reads both. When the service answers OK (ErrorCode 0), each account's own ResultCode is in the answer: here ghost, which does not exist, has 40003. When it fails the whole call (a non-zero ErrorCode, as it does when no account exists), a non-terminating error is written; its exception carries ErrorCode and ErrorInfo, and its TargetObject is the whole answer, from which the per-account results are read the same way (if it has them). The last line also runs under Set-StrictMode -Version Latest.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "TencentImApi", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PSObject), typeof(System.Collections.Specialized.OrderedDictionary), typeof(string))]
public sealed class InvokeTencentImApiCommand : TencentImBatchCmdlet
{

    /// <summary>Stands for "no -Body and no pipeline input": the API gets {}.</summary>
    internal static readonly object NoBody = new object();

    private string? _path;

    /// <summary>
    /// <para type="description">The API to call, as service/command: profile/portrait_get, openim/sendmsg, group_open_http_svc/create_group. A leading v4/ (or /v4/) is allowed. Names are case-sensitive, as the service's are. Tab completion offers the APIs of the module's table; any other API can be called, with the default rate limit (100 calls per second) and no retry after a failure that may have taken effect unless -Idempotent is given.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ApiNameCompleter))]
    public string Api { get; set; } = "";

    /// <summary>
    /// <para type="description">The request body: a hashtable, an ordered dictionary, a PSObject (an Import-Csv row, [pscustomobject]@{...}) or a JSON object text, sent as given. From the pipeline, each object is one call; an array given to -Body is one call per element. Without -Body and without pipeline input, {} is sent (the service needs a body even for an API without parameters). A blank or white-space string (an empty line of Get-Content bodies.jsonl) is skipped silently, as the other cmdlets skip blank lines. A body that is not an object, or text that is not JSON, gets an InvalidBody error and is not sent; the other bodies go on.</para>
    /// <para type="description">How values are written: strings, characters, booleans and switches as such; numbers exactly (whole numbers at any size, NaN and infinity refused); an enum as its number (as ConvertTo-Json writes it); a [datetime] or [DateTimeOffset] as an ISO 8601 round-trip string (2024-05-01T08:00:00.0000000Z; the IM APIs take times as Unix seconds, so give ([DateTimeOffset]$t).ToUnixTimeSeconds() instead); a Guid, Uri or TimeSpan as its text; a hashtable or dictionary as an object; a PSCustomObject from its properties; a list as an array; $null as null; any other object from its public properties. Values that have no sensible JSON are refused with an InvalidBody error for that body that names the property's path (such as 'MsgBody[0].MsgContent'), never sent: a type ([datetime] rather than [datetime]::UtcNow), a script block, a SecureString or PSCredential (a secret never goes into a body), a file or directory object, a process, an IP address object, a stream, and any object one of whose properties cannot be read.</para>
    /// <para type="default">{} (an empty JSON object)</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyString]
    public object? Body { get; set; }

    /// <summary>
    /// <para type="description">Writes each answer as an ordered dictionary (System.Collections.Specialized.OrderedDictionary, as [ordered]@{} makes: the answer's fields in the service's order, keys case-sensitive as JSON's are; arrays as object[]) instead of a PSCustomObject. Not with -Raw.</para>
    /// <para type="default">off: a PSCustomObject</para>
    /// </summary>
    [Parameter]
    public SwitchParameter AsHashtable { get; set; }

    /// <summary>
    /// <para type="description">Writes each answer as the JSON text the service sent, unchanged. Not with -AsHashtable.</para>
    /// <para type="default">off: a PSCustomObject</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>
    /// <para type="description">Calls in flight at once, 1 to 64. Default: 1, so that piped calls run one after the other, as a script reads. Raise it to go faster: answers are still written in input order. The API's rate limit (and Connect-TencentIm -MaxRequestsPerSecond) applies on top.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>
    /// <para type="description">Says that calling the API twice with the same body does no more than calling it once, so that a call whose attempt may have run (a timeout, a connection lost after sending, 70169, 70202, 70500) is retried. Without it, only the APIs the module's table marks idempotent are retried after such failures.</para>
    /// <para type="default">off: the table decides; an API it does not list is not idempotent</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Idempotent { get; set; }

    internal override string ProgressDone => "called";

    internal override object?[]? InputValues
    {
        get
        {
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(Body)))
            {
                return MyInvocation.ExpectingInput ? null : new[] { NoBody };
            }

            object? value = Body is PSObject pso && !(pso.BaseObject is PSCustomObject) ? pso.BaseObject : Body;
            return value is IList list && !(value is IDictionary) ? list.Cast<object?>().ToArray() : new[] { Body };
        }
    }

    /// <summary>Checks -Api and the output form before anything else.</summary>
    protected override void BeginProcessing()
    {
        if (AsHashtable.IsPresent && Raw.IsPresent)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("-AsHashtable and -Raw ask for two forms of the same answer: give one of them (or neither, for a PSCustomObject)."),
                "AsHashtableWithRaw", ErrorCategory.InvalidArgument, null));
        }

        _path = ServiceApi.NormalizePath(Api);
        if (_path == null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-Api '{Api}' is not an API name. Give it as service/command, such as profile/portrait_get or openim/sendmsg (a leading v4/ is allowed): two names of letters, digits and underscores."),
                "InvalidApiName", ErrorCategory.InvalidArgument, Api));
        }

        base.BeginProcessing();
    }

    internal override IBatchRun StartRun(ImRestClient client)
    {
        ServiceApi api = ServiceApi.ForPath(_path!);
        ApiAnswerForm form = AsHashtable.IsPresent ? ApiAnswerForm.Hashtable : Raw.IsPresent ? ApiAnswerForm.Raw : ApiAnswerForm.Object;
        return new ApiCallRun(this, new ApiCallOperation(client, api, form, Idempotent.IsPresent || api.IsIdempotent), ThrottleLimit);
    }
}

/// <summary>
/// One run of Invoke-TencentImApi: each input object becomes one body (or an InvalidBody error in its place) and
/// one call of the ordered engine, which keeps up to -ThrottleLimit in flight and writes in input order.
/// </summary>
internal sealed class ApiCallRun : IBatchRun
{
    private readonly TencentImBatchCmdlet _cmdlet;
    private readonly ApiCallOperation _operation;
    private readonly OrderedBatchEngine<ApiCallItem, ApiCallAnswer, object> _engine;
    private readonly RunWriter<object> _writer;
    private long _count;

    public ApiCallRun(TencentImBatchCmdlet cmdlet, ApiCallOperation operation, int throttleLimit)
    {
        _cmdlet = cmdlet;
        _operation = operation;
        _writer = new RunWriter<object>(cmdlet);
        _engine = new OrderedBatchEngine<ApiCallItem, ApiCallAnswer, object>(operation, _writer.Write, _writer.Trace ? _writer.WriteAttempt : null, 1, throttleLimit, cmdlet.CancelToken);
    }

    public void Add(object?[] values, bool fromPipeline)
    {
        if (!fromPipeline)
        {
            _writer.Progress.Total = values.Length;
        }

        _writer.Run(() =>
        {
            foreach (object? value in values)
            {
                Submit(value);
            }
        }, Terminating);
    }

    private void Submit(object? value)
    {
        // A blank line of a JSONL file (Get-Content bodies.jsonl) is no body, as a blank line is no UserID elsewhere.
        if ((value is PSObject pso ? pso.BaseObject : value) is string text && string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        string key = (++_count).ToString(CultureInfo.InvariantCulture);
        string? problem = null;
        byte[]? body = ReferenceEquals(value, InvokeTencentImApiCommand.NoBody) ? new byte[] { (byte)'{', (byte)'}' } : ApiJson.ToBody(value, out problem);
        if (body == null)
        {
            _engine.SubmitInvalid(new ItemFailure(key, "InvalidBody", ErrorCategory.InvalidArgument,
                $"Body {key} for {_operation.Api.Path} was not sent: {problem}", "Correct that body and call the API again for it; the other bodies were sent.", null, value, value == null));
            return;
        }

        // -WhatIf (or $WhatIfPreference) and -Confirm, on the pipeline thread before anything is sent: a dry run
        // sends nothing and writes nothing for the call.
        if (!_cmdlet.ShouldProcess($"{_operation.Api.Path}, body {key}", "Call the API"))
        {
            return;
        }

        var item = new ApiCallItem(key, body, ReferenceEquals(value, InvokeTencentImApiCommand.NoBody) ? null : value);
        _operation.Remember(item);
        _engine.Submit(item);
    }

    public void Complete()
    {
        _writer.Run(_engine.Complete, Terminating);
        _writer.Progress.Complete();
    }

    public void Dispose() => _engine.Dispose();

    /// <summary>
    /// The terminating error of a configuration failure. 60009 (bad request URL) for an API the module's table
    /// does not list most likely means that -Api is misspelt, so the error says so first.
    /// </summary>
    private ErrorRecord Terminating(TencentImRequestException e)
    {
        ErrorRecord record = TencentImCmdlet.ToErrorRecord(e, "", _cmdlet.TargetConnection);
        if (e.ErrorCode == 60009 && ServiceApi.Find(_operation.Api.Path) == null)
        {
            string said = string.IsNullOrEmpty(e.ErrorInfo) ? "ErrorCode 60009" : $"ErrorCode 60009: '{e.ErrorInfo}'";
            string message = $"The service does not know the API '{_operation.Api.Path}' ({said}), so no call to it can succeed: the command stopped. API names are case-sensitive (profile/portrait_get, not Profile/Portrait_Get).";
            const string fix = "Check the spelling and case of -Api against Tencent's list of REST APIs (https://www.tencentcloud.com/document/product/1047/34620 and the API pages it links): service/command, such as profile/portrait_get.";
            // The catalogue's advice for 60009 fits the module's own calls (a proxy that rewrites the path, or a bug);
            // for a name the user typed, the exception says what ErrorDetails says.
            var notFound = new TencentImRequestException(e.Api, e.Kind, message, e, e.ErrorCode, e.ErrorInfo, e.HttpStatus, fix);
            return new ErrorRecord(notFound, "ApiNotFound", ErrorCategory.InvalidArgument, _operation.Api.Path)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = fix,
                },
            };
        }

        return record;
    }
}

/// <summary>Tab completion for Invoke-TencentImApi -Api: the APIs of the module's table.</summary>
public sealed class ApiNameCompleter : IArgumentCompleter
{
    /// <summary>The table's API paths that start with what was typed (a leading v4/ ignored), as completions.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        bool v4 = typed.StartsWith("v4/", StringComparison.Ordinal);
        string prefix = v4 ? typed.Substring(3) : typed.TrimStart('/');
        foreach (ServiceApi api in ServiceApi.All.OrderBy(a => a.Path, StringComparer.Ordinal))
        {
            if (api.Path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                string text = v4 ? "v4/" + api.Path : api.Path;
                string tip = $"{api.Path}: {api.CallsPerSecond} calls/s, {(api.IsIdempotent ? "idempotent (retried after any passing failure)" : "not idempotent (not retried once it may have run)")}";
                yield return new CompletionResult(text, text, CompletionResultType.ParameterValue, tip);
            }
        }
    }
}
