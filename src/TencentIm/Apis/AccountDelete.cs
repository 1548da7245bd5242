using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Client;
using TencentIm.Engine;

namespace TencentIm.Apis;

/// <summary>One ResultItem of an account_delete answer, and how the answer came about.</summary>
internal readonly struct AccountDeleteItem
{
    public AccountDeleteItem(string userId, int resultCode, string resultInfo, bool earlierAttemptMayHaveRun)
    {
        UserId = userId;
        ResultCode = resultCode;
        ResultInfo = resultInfo;
        EarlierAttemptMayHaveRun = earlierAttemptMayHaveRun;
    }

    public string UserId { get; }

    public int ResultCode { get; }

    public string ResultInfo { get; }

    /// <summary>
    /// Whether an earlier attempt to delete this account may have run without its answer reaching here: the
    /// request was retried after a timeout, a broken connection, a cut-off answer, a gateway's 5xx or a server
    /// timeout (<see cref="AnswerContext"/>), or the account was asked again after such a per-account code.
    /// </summary>
    public bool EarlierAttemptMayHaveRun { get; }

    public AccountDeleteItem AfterEarlierAttempt() => new AccountDeleteItem(UserId, ResultCode, ResultInfo, true);
}

/// <summary>
/// account_delete: deletes accounts (docs/service-api.md §3; https://trtc.io/document/34955). One call takes up to
/// 100 UserIDs and answers a ResultItem per UserID: 0 deleted, 70107 the account does not exist, anything else
/// not deleted. 71000 (deletion not enabled for the app), for the request or for any account, stops the run.
/// </summary>
/// <remarks>
/// Deleting is idempotent in effect but not in its answer: a request whose first attempt deleted the accounts and
/// lost its answer is retried, and the retry hears 70107 for each of them. After such an attempt 70107 therefore
/// reads as Deleted, with a -Verbose note: the service cannot say which attempt deleted an account, and an account
/// that was never there is not worth an alarm either way (README, "Choices where the sources disagree").
/// </remarks>
internal sealed class AccountDeleteOperation : BatchOperation<string, AccountDeleteItem, AccountDeleteResult>
{
    private readonly Func<IReadOnlyList<string>, IRequestObserver?, CancellationToken, Task<List<AccountDeleteItem>>> _send;

    public AccountDeleteOperation(ImRestClient client)
        : this((ids, observer, ct) => client.CallAsync(ServiceApi.AccountDelete.Path, AccountDeleteProtocol.WriteRequest(ids), ids.Count,
            (root, context) => AccountDeleteProtocol.ReadResultItems(root, ids, context.EarlierAttemptMayHaveRun), observer, ct))
    {
    }

    /// <param name="send">One account_delete call: the API client's, or a fake transport in tests.</param>
    internal AccountDeleteOperation(Func<IReadOnlyList<string>, IRequestObserver?, CancellationToken, Task<List<AccountDeleteItem>>> send)
        : base(ServiceApi.AccountDelete, "AccountDelete", "may not have been deleted")
    {
        _send = send;
    }

    public override string KeyOf(string item) => item;

    public override string KeyOf(AccountDeleteItem answer) => answer.UserId;

    /// <summary>
    /// One call, then once more for the accounts that got a passing per-account code; a 71000 in either answer
    /// stops the run.
    /// </summary>
    public override async Task<List<AccountDeleteItem>> SendAsync(IReadOnlyList<string> items, IRequestObserver? observer, CancellationToken cancellationToken)
    {
        List<AccountDeleteItem> answers = await SendOnceAsync(items, observer, cancellationToken).ConfigureAwait(false);
        ThrowIfDeletionNotEnabled(answers);

        // An account whose first answer was the service timing out or failing inside may have been deleted by it.
        HashSet<string>? open = null;
        foreach (AccountDeleteItem answer in answers)
        {
            if (answer.ResultCode != 0 && ServiceErrorCatalog.MayHaveActed(answer.ResultCode))
            {
                (open ??= new HashSet<string>(StringComparer.Ordinal)).Add(answer.UserId);
            }
        }

        answers = await AskAgainForTransientItemsAsync(items, answers, a => a.ResultCode, observer, cancellationToken).ConfigureAwait(false);
        ThrowIfDeletionNotEnabled(answers);
        for (int i = 0; open != null && i < answers.Count; i++)
        {
            if (open.Contains(answers[i].UserId))
            {
                answers[i] = answers[i].AfterEarlierAttempt();
            }
        }

        return answers;
    }

