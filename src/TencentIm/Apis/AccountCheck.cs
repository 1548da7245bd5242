using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Client;
using TencentIm.Engine;

namespace TencentIm.Apis;

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
    public static byte[] WriteRequest(IReadOnlyList<string> userIds) => UserIdItemProtocol.WriteRequest("CheckItem", userIds);

    /// <summary>Reads the answer's ResultItem list; the envelope (ErrorCode) has been checked by the caller.</summary>
    /// <remarks>Statuses are compared in place, so that a million answers do not allocate a million strings.</remarks>
    /// <exception cref="FormatException">ResultItem is missing or has the wrong shape.</exception>
    public static List<AccountCheckItem> ReadResultItems(JsonElement root, IReadOnlyList<string> sent) =>
        UserIdItemProtocol.ReadResultItems(root, sent, (userId, code, info, item) => new AccountCheckItem(userId, code, info, ReadStatus(item)));

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
