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

/// <summary>The service's answer to the kick of one account: its ErrorCode (0 when done) and ErrorInfo.</summary>
internal readonly struct KickAnswer
{
    public KickAnswer(string userId, int resultCode, string resultInfo)
    {
        UserId = userId;
        ResultCode = resultCode;
        ResultInfo = resultInfo;
    }

    public string UserId { get; }

    public int ResultCode { get; }

    public string ResultInfo { get; }
}

/// <summary>
/// kick: invalidates one account's login state, every UserSig issued for it so far included
/// (docs/service-api.md §3, https://www.tencentcloud.com/document/product/1047/34957). One account a call; the
/// answer is the bare envelope, so its ErrorCode is that account's result.
/// </summary>
/// <remarks>
/// An ErrorCode the client does not act on for the request as a whole (70107 no such account, 70402 a UserID the
/// service refuses, a code this module does not know) is that one account's answer, and becomes its result:
/// NotFound or Failed. Passing faults are retried by the client; one still failing after its retries is the
/// engine's per-item error (the service never said what became of the account). Configuration errors and an
/// expired pre-signed UserSig stop the run. Kick never removes an account, so a retry after an attempt that got
/// no answer meets the same account as the first attempt: a 70107 then means that there is no such account now,
/// and is NotFound like any other (README.md, "Choices where the sources disagree").
/// </remarks>
internal sealed class KickOperation : BatchOperation<string, KickAnswer, LoginRevocationResult>
{
    private readonly Func<string, IRequestObserver?, CancellationToken, Task> _send;

    public KickOperation(ImRestClient client)
        : this((userId, observer, ct) => client.CallAsync(ServiceApi.Kick.Path, KickProtocol.WriteRequest(userId), 1, root => true, observer, ct))
    {
    }

    /// <param name="send">One kick call, which throws <see cref="TencentImRequestException"/> for a non-zero ErrorCode: the API client's, or a fake transport in tests.</param>
    internal KickOperation(Func<string, IRequestObserver?, CancellationToken, Task> send)
        : base(ServiceApi.Kick, "RevokeLogin", "is not known to be logged out")
    {
        _send = send;
    }

    public override string KeyOf(string item) => item;

    public override string KeyOf(KickAnswer answer) => answer.UserId;

    public override ItemOutcome<LoginRevocationResult> ToOutcome(KickAnswer answer)
    {
        LoginRevocationStatus status = answer.ResultCode switch
        {
            0 => LoginRevocationStatus.Revoked,
            ItemResultCatalog.AccountNotFound => LoginRevocationStatus.NotFound,
            _ => LoginRevocationStatus.Failed,
        };
        string info = answer.ResultCode == 0 || answer.ResultInfo.Length > 0 ? answer.ResultInfo : ItemResultCatalog.Describe(answer.ResultCode);
        return ItemOutcome<LoginRevocationResult>.Of(new LoginRevocationResult(answer.UserId, status, answer.ResultCode, info));
    }

    /// <summary>One call per account (the API takes one); an account-level ErrorCode becomes that account's answer.</summary>
    protected override async Task<List<KickAnswer>> SendOnceAsync(IReadOnlyList<string> items, IRequestObserver? observer, CancellationToken cancellationToken)
    {
        var answers = new List<KickAnswer>(items.Count);
        foreach (string userId in items)
        {
            try
            {
                await _send(userId, observer, cancellationToken).ConfigureAwait(false);
                answers.Add(new KickAnswer(userId, 0, string.Empty));
            }
            catch (TencentImRequestException e) when (IsThisAccountsAnswer(e))
            {
                answers.Add(new KickAnswer(userId, e.ErrorCode, e.ErrorInfo));
            }
        }

        return answers;
    }

    /// <summary>
    /// The service answered, with a code that is about this call's one account rather than the connection or a
    /// passing fault: 70107, 70402, or a code this module does not know.
    /// </summary>
    private static bool IsThisAccountsAnswer(TencentImRequestException e) =>
        e.Kind == RequestFailureKind.ServiceError && (e.ErrorClass == ServiceErrorClass.Unknown || e.ErrorClass == ServiceErrorClass.Request);
}

/// <summary>The body of kick (docs/service-api.md §3).</summary>
internal static class KickProtocol
{
    private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{"UserID":"…"}</c>.</summary>
    public static byte[] WriteRequest(string userId)
    {
        using var buffer = new MemoryStream(24 + userId.Length * 3);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("UserID", userId);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
