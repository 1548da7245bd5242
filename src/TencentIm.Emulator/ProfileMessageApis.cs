using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace TencentIm.Emulator;

/// <summary>One message openim/sendmsg accepted: who sent it to whom, its MsgRandom and MsgKey.</summary>
public sealed record SentMessage(string? FromAccount, string ToAccount, uint MsgRandom, string MsgKey, long MsgTime, string MsgBody);

/// <summary>
/// The messages openim/sendmsg accepted, in the order it accepted them: what tests read to see that a message was
/// sent exactly once.
/// </summary>
public sealed class MessageLog
{
    private readonly ConcurrentQueue<SentMessage> _messages = new ConcurrentQueue<SentMessage>();
    private long _sequence;

    /// <summary>Every message accepted so far (a snapshot).</summary>
    public IReadOnlyList<SentMessage> Snapshot() => _messages.ToArray();

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void Add(SentMessage message) => _messages.Enqueue(message);
}

/// <summary>
/// profile/portrait_get and profile/portrait_set on the accounts' profiles (Nick as Tag_Profile_IM_Nick, FaceUrl as
/// Tag_Profile_IM_Image, other Tag_Profile_* fields kept as given), and openim/sendmsg, a write that is not
/// idempotent: each accepted call is one more message. Shapes and codes follow the API pages:
/// https://www.tencentcloud.com/document/product/1047/34917 (portrait_get),
/// https://www.tencentcloud.com/document/product/1047/34916 (portrait_set), https://trtc.io/document/34919 (sendmsg).
/// </summary>
internal sealed class ProfileMessageApis
{
    public const string NickTag = "Tag_Profile_IM_Nick";
    public const string ImageTag = "Tag_Profile_IM_Image";

    private readonly AccountStore _store;
    private readonly EmulatorClock _clock;
    private readonly MessageLog _messages;
    // Profile fields other than Nick and FaceUrl, by UserID and tag: the value's JSON text, as it was set.
    private readonly ConcurrentDictionary<(string UserId, string Tag), string> _otherFields = new ConcurrentDictionary<(string, string), string>();

    public ProfileMessageApis(AccountStore store, EmulatorClock clock, MessageLog messages)
    {
        _store = store;
        _clock = clock;
        _messages = messages;
    }

    /// <summary>The handlers, for the endpoint's table.</summary>
    public IEnumerable<KeyValuePair<EmulatedApi, ApiHandler>> Handlers()
    {
        yield return new(EmulatedApis.PortraitGet, PortraitGet);
        yield return new(EmulatedApis.PortraitSet, PortraitSet);
        yield return new(EmulatedApis.SendMsg, SendMsg);
    }

