using System;
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
using TencentIm.Tests.Client;
using static TencentIm.Tests.Client.ImRestClientTests;

namespace TencentIm.Tests.Apis;

/// <summary>query_online_status: the body, every documented answer shape (both spellings of the state), and malformed answers.</summary>
public class OnlineStatusProtocolTests
{
    // The Chinese page's samples (https://cloud.tencent.com/document/product/269/2566), commas repaired.
    private const string ChineseSample = """
        {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,
         "QueryResult":[{"To_Account":"id1","Status":"Offline"},{"To_Account":"id2","Status":"Online"},{"To_Account":"id3","Status":"PushOnline"}],
         "ErrorList":[{"To_Account":"id4","ErrorCode":70107}]}
        """;

    // The English page's sample with detail (https://www.tencentcloud.com/document/product/1047/35477): State at the
    // account level, Status per platform; its missing and trailing commas repaired.
    private const string EnglishDetailSample = """
        {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,
         "QueryResult":[{"To_Account":"id1","State":"Online","Detail":[{"Platform":"IPhone","Status":"PushOnline"},{"Platform":"Web","Status":"Online"}]},
                        {"To_Account":"id2","State":"Offline"}],
         "ErrorList":[{"To_Account":"id4","ErrorCode":70107}]}
        """;

    private static List<OnlineStatusItem> Read(string answer, bool detail, params string[] sent)
    {
        using var document = JsonDocument.Parse(answer);
        return OnlineStatusProtocol.ReadAnswer(document.RootElement, sent, detail);
    }

    private static OnlineStatusResult Outcome(OnlineStatusItem item, bool detail = false) =>
        new OnlineStatusOperation((_, _, _) => throw new InvalidOperationException(), detail).ToOutcome(item).Result!;

    [Fact]
    public void WriteRequest_WithoutDetail_IsThePagesFirstSample()
    {
        string json = Encoding.UTF8.GetString(OnlineStatusProtocol.WriteRequest(new[] { "id1", "id2", "id3", "id4" }, detail: false));

        Assert.Equal("{\"To_Account\":[\"id1\",\"id2\",\"id3\",\"id4\"]}", json);
    }

    [Fact]
    public void WriteRequest_WithDetail_AsksForIsNeedDetail_AndKeepsNonAsciiReadable()
    {
        string json = Encoding.UTF8.GetString(OnlineStatusProtocol.WriteRequest(new[] { "用户", "a\"b" }, detail: true));

        Assert.Equal("{\"To_Account\":[\"用户\",\"a\\\"b\"],\"IsNeedDetail\":1}", json);
    }

    [Fact]
    public void ReadAnswer_ReadsTheChineseSample_StatusSpelling_AndItsErrorList()
    {
        List<OnlineStatusItem> items = Read(ChineseSample, false, "id1", "id2", "id3", "id4");

        OnlineStatusResult[] results = items.Select(i => Outcome(i)).ToArray();
        Assert.Equal(new[] { "id1", "id2", "id3", "id4" }, results.Select(r => r.UserID));
        Assert.Equal(new[] { "Offline", "Online", "PushOnline", "Unknown" }, results.Select(r => r.Status));
        Assert.Equal(new[] { 0, 0, 0, 70107 }, results.Select(r => r.ResultCode));
        Assert.Equal("", results[0].ResultInfo);
        Assert.Contains("does not exist", results[3].ResultInfo);
        Assert.All(results, r => Assert.Null(r.Detail));
    }

    [Fact]
    public void ReadAnswer_ReadsTheEnglishSample_StateSpelling_WithEachPlatform()
    {
        List<OnlineStatusItem> items = Read(EnglishDetailSample, true, "id1", "id2", "id4");

        OnlineStatusResult[] results = items.Select(i => Outcome(i, detail: true)).ToArray();
        Assert.Equal(new[] { "Online", "Offline", "Unknown" }, results.Select(r => r.Status));
        Assert.Equal(new[] { "IPhone: PushOnline", "Web: Online" }, results[0].Detail!.Select(p => p.ToString()));
        Assert.Equal(("IPhone", "PushOnline"), (results[0].Detail![0].Platform, results[0].Detail![0].Status));
        Assert.Empty(results[1].Detail!);
        Assert.Empty(results[2].Detail!);
    }

