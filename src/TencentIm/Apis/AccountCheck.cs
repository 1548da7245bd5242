using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Client;
using TencentIm.Engine;

namespace TencentIm.Apis
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

    /// <summary>
    /// account_check: whether accounts are imported (docs/service-api.md §3). One call takes up to 100 UserIDs and
    /// answers a ResultItem per UserID; a ResultCode other than 0 means that one account could not be checked.
    /// </summary>
    internal sealed class AccountCheckOperation : BatchOperation<string, AccountCheckItem, AccountCheckResult>
    {
        private readonly Func<IReadOnlyList<string>, IRequestObserver?, CancellationToken, Task<List<AccountCheckItem>>> _send;

        public AccountCheckOperation(ImRestClient client)
            : this((ids, observer, ct) => client.CallAsync(ServiceApi.AccountCheck.Path, AccountCheckProtocol.WriteRequest(ids), ids.Count,
                root => AccountCheckProtocol.ReadResultItems(root, ids), observer, ct))
        {
        }

        /// <param name="send">One account_check call: the API client's, or a fake transport in tests.</param>
        internal AccountCheckOperation(Func<IReadOnlyList<string>, IRequestObserver?, CancellationToken, Task<List<AccountCheckItem>>> send)
            : base(ServiceApi.AccountCheck, "AccountCheck", "was not checked")
        {
            _send = send;
        }

        public override string KeyOf(string item) => item;

        public override string KeyOf(AccountCheckItem answer) => answer.UserId;

        /// <summary>One call, then once more for the accounts that got a passing per-account code.</summary>
        public override async Task<List<AccountCheckItem>> SendAsync(IReadOnlyList<string> items, IRequestObserver? observer, CancellationToken cancellationToken)
        {
            List<AccountCheckItem> answers = await SendOnceAsync(items, observer, cancellationToken).ConfigureAwait(false);
            return await AskAgainForTransientItemsAsync(items, answers, a => a.ResultCode, observer, cancellationToken).ConfigureAwait(false);
        }

        public override ItemOutcome<AccountCheckResult> ToOutcome(AccountCheckItem item)
        {
            AccountStatus status = AccountStatus.Unknown;
            string info = item.ResultInfo;
            if (item.ResultCode == 0)
            {
                switch (item.AccountStatus)
                {
                    case "Imported":
                        status = AccountStatus.Imported;
                        break;
                    case "NotImported":
                        status = AccountStatus.NotImported;
                        break;
                    default:
                        info = $"The service answered an unknown AccountStatus '{item.AccountStatus}'.";
                        break;
                }
            }

            return ItemOutcome<AccountCheckResult>.Of(new AccountCheckResult(item.UserId, status, item.ResultCode, info));
        }

        protected override Task<List<AccountCheckItem>> SendOnceAsync(IReadOnlyList<string> items, IRequestObserver? observer, CancellationToken cancellationToken) =>
            _send(items, observer, cancellationToken);
    }

    /// <summary>The body of account_check and the parsing of its answer (docs/service-api.md §3).</summary>
    internal static class AccountCheckProtocol
    {

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
