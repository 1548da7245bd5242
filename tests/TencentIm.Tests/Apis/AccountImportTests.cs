using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Engine;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Apis;

/// <summary>The bodies of multiaccount_import (AccountList form) and account_import, and the reading of FailAccounts.</summary>
public class AccountImportProtocolTests
{
    [Fact]
    public void WriteAccountList_WritesTheAccountListForm_WithNickAndFaceUrlOnlyWhereGiven()
    {
        var items = new[]
        {
            new AccountImportItem("u1", "One", "https://example.com/1.png"),
            new AccountImportItem("u2", null, null),
            new AccountImportItem("用户", "名\"字", null),
            new AccountImportItem("u4", null, "https://example.com/4.png"),
        };

        string json = Encoding.UTF8.GetString(AccountImportProtocol.WriteAccountList(items));

        Assert.Equal(
            "{\"AccountList\":[{\"UserID\":\"u1\",\"Nick\":\"One\",\"FaceUrl\":\"https://example.com/1.png\"},{\"UserID\":\"u2\"},"
            + "{\"UserID\":\"用户\",\"Nick\":\"名\\\"字\"},{\"UserID\":\"u4\",\"FaceUrl\":\"https://example.com/4.png\"}]}",
            json);
    }

    [Fact]
    public void WriteAccount_WritesAccountImportsBody()
    {
        Assert.Equal("{\"UserID\":\"u1\",\"Nick\":\"One\",\"FaceUrl\":\"https://example.com/1.png\"}",
            Encoding.UTF8.GetString(AccountImportProtocol.WriteAccount(new AccountImportItem("u1", "One", "https://example.com/1.png"))));
        Assert.Equal("{\"UserID\":\"u2\"}", Encoding.UTF8.GetString(AccountImportProtocol.WriteAccount(new AccountImportItem("u2", null, null))));
    }

