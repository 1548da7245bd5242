using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace TencentIm.Emulator;

/// <summary>A request the API refuses as a whole: its error code and a detail for ErrorInfo.</summary>
internal sealed class ImRequestException : Exception
{
    public ImRequestException(int errorCode, string? detail)
        : base(ServiceErrors.Info(errorCode, detail))
    {
        ErrorCode = errorCode;
        Detail = detail;
    }

    public int ErrorCode { get; }

    /// <summary>What the ErrorInfo adds to the code's text, or null.</summary>
    public string? Detail { get; }
}

/// <summary>
/// The four account APIs (docs/service-api.md §3). Each reads the whole request before it changes anything, so a request
/// refused as a whole (70402, 60015, …) changes no account; per-account problems go into the answer's items.
/// </summary>
internal sealed class AccountApis
{
    public const int MaxProfileFieldBytes = 500;

    private static readonly JsonEncodedText ResultItem = JsonEncodedText.Encode("ResultItem");
    private static readonly JsonEncodedText UserIdName = JsonEncodedText.Encode("UserID");
    private static readonly JsonEncodedText ResultCode = JsonEncodedText.Encode("ResultCode");
    private static readonly JsonEncodedText ResultInfo = JsonEncodedText.Encode("ResultInfo");
    private static readonly JsonEncodedText AccountStatus = JsonEncodedText.Encode("AccountStatus");
    private static readonly JsonEncodedText Imported = JsonEncodedText.Encode("Imported");
    private static readonly JsonEncodedText NotImported = JsonEncodedText.Encode("NotImported");
    private static readonly JsonEncodedText FailAccounts = JsonEncodedText.Encode("FailAccounts");
    private static readonly string InvalidUserIdInfo = ServiceErrors.Info(ServiceErrors.InvalidParameters, "UserID must be 1 to 32 bytes");

    private readonly AccountStore _store;
    private readonly Dictionary<string, int> _failingAccounts;
    private readonly HashSet<string> _flakyAccounts;
    private readonly bool _denyDelete;
    private readonly bool _denyDeletePerItem;
    private readonly EmulatorClock _clock;

    /// <param name="failingAccounts">"u1" (answers 70500) or "u1=70107" (answers that code) for every account_check.</param>
    /// <param name="flakyAccounts">UserIDs whose first account_check item answers 70500, and later ones normally.</param>
    /// <param name="denyDelete">account_delete refuses the whole request with 71000.</param>
    /// <param name="denyDeletePerItem">account_delete answers OK with ResultCode 71000 for every account (the other reading of the docs).</param>
    public AccountApis(AccountStore store, IEnumerable<string> failingAccounts, IEnumerable<string> flakyAccounts, bool denyDelete, EmulatorClock clock, bool denyDeletePerItem = false)
    {
        _store = store;
        _failingAccounts = ParseFailingAccounts(failingAccounts);
        _flakyAccounts = new HashSet<string>(flakyAccounts, StringComparer.Ordinal);
        _denyDelete = denyDelete;
        _denyDeletePerItem = denyDeletePerItem;
        _clock = clock;
    }

    /// <summary>"u1" fails with 70500; "u1=70107" with the code after the last '='.</summary>
    internal static Dictionary<string, int> ParseFailingAccounts(IEnumerable<string> entries)
    {
        var failing = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string entry in entries)
        {
            int equals = entry.LastIndexOf('=');
            if (equals > 0 && int.TryParse(entry.AsSpan(equals + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int code))
            {
                failing[entry.Substring(0, equals)] = code;
            }
            else
            {
                failing[entry] = ServiceErrors.InternalError;
            }
        }

        return failing;
    }

    /// <summary>The per-account code a failing account always answers, a flaky one the first time, or null.</summary>
    private int? InjectedItemFailure(string userId)
    {
        if (_failingAccounts.TryGetValue(userId, out int code))
        {
            return code;
        }

        lock (_flakyAccounts)
        {
            return _flakyAccounts.Remove(userId) ? ServiceErrors.InternalError : null;
        }
    }

