using System.Collections.Generic;
using System.Text.Json;

namespace TencentIm.Emulator;

/// <summary>
/// The login-state APIs (docs/service-api.md §3): query_online_status reads who is logged in, kick logs an account
/// out and revokes its UserSigs. Each reads the whole request before it changes anything.
/// </summary>
internal sealed class SessionApis
{
    private static readonly JsonEncodedText QueryResult = JsonEncodedText.Encode("QueryResult");
    private static readonly JsonEncodedText ErrorList = JsonEncodedText.Encode("ErrorList");
    private static readonly JsonEncodedText ToAccount = JsonEncodedText.Encode("To_Account");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("Status");
    private static readonly JsonEncodedText Detail = JsonEncodedText.Encode("Detail");
    private static readonly JsonEncodedText Platform = JsonEncodedText.Encode("Platform");

    private readonly AccountStore _store;
    private readonly SessionStore _sessions;
    private readonly EmulatorClock _clock;

    public SessionApis(AccountStore store, SessionStore sessions, EmulatorClock clock)
    {
        _store = store;
        _sessions = sessions;
        _clock = clock;
    }

    /// <summary>The handlers of the login-state APIs, for the endpoint's table.</summary>
    public IEnumerable<KeyValuePair<EmulatedApi, ApiHandler>> Handlers()
    {
        yield return new(EmulatedApis.Kick, Kick);
        yield return new(EmulatedApis.QueryOnlineStatus, QueryOnlineStatus);
    }

    /// <summary>
    /// <c>{"UserID":"u1"}</c>: logs the account out and revokes its UserSigs (the gate then refuses those issued before
    /// now); the answer is the bare envelope. A missing account answers 70107, the kick page's code for it
    /// (https://www.tencentcloud.com/document/product/1047/34957).
    /// </summary>
    private void Kick(JsonElement root, Utf8JsonWriter writer)
    {
        string userId = AccountApis.RequiredString(root, "UserID", "UserID");
        if (!AccountStore.IsValidUserId(userId))
        {
            throw new ImRequestException(ServiceErrors.InvalidParameters, "UserID must be 1 to 32 bytes");
        }

        if (!_store.IsImported(userId))
        {
            throw new ImRequestException(ServiceErrors.AccountNotFound, null);
        }

        _sessions.Kick(userId, _clock.UtcNow);
        writer.WriteStartObject();
        ImResponses.WriteOkHeader(writer);
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>{"To_Account":["u1",…],"IsNeedDetail":0|1}</c>: a QueryResult entry per imported account (with its
    /// platforms when IsNeedDetail is 1), an ErrorList entry with ErrorCode 70107 per missing one, in request order
    /// within each list. The docs say ErrorCode is 0 when any account succeeded; when none did, this answers FAIL with
    /// the first account's code, and still the ErrorList.
    /// </summary>
    private void QueryOnlineStatus(JsonElement root, Utf8JsonWriter writer)
    {
        JsonElement list = AccountApis.RequiredArray(root, "To_Account", EmulatedApis.QueryOnlineStatus.MaxItemsPerCall);
        var userIds = new List<string>(list.GetArrayLength());
        foreach (JsonElement item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new ImRequestException(ServiceErrors.InvalidJsonFieldType, "To_Account holds UserID strings");
            }

            userIds.Add(item.GetString()!);
        }

        bool detail = ReadIsNeedDetail(root);
        var found = new List<string>(userIds.Count);
        var errors = new List<(string UserId, int Code)>();
        foreach (string userId in userIds)
        {
            if (!AccountStore.IsValidUserId(userId))
            {
                errors.Add((userId, ServiceErrors.InvalidParameters));
            }
            else if (!_store.IsImported(userId))
            {
                errors.Add((userId, ServiceErrors.AccountNotFound));
            }
            else
            {
                found.Add(userId);
            }
        }

        writer.WriteStartObject();
        if (found.Count > 0)
        {
            ImResponses.WriteOkHeader(writer);
            writer.WriteStartArray(QueryResult);
            foreach (string userId in found)
            {
                WriteState(writer, userId, detail);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString(ImResponses.ActionStatus, ImResponses.Fail);
            writer.WriteNumber(ImResponses.ErrorCode, errors[0].Code);
            writer.WriteString(ImResponses.ErrorInfo, ServiceErrors.Info(errors[0].Code));
        }

        if (errors.Count > 0)
        {
            writer.WriteStartArray(ErrorList);
            foreach (var (userId, code) in errors)
            {
                writer.WriteStartObject();
                writer.WriteString(ToAccount, userId);
                writer.WriteNumber(ImResponses.ErrorCode, code);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private void WriteState(Utf8JsonWriter writer, string userId, bool detail)
    {
        var (status, platforms) = _sessions.StatusOf(userId);
        writer.WriteStartObject();
        writer.WriteString(ToAccount, userId);
        writer.WriteString(Status, status);
        if (detail && platforms.Count > 0)
        {
            writer.WriteStartArray(Detail);
            foreach (PlatformState platform in platforms)
            {
                writer.WriteStartObject();
                writer.WriteString(Platform, platform.Platform);
                writer.WriteString(Status, platform.Status);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>IsNeedDetail is optional: 0 or 1; another number is 70402, another type 60015.</summary>
    private static bool ReadIsNeedDetail(JsonElement root)
    {
        if (!root.TryGetProperty("IsNeedDetail", out JsonElement value))
        {
            return false;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new ImRequestException(ServiceErrors.InvalidJsonFieldType, "IsNeedDetail must be a number");
        }

        if (!value.TryGetInt32(out int flag) || flag < 0 || flag > 1)
        {
            throw new ImRequestException(ServiceErrors.InvalidParameters, "IsNeedDetail must be 0 or 1");
        }

        return flag == 1;
    }
}
