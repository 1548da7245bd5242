using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Client;
using TencentIm.Engine;

namespace TencentIm.Apis;

/// <summary>One account of a query_online_status answer: a QueryResult entry, or an ErrorList entry.</summary>
internal readonly struct OnlineStatusItem
{
    public OnlineStatusItem(string userId, int resultCode, string resultInfo, string? status, IReadOnlyList<OnlinePlatformStatus>? detail, bool inErrorList)
    {
        UserId = userId;
        ResultCode = resultCode;
        ResultInfo = resultInfo;
        Status = status;
        Detail = detail;
        InErrorList = inErrorList;
    }

    public string UserId { get; }

    /// <summary>0 for a QueryResult entry; an ErrorList entry's ErrorCode.</summary>
    public int ResultCode { get; }

    /// <summary>The entry's own text (an ErrorList entry's ErrorInfo, if the service adds one), or empty.</summary>
    public string ResultInfo { get; }

    /// <summary>The Status (or State) as answered, its JSON text when not a string; null when the entry has neither.</summary>
    public string? Status { get; }

    /// <summary>The platforms, when asked for (-Detail); null otherwise.</summary>
    public IReadOnlyList<OnlinePlatformStatus>? Detail { get; }

    /// <summary>Whether the entry came from ErrorList.</summary>
    public bool InErrorList { get; }
}

/// <summary>
/// query_online_status: the login state of up to 500 accounts a call (docs/service-api.md §3,
/// https://www.tencentcloud.com/document/product/1047/35477). The answer lists the accounts it has a state for in
/// QueryResult and the others in ErrorList with a code each (70107: no such account). With -Detail it asks for
/// IsNeedDetail, and each QueryResult entry lists the platforms the account is logged in on.
/// </summary>
internal sealed class OnlineStatusOperation : BatchOperation<string, OnlineStatusItem, OnlineStatusResult>
{
    private readonly Func<IReadOnlyList<string>, IRequestObserver?, CancellationToken, Task<List<OnlineStatusItem>>> _send;
    private readonly bool _detail;

    public OnlineStatusOperation(ImRestClient client, bool detail)
        : this((ids, observer, ct) => client.CallAsync(ServiceApi.QueryOnlineStatus.Path, OnlineStatusProtocol.WriteRequest(ids, detail), ids.Count,
            root => OnlineStatusProtocol.ReadAnswer(root, ids, detail), observer, ct, OnlineStatusProtocol.CarriesAccountResults), detail)
    {
    }

    /// <param name="send">One query_online_status call: the API client's, or a fake transport in tests.</param>
    /// <param name="detail">Whether the platforms were asked for (-Detail): results then carry a Detail list.</param>
    internal OnlineStatusOperation(Func<IReadOnlyList<string>, IRequestObserver?, CancellationToken, Task<List<OnlineStatusItem>>> send, bool detail)
        : base(ServiceApi.QueryOnlineStatus, "OnlineStatus", "was not queried")
    {
        _send = send;
        _detail = detail;
    }

    public override string KeyOf(string item) => item;

    public override string KeyOf(OnlineStatusItem answer) => answer.UserId;

    /// <summary>One call, then once more for the accounts that got a passing per-account code.</summary>
    public override async Task<List<OnlineStatusItem>> SendAsync(IReadOnlyList<string> items, IRequestObserver? observer, CancellationToken cancellationToken)
    {
        List<OnlineStatusItem> answers = await SendOnceAsync(items, observer, cancellationToken).ConfigureAwait(false);
        return await AskAgainForTransientItemsAsync(items, answers, a => a.ResultCode, observer, cancellationToken).ConfigureAwait(false);
    }

