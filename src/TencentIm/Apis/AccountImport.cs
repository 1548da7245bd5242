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

/// <summary>One account to import: its UserID and the profile fields to set (null: not sent).</summary>
internal sealed class AccountImportItem
{
    public AccountImportItem(string userId, string? nick, string? faceUrl)
    {
        UserId = userId;
        Nick = nick;
        FaceUrl = faceUrl;
    }

    public string UserId { get; }

    public string? Nick { get; }

    public string? FaceUrl { get; }
}

/// <summary>
/// What became of one account: imported (ResultCode 0), refused with the service's code and ErrorInfo, listed as
/// not imported and still waiting for its reason, or an error when asking for that reason failed.
/// </summary>
internal readonly struct AccountImportAnswer
{
    private AccountImportAnswer(string userId, int resultCode, string errorInfo, bool reasonPending, TencentImRequestException? failure)
    {
        UserId = userId;
        ResultCode = resultCode;
        ErrorInfo = errorInfo;
        ReasonPending = reasonPending;
        Failure = failure;
    }

    public string UserId { get; }

    public int ResultCode { get; }

    /// <summary>The service's ErrorInfo for this account, as it gave it.</summary>
    public string ErrorInfo { get; }

    /// <summary>multiaccount_import did not import it and gave no reason: one account_import is to ask.</summary>
    public bool ReasonPending { get; }

    /// <summary>The account_import that was to give the reason failed (a timeout, a malformed answer, …).</summary>
    public TencentImRequestException? Failure { get; }

    public static AccountImportAnswer Imported(string userId) => new AccountImportAnswer(userId, 0, "", false, null);

    public static AccountImportAnswer Refused(string userId, int resultCode, string errorInfo) => new AccountImportAnswer(userId, resultCode, errorInfo, false, null);

    public static AccountImportAnswer NotImported(string userId) => new AccountImportAnswer(userId, 0, "", true, null);

    public static AccountImportAnswer Unanswered(string userId, TencentImRequestException failure) => new AccountImportAnswer(userId, 0, "", false, failure);
}

/// <summary>
/// Import-TencentImAccount's operation: multiaccount_import in its AccountList form (up to 100 accounts a call,
/// 100 calls/s), then one account_import (1 account a call, 200 calls/s, its own rate limiter) for each account the
/// answer lists in FailAccounts, which gives no reason: account_import answers that account's reason as its
/// request-level ErrorCode and ErrorInfo (docs/service-api.md §3).
/// </summary>
/// <remarks>
/// The documented answer is ErrorCode 0 with FailAccounts listing the accounts not imported
/// (https://www.tencentcloud.com/document/product/1047/34954). Other plausible readings are handled too: no
/// FailAccounts (all imported); FailAccounts entries given as objects with a UserID; and a request-level ErrorCode
/// that is neither a configuration error nor a passing fault (70398, 70402, a code this module does not know),
/// which some APIs answer when part of a batch failed: the answer's per-account list cannot be read then (the
/// client stops at the ErrorCode), so every account of the batch gets its own account_import. Importing again is
/// an update, so the accounts the batch did import stay imported, and each gets its own outcome.
/// </remarks>
internal sealed class AccountImportOperation : BatchOperation<AccountImportItem, AccountImportAnswer, AccountImportResult>
{
    private readonly ImRestClient _client;

    public AccountImportOperation(ImRestClient client)
        : base(ServiceApi.MultiAccountImport, "AccountImport", "may not have been imported")
    {
        _client = client;
    }

    public override string KeyOf(AccountImportItem item) => item.UserId;

    /// <summary>
    /// A UserID repeated in one request with the same Nick and FaceUrl is answered with the first one's result; with
    /// other values it is an error: one request imports each account once, and answering Imported for values that
    /// were never sent would hide that they were dropped.
    /// </summary>
    public override ItemFailure? RepeatConflict(AccountImportItem first, AccountImportItem repeat) =>
        string.Equals(first.Nick, repeat.Nick, StringComparison.Ordinal) && string.Equals(first.FaceUrl, repeat.FaceUrl, StringComparison.Ordinal)
            ? null
            : new ItemFailure(repeat.UserId, "ImportRepeatDiffers", System.Management.Automation.ErrorCategory.InvalidArgument,
                $"UserID '{repeat.UserId}' comes again with another Nick or FaceUrl than before it in the same request (Nick '{first.Nick}' then '{repeat.Nick}'), so only the first values were sent and this one was not imported. Give each UserID once, with the values it should have.");

    public override string KeyOf(AccountImportAnswer answer) => answer.UserId;

    /// <summary>The batch, then one account_import for each account it did not import.</summary>
    /// <exception cref="TencentImRequestException">
    /// The batch failed after its retries (a passing fault, a malformed answer), or either call met a configuration
    /// error or an expired pre-signed UserSig, which stops the run.
    /// </exception>
    public override async Task<List<AccountImportAnswer>> SendAsync(IReadOnlyList<AccountImportItem> items, IRequestObserver? observer, CancellationToken cancellationToken)
    {
        List<AccountImportAnswer> answers;
        try
        {
            answers = await SendOnceAsync(items, observer, cancellationToken).ConfigureAwait(false);
        }
        catch (TencentImRequestException e) when (RefusesAccountsNotTheRun(e))
        {
            answers = new List<AccountImportAnswer>(items.Count);
            foreach (AccountImportItem item in items)
            {
                answers.Add(AccountImportAnswer.NotImported(item.UserId));
            }
        }

        for (int i = 0; i < answers.Count; i++)
        {
            if (answers[i].ReasonPending)
            {
                // One at a time: a batch keeps one request in flight, so -ThrottleLimit bounds these calls too.
                answers[i] = await ImportOneAsync(items[i], observer, cancellationToken).ConfigureAwait(false);
            }
        }

        return answers;
    }

