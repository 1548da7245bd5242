using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Client;
using TencentIm.Engine;

namespace TencentIm.Apis;

/// <summary>How Invoke-TencentImApi writes an answer.</summary>
internal enum ApiAnswerForm
{
    /// <summary>A PSCustomObject.</summary>
    Object,

    /// <summary>A hashtable.</summary>
    Hashtable,

    /// <summary>The JSON text as the service sent it.</summary>
    Raw,
}

/// <summary>One body to send: its place in the input (the engine's key) and the input object it came from.</summary>
internal sealed class ApiCallItem
{
    public ApiCallItem(string key, byte[] body, object? source)
    {
        Key = key;
        Body = body;
        Source = source;
    }

    public string Key { get; }

    public byte[] Body { get; }

    /// <summary>What the user gave for this call (a hashtable, a CSV row's object, a JSON string); null for none.</summary>
    public object? Source { get; }
}

/// <summary>The service's answer to one call: the whole JSON object, and its ErrorCode.</summary>
internal sealed class ApiCallAnswer
{
    public ApiCallAnswer(string key, JsonElement root, int errorCode, string errorInfo, string? earlierFailure = null)
    {
        Key = key;
        Root = root;
        ErrorCode = errorCode;
        ErrorInfo = errorInfo;
        EarlierFailure = earlierFailure;
    }

    /// <summary>The failure of an earlier attempt of this call that may have run (the answer is a retry's); null for none.</summary>
    public string? EarlierFailure { get; }

    public string Key { get; }

    public JsonElement Root { get; }

    public int ErrorCode { get; }

    public string ErrorInfo { get; }
}

/// <summary>
/// Any REST API, one body per call, through the ordered engine (concurrency, input order, writes on the pipeline
/// thread) and the client (signing, the API's rate limit, retries that are safe for the API). An answer with a
/// non-zero ErrorCode is an error of that call that carries the answer, unless the code means the whole command
/// cannot work (a configuration error), which ends it as in every other cmdlet.
/// </summary>
internal sealed class ApiCallOperation : BatchOperation<ApiCallItem, ApiCallAnswer, object>
{
    private readonly ImRestClient _client;
    private readonly ApiAnswerForm _form;
    private readonly bool _idempotent;
    // Written and read on the pipeline thread only: the input object of each call still waiting for its outcome.
    private readonly Dictionary<string, object?> _sources = new Dictionary<string, object?>(StringComparer.Ordinal);

    public ApiCallOperation(ImRestClient client, ServiceApi api, ApiAnswerForm form, bool idempotent)
        : base(api, "Api", "was not done")
    {
        _client = client;
        _form = form;
        _idempotent = idempotent;
    }

    /// <summary>Remembers the input object of a call about to be submitted (pipeline thread).</summary>
    public void Remember(ApiCallItem item) => _sources[item.Key] = item.Source;

    public override string KeyOf(ApiCallItem item) => item.Key;

    public override string KeyOf(ApiCallAnswer answer) => answer.Key;

    protected override async Task<List<ApiCallAnswer>> SendOnceAsync(IReadOnlyList<ApiCallItem> items, IRequestObserver? observer, CancellationToken cancellationToken)
    {
        var answers = new List<ApiCallAnswer>(items.Count);
        foreach (ApiCallItem item in items)
        {
            answers.Add(await _client.CallAsync(Api.Path, item.Body, 1, (root, context) => Read(item.Key, root, context), observer, cancellationToken,
                IsAnswerOfTheCall, _idempotent).ConfigureAwait(false));
        }

        return answers;
    }