    [Theory]
    [InlineData("{\"ActionStatus\": \"OK\",\"ErrorCode\": 0,\"ErrorInfo\": \"\",\"FailAccounts\": [\"test3\",\"test4\"]}", "test3,test4")] // the API page's example
    [InlineData("{\"ErrorCode\":0,\"FailAccounts\":[{\"UserID\":\"test3\"},{\"Identifier\":\"test4\",\"ResultCode\":70398}]}", "test3,test4")]
    [InlineData("{\"ErrorCode\":0,\"FailAccounts\":[\"test3\",{\"UserID\":\"test4\"}]}", "test3,test4")]
    [InlineData("{\"ErrorCode\":0,\"FailAccounts\":[]}", "")]
    [InlineData("{\"ErrorCode\":0,\"FailAccounts\":null}", "")]
    [InlineData("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\"}", "")]
    public void ReadFailAccounts_ReadsEveryPlausibleShape(string answer, string expected)
    {
        using var document = JsonDocument.Parse(answer);

        HashSet<string> failed = AccountImportProtocol.ReadFailAccounts(document.RootElement);

        Assert.Equal(expected, string.Join(",", failed.OrderBy(u => u, StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("{\"ErrorCode\":0,\"FailAccounts\":{}}")]
    [InlineData("{\"ErrorCode\":0,\"FailAccounts\":\"test3\"}")]
    [InlineData("{\"ErrorCode\":0,\"FailAccounts\":[3]}")]
    [InlineData("{\"ErrorCode\":0,\"FailAccounts\":[null]}")]
    [InlineData("{\"ErrorCode\":0,\"FailAccounts\":[{\"Nick\":\"x\"}]}")]
    [InlineData("{\"ErrorCode\":0,\"FailAccounts\":[{\"UserID\":3}]}")]
    public void ReadFailAccounts_RejectsAnAnswerOfAnotherShape(string answer)
    {
        using var document = JsonDocument.Parse(answer);

        Assert.Throws<FormatException>(() => AccountImportProtocol.ReadFailAccounts(document.RootElement));
    }
}

/// <summary>
/// AccountImportOperation through the real API client against scripted answers: the batch, the account_import that
/// gives each account in FailAccounts its reason, and which failures stop the run.
/// </summary>
public class AccountImportOperationTests
{
    private const string Ok = "{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\"}";

    /// <summary>Answers each request by its API (the path's last segment) and body; records what it was sent.</summary>
    private sealed class ApiHandler : HttpMessageHandler
    {
        private readonly Func<string, string, string?> _answer;

        public ApiHandler(Func<string, string, string?> answer) => _answer = answer;

        public ConcurrentQueue<(string Api, string Body)> Requests { get; } = new();

        public string[] BodiesOf(string api) => Requests.Where(r => r.Api == api).Select(r => r.Body).ToArray();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string api = request.RequestUri!.AbsolutePath.Split('/').Last();
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            Requests.Enqueue((api, body));
            string? answer = _answer(api, body);
            return answer == null
                ? new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("bad gateway") }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer, Encoding.UTF8, "application/json") };
        }
    }

    private static string Error(int code, string info) => $"{{\"ActionStatus\":\"FAIL\",\"ErrorCode\":{code},\"ErrorInfo\":\"{info}\"}}";

    private static string FailAccounts(params string[] userIds) =>
        "{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"FailAccounts\":[" + string.Join(",", userIds.Select(u => $"\"{u}\"")) + "]}";

    /// <summary>The UserID of an account_import body.</summary>
    private static string UserIdOf(string body) => JsonDocument.Parse(body).RootElement.GetProperty("UserID").GetString()!;

    private static ImRestClient NewClient(ApiHandler handler, int maxAttempts = 2) =>
        new(new Uri("http://127.0.0.1:1/"), 1400000001, "administrator",
            new SigningUserSigSource(SecretKey.FromString("k"), 1400000001, "administrator", TimeSpan.FromHours(1), SystemClock.Instance),
            new ClientSettings { MaxAttempts = maxAttempts, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(2) },
            handler);

    private static AccountImportItem[] Items(params string[] userIds) => userIds.Select(u => new AccountImportItem(u, null, null)).ToArray();

    /// <summary>Sends one batch and turns each answer into its outcome, as the engine does.</summary>
    private static async Task<List<ItemOutcome<AccountImportResult>>> ImportAsync(ApiHandler handler, IReadOnlyList<AccountImportItem> items, int maxAttempts = 2)
    {
        using ImRestClient client = NewClient(handler, maxAttempts);
        var operation = new AccountImportOperation(client);
        List<AccountImportAnswer> answers = await operation.SendAsync(items, null, CancellationToken.None);
        Assert.Equal(items.Select(i => i.UserId), answers.Select(operation.KeyOf));
        return answers.Select(operation.ToOutcome).ToList();
    }

    private static AccountImportResult ResultOf(ItemOutcome<AccountImportResult> outcome)
    {
        Assert.True(outcome.Result != null, outcome.Failure?.Message);
        return outcome.Result!;
    }

    [Theory]
    [InlineData("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"FailAccounts\":[]}")]
    [InlineData(Ok)]
    public async Task NothingInFailAccounts_EveryAccountIsImported_InOneCall(string answer)
    {
        var handler = new ApiHandler((_, _) => answer);

        var outcomes = await ImportAsync(handler, Items("u1", "u2", "u3"));

        Assert.Equal(new[] { ("u1", "Imported", 0, ""), ("u2", "Imported", 0, ""), ("u3", "Imported", 0, "") },
            outcomes.Select(o => (ResultOf(o).UserID, ResultOf(o).Status, ResultOf(o).ResultCode, ResultOf(o).ResultInfo)));
        Assert.Equal(new[] { "multiaccount_import" }, handler.Requests.Select(r => r.Api));
    }

    [Fact]
    public async Task SendsTheAccountListForm_WithEachAccountsNickAndFaceUrl()
    {
        var handler = new ApiHandler((_, _) => Ok);

        await ImportAsync(handler, new[] { new AccountImportItem("u1", "One", "https://example.com/1.png"), new AccountImportItem("u2", null, null) });

        Assert.Equal("{\"AccountList\":[{\"UserID\":\"u1\",\"Nick\":\"One\",\"FaceUrl\":\"https://example.com/1.png\"},{\"UserID\":\"u2\"}]}",
            Assert.Single(handler.BodiesOf("multiaccount_import")));
    }

    [Fact]
    public async Task EachAccountInFailAccounts_GetsOneAccountImport_WithItsProfile_AndItsAnswerIsItsOutcome()
    {
        var handler = new ApiHandler((api, body) => api == "multiaccount_import"
            ? FailAccounts("gone", "full", "passing")
            : UserIdOf(body) switch
            {
                "gone" => Error(70399, "Err_TLS_PT_Open_Login_Account_Deleted"),
                "full" => Error(70398, "account number exceeds limit"),
                _ => Ok,
            });
        var items = new[]
        {
            new AccountImportItem("ok1", "A", null),
            new AccountImportItem("gone", "Gone", "https://example.com/g.png"),
            new AccountImportItem("full", null, null),
            new AccountImportItem("passing", "P", null),
        };

        var outcomes = await ImportAsync(handler, items);

        Assert.Equal(new[] { ("ok1", "Imported", 0), ("gone", "Failed", 70399), ("full", "Failed", 70398), ("passing", "Imported", 0) },
            outcomes.Select(o => (ResultOf(o).UserID, ResultOf(o).Status, ResultOf(o).ResultCode)));
        Assert.Equal(new[] { "{\"UserID\":\"gone\",\"Nick\":\"Gone\",\"FaceUrl\":\"https://example.com/g.png\"}", "{\"UserID\":\"full\"}", "{\"UserID\":\"passing\",\"Nick\":\"P\"}" },
            handler.BodiesOf("account_import"));

        string deleted = ResultOf(outcomes[1]).ResultInfo;
        Assert.StartsWith("Err_TLS_PT_Open_Login_Account_Deleted.", deleted);
        Assert.Contains("deleted less than 3 months ago", deleted);
        Assert.Contains("cannot be imported again until 3 months after its deletion", deleted);
        string full = ResultOf(outcomes[2]).ResultInfo;
        Assert.StartsWith("account number exceeds limit.", full);
        Assert.Contains("edition allows no more accounts", full);
        Assert.Contains("Upgrade the app's edition", full);
        Assert.Equal("", ResultOf(outcomes[3]).ResultInfo);
    }

    [Fact]
    public async Task FailAccountsGivenAsObjectsWithAUserId_AreAskedForTheirReasonToo()
    {
        var handler = new ApiHandler((api, _) => api == "multiaccount_import"
            ? "{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"FailAccounts\":[{\"UserID\":\"u2\"}]}"
            : Error(70399, "deleted"));

        var outcomes = await ImportAsync(handler, Items("u1", "u2"));

        Assert.Equal(new[] { ("u1", 0), ("u2", 70399) }, outcomes.Select(o => (ResultOf(o).UserID, ResultOf(o).ResultCode)));
        Assert.Equal(new[] { "{\"UserID\":\"u2\"}" }, handler.BodiesOf("account_import"));
    }

    [Fact]
    public async Task AFailAccountsEntryThatWasNotSent_IsIgnored()
    {
        var handler = new ApiHandler((api, _) => api == "multiaccount_import" ? FailAccounts("stranger") : Ok);

        var outcomes = await ImportAsync(handler, Items("u1"));

        Assert.Equal("Imported", ResultOf(Assert.Single(outcomes)).Status);
        Assert.Empty(handler.BodiesOf("account_import"));
    }

    [Theory]
    [InlineData(70402, "invalid parameter", "The service rejected the request's parameters.")]
    [InlineData(71234, "some new reason", "an error code this module does not know")]
    [InlineData(70500, "internal error", "The service had an internal error.")]
    public async Task AFollowUpRefusedWithAnyCodeButAConfigurationOne_IsThatAccountsFailedResult_AndTheOthersGoOn(int code, string info, string meaning)
    {
        var handler = new ApiHandler((api, _) => api == "multiaccount_import" ? FailAccounts("u2") : Error(code, info));

        var outcomes = await ImportAsync(handler, Items("u1", "u2", "u3"));

        AccountImportResult failed = ResultOf(outcomes[1]);
        Assert.Equal(("Failed", code), (failed.Status, failed.ResultCode));
        Assert.StartsWith(info + ".", failed.ResultInfo);
        Assert.Contains(meaning, failed.ResultInfo, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new[] { "Imported", "Imported" }, new[] { ResultOf(outcomes[0]).Status, ResultOf(outcomes[2]).Status });
    }

    [Theory]
    [InlineData(70009)] // the key is not the app's
    [InlineData(70403)] // not an app admin
    [InlineData(60003)] // the body could not be parsed: a module bug, not the account's fault
    public async Task AFollowUpMeetingAConfigurationError_StopsTheRun(int code)
    {
        var handler = new ApiHandler((api, _) => api == "multiaccount_import" ? FailAccounts("u2") : Error(code, "configuration"));
        using ImRestClient client = NewClient(handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountImportOperation(client).SendAsync(Items("u1", "u2"), null, CancellationToken.None));

        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
        Assert.Equal("im_open_login_svc/account_import", e.Api);
    }

    [Fact]
    public async Task AFollowUpWhoseUserSigStaysExpired_StopsTheRun()
    {
        var handler = new ApiHandler((api, _) => api == "multiaccount_import" ? FailAccounts("u1") : Error(70001, "expired"));
        using ImRestClient client = NewClient(handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountImportOperation(client).SendAsync(Items("u1"), null, CancellationToken.None));

        Assert.Equal(ServiceErrorClass.ExpiredSignature, e.ErrorClass);
    }

    [Theory]
    [InlineData(null, "HTTP 502")]                      // a gateway's error after the retries
    [InlineData("{\"ActionStatus\":\"OK\",\"Err", "not valid JSON")] // an answer cut off
    public async Task AFollowUpThatGetsNoAnswer_IsAnAccountImportFailedErrorForThatAccountOnly(string? answer, string said)
    {
        var handler = new ApiHandler((api, _) => api == "multiaccount_import" ? FailAccounts("u2") : answer);

        var outcomes = await ImportAsync(handler, Items("u1", "u2"));

        Assert.Equal("Imported", ResultOf(outcomes[0]).Status);
        ItemFailure failure = outcomes[1].Failure!;
        Assert.Null(outcomes[1].Result);
        Assert.Equal("AccountImportFailed", failure.ErrorId);
        Assert.Equal("u2", failure.Target);
        Assert.StartsWith("UserID 'u2' may not have been imported: im_open_login_svc/account_import", failure.Message);
        Assert.Contains(said, failure.Message);
    }

    [Theory]
    [InlineData(70398, "account number exceeds limit")]
    [InlineData(70402, "invalid parameter")]
    [InlineData(71234, "unknown")]
    public async Task ABatchAnsweredWithAnAccountsErrorCode_GivesEveryAccountItsOwnAccountImport(int code, string info)
    {
        // A reading where a partial failure sets the request's ErrorCode (FailAccounts present or not): the client stops
        // at the ErrorCode, so each account is asked on its own; an account the batch did import is imported again,
        // which is an update.
        var handler = new ApiHandler((api, body) => api == "multiaccount_import"
            ? $"{{\"ActionStatus\":\"FAIL\",\"ErrorCode\":{code},\"ErrorInfo\":\"{info}\",\"FailAccounts\":[\"u2\"]}}"
            : UserIdOf(body) == "u2" ? Error(70398, "account number exceeds limit") : Ok);

        var outcomes = await ImportAsync(handler, new[] { new AccountImportItem("u1", "One", null), new AccountImportItem("u2", null, null), new AccountImportItem("u3", null, "https://example.com/3.png") });

        Assert.Equal(new[] { ("u1", "Imported", 0), ("u2", "Failed", 70398), ("u3", "Imported", 0) },
            outcomes.Select(o => (ResultOf(o).UserID, ResultOf(o).Status, ResultOf(o).ResultCode)));
        Assert.Equal(new[] { "{\"UserID\":\"u1\",\"Nick\":\"One\"}", "{\"UserID\":\"u2\"}", "{\"UserID\":\"u3\",\"FaceUrl\":\"https://example.com/3.png\"}" },
            handler.BodiesOf("account_import"));
    }

    [Theory]
    [InlineData(70009, 1)] // configuration: not retried
    [InlineData(70500, 2)] // transient: retried, then given up
    public async Task ABatchThatFailsForTheRunOrAfterItsRetries_Throws_AndSendsNoAccountImport(int code, int requests)
    {
        var handler = new ApiHandler((_, _) => Error(code, "batch refused"));
        using ImRestClient client = NewClient(handler, maxAttempts: 2);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountImportOperation(client).SendAsync(Items("u1", "u2"), null, CancellationToken.None));

        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(requests, handler.Requests.Count);
        Assert.Empty(handler.BodiesOf("account_import"));
    }

    [Theory]
    [InlineData("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"FailAccounts\":{\"UserID\":\"u1\"}}")]
    [InlineData("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"FailAccounts\":[7]}")]
    public async Task ABatchWithAMalformedFailAccounts_IsAMalformedAnswer_AndSendsNoAccountImport(string answer)
    {
        var handler = new ApiHandler((_, _) => answer);
        using ImRestClient client = NewClient(handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountImportOperation(client).SendAsync(Items("u1"), null, CancellationToken.None));

        Assert.Equal(RequestFailureKind.MalformedResponse, e.Kind);
        Assert.Contains("FailAccounts", e.Message);
        Assert.Empty(handler.BodiesOf("account_import"));
    }

    [Fact]
    public void ABatchRequestThatFailed_GivesEachAccountAnErrorSayingItMayNotHaveBeenImported()
    {
        using ImRestClient client = NewClient(new ApiHandler((_, _) => Ok));
        var error = new TencentImRequestException("im_open_login_svc/multiaccount_import", RequestFailureKind.Timeout, "im_open_login_svc/multiaccount_import got no answer within 1 s");

        ItemFailure failure = new AccountImportOperation(client).RequestFailed("u1", error);

        Assert.Equal("AccountImportFailed", failure.ErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, failure.Category);
        Assert.StartsWith("UserID 'u1' may not have been imported: im_open_login_svc/multiaccount_import got no answer", failure.Message);
    }

    [Fact]
    public void TheEngineSendsAUserIdRepeatedInABatchOnce_AnswersARepeatWithTheSameProfile_AndRefusesOneWithAnother()
    {
        var handler = new ApiHandler((api, _) => api == "multiaccount_import" ? FailAccounts("gone") : Error(70399, "deleted"));
        using ImRestClient client = NewClient(handler);
        var outcomes = new List<ItemOutcome<AccountImportResult>>();
        using (var engine = new OrderedBatchEngine<AccountImportItem, AccountImportAnswer, AccountImportResult>(new AccountImportOperation(client), outcomes.Add, null, 100, 4, CancellationToken.None))
        {
            engine.Submit(new AccountImportItem("amy", "First", null));
            engine.Submit(new AccountImportItem("gone", null, null));
            engine.Submit(new AccountImportItem("amy", "First", null));
            engine.Submit(new AccountImportItem("amy", "Second", "https://example.com/a.png"));
            engine.Submit(new AccountImportItem("gone", null, null));
            engine.Complete();
        }

        Assert.Equal(("amy", 0), (ResultOf(outcomes[0]).UserID, ResultOf(outcomes[0]).ResultCode));
        Assert.Equal(("gone", 70399), (ResultOf(outcomes[1]).UserID, ResultOf(outcomes[1]).ResultCode));
        Assert.Equal(("amy", 0), (ResultOf(outcomes[2]).UserID, ResultOf(outcomes[2]).ResultCode));
        Assert.Equal(("ImportRepeatDiffers", "amy"), (outcomes[3].Failure!.ErrorId, outcomes[3].Failure!.UserId));
        Assert.Equal(("gone", 70399), (ResultOf(outcomes[4]).UserID, ResultOf(outcomes[4]).ResultCode));
        Assert.Equal("{\"AccountList\":[{\"UserID\":\"amy\",\"Nick\":\"First\"},{\"UserID\":\"gone\"}]}", Assert.Single(handler.BodiesOf("multiaccount_import")));
        Assert.Equal(new[] { "{\"UserID\":\"gone\"}" }, handler.BodiesOf("account_import"));
    }
}

