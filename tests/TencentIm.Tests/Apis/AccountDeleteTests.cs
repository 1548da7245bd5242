using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Engine;
using Xunit;

namespace TencentIm.Tests.Apis;

public class AccountDeleteProtocolTests
{
    [Fact]
    public void WriteRequest_WritesTheDeleteItemShapeOfTheApiPage()
    {
        string json = Encoding.UTF8.GetString(AccountDeleteProtocol.WriteRequest(new[] { "UserID_1", "UserID_2" }));

        Assert.Equal("{\"DeleteItem\":[{\"UserID\":\"UserID_1\"},{\"UserID\":\"UserID_2\"}]}", json);
    }

    [Fact]
    public void WriteRequest_EscapesQuotesAndKeepsNonAsciiReadable()
    {
        string json = Encoding.UTF8.GetString(AccountDeleteProtocol.WriteRequest(new[] { "a\"b", "用户" }));

        Assert.Equal("{\"DeleteItem\":[{\"UserID\":\"a\\\"b\"},{\"UserID\":\"用户\"}]}", json);
    }

    [Fact]
    public void ReadResultItems_ReadsTheApiPagesExampleAnswer_WhoseItemsPutResultCodeBeforeUserID()
    {
        // https://trtc.io/document/34955, as printed.
        const string answer = "{\"ActionStatus\": \"OK\",\"ErrorCode\": 0,\"ErrorInfo\": \"\",\"ResultItem\": [{\"ResultCode\": 0,\"ResultInfo\": \"\",\"UserID\": \"UserID_1\"},{\"ResultCode\": 70107,\"ResultInfo\": \"Err_TLS_PT_Open_Login_Account_Not_Exist\",\"UserID\": \"UserID_2\"}]}";
        using var document = JsonDocument.Parse(answer);

        var items = AccountDeleteProtocol.ReadResultItems(document.RootElement, new[] { "UserID_1", "UserID_2" }, earlierAttemptMayHaveRun: false);

        Assert.Equal(2, items.Count);
        Assert.Equal(("UserID_1", 0, ""), (items[0].UserId, items[0].ResultCode, items[0].ResultInfo));
        Assert.Equal(("UserID_2", 70107, "Err_TLS_PT_Open_Login_Account_Not_Exist"), (items[1].UserId, items[1].ResultCode, items[1].ResultInfo));
        Assert.All(items, i => Assert.False(i.EarlierAttemptMayHaveRun));
    }

    [Fact]
    public void ReadResultItems_MarksEveryItem_WhenAnEarlierAttemptMayHaveRun()
    {
        using var document = JsonDocument.Parse("{\"ErrorCode\":0,\"ResultItem\":[{\"UserID\":\"a\",\"ResultCode\":70107},{\"UserID\":\"b\",\"ResultCode\":0}]}");

        var items = AccountDeleteProtocol.ReadResultItems(document.RootElement, new[] { "a", "b" }, earlierAttemptMayHaveRun: true);

        Assert.All(items, i => Assert.True(i.EarlierAttemptMayHaveRun));
    }

    [Fact]
    public void ReadResultItems_ReusesTheSentString_InRequestOrder_AndReadsOtherOrdersToo()
    {
        string[] sent = { "a", "b" };
        using var document = JsonDocument.Parse("{\"ErrorCode\":0,\"ResultItem\":[{\"UserID\":\"a\",\"ResultCode\":0},{\"UserID\":\"c\",\"ResultCode\":70107}]}");

        var items = AccountDeleteProtocol.ReadResultItems(document.RootElement, sent, false);

        Assert.Same(sent[0], items[0].UserId);
        Assert.Equal(("c", 70107), (items[1].UserId, items[1].ResultCode));
    }

    [Theory]
    [InlineData("{\"ErrorCode\":0}")]
    [InlineData("{\"ErrorCode\":0,\"ResultItem\":{}}")]
    [InlineData("{\"ErrorCode\":0,\"ResultItem\":[{\"ResultCode\":0}]}")]
    [InlineData("{\"ErrorCode\":0,\"ResultItem\":[\"u1\"]}")]
    public void ReadResultItems_RejectsAnAnswerOfAnotherShape(string answer)
    {
        using var document = JsonDocument.Parse(answer);
        Assert.Throws<FormatException>(() => AccountDeleteProtocol.ReadResultItems(document.RootElement, new[] { "u1" }, false));
    }
}