    private static ApiCallAnswer Read(string key, JsonElement root, AnswerContext context)
    {
        int code = root.GetProperty("ErrorCode").GetInt32();
        string info = root.TryGetProperty("ErrorInfo", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";
        return new ApiCallAnswer(key, root.Clone(), code, info, context.EarlierFailure);
    }

    /// <summary>
    /// Which non-zero codes are this call's own answer (an error of the call, its answer kept) rather than a failure
    /// the client acts on: not a passing fault (retried), not an expired UserSig (renewed), not a configuration error
    /// (ends the command). 60003 (the body is not JSON) and 60015 (a field of the wrong type, such as a number for a
    /// UserID) are the body's fault here, since the body is the caller's: an error of that call only.
    /// </summary>
    internal static bool IsAnswerOfTheCall(int code, JsonElement root)
    {
        if (code == 60003 || code == 60015)
        {
            return true;
        }

        ServiceErrorClass errorClass = ServiceErrorCatalog.Describe(code).ErrorClass;
        return errorClass == ServiceErrorClass.Request || errorClass == ServiceErrorClass.Unknown;
    }

    public override ItemOutcome<object> ToOutcome(ApiCallAnswer answer)
    {
        _sources.Remove(answer.Key);
        object converted = ConvertAnswer(answer.Root);
        string? warning = answer.EarlierFailure == null ? null : RetriedAnswerWarning(answer.Key, answer.EarlierFailure);
        if (answer.ErrorCode == 0)
        {
            return ItemOutcome<object>.Of(converted).WithWarning(warning);
        }

        TencentImRequestException failure = TencentImRequestException.FromServiceError(Api.Path, answer.ErrorCode, answer.ErrorInfo);
        return ItemOutcome<object>.Of(ServiceFailure(failure, converted)).WithWarning(warning);
    }

    /// <summary>
    /// The warning for an answer that came from a retry after an attempt that may have run. The module cannot read
    /// what an answer of any API means, so it says where the answer came from and lets the script judge: the answer
    /// may describe the state the lost attempt left (a delete answering "does not exist" for what it deleted).
    /// </summary>
    private string RetriedAnswerWarning(string key, string earlierFailure) =>
        $"Body {key} for {Api.Path}: an earlier attempt failed after the request may have run ({earlierFailure.TrimEnd('.')}), so the answer written is that of a later attempt, and the earlier one may have taken effect: the answer may describe the state it left (a delete can then answer that the account does not exist, a create that it exists already). Check the state if that matters.";

    public override ItemFailure RequestFailed(string key, Exception error)
    {
        _sources.TryGetValue(key, out object? source);
        _sources.Remove(key);
        if (!(error is TencentImRequestException r))
        {
            return new ItemFailure(key, "ApiCallFailed", ErrorCategory.NotSpecified, $"{Api.Path} failed: {error.Message}", null, error, source);
        }

        if (r.NotRepeated)
        {
            return MayHaveRun(key, r, source);
        }

        if (r.Kind == RequestFailureKind.ServiceError && r.Answer is JsonElement answer)
        {
            return ServiceFailure(r, ConvertAnswer(answer));
        }

        return new ItemFailure(key, "Api" + r.Kind, r.Category, r.Message, r.Fix, r, source);
    }

    /// <summary>The converted answer in the form the user asked for.</summary>
    internal object ConvertAnswer(JsonElement root) => _form switch
    {
        ApiAnswerForm.Hashtable => ApiJson.ToHashtable(root)!,
        ApiAnswerForm.Raw => root.GetRawText(),
        _ => ApiJson.ToPSObject(root)!,
    };

    /// <summary>
    /// The error of a call the service answered with a non-zero ErrorCode: the catalogue's ErrorId for a code it
    /// knows, ServiceError&lt;code&gt; for one it does not (API-specific codes such as 20003 or 40003), the answer
    /// as the target object.
    /// </summary>
    private static ItemFailure ServiceFailure(TencentImRequestException failure, object answer)
    {
        string errorId = failure.Description!.ErrorClass == ServiceErrorClass.Unknown
            ? "ServiceError" + failure.ErrorCode.ToString(CultureInfo.InvariantCulture)
            : failure.Description.ErrorId;
        return new ItemFailure(failure.ErrorCode.ToString(CultureInfo.InvariantCulture), errorId, failure.Category, failure.Message, failure.Fix, failure, answer);
    }

    /// <summary>
    /// A failure after which the call may have taken effect and that was not sent again: ApiCallOutcomeUnknown, whose
    /// exception and details both say so and what to check (never "try again later", which could do it twice). Its
    /// target is always the input body (what to check and perhaps send again), whether or not the service answered;
    /// the service's code, if any, is in the exception's ErrorCode and ErrorInfo.
    /// </summary>
    private ItemFailure MayHaveRun(string key, TencentImRequestException error, object? source)
    {
        string what = TencentImRequestException.Sentence(error.Summary)
            + $" The call may have taken effect: {Api.Path} is not marked idempotent, so it was not sent again, which could have done it twice (a message sent twice).";
        string fix = "Check whether it took effect (for a message, ask the recipient or read the conversation with openim/admin_getroammsg) before sending it again; for an API that is safe to repeat, add -Idempotent to let the module retry such failures.";
        var unknown = new TencentImRequestException(error.Api, error.Kind, what, error, error.ErrorCode, error.ErrorInfo, error.HttpStatus, fix)
        {
            NotRepeated = true,
            Answer = error.Answer,
        };
        return new ItemFailure(key, "ApiCallOutcomeUnknown", error.Category, TencentImRequestException.Sentence(what), fix, unknown, source, source == null);
    }
}