/// <summary>The per-account codes: what they mean and what to do, after the service's own words.</summary>
public class ItemResultCatalogTests
{
    [Theory]
    [InlineData(70107)]
    [InlineData(70398)]
    [InlineData(70399)]
    [InlineData(71000)]
    public void EveryKnownCode_SaysWhatHappenedAndWhatToDo_InFullSentences(int code)
    {
        ItemResultDescription d = ItemResultCatalog.Find(code)!;

        Assert.Contains(code, ItemResultCatalog.KnownCodes);
        Assert.EndsWith(".", d.Meaning);
        Assert.EndsWith(".", d.Fix);
        Assert.True(char.IsUpper(d.Meaning[0]) && char.IsUpper(d.Fix[0]));
    }

    [Fact]
    public void EveryPerAccountCodeTheEmulatorAnswers_IsKnown()
    {
        int[] emulated =
        {
            TencentIm.Emulator.ServiceErrors.AccountNotFound, TencentIm.Emulator.ServiceErrors.AccountLimitReached,
            TencentIm.Emulator.ServiceErrors.ReimportTooSoon, TencentIm.Emulator.ServiceErrors.DeleteNotAllowed,
        };

        Assert.Equal(emulated.OrderBy(c => c), ItemResultCatalog.KnownCodes.OrderBy(c => c));
    }

    [Fact]
    public void Explain_LeadsWithTheServicesErrorInfo_ThenTheMeaningAndTheFix()
    {
        Assert.Equal("account number exceeds limit. " + ItemResultCatalog.Find(70398)!.Meaning + " " + ItemResultCatalog.Find(70398)!.Fix,
            ItemResultCatalog.Explain(70398, "account number exceeds limit"));
        Assert.Equal(ItemResultCatalog.Find(70399)!.Meaning + " " + ItemResultCatalog.Find(70399)!.Fix, ItemResultCatalog.Explain(70399, ""));
    }

    [Fact]
    public void Explain_OfACodeThatIsNotPerAccount_UsesTheRequestLevelCatalogue()
    {
        ServiceErrorDescription d = ServiceErrorCatalog.Describe(70402);

        Assert.Null(ItemResultCatalog.Find(70402));
        Assert.Equal("bad. " + d.Meaning + " " + d.Fix, ItemResultCatalog.Explain(70402, "bad"));
    }
}