    [Fact]
    public void ReadAnswer_ReadsStateAsWellAsStatus_PerPlatform()
    {
        const string answer = """{"ErrorCode":0,"QueryResult":[{"To_Account":"a","Status":"Online","Detail":[{"Platform":"Android","State":"PushOnline"}]}]}""";

        OnlineStatusResult result = Outcome(Assert.Single(Read(answer, true, "a")), detail: true);

        Assert.Equal("Android: PushOnline", Assert.Single(result.Detail!).ToString());
    }

    [Fact]
    public void ReadAnswer_PrefersStatus_WhenBothSpellingsAreThere()
    {
        const string answer = """{"ErrorCode":0,"QueryResult":[{"To_Account":"a","Status":"PushOnline","State":"Online"}]}""";

        Assert.Equal("PushOnline", Outcome(Assert.Single(Read(answer, false, "a"))).Status);
    }

    [Fact]
    public void ReadAnswer_WithoutDetail_LeavesDetailNull_EvenWhenTheServiceSendsIt()
    {
        OnlineStatusResult result = Outcome(Read(EnglishDetailSample, false, "id1", "id2", "id4")[0]);

        Assert.Equal("Online", result.Status);
        Assert.Null(result.Detail);
    }

    [Theory]
    [InlineData("\"online\"", "Online")]
    [InlineData("\"PUSHONLINE\"", "PushOnline")]
    [InlineData("\"offline\"", "Offline")]
    public void ReadAnswer_MatchesTheStatesWithoutRegardToCase(string state, string expected)
    {
        string answer = $$"""{"ErrorCode":0,"QueryResult":[{"To_Account":"a","State":{{state}}}]}""";

        OnlineStatusResult result = Outcome(Assert.Single(Read(answer, false, "a")));

        Assert.Equal(expected, result.Status);
        Assert.Equal("", result.ResultInfo);
    }

    [Theory]
    [InlineData("\"Away\"", "The service answered an unknown Status 'Away'.")]
    [InlineData("1", "The service answered an unknown Status '1'.")]
    [InlineData("\"\"", "The service answered an unknown Status ''.")]
    public void AnUnknownState_IsUnknown_AndResultInfoSaysWhatWasAnswered(string state, string info)
    {
        string answer = $$"""{"ErrorCode":0,"QueryResult":[{"To_Account":"a","Status":{{state}}}]}""";

        OnlineStatusResult result = Outcome(Assert.Single(Read(answer, false, "a")));

        Assert.Equal(("Unknown", 0, info), (result.Status, result.ResultCode, result.ResultInfo));
    }

    [Theory]
    [InlineData("""{"To_Account":"a"}""")]
    [InlineData("""{"To_Account":"a","Status":null}""")]
    public void AnEntryWithoutAState_IsUnknown_AndSaysSo(string entry)
    {
        OnlineStatusResult result = Outcome(Assert.Single(Read($$"""{"ErrorCode":0,"QueryResult":[{{entry}}]}""", false, "a")));

        Assert.Equal("Unknown", result.Status);
        Assert.Equal("The service answered no Status (or State) for this account.", result.ResultInfo);
    }

    [Fact]
    public void AnErrorListEntry_CarriesItsCode_AndItsOwnErrorInfoWhenItHasOne()
    {
        const string answer = """{"ErrorCode":0,"ErrorList":[{"To_Account":"a","ErrorCode":70402,"ErrorInfo":"bad UserID"},{"To_Account":"b"}]}""";

        OnlineStatusResult[] results = Read(answer, false, "a", "b").Select(i => Outcome(i)).ToArray();

        Assert.Equal(("Unknown", 70402, "bad UserID"), (results[0].Status, results[0].ResultCode, results[0].ResultInfo));
        Assert.Equal(("Unknown", 0), (results[1].Status, results[1].ResultCode));
        Assert.Contains("ErrorList", results[1].ResultInfo);
    }

    [Theory]
    [InlineData("""{"ErrorCode":0,"QueryResult":[]}""")]
    [InlineData("""{"ErrorCode":0,"ErrorList":[]}""")]
    [InlineData("""{"ErrorCode":0,"QueryResult":null,"ErrorList":[]}""")]
    public void AnswersWithOneListOnly_AreRead(string answer)
    {
        Assert.Empty(Read(answer, false, "a"));
    }