    public override ItemOutcome<OnlineStatusResult> ToOutcome(OnlineStatusItem item)
    {
        IReadOnlyList<OnlinePlatformStatus>? detail = _detail ? item.Detail ?? Array.Empty<OnlinePlatformStatus>() : null;
        if (item.InErrorList)
        {
            string info = item.ResultInfo.Length > 0 ? item.ResultInfo
                : item.ResultCode != 0 ? ItemResultCatalog.Describe(item.ResultCode)
                : "The service listed the account among those it could not query (ErrorList), without an ErrorCode.";
            return Result(item, OnlineStatus.Unknown, info, detail);
        }

        if (item.Status == null)
        {
            return Result(item, OnlineStatus.Unknown, "The service answered no Status (or State) for this account.", detail);
        }

        OnlineStatus? status = OnlineStatusProtocol.ParseStatus(item.Status);
        return status.HasValue
            ? Result(item, status.Value, item.ResultInfo, detail)
            : Result(item, OnlineStatus.Unknown, $"The service answered an unknown Status '{item.Status}'.", detail);
    }

    /// <summary>
    /// One call. An answer that fails as a whole with 70107 and no lists to say which account (the docs set
    /// ErrorCode only when no account succeeded) is 70107 for every account of the call.
    /// </summary>
    protected override async Task<List<OnlineStatusItem>> SendOnceAsync(IReadOnlyList<string> items, IRequestObserver? observer, CancellationToken cancellationToken)
    {
        try
        {
            return await _send(items, observer, cancellationToken).ConfigureAwait(false);
        }
        catch (TencentImRequestException e) when (e.Kind == RequestFailureKind.ServiceError && e.ErrorCode == ItemResultCatalog.AccountNotFound)
        {
            var answers = new List<OnlineStatusItem>(items.Count);
            foreach (string userId in items)
            {
                answers.Add(new OnlineStatusItem(userId, e.ErrorCode, e.ErrorInfo, null, null, inErrorList: true));
            }

            return answers;
        }
    }

    private static ItemOutcome<OnlineStatusResult> Result(OnlineStatusItem item, OnlineStatus status, string info, IReadOnlyList<OnlinePlatformStatus>? detail) =>
        ItemOutcome<OnlineStatusResult>.Of(new OnlineStatusResult(item.UserId, status, item.ResultCode, info, detail));
}