public class AccountDeleteOperationTests
{
    /// <summary>A fake account_delete: answers each call with the next scripted answer, and records the UserIDs sent.</summary>
    private sealed class FakeDelete
    {
        private readonly ConcurrentQueue<Func<IReadOnlyList<string>, List<AccountDeleteItem>>> _script;

        public FakeDelete(params Func<IReadOnlyList<string>, List<AccountDeleteItem>>[] script) => _script = new(script);

        public ConcurrentQueue<IReadOnlyList<string>> Calls { get; } = new();

        public AccountDeleteOperation Operation => new((ids, _, _) =>
        {
            Calls.Enqueue(ids.ToArray());
            Assert.True(_script.TryDequeue(out var next), "more calls than scripted");
            return Task.FromResult(next!(ids));
        });
    }

    private static Func<IReadOnlyList<string>, List<AccountDeleteItem>> Each(int code, string info = "", bool earlierAttemptMayHaveRun = false) =>
        ids => ids.Select(id => new AccountDeleteItem(id, code, info, earlierAttemptMayHaveRun)).ToList();

    private static Func<IReadOnlyList<string>, List<AccountDeleteItem>> ByUserId(Func<string, int> code) =>
        ids => ids.Select(id => new AccountDeleteItem(id, code(id), "", false)).ToList();

    private static List<ItemOutcome<AccountDeleteResult>> Outcomes(AccountDeleteOperation operation, List<AccountDeleteItem> answers) =>
        answers.Select(operation.ToOutcome).ToList();

    [Fact]
    public async Task ResultCode0_IsDeleted()
    {
        var fake = new FakeDelete(Each(0));
        AccountDeleteOperation operation = fake.Operation;

        var outcome = Outcomes(operation, await operation.SendAsync(new[] { "alice" }, null, CancellationToken.None)).Single();

        Assert.Equal(("alice", "Deleted", 0, ""), (outcome.Result!.UserID, outcome.Result.Status, outcome.Result.ResultCode, outcome.Result.ResultInfo));
        Assert.Null(outcome.Note);
    }

    [Fact]
    public async Task ResultCode70107_IsNotFound_WithTheServicesResultInfo()
    {
        var fake = new FakeDelete(Each(70107, "Err_TLS_PT_Open_Login_Account_Not_Exist"));
        AccountDeleteOperation operation = fake.Operation;

        var outcome = Outcomes(operation, await operation.SendAsync(new[] { "ghost" }, null, CancellationToken.None)).Single();

        Assert.Equal(("NotFound", 70107, "Err_TLS_PT_Open_Login_Account_Not_Exist"), (outcome.Result!.Status, outcome.Result.ResultCode, outcome.Result.ResultInfo));
        Assert.Null(outcome.Note);
    }

    [Fact]
    public async Task ResultCode70107_AfterAnAttemptWhoseAnswerWasLost_IsDeleted_WithANoteSayingSo()
    {
        var fake = new FakeDelete(Each(70107, "Err_TLS_PT_Open_Login_Account_Not_Exist", earlierAttemptMayHaveRun: true));
        AccountDeleteOperation operation = fake.Operation;

        var outcome = Outcomes(operation, await operation.SendAsync(new[] { "alice" }, null, CancellationToken.None)).Single();

        Assert.Equal(("alice", "Deleted", 70107), (outcome.Result!.UserID, outcome.Result.Status, outcome.Result.ResultCode));
        Assert.NotNull(outcome.Note);
        Assert.Contains("UserID 'alice'", outcome.Note);
        Assert.Contains("70107", outcome.Note);
        Assert.Contains("taken as Deleted", outcome.Note);
        Assert.EndsWith(".", outcome.Note);
    }