    [Theory]
    [InlineData("""{"ErrorCode":0}""")]
    [InlineData("""{"ErrorCode":0,"QueryResult":{}}""")]
    [InlineData("""{"ErrorCode":0,"ErrorList":"none"}""")]
    [InlineData("""{"ErrorCode":0,"QueryResult":[{"Status":"Online"}]}""")]
    [InlineData("""{"ErrorCode":0,"QueryResult":["a"]}""")]
    [InlineData("""{"ErrorCode":0,"QueryResult":[{"To_Account":1,"Status":"Online"}]}""")]
    [InlineData("""{"ErrorCode":0,"ErrorList":[{"ErrorCode":70107}]}""")]
    [InlineData("""{"ErrorCode":0,"QueryResult":[{"To_Account":"a","Status":"Online","Detail":{}}]}""")]
    [InlineData("""{"ErrorCode":0,"QueryResult":[{"To_Account":"a","Status":"Online","Detail":["Web"]}]}""")]
    public void ReadAnswer_RejectsAnAnswerOfAnotherShape(string answer)
    {
        Assert.Throws<FormatException>(() => Read(answer, true, "a"));
    }

    [Theory]
    [InlineData(70107, """{"ErrorList":[{"To_Account":"a","ErrorCode":70107}]}""", true)]
    [InlineData(70107, """{"QueryResult":[{"To_Account":"a","Status":"Online"}],"ErrorList":[{"To_Account":"b","ErrorCode":70107}]}""", true)]
    [InlineData(99999, """{"ErrorList":[{"To_Account":"a","ErrorCode":99999}]}""", true)]
    [InlineData(70402, """{"ErrorList":[{"To_Account":"a","ErrorCode":70402}]}""", true)]
    [InlineData(70107, """{}""", false)]
    [InlineData(70107, """{"ErrorList":[]}""", false)]
    [InlineData(70500, """{"ErrorList":[{"To_Account":"a","ErrorCode":70500}]}""", false)]
    [InlineData(70403, """{"ErrorList":[{"To_Account":"a","ErrorCode":70403}]}""", false)]
    [InlineData(70001, """{"ErrorList":[{"To_Account":"a","ErrorCode":70001}]}""", false)]
    [InlineData(60007, """{"ErrorList":[{"To_Account":"a","ErrorCode":60007}]}""", false)]
    public void CarriesAccountResults_OnlyForCodesAboutAccounts_WithAListToRead(int code, string answer, bool expected)
    {
        using var document = JsonDocument.Parse(answer);

        Assert.Equal(expected, OnlineStatusProtocol.CarriesAccountResults(code, document.RootElement));
    }
}

/// <summary>query_online_status through the API client (a scripted transport) and the ordered engine.</summary>
public class OnlineStatusOperationTests
{
    private static async Task<List<OnlineStatusResult>> QueryAsync(ScriptedHandler handler, bool detail, params string[] ids)
    {
        using ImRestClient client = NewClient(handler);
        var operation = new OnlineStatusOperation(client, detail);
        List<OnlineStatusItem> answers = await operation.SendAsync(ids, null, CancellationToken.None);
        return answers.Select(a => operation.ToOutcome(a).Result!).ToList();
    }

    [Fact]
    public async Task PostsToOpenImQueryOnlineStatus_WithTheBody()
    {
        var handler = new ScriptedHandler(ImRestClientTests.Json("""{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","QueryResult":[{"To_Account":"a","Status":"Online"}]}"""));

        List<OnlineStatusResult> results = await QueryAsync(handler, true, "a");

        Assert.Equal("/v4/openim/query_online_status", handler.Requests.Single().AbsolutePath);
        Assert.Equal("{\"To_Account\":[\"a\"],\"IsNeedDetail\":1}", handler.Bodies.Single());
        Assert.Equal("Online", results.Single().Status);
    }

    [Fact]
    public async Task AFailedAnswerWithAnErrorList_IsReadPerAccount_NotRetried()
    {
        // ErrorCode is 0 only when some account succeeded: a batch of missing accounts comes back FAIL, with its list.
        var handler = new ScriptedHandler(ImRestClientTests.Json("""{"ActionStatus":"FAIL","ErrorCode":70107,"ErrorInfo":"account not found","ErrorList":[{"To_Account":"x","ErrorCode":70107},{"To_Account":"y","ErrorCode":70107}]}"""));

        List<OnlineStatusResult> results = await QueryAsync(handler, false, "x", "y");

        Assert.Single(handler.Requests);
        Assert.Equal(new[] { ("x", "Unknown", 70107), ("y", "Unknown", 70107) }, results.Select(r => (r.UserID, r.Status, r.ResultCode)));
    }