/// <summary>The body of query_online_status and the parsing of its answer (docs/service-api.md §3).</summary>
/// <remarks>
/// Tencent's pages spell the per-account field <c>Status</c> (the field table, the Chinese sample) and <c>State</c>
/// (the English sample); both are read, at both levels, and the values are matched without regard to case.
/// </remarks>
internal static class OnlineStatusProtocol
{
    private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{"To_Account":[…]}</c>, with <c>"IsNeedDetail":1</c> when the platforms are wanted.</summary>
    public static byte[] WriteRequest(IReadOnlyList<string> userIds, bool detail)
    {
        using var buffer = new MemoryStream(48 + userIds.Count * 24);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("To_Account");
            for (int i = 0; i < userIds.Count; i++)
            {
                writer.WriteStringValue(userIds[i]);
            }

            writer.WriteEndArray();
            if (detail)
            {
                writer.WriteNumber("IsNeedDetail", 1);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Whether an answer with a non-zero ErrorCode is still one to read per account. The docs say ErrorCode is 0
    /// when any account succeeded, so a batch of accounts that all failed (all unknown, say) may come back with,
    /// for example, ErrorCode 70107 and the accounts in ErrorList; another reading sets ErrorCode whenever
    /// ErrorList is not empty. Either way the lists say per account what happened. A code the client acts on for
    /// the whole request (retry, renew the UserSig, stop the run) keeps that meaning.
    /// </summary>
    public static bool CarriesAccountResults(int errorCode, JsonElement root)
    {
        ServiceErrorClass errorClass = ServiceErrorCatalog.Describe(errorCode).ErrorClass;
        if (errorClass != ServiceErrorClass.Unknown && errorClass != ServiceErrorClass.Request)
        {
            return false;
        }

        return IsNonEmptyArray(root, "QueryResult") || IsNonEmptyArray(root, "ErrorList");
    }

    /// <summary>Reads QueryResult and ErrorList; the envelope (ErrorCode) has been checked by the caller.</summary>
    /// <exception cref="FormatException">Neither list is there, or one has the wrong shape.</exception>
    public static List<OnlineStatusItem> ReadAnswer(JsonElement root, IReadOnlyList<string> sent, bool detail)
    {
        bool hasResults = TryGetArray(root, "QueryResult", out JsonElement results);
        bool hasErrors = TryGetArray(root, "ErrorList", out JsonElement errors);
        if (!hasResults && !hasErrors)
        {
            throw new FormatException("The answer has neither a QueryResult nor an ErrorList array.");
        }

        var items = new List<OnlineStatusItem>(sent.Count);
        if (hasResults)
        {
            foreach (JsonElement entry in results.EnumerateArray())
            {
                string userId = ReadAccount(entry, "QueryResult", sent, items.Count);
                items.Add(new OnlineStatusItem(userId, 0, string.Empty, ReadStatus(entry), detail ? ReadDetail(entry) : null, inErrorList: false));
            }
        }

        if (hasErrors)
        {
            foreach (JsonElement entry in errors.EnumerateArray())
            {
                string userId = ReadAccount(entry, "ErrorList", sent, -1);
                int code = entry.TryGetProperty("ErrorCode", out JsonElement c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out int n) ? n : 0;
                string info = StringOf(entry, "ErrorInfo") ?? StringOf(entry, "ResultInfo") ?? string.Empty;
                items.Add(new OnlineStatusItem(userId, code, info, null, null, inErrorList: true));
            }
        }

        return items;
    }

    /// <summary>Online, PushOnline or Offline, whatever their case; null for anything else.</summary>
    public static OnlineStatus? ParseStatus(string status)
    {
        if (string.Equals(status, nameof(OnlineStatus.Online), StringComparison.OrdinalIgnoreCase))
        {
            return OnlineStatus.Online;
        }

        if (string.Equals(status, nameof(OnlineStatus.PushOnline), StringComparison.OrdinalIgnoreCase))
        {
            return OnlineStatus.PushOnline;
        }

        return string.Equals(status, nameof(OnlineStatus.Offline), StringComparison.OrdinalIgnoreCase) ? OnlineStatus.Offline : (OnlineStatus?)null;
    }

    private static bool IsNonEmptyArray(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0;

    /// <summary>An absent or null list is no list; anything else must be an array.</summary>
    private static bool TryGetArray(JsonElement root, string name, out JsonElement array)
    {
        if (!root.TryGetProperty(name, out array) || array.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"The answer's {name} is not an array.");
        }

        return true;
    }

    /// <summary>
    /// The entry's To_Account. The service answers in request order, so an entry whose account is the one sent in
    /// the same place reuses the sent string.
    /// </summary>
    private static string ReadAccount(JsonElement entry, string list, IReadOnlyList<string> sent, int index)
    {
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("To_Account", out JsonElement account) || account.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"An entry of {list} has no To_Account.");
        }

        return index >= 0 && index < sent.Count && account.ValueEquals(sent[index]) ? sent[index] : account.GetString()!;
    }

    /// <summary>Status, else State: text as given; another JSON value as its JSON text; null when neither is there.</summary>
    private static string? ReadStatus(JsonElement entry)
    {
        if (!TryGetStatus(entry, out JsonElement status))
        {
            return null;
        }

        return status.ValueKind == JsonValueKind.String ? status.GetString()! : status.GetRawText();
    }

    private static bool TryGetStatus(JsonElement entry, out JsonElement status) =>
        (entry.TryGetProperty("Status", out status) && status.ValueKind != JsonValueKind.Null)
        || (entry.TryGetProperty("State", out status) && status.ValueKind != JsonValueKind.Null);

    private static List<OnlinePlatformStatus> ReadDetail(JsonElement entry)
    {
        var platforms = new List<OnlinePlatformStatus>();
        if (!TryGetArray(entry, "Detail", out JsonElement detail))
        {
            return platforms;
        }

        foreach (JsonElement platform in detail.EnumerateArray())
        {
            if (platform.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("An entry of a QueryResult's Detail is not an object.");
            }

            platforms.Add(new OnlinePlatformStatus(StringOf(platform, "Platform") ?? string.Empty, ReadStatus(platform) ?? string.Empty));
        }

        return platforms;
    }

    private static string? StringOf(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