    public override ItemOutcome<AccountDeleteResult> ToOutcome(AccountDeleteItem item)
    {
        switch (item.ResultCode)
        {
            case 0:
                return ItemOutcome<AccountDeleteResult>.Of(new AccountDeleteResult(item.UserId, AccountDeleteStatus.Deleted, 0, item.ResultInfo));
            case ItemResultCatalog.AccountNotFound when item.EarlierAttemptMayHaveRun:
                return ItemOutcome<AccountDeleteResult>.Of(
                    new AccountDeleteResult(item.UserId, AccountDeleteStatus.Deleted, item.ResultCode, InfoOf(item)),
                    $"UserID '{item.UserId}': {Api.Path} answered {item.ResultCode} (the account does not exist) after an earlier attempt whose answer was lost (no answer, a broken connection, or a timeout or internal error of the service); that attempt may have deleted the account, so the {item.ResultCode} was taken as Deleted.");
            case ItemResultCatalog.AccountNotFound:
                return ItemOutcome<AccountDeleteResult>.Of(new AccountDeleteResult(item.UserId, AccountDeleteStatus.NotFound, item.ResultCode, InfoOf(item)));
            default:
                return ItemOutcome<AccountDeleteResult>.Of(new AccountDeleteResult(item.UserId, AccountDeleteStatus.Failed, item.ResultCode, InfoOf(item)));
        }
    }

    protected override Task<List<AccountDeleteItem>> SendOnceAsync(IReadOnlyList<string> items, IRequestObserver? observer, CancellationToken cancellationToken) =>
        _send(items, observer, cancellationToken);

    /// <summary>The service's ResultInfo, or what the code means when it gave none.</summary>
    private static string InfoOf(AccountDeleteItem item) =>
        item.ResultInfo.Length > 0 || item.ResultCode == 0
            ? item.ResultInfo
            : ItemResultCatalog.Describe(item.ResultCode) ?? string.Empty;

    /// <summary>
    /// 71000 for any account: deletion is not enabled for the app, so no account of the run can be deleted. It
    /// becomes the same configuration error as a 71000 for the whole request, which stops the run with one error.
    /// </summary>
    private void ThrowIfDeletionNotEnabled(List<AccountDeleteItem> answers)
    {
        int denied = answers.FindIndex(a => a.ResultCode == ItemResultCatalog.DeleteNotEnabled);
        if (denied < 0)
        {
            return;
        }

        AccountDeleteItem first = answers[denied];
        ServiceErrorDescription description = ServiceErrorCatalog.Describe(ItemResultCatalog.DeleteNotEnabled);
        string said = first.ResultInfo.Length == 0 ? "and no ResultInfo" : $"('{first.ResultInfo}')";
        var what = new StringBuilder($"{Api.Path} answered ResultCode {first.ResultCode} {said} for UserID '{first.UserId}'. {description.Meaning}");
        List<string> deleted = answers.FindAll(a => a.ResultCode == 0).ConvertAll(a => a.UserId);
        if (deleted.Count > 0)
        {
            const int Shown = 10;
            string names = "'" + string.Join("', '", deleted.GetRange(0, Math.Min(Shown, deleted.Count))) + "'" + (deleted.Count > Shown ? ", …" : "");
            what.Append($" The same request did delete {deleted.Count} account(s): {names}.");
        }

        throw new TencentImRequestException(Api.Path, RequestFailureKind.ServiceError, what.ToString(),
            errorCode: first.ResultCode, errorInfo: first.ResultInfo, fix: description.Fix);
    }
}

/// <summary>The body of account_delete and the parsing of its answer (docs/service-api.md §3).</summary>
internal static class AccountDeleteProtocol
{
    public static byte[] WriteRequest(IReadOnlyList<string> userIds) => UserIdItemProtocol.WriteRequest("DeleteItem", userIds);

    /// <summary>Reads the answer's ResultItem list; the envelope (ErrorCode) has been checked by the caller.</summary>
    /// <param name="root">The answer.</param>
    /// <param name="sent">The UserIDs sent, in order.</param>
    /// <param name="earlierAttemptMayHaveRun">Whether an earlier attempt of this request may have run (<see cref="AnswerContext"/>).</param>
    /// <exception cref="FormatException">ResultItem is missing or has the wrong shape.</exception>
    public static List<AccountDeleteItem> ReadResultItems(JsonElement root, IReadOnlyList<string> sent, bool earlierAttemptMayHaveRun) =>
        UserIdItemProtocol.ReadResultItems(root, sent, (userId, code, info, _) => new AccountDeleteItem(userId, code, info, earlierAttemptMayHaveRun));
}