    [Fact]
    public async Task AFailedAnswerWithBothLists_GivesEachAccountItsOwnResult()
    {
        // The other reading: ErrorCode set whenever ErrorList is not empty.
        var handler = new ScriptedHandler(ImRestClientTests.Json("""{"ActionStatus":"FAIL","ErrorCode":70107,"ErrorInfo":"","QueryResult":[{"To_Account":"a","Status":"PushOnline"}],"ErrorList":[{"To_Account":"x","ErrorCode":70107}]}"""));

        List<OnlineStatusResult> results = await QueryAsync(handler, false, "a", "x");

        Assert.Equal(new[] { ("a", "PushOnline", 0), ("x", "Unknown", 70107) }, results.Select(r => (r.UserID, r.Status, r.ResultCode)));
    }

    [Fact]
    public async Task A70107WithoutAnyList_IsEveryAccountsCode()
    {
        var handler = new ScriptedHandler(Error(70107, "The account does not exist"));

        List<OnlineStatusResult> results = await QueryAsync(handler, true, "x", "y");

        Assert.Equal(new[] { ("x", "Unknown", 70107, "The account does not exist"), ("y", "Unknown", 70107, "The account does not exist") },
            results.Select(r => (r.UserID, r.Status, r.ResultCode, r.ResultInfo)));
        Assert.All(results, r => Assert.Empty(r.Detail!));
    }

    [Fact]
    public async Task ATransientCodeWithAList_IsRetriedAsAWholeRequest()
    {
        var handler = new ScriptedHandler(
            ImRestClientTests.Json("""{"ActionStatus":"FAIL","ErrorCode":70500,"ErrorInfo":"busy","ErrorList":[{"To_Account":"a","ErrorCode":70500}]}"""),
            ImRestClientTests.Json("""{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","QueryResult":[{"To_Account":"a","Status":"Offline"}]}"""));

        List<OnlineStatusResult> results = await QueryAsync(handler, false, "a");

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal("Offline", results.Single().Status);
    }

    [Fact]
    public async Task AnAccountWithAPassingCodeInErrorList_IsAskedOnceMore_InARequestOfItsOwn()
    {
        var handler = new ScriptedHandler(
            ImRestClientTests.Json("""{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","QueryResult":[{"To_Account":"a","Status":"Online"}],"ErrorList":[{"To_Account":"b","ErrorCode":70500}]}"""),
            ImRestClientTests.Json("""{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","QueryResult":[{"To_Account":"b","Status":"PushOnline"}]}"""));

        List<OnlineStatusResult> results = await QueryAsync(handler, false, "a", "b");

        Assert.Equal("{\"To_Account\":[\"b\"]}", handler.Bodies[1]);
        Assert.Equal(new[] { ("a", "Online"), ("b", "PushOnline") }, results.Select(r => (r.UserID, r.Status)));
    }

    [Fact]
    public void InTheEngine_AnIdInNeitherList_GetsTheResultMissingError_AndTheOthersTheirResults_InInputOrder()
    {
        var operation = new OnlineStatusOperation((ids, _, _) => Task.FromResult(new List<OnlineStatusItem>
        {
            new("c", 0, "", "Online", null, false),
            new("a", 70107, "", null, null, true),
        }), detail: false);
        var outcomes = new List<ItemOutcome<OnlineStatusResult>>();
        using (var engine = new OrderedBatchEngine<string, OnlineStatusItem, OnlineStatusResult>(operation, outcomes.Add, null, 500, 1, CancellationToken.None))
        {
            foreach (string id in new[] { "a", "b", "c", "a" })
            {
                engine.Submit(id);
            }

            engine.Complete();
        }

        Assert.Equal(4, outcomes.Count);
        Assert.Equal(("a", "Unknown", 70107), (outcomes[0].Result!.UserID, outcomes[0].Result!.Status, outcomes[0].Result!.ResultCode));
        Assert.Equal(("OnlineStatusResultMissing", "b"), (outcomes[1].Failure!.ErrorId, outcomes[1].Failure!.UserId));
        Assert.Contains("query_online_status had no entry for UserID 'b'", outcomes[1].Failure!.Message);
        Assert.Equal(("c", "Online"), (outcomes[2].Result!.UserID, outcomes[2].Result!.Status));
        Assert.Equal("a", outcomes[3].Result!.UserID);
    }

    [Fact]
    public async Task AnAnswerWithNeitherList_FailsTheRequestAsMalformed()
    {
        var handler = new ScriptedHandler(ImRestClientTests.Json("""{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"""));

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => QueryAsync(handler, false, "a"));

        Assert.Equal(RequestFailureKind.MalformedResponse, e.Kind);
        Assert.Contains("neither a QueryResult nor an ErrorList", e.Message);
    }
}