    [Fact]
    public async Task ResultCode0_AfterAnAttemptWhoseAnswerWasLost_IsDeleted_WithoutANote()
    {
        var fake = new FakeDelete(Each(0, earlierAttemptMayHaveRun: true));
        AccountDeleteOperation operation = fake.Operation;

        var outcome = Outcomes(operation, await operation.SendAsync(new[] { "alice" }, null, CancellationToken.None)).Single();

        Assert.Equal("Deleted", outcome.Result!.Status);
        Assert.Null(outcome.Note);
    }

    [Theory]
    [InlineData(70402, "Invalid parameters", "Invalid parameters")]
    [InlineData(70398, "", "The app's edition allows no more accounts: the app already holds as many as its edition does.")]
    [InlineData(12345, "something new", "something new")]
    public async Task AnotherResultCode_IsFailed_WithTheServicesResultInfo_OrWhatTheCodeMeans(int code, string info, string expectedInfo)
    {
        var fake = new FakeDelete(Each(code, info));
        AccountDeleteOperation operation = fake.Operation;

        var outcome = Outcomes(operation, await operation.SendAsync(new[] { "alice" }, null, CancellationToken.None)).Single();

        Assert.Equal(("Failed", code, expectedInfo), (outcome.Result!.Status, outcome.Result.ResultCode, outcome.Result.ResultInfo));
    }

    [Fact]
    public async Task APassingPerAccountCode_IsAskedAgain_AndA70107ThenIsDeleted_SinceTheFirstAttemptMayHaveDeletedIt()
    {
        // 70500 for bob: the service failed inside while deleting him. Asked again, it says he does not exist.
        var fake = new FakeDelete(ByUserId(id => id == "bob" ? 70500 : 0), Each(70107));
        AccountDeleteOperation operation = fake.Operation;

        var outcomes = Outcomes(operation, await operation.SendAsync(new[] { "alice", "bob" }, null, CancellationToken.None));

        Assert.Equal(new[] { "alice", "bob" }, Assert.IsAssignableFrom<IReadOnlyList<string>>(fake.Calls.First()));
        Assert.Equal(new[] { "bob" }, fake.Calls.Last());
        Assert.Equal(new[] { "Deleted", "Deleted" }, outcomes.Select(o => o.Result!.Status));
        Assert.Null(outcomes[0].Note);
        Assert.Contains("taken as Deleted", outcomes[1].Note);
    }

    [Fact]
    public async Task APassingPerAccountCodeThatRefusedTheWork_AskedAgain_A70107ThenIsNotFound()
    {
        // 60018: too many requests, the service did not get to bob. Asked again, he does not exist: he never did.
        var fake = new FakeDelete(ByUserId(id => id == "bob" ? 60018 : 0), Each(70107));
        AccountDeleteOperation operation = fake.Operation;

        var outcomes = Outcomes(operation, await operation.SendAsync(new[] { "alice", "bob" }, null, CancellationToken.None));

        Assert.Equal(2, fake.Calls.Count);
        Assert.Equal(new[] { "Deleted", "NotFound" }, outcomes.Select(o => o.Result!.Status));
        Assert.Null(outcomes[1].Note);
    }