    public override ItemOutcome<AccountImportResult> ToOutcome(AccountImportAnswer answer)
    {
        if (answer.Failure != null)
        {
            return ItemOutcome<AccountImportResult>.Of(RequestFailed(answer.UserId, answer.Failure));
        }

        string info = answer.ResultCode == 0 ? "" : ItemResultCatalog.Explain(answer.ResultCode, answer.ErrorInfo);
        return ItemOutcome<AccountImportResult>.Of(new AccountImportResult(answer.UserId, answer.ResultCode, info));
    }

    /// <summary>One multiaccount_import: an answer per item, in item order; those in FailAccounts wait for their reason.</summary>
    protected override async Task<List<AccountImportAnswer>> SendOnceAsync(IReadOnlyList<AccountImportItem> items, IRequestObserver? observer, CancellationToken cancellationToken)
    {
        HashSet<string> failed = await _client.CallAsync(ServiceApi.MultiAccountImport.Path, AccountImportProtocol.WriteAccountList(items), items.Count,
            AccountImportProtocol.ReadFailAccounts, observer, cancellationToken).ConfigureAwait(false);
        var answers = new List<AccountImportAnswer>(items.Count);
        foreach (AccountImportItem item in items)
        {
            answers.Add(failed.Contains(item.UserId) ? AccountImportAnswer.NotImported(item.UserId) : AccountImportAnswer.Imported(item.UserId));
        }

        return answers;
    }

    /// <summary>
    /// account_import of one account: imported, or its reason (the request-level ErrorCode and ErrorInfo). Only a
    /// configuration error or an expired pre-signed UserSig escapes, to stop the run once; any other failure of this
    /// call is this account's error.
    /// </summary>
    private async Task<AccountImportAnswer> ImportOneAsync(AccountImportItem item, IRequestObserver? observer, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CallAsync(ServiceApi.AccountImport.Path, AccountImportProtocol.WriteAccount(item), 1, _ => true, observer, cancellationToken).ConfigureAwait(false);
            return AccountImportAnswer.Imported(item.UserId);
        }
        catch (TencentImRequestException e) when (!StopsTheRun(e))
        {
            return e.Kind == RequestFailureKind.ServiceError
                ? AccountImportAnswer.Refused(item.UserId, e.ErrorCode, e.ErrorInfo)
                : AccountImportAnswer.Unanswered(item.UserId, e);
        }
    }

    private static bool StopsTheRun(TencentImRequestException e) =>
        e.ErrorClass == ServiceErrorClass.Configuration || e.ErrorClass == ServiceErrorClass.ExpiredSignature;

    /// <summary>
    /// A request-level ErrorCode about the accounts of the batch rather than the connection or the service's health:
    /// refused parameters (70402), an account code (70398, 70399) or a code this module does not know.
    /// </summary>
    private static bool RefusesAccountsNotTheRun(TencentImRequestException e) =>
        e.Kind == RequestFailureKind.ServiceError
        && (e.ErrorClass == ServiceErrorClass.Request || e.ErrorClass == ServiceErrorClass.Unknown);
}

/// <summary>The bodies of multiaccount_import and account_import, and the reading of FailAccounts (docs/service-api.md §3).</summary>
internal static class AccountImportProtocol
{
    private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{"AccountList":[{"UserID":"u1","Nick":"…","FaceUrl":"…"},…]}</c>; a field that is null is left out.</summary>
    public static byte[] WriteAccountList(IReadOnlyList<AccountImportItem> items)
    {
        using var buffer = new MemoryStream(32 + items.Count * 64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("AccountList");
            foreach (AccountImportItem item in items)
            {
                WriteAccountObject(writer, item);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>account_import's body: <c>{"UserID":"u1","Nick":"…","FaceUrl":"…"}</c>; a field that is null is left out.</summary>
    public static byte[] WriteAccount(AccountImportItem item)
    {
        using var buffer = new MemoryStream(64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteAccountObject(writer, item);
        }

        return buffer.ToArray();
    }

    private static void WriteAccountObject(Utf8JsonWriter writer, AccountImportItem item)
    {
        writer.WriteStartObject();
        writer.WriteString("UserID", item.UserId);
        if (item.Nick != null)
        {
            writer.WriteString("Nick", item.Nick);
        }

        if (item.FaceUrl != null)
        {
            writer.WriteString("FaceUrl", item.FaceUrl);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The UserIDs in FailAccounts, the accounts not imported; the envelope (ErrorCode 0) has been checked by the
    /// caller. The documented entries are UserID strings; an entry given as an object with a UserID (or the older
    /// field name Identifier) is read too. No FailAccounts, or null, means that every account was imported.
    /// </summary>
    /// <exception cref="FormatException">FailAccounts is not an array, or an entry names no UserID.</exception>
    public static HashSet<string> ReadFailAccounts(JsonElement root)
    {
        var failed = new HashSet<string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("FailAccounts", out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            return failed;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"FailAccounts is a JSON {list.ValueKind}, not an array of UserIDs.");
        }

        foreach (JsonElement entry in list.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.String)
            {
                failed.Add(entry.GetString()!);
            }
            else if (entry.ValueKind == JsonValueKind.Object && TryReadUserId(entry, out string? userId))
            {
                failed.Add(userId!);
            }
            else
            {
                throw new FormatException($"A FailAccounts entry is a JSON {entry.ValueKind} that names no UserID.");
            }
        }

        return failed;
    }

    private static bool TryReadUserId(JsonElement entry, out string? userId)
    {
        foreach (string name in new[] { "UserID", "Identifier" })
        {
            if (entry.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                userId = value.GetString();
                return true;
            }
        }

        userId = null;
        return false;
    }
}
