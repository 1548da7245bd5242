using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Engine;
using Xunit;
using TencentIm.Tests.Client;
using static TencentIm.Tests.Client.ImRestClientTests;

namespace TencentIm.Tests.Apis;

/// <summary>kick: its body, and how each answer of its bare envelope becomes one account's result or error.</summary>
public class KickTests
{
    private static readonly Func<System.Net.Http.HttpResponseMessage> Ok = ImRestClientTests.Json("""{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}""");

    /// <summary>Kicks one UserID through the API client on a scripted transport and returns its outcome.</summary>
    private static async Task<ItemOutcome<LoginRevocationResult>> KickAsync(ScriptedHandler handler, string userId = "alice")
    {
        using ImRestClient client = NewClient(handler);
        var operation = new KickOperation(client);
        List<KickAnswer> answers = await operation.SendAsync(new[] { userId }, null, CancellationToken.None);
        return operation.ToOutcome(Assert.Single(answers));
    }

    [Fact]
    public void WriteRequest_IsThePagesSample()
    {
        Assert.Equal("{\"UserID\":\"test\"}", Encoding.UTF8.GetString(KickProtocol.WriteRequest("test")));
        Assert.Equal("{\"UserID\":\"用户\\\"x\"}", Encoding.UTF8.GetString(KickProtocol.WriteRequest("用户\"x")));
    }

    [Fact]
    public async Task ErrorCode0_IsRevoked_InOneCallToTheKickApi()
    {
        var handler = new ScriptedHandler(Ok);

        LoginRevocationResult result = (await KickAsync(handler)).Result!;

        Assert.Equal(("alice", "Revoked", 0, ""), (result.UserID, result.Status, result.ResultCode, result.ResultInfo));
        Assert.Equal("/v4/im_open_login_svc/kick", handler.Requests.Single().AbsolutePath);
        Assert.Equal("{\"UserID\":\"alice\"}", handler.Bodies.Single());
    }

    [Fact]
    public async Task A70107ForTheWholeRequest_IsThatAccountsNotFound_NotRetried_NotAnError()
    {
        var handler = new ScriptedHandler(Error(70107, "Err_TLS_PT_Open_Login_Account_Not_Exist"));

        ItemOutcome<LoginRevocationResult> outcome = await KickAsync(handler, "ghost");

        Assert.Null(outcome.Failure);
        Assert.Equal(("ghost", "NotFound", 70107, "Err_TLS_PT_Open_Login_Account_Not_Exist"),
            (outcome.Result!.UserID, outcome.Result.Status, outcome.Result.ResultCode, outcome.Result.ResultInfo));
        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData(70402, "Invalid parameters")]
    [InlineData(99999, "something new")]
    public async Task AnotherCodeAboutTheAccount_IsFailed_WithTheCodeAndTheServicesWords(int code, string info)
    {
        var handler = new ScriptedHandler(Error(code, info));

        ItemOutcome<LoginRevocationResult> outcome = await KickAsync(handler);

        Assert.Equal(("Failed", code, info), (outcome.Result!.Status, outcome.Result.ResultCode, outcome.Result.ResultInfo));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task ACodeWithoutErrorInfo_GetsTheCataloguesWords()
    {
        var handler = new ScriptedHandler(Error(70107, ""));

        LoginRevocationResult result = (await KickAsync(handler)).Result!;

        Assert.Equal("NotFound", result.Status);
        Assert.Equal("The account does not exist: it was never imported, or it was deleted.", result.ResultInfo);
    }

    [Theory]
    [InlineData(70403)]
    [InlineData(70009)]
    [InlineData(60026)]
    public async Task AConfigurationError_IsThrown_ForTheEngineToStopTheRun(int code)
    {
        var handler = new ScriptedHandler(Error(code));

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => KickAsync(handler));

        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
    }

    [Fact]
    public async Task APassingCodeThatPersists_IsThrownAfterItsRetries_NotTurnedIntoAResult()
    {
        // Four attempts (NewClient's default), all 70500: the service never said what became of the account.
        var handler = new ScriptedHandler(Enumerable.Repeat(Error(70500), 4).ToArray());

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => KickAsync(handler));

        Assert.Equal(70500, e.ErrorCode);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task ARetryAfterAnUnansweredAttempt_ThatSucceeds_IsRevoked()
    {
        var handler = new ScriptedHandler(ImRestClientTests.Json("<html>502</html>", HttpStatusCode.BadGateway), Ok);

        LoginRevocationResult result = (await KickAsync(handler)).Result!;

        Assert.Equal("Revoked", result.Status);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task ARetryAfterAnUnansweredAttempt_ThatAnswers70107_IsNotFound()
    {
        // The choice (README "Choices where the sources disagree"): kick removes no account, so a 70107 on a retry
        // means there is no such account now, whatever the first attempt did.
        var handler = new ScriptedHandler(ImRestClientTests.Json("<html>502</html>", HttpStatusCode.BadGateway), Error(70107, "account not found"));

        LoginRevocationResult result = (await KickAsync(handler)).Result!;

        Assert.Equal(("NotFound", 70107), (result.Status, result.ResultCode));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public void InTheEngine_EveryInputItemGetsExactlyOneOutcome_InInputOrder_OneCallPerItem()
    {
        var calls = new List<string>();
        var operation = new KickOperation((userId, _, _) =>
        {
            lock (calls)
            {
                calls.Add(userId);
            }

            return userId switch
            {
                "ghost" => Task.FromException(TencentImRequestException.FromServiceError(ServiceApi.Kick.Path, 70107, "not found")),
                "flaky" => Task.FromException(TencentImRequestException.FromServiceError(ServiceApi.Kick.Path, 70500, "busy")),
                _ => Task.CompletedTask,
            };
        });
        var outcomes = new List<ItemOutcome<LoginRevocationResult>>();
        string[] ids = { "alice", "ghost", "flaky", "alice", "bob" };
        using (var engine = new OrderedBatchEngine<string, KickAnswer, LoginRevocationResult>(operation, outcomes.Add, null, 1, 4, CancellationToken.None))
        {
            foreach (string id in ids)
            {
                engine.Submit(id);
            }

            engine.Complete();
        }

        Assert.Equal(5, calls.Count);
        Assert.Equal(ids, outcomes.Select(o => o.Result?.UserID ?? o.Failure!.UserId));
        Assert.Equal(new[] { "Revoked", "NotFound", null, "Revoked", "Revoked" }, outcomes.Select(o => o.Result?.Status));
        ItemFailure failure = outcomes[2].Failure!;
        Assert.Equal("RevokeLoginFailed", failure.ErrorId);
        Assert.StartsWith("UserID 'flaky' is not known to be logged out: ", failure.Message);
        Assert.Contains("70500", failure.Message);
    }

    [Fact]
    public void ABatchOfMoreThanOneItem_IsRefused_TheApiTakesOneAccountACall()
    {
        var operation = new KickOperation((_, _, _) => Task.CompletedTask);

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new OrderedBatchEngine<string, KickAnswer, LoginRevocationResult>(operation, _ => { }, null, 2, 1, CancellationToken.None));
    }
}