    [Fact]
    public async Task ResultCode71000ForTheAccounts_IsOneConfigurationError_SayingWhereToEnableDeletion()
    {
        var fake = new FakeDelete(Each(71000, "delete account not allowed"));

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => fake.Operation.SendAsync(new[] { "alice", "bob" }, null, CancellationToken.None));

        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
        Assert.Equal((71000, "delete account not allowed"), (e.ErrorCode, e.ErrorInfo));
        Assert.Equal("AccountDeleteNotEnabled", e.Description!.ErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.PermissionDenied, e.Category);
        Assert.StartsWith("im_open_login_svc/account_delete answered ResultCode 71000 ('delete account not allowed') for UserID 'alice'. ", e.Message);
        Assert.Contains("IM console", e.Message);
        Assert.Contains("Click here to remove the restriction", e.Fix);
        Assert.Contains("trial", e.Message);
        Assert.Contains("3 months", e.Fix);
        Assert.EndsWith(".", e.Message);
    }

    [Fact]
    public async Task ResultCode71000ForSomeAccounts_NamesTheOnesTheSameRequestDidDelete()
    {
        var fake = new FakeDelete(ByUserId(id => id == "carol" ? 71000 : 0));

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => fake.Operation.SendAsync(new[] { "alice", "bob", "carol" }, null, CancellationToken.None));

        Assert.Contains("for UserID 'carol'", e.Message);
        Assert.Contains("The same request did delete 2 account(s): 'alice', 'bob'.", e.Message);
    }

    [Fact]
    public async Task ResultCode71000WhenAskedAgain_IsTheSameConfigurationError()
    {
        var fake = new FakeDelete(ByUserId(id => id == "bob" ? 70500 : 0), Each(71000));

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => fake.Operation.SendAsync(new[] { "alice", "bob" }, null, CancellationToken.None));

        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
        Assert.Equal(71000, e.ErrorCode);
    }

    [Fact]
    public void ResultCode71000ForTheWholeRequest_IsAConfigurationError_WithTheSameErrorIdAndFix()
    {
        var e = TencentImRequestException.FromServiceError(ServiceApi.AccountDelete.Path, 71000, "account delete not allowed");

        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
        Assert.Equal("AccountDeleteNotEnabled", e.Description!.ErrorId);
        Assert.StartsWith("im_open_login_svc/account_delete failed with ErrorCode 71000: 'account delete not allowed'. ", e.Message);
        Assert.Contains("Click here to remove the restriction", e.Message);
    }

    [Theory]
    [InlineData("per account")]
    [InlineData("for the request")]
    public void ResultCode71000_InTheEngine_StopsTheRunWithOneError_NotOnePerUserId(string reading)
    {
        // Ten batches of ten: every one answers 71000, per account or for the request.
        var calls = 0;
        var operation = new AccountDeleteOperation((ids, _, _) =>
        {
            Interlocked.Increment(ref calls);
            return reading == "per account"
                ? Task.FromResult(ids.Select(id => new AccountDeleteItem(id, 71000, "", false)).ToList())
                : Task.FromException<List<AccountDeleteItem>>(TencentImRequestException.FromServiceError(ServiceApi.AccountDelete.Path, 71000, ""));
        });
        var outcomes = new List<ItemOutcome<AccountDeleteResult>>();
        using var engine = new OrderedBatchEngine<string, AccountDeleteItem, AccountDeleteResult>(operation, outcomes.Add, null, 10, 1, CancellationToken.None);

        var e = Assert.Throws<TencentImRequestException>(() =>
        {
            foreach (string id in Enumerable.Range(0, 100).Select(i => "u" + i))
            {
                engine.Submit(id);
            }

            engine.Complete();
        });

        Assert.Equal(71000, e.ErrorCode);
        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
        Assert.Empty(outcomes);
        Assert.InRange(calls, 1, 2); // the run stopped at the first answer, not after all ten batches
    }
}

/// <summary>The operation on the real client: a 70107 after a dropped answer.</summary>
public class AccountDeleteClientTests
{
    [Fact]
    public async Task TheRealOperation_Reads70107AfterADroppedAnswerAsDeleted()
    {
        var handler = new SendingScriptedHandler(SendingScriptedHandler.Dropped,
            SendingScriptedHandler.Json("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"ResultItem\":[{\"ResultCode\":70107,\"ResultInfo\":\"Err_TLS_PT_Open_Login_Account_Not_Exist\",\"UserID\":\"alice\"}]}"));
        using ImRestClient client = handler.NewClient();
        var operation = new AccountDeleteOperation(client);

        ItemOutcome<AccountDeleteResult> outcome = operation.ToOutcome(Assert.Single(await operation.SendAsync(new[] { "alice" }, null, CancellationToken.None)));

        Assert.Equal(2, handler.Requests);
        Assert.Equal(("Deleted", 70107), (outcome.Result!.Status, outcome.Result.ResultCode));
        Assert.Contains("taken as Deleted", outcome.Note);
    }
}
