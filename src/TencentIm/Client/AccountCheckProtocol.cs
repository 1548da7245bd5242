using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TencentIm.Client
{
    /// <summary>One ResultItem of an account_check answer.</summary>
    internal readonly struct AccountCheckItem
    {
        public AccountCheckItem(string userId, int resultCode, string resultInfo, string accountStatus)
        {
            UserId = userId;
            ResultCode = resultCode;
            ResultInfo = resultInfo;
            AccountStatus = accountStatus;
        }

        public string UserId { get; }

        public int ResultCode { get; }

        public string ResultInfo { get; }

        public string AccountStatus { get; }
    }

    /// <summary>The body of account_check and the parsing of its answer (the API page and fact sheet §3).</summary>
    internal static class AccountCheckProtocol
    {
        public const string Api = "im_open_login_svc/account_check";

        /// <summary>The service's limit on CheckItem entries per call; more answers 70402.</summary>
        public const int MaxItemsPerRequest = 100;

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static byte[] WriteRequest(IReadOnlyList<string> userIds)
        {
            using var buffer = new MemoryStream(32 + userIds.Count * 48);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("CheckItem");
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
        /// request order) reuses the sent string, and statuses are compared in place, so that a million answers do not
        /// allocate a million strings. Items in another order are still matched by UserID later.
        /// </remarks>
        /// <exception cref="FormatException">ResultItem is missing or has the wrong shape.</exception>
        public static List<AccountCheckItem> ReadResultItems(JsonElement root, IReadOnlyList<string> sent)
        {
            if (!root.TryGetProperty("ResultItem", out JsonElement items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The answer has no ResultItem array.");
            }

            var result = new List<AccountCheckItem>(items.GetArrayLength());
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
                result.Add(new AccountCheckItem(userId, resultCode, resultInfo, ReadStatus(item)));
                index++;
            }

            return result;
        }

        private static string ReadStatus(JsonElement item)
        {
            if (!item.TryGetProperty("AccountStatus", out JsonElement status) || status.ValueKind != JsonValueKind.String)
            {
                return string.Empty;
            }

            if (status.ValueEquals(Imported))
            {
                return Imported;
            }

            return status.ValueEquals(NotImported) ? NotImported : status.GetString()!;
        }

        private const string Imported = "Imported";
        private const string NotImported = "NotImported";
    }
}
