using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TencentIm.Apis;

/// <summary>
/// The request and answer shapes that account_check and account_delete share (docs/service-api.md §3): a body
/// <c>{"&lt;Name&gt;":[{"UserID":"u1"},…]}</c>, and an answer whose <c>ResultItem</c> array holds one object per
/// account with UserID, ResultCode and ResultInfo, plus what the API adds.
/// </summary>
internal static class UserIdItemProtocol
{
    private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads one ResultItem entry: the UserID (the sent string when equal), its ResultCode and ResultInfo, and the entry itself.</summary>
    public delegate T ItemReader<T>(string userId, int resultCode, string resultInfo, JsonElement item);

    public static byte[] WriteRequest(string arrayName, IReadOnlyList<string> userIds)
    {
        using var buffer = new MemoryStream(32 + userIds.Count * 48);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(arrayName);
            for (int i = 0; i < userIds.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("UserID", userIds[i]);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads the answer's ResultItem list; the envelope (ErrorCode) has been checked by the caller.</summary>
    /// <remarks>
    /// The hot path of a long run: an item whose UserID is the one sent in the same place (the service answers in
    /// request order) reuses the sent string, so that a million answers do not allocate a million strings. Items
    /// in another order are still matched by UserID later. A missing ResultCode reads as 0, as on the API pages'
    /// samples every item has one.
    /// </remarks>
    /// <exception cref="FormatException">ResultItem is missing or has the wrong shape.</exception>
    public static List<T> ReadResultItems<T>(JsonElement root, IReadOnlyList<string> sent, ItemReader<T> read)
    {
        if (!root.TryGetProperty("ResultItem", out JsonElement items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("The answer has no ResultItem array.");
        }

        var result = new List<T>(items.GetArrayLength());
        int index = 0;
        foreach (JsonElement item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("UserID", out JsonElement userIdElement) || userIdElement.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("A ResultItem has no UserID.");
            }

            string userId = index < sent.Count && userIdElement.ValueEquals(sent[index]) ? sent[index] : userIdElement.GetString()!;
            int resultCode = item.TryGetProperty("ResultCode", out JsonElement code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : 0;
            string resultInfo = item.TryGetProperty("ResultInfo", out JsonElement info) && info.ValueKind == JsonValueKind.String && info.ValueEquals(string.Empty) == false
                ? info.GetString()!
                : string.Empty;
            result.Add(read(userId, resultCode, resultInfo, item));
            index++;
        }

        return result;
    }
}