    /// <summary>The handlers of the account APIs, for the endpoint's table.</summary>
    public IEnumerable<KeyValuePair<EmulatedApi, ApiHandler>> Handlers()
    {
        yield return new(EmulatedApis.AccountCheck, AccountCheck);
        yield return new(EmulatedApis.AccountImport, AccountImport);
        yield return new(EmulatedApis.MultiAccountImport, MultiAccountImport);
        yield return new(EmulatedApis.AccountDelete, AccountDelete);
    }

    private void AccountCheck(JsonElement root, Utf8JsonWriter writer)
    {
        List<string> userIds = UserIdItems(root, "CheckItem", EmulatedApis.AccountCheck.MaxItemsPerCall);

        writer.WriteStartObject();
        ImResponses.WriteOkHeader(writer);
        writer.WriteStartArray(ResultItem);
        foreach (string userId in userIds)
        {
            writer.WriteStartObject();
            writer.WriteString(UserIdName, userId);
            if (!AccountStore.IsValidUserId(userId))
            {
                writer.WriteNumber(ResultCode, ServiceErrors.InvalidParameters);
                writer.WriteString(ResultInfo, InvalidUserIdInfo);
            }
            else if (InjectedItemFailure(userId) is int failure)
            {
                writer.WriteNumber(ResultCode, failure);
                writer.WriteString(ResultInfo, ServiceErrors.Info(failure));
            }
            else
            {
                writer.WriteNumber(ResultCode, 0);
                writer.WriteString(ResultInfo, "");
                writer.WriteString(AccountStatus, _store.IsImported(userId) ? Imported : NotImported);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void AccountImport(JsonElement root, Utf8JsonWriter writer)
    {
        string userId = RequiredString(root, "UserID", "UserID");
        string? nick = OptionalString(root, "Nick");
        string? faceUrl = OptionalString(root, "FaceUrl");
        if (!AccountStore.IsValidUserId(userId))
        {
            throw new ImRequestException(ServiceErrors.InvalidParameters, "UserID must be 1 to 32 bytes");
        }

        if (!IsValidProfileField(nick) || !IsValidProfileField(faceUrl))
        {
            throw new ImRequestException(ServiceErrors.InvalidParameters, "Nick and FaceUrl are at most 500 bytes");
        }

        switch (_store.TryImport(userId, new AccountProfile(nick, faceUrl), _clock.UtcNow))
        {
            case ImportOutcome.DeletedRecently:
                throw new ImRequestException(ServiceErrors.ReimportTooSoon, userId);
            case ImportOutcome.AccountLimitReached:
                throw new ImRequestException(ServiceErrors.AccountLimitReached, userId);
        }

        writer.WriteStartObject();
        ImResponses.WriteOkHeader(writer);
        writer.WriteEndObject();
    }

    private void MultiAccountImport(JsonElement root, Utf8JsonWriter writer)
    {
        // Two forms (docs/service-api.md §3): the older {"Accounts":["u1",…]} and the newer {"AccountList":[{"UserID",…}]}.
        var accounts = new List<(string UserId, AccountProfile Profile)>();
        if (root.TryGetProperty("AccountList", out _))
        {
            JsonElement list = RequiredArray(root, "AccountList", EmulatedApis.MultiAccountImport.MaxItemsPerCall);
            foreach (JsonElement item in list.EnumerateArray())
            {
                RequireObject(item, "AccountList");
                accounts.Add((RequiredString(item, "UserID", "AccountList[].UserID"),
                    new AccountProfile(OptionalString(item, "Nick"), OptionalString(item, "FaceUrl"))));
            }
        }
        else
        {
            JsonElement list = RequiredArray(root, "Accounts", EmulatedApis.MultiAccountImport.MaxItemsPerCall);
            foreach (JsonElement item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    throw new ImRequestException(ServiceErrors.InvalidJsonFieldType, "Accounts holds UserID strings");
                }

                accounts.Add((item.GetString()!, AccountProfile.None));
            }
        }

        DateTimeOffset now = _clock.UtcNow;
        writer.WriteStartObject();
        ImResponses.WriteOkHeader(writer);
        writer.WriteStartArray(FailAccounts);
        foreach (var (userId, profile) in accounts)
        {
            bool imported = AccountStore.IsValidUserId(userId)
                && IsValidProfileField(profile.Nick) && IsValidProfileField(profile.FaceUrl)
                && _store.TryImport(userId, profile, now) == ImportOutcome.Imported;
            if (!imported)
            {
                writer.WriteStringValue(userId);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void AccountDelete(JsonElement root, Utf8JsonWriter writer)
    {
        if (_denyDelete)
        {
            throw new ImRequestException(ServiceErrors.DeleteNotAllowed, null);
        }

        List<string> userIds = UserIdItems(root, "DeleteItem", EmulatedApis.AccountDelete.MaxItemsPerCall);
        DateTimeOffset now = _clock.UtcNow;

        writer.WriteStartObject();
        ImResponses.WriteOkHeader(writer);
        writer.WriteStartArray(ResultItem);
        foreach (string userId in userIds)
        {
            writer.WriteStartObject();
            if (!AccountStore.IsValidUserId(userId))
            {
                writer.WriteNumber(ResultCode, ServiceErrors.InvalidParameters);
                writer.WriteString(ResultInfo, InvalidUserIdInfo);
            }
            else if (_denyDeletePerItem)
            {
                writer.WriteNumber(ResultCode, ServiceErrors.DeleteNotAllowed);
                writer.WriteString(ResultInfo, ServiceErrors.Info(ServiceErrors.DeleteNotAllowed));
            }
            else if (!_store.TryDelete(userId, now))
            {
                writer.WriteNumber(ResultCode, ServiceErrors.AccountNotFound);
                writer.WriteString(ResultInfo, ServiceErrors.Info(ServiceErrors.AccountNotFound));
            }
            else
            {
                writer.WriteNumber(ResultCode, 0);
                writer.WriteString(ResultInfo, "");
            }

            writer.WriteString(UserIdName, userId);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads <c>{"{name}":[{"UserID":"u1"},…]}</c>: 1 to 100 objects, each with a UserID string.</summary>
    private static List<string> UserIdItems(JsonElement root, string name, int maxItems)
    {
        JsonElement items = RequiredArray(root, name, maxItems);
        var userIds = new List<string>(items.GetArrayLength());
        foreach (JsonElement item in items.EnumerateArray())
        {
            RequireObject(item, name);
            userIds.Add(RequiredString(item, "UserID", name + "[].UserID"));
        }

        return userIds;
    }

    /// <summary>A present array of 1 to <paramref name="maxItems"/> items; missing → 70402, not an array → 60015, too few or many → 70402.</summary>
    internal static JsonElement RequiredArray(JsonElement obj, string name, int maxItems)
    {
        if (!obj.TryGetProperty(name, out JsonElement value))
        {
            throw new ImRequestException(ServiceErrors.InvalidParameters, name + " is missing");
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new ImRequestException(ServiceErrors.InvalidJsonFieldType, name + " must be an array");
        }

        int length = value.GetArrayLength();
        if (length == 0 || length > maxItems)
        {
            throw new ImRequestException(ServiceErrors.InvalidParameters, $"{name} must hold 1 to {maxItems} items, not {length}");
        }

        return value;
    }

    internal static void RequireObject(JsonElement item, string arrayName)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new ImRequestException(ServiceErrors.InvalidJsonFieldType, arrayName + " holds objects");
        }
    }

    internal static string RequiredString(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out JsonElement value))
        {
            throw new ImRequestException(ServiceErrors.InvalidParameters, path + " is missing");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ImRequestException(ServiceErrors.InvalidJsonFieldType, path + " must be a string");
        }

        return value.GetString()!;
    }

    // Absent and null both mean "not given".
    private static string? OptionalString(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ImRequestException(ServiceErrors.InvalidJsonFieldType, name + " must be a string");
        }

        return value.GetString();
    }

    private static bool IsValidProfileField(string? value) =>
        value is null || Encoding.UTF8.GetByteCount(value) <= MaxProfileFieldBytes;
}