    /// <summary>
    /// <c>{"To_Account":["u1",…≤100],"TagList":["Tag_Profile_IM_Nick",…]}</c>: a UserProfileItem per account, in
    /// request order, with To_Account, ProfileItem (Tag and Value of each asked field that has a value), ResultCode
    /// and ResultInfo; 40003 for an account that does not exist. The page says every account must exist, or the
    /// service reports an error: when none exists the whole answer is FAIL 40003, still with its UserProfileItem.
    /// </summary>
    private void PortraitGet(JsonElement root, Utf8JsonWriter writer)
    {
        List<string> accounts = Strings(AccountApis.RequiredArray(root, "To_Account", EmulatedApis.PortraitGet.MaxItemsPerCall), "To_Account");
        List<string> tags = Strings(AccountApis.RequiredArray(root, "TagList", int.MaxValue), "TagList");
        int found = 0;
        foreach (string userId in accounts)
        {
            found += _store.IsImported(userId) ? 1 : 0;
        }

        writer.WriteStartObject();
        if (found > 0)
        {
            ImResponses.WriteOkHeader(writer);
        }
        else
        {
            writer.WriteString(ImResponses.ActionStatus, ImResponses.Fail);
            writer.WriteNumber(ImResponses.ErrorCode, ServiceErrors.ProfileAccountNotFound);
            writer.WriteString(ImResponses.ErrorInfo, ServiceErrors.Info(ServiceErrors.ProfileAccountNotFound));
        }

        writer.WriteString("ErrorDisplay", "");
        writer.WriteStartArray("UserProfileItem");
        foreach (string userId in accounts)
        {
            AccountProfile? profile = _store.ProfileOf(userId);
            writer.WriteStartObject();
            writer.WriteString("To_Account", userId);
            writer.WriteStartArray("ProfileItem");
            if (profile != null)
            {
                foreach (string tag in tags)
                {
                    WriteField(writer, userId, profile, tag);
                }
            }

            writer.WriteEndArray();
            writer.WriteNumber("ResultCode", profile == null ? ServiceErrors.ProfileAccountNotFound : 0);
            writer.WriteString("ResultInfo", profile == null ? ServiceErrors.Info(ServiceErrors.ProfileAccountNotFound) : "");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void WriteField(Utf8JsonWriter writer, string userId, AccountProfile profile, string tag)
    {
        string? text = tag == NickTag ? profile.Nick : tag == ImageTag ? profile.FaceUrl : null;
        _otherFields.TryGetValue((userId, tag), out string? raw);
        if (text == null && raw == null)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("Tag", tag);
        writer.WritePropertyName("Value");
        if (text != null)
        {
            writer.WriteStringValue(text);
        }
        else
        {
            writer.WriteRawValue(raw!);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>{"From_Account":"u1","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"…"},…]}</c>: sets the fields and
    /// answers the bare envelope. 40003 for an account that does not exist; 40001 for an item without a Tag string
    /// and a string or whole-number Value (Nick and Image take strings), or a tag that is not a Tag_Profile_ field;
    /// 40601 for a value over 500 bytes. Nothing is set unless every item is valid.
    /// </summary>
    private void PortraitSet(JsonElement root, Utf8JsonWriter writer)
    {
        string userId = AccountApis.RequiredString(root, "From_Account", "From_Account");
        JsonElement items = AccountApis.RequiredArray(root, "ProfileItem", int.MaxValue);
        string? nick = null;
        string? image = null;
        var others = new List<(string Tag, string Raw)>();
        foreach (JsonElement item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("Tag", out JsonElement tagValue) || tagValue.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("Value", out JsonElement value))
            {
                throw new ImRequestException(ServiceErrors.ProfileDecodeFailed, "each ProfileItem holds a Tag string and a Value");
            }

            string tag = tagValue.GetString()!;
            bool textField = tag == NickTag || tag == ImageTag;
            if (!tag.StartsWith("Tag_Profile_", StringComparison.Ordinal)
                || (textField && value.ValueKind != JsonValueKind.String)
                || (value.ValueKind != JsonValueKind.String && value.ValueKind != JsonValueKind.Number))
            {
                throw new ImRequestException(ServiceErrors.ProfileDecodeFailed, $"{tag} cannot take that value");
            }

            if (value.ValueKind == JsonValueKind.String && Encoding.UTF8.GetByteCount(value.GetString()!) > AccountApis.MaxProfileFieldBytes)
            {
                throw new ImRequestException(ServiceErrors.ProfileValueTooLong, tag);
            }

            if (tag == NickTag)
            {
                nick = value.GetString();
            }
            else if (tag == ImageTag)
            {
                image = value.GetString();
            }
            else
            {
                others.Add((tag, value.GetRawText()));
            }
        }

        if (!_store.TrySetProfile(userId, new AccountProfile(nick, image)))
        {
            throw new ImRequestException(ServiceErrors.ProfileAccountNotFound, userId);
        }

        foreach (var (tag, raw) in others)
        {
            _otherFields[(userId, tag)] = raw;
        }

        writer.WriteStartObject();
        ImResponses.WriteOkHeader(writer);
        writer.WriteString("ErrorDisplay", "");
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>{"To_Account":"u2","MsgRandom":n,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{…}}],"From_Account"?,…}</c>:
    /// keeps the message and answers MsgTime (Unix seconds) and MsgKey. 90003 without a To_Account string, 90005
    /// without a MsgRandom that is a 32-bit unsigned integer (a string, true, null or an object included: the
    /// page's 90005 is "MsgRandom is missing or not an integer"), 90002 for a MsgBody that is not a non-empty list of elements
    /// with a MsgType string and a MsgContent object, 20003 when the recipient (or a From_Account given) is not an
    /// account. Every accepted call is a new message, however alike: the API is not idempotent.
    /// </summary>
    private void SendMsg(JsonElement root, Utf8JsonWriter writer)
    {
        if (!root.TryGetProperty("To_Account", out JsonElement to) || to.ValueKind != JsonValueKind.String)
        {
            throw new ImRequestException(ServiceErrors.MessageToAccountInvalid, null);
        }

        if (!root.TryGetProperty("MsgRandom", out JsonElement randomValue) || randomValue.ValueKind != JsonValueKind.Number || !randomValue.TryGetUInt32(out uint random))
        {
            throw new ImRequestException(ServiceErrors.MessageRandomMissing, null);
        }

        if (!root.TryGetProperty("MsgBody", out JsonElement body) || body.ValueKind != JsonValueKind.Array || body.GetArrayLength() == 0)
        {
            throw new ImRequestException(ServiceErrors.MessageBodyInvalid, null);
        }

        foreach (JsonElement element in body.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("MsgType", out JsonElement type) || type.ValueKind != JsonValueKind.String
                || !element.TryGetProperty("MsgContent", out JsonElement content) || content.ValueKind != JsonValueKind.Object)
            {
                throw new ImRequestException(ServiceErrors.MessageBodyInvalid, null);
            }
        }

        string? from = null;
        if (root.TryGetProperty("From_Account", out JsonElement fromValue) && fromValue.ValueKind != JsonValueKind.Null)
        {
            if (fromValue.ValueKind != JsonValueKind.String)
            {
                throw new ImRequestException(ServiceErrors.InvalidJsonFieldType, "From_Account must be a string");
            }

            from = fromValue.GetString()!;
            if (!_store.IsImported(from))
            {
                throw new ImRequestException(ServiceErrors.MessageAccountInvalid, "From_Account " + from);
            }
        }

        string toAccount = to.GetString()!;
        if (!_store.IsImported(toAccount))
        {
            throw new ImRequestException(ServiceErrors.MessageAccountInvalid, "To_Account " + toAccount);
        }

        long time = _clock.UtcNow.ToUnixTimeSeconds();
        string key = string.Create(CultureInfo.InvariantCulture, $"{_messages.NextSequence()}_{random}_{time}");
        _messages.Add(new SentMessage(from, toAccount, random, key, time, body.GetRawText()));

        writer.WriteStartObject();
        ImResponses.WriteOkHeader(writer);
        writer.WriteNumber("MsgTime", time);
        writer.WriteString("MsgKey", key);
        writer.WriteEndObject();
    }

    private static List<string> Strings(JsonElement list, string name)
    {
        var values = new List<string>(list.GetArrayLength());
        foreach (JsonElement item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new ImRequestException(ServiceErrors.InvalidJsonFieldType, name + " holds strings");
            }

            values.Add(item.GetString()!);
        }

        return values;
    }
}
