using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Numerics;
using System.Text;
using System.Text.Json;
using TencentIm.Apis;
using TencentIm.Client;
using Xunit;

namespace TencentIm.Tests.Apis;

/// <summary>
/// Invoke-TencentImApi's JSON: a body from each form a script holds, and answers as PSCustomObjects or hashtables whose
/// whole numbers stay exact beyond 2^53 (a double would round a 64-bit MsgSeq).
/// </summary>
public class ApiJsonTests
{
    private static string Body(object? input)
    {
        byte[]? body = ApiJson.ToBody(input, out string? problem);
        Assert.True(body != null, problem);
        return Encoding.UTF8.GetString(body!);
    }

    private static string Problem(object? input)
    {
        Assert.Null(ApiJson.ToBody(input, out string? problem));
        return problem!;
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void AHashtable_IsWrittenWithNestedArraysAndHashtables()
    {
        var body = new Hashtable { ["To_Account"] = new object[] { "alice", "bob" }, ["MsgBody"] = new object[] { new Hashtable { ["MsgType"] = "TIMTextElem" } } };

        JsonElement root = Parse(Body(body));

        Assert.Equal("bob", root.GetProperty("To_Account")[1].GetString());
        Assert.Equal("TIMTextElem", root.GetProperty("MsgBody")[0].GetProperty("MsgType").GetString());
    }

    [Fact]
    public void AnOrderedDictionary_KeepsItsKeyOrder()
    {
        var body = new OrderedDictionary { ["z"] = 1, ["a"] = true, ["m"] = null };

        Assert.Equal("{\"z\":1,\"a\":true,\"m\":null}", Body(body));
    }

    [Fact]
    public void APSCustomObject_IsWrittenFromItsProperties_AndAPSObjectWrappedHashtableAsTheHashtable()
    {
        var custom = new PSObject();
        custom.Properties.Add(new PSNoteProperty("From_Account", "alice"));
        custom.Properties.Add(new PSNoteProperty("Count", 3));

        Assert.Equal("{\"From_Account\":\"alice\",\"Count\":3}", Body(custom));
        Assert.Equal("{\"k\":\"v\"}", Body(new PSObject(new Hashtable { ["k"] = "v" })));
    }

    [Fact]
    public void AJsonString_IsSentByteForByte_SoItsLargeNumbersAreNeverReRead()
    {
        const string json = "{ \"MsgSeq\": 18446744073709551615, \"Nick\": \"用户甲\" }";

        Assert.Equal(json, Body(json));
        Assert.Equal(json, Body(new PSObject(json)));
    }

    [Fact]
    public void WholeNumbersOfEveryType_AreWrittenExactly()
    {
        var body = new OrderedDictionary
        {
            ["long"] = 9007199254740993L,
            ["ulong"] = ulong.MaxValue,
            ["big"] = BigInteger.Parse("123456789012345678901234567890"),
            ["decimal"] = 1.5m,
            ["byte"] = (byte)7,
        };

        Assert.Equal("{\"long\":9007199254740993,\"ulong\":18446744073709551615,\"big\":123456789012345678901234567890,\"decimal\":1.5,\"byte\":7}", Body(body));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "an array, not an object")]
    [InlineData("\"text\"", "a string, not an object")]
    [InlineData("", "not valid JSON")]
    public void TextThatIsNotAJsonObject_IsRefused_SayingWhy(string text, string expected)
    {
        Assert.Contains(expected, Problem(text));
    }

    [Fact]
    public void ANumberANullAndAList_AreRefusedAsBodies()
    {
        Assert.Contains("of type Int32, not an object", Problem(5));
        Assert.Contains("null", Problem(null));
        Assert.Contains("a list of values", Problem(new[] { 1, 2 }));
    }

    [Fact]
    public void AHashtableThatHoldsItself_IsRefused_NotAStackOverflow()
    {
        var body = new Hashtable();
        body["self"] = body;

        Assert.Contains("nests more than", Problem(body));
    }

    [Fact]
    public void NaN_IsRefused()
    {
        Assert.Contains("NaN", Problem(new Hashtable { ["x"] = double.NaN }));
    }

    [Fact]
    public void Answers_KeepWholeNumbersExact_AsInt32Int64UInt64OrBigInteger_AndFractionsAsDouble()
    {
        JsonElement root = Parse("{\"a\":1,\"b\":9007199254740993,\"c\":18446744073709551615,\"d\":123456789012345678901234567890,\"e\":1.5,\"f\":-9223372036854775808}");

        var o = (PSObject)ApiJson.ToPSObject(root)!;

        Assert.Equal(1, o.Properties["a"].Value);
        Assert.Equal(9007199254740993L, o.Properties["b"].Value);
        Assert.Equal(ulong.MaxValue, o.Properties["c"].Value);
        Assert.Equal(BigInteger.Parse("123456789012345678901234567890"), o.Properties["d"].Value);
        Assert.Equal(1.5, o.Properties["e"].Value);
        Assert.Equal(long.MinValue, o.Properties["f"].Value);
    }

    [Fact]
    public void AnAnswerAsPSObject_HasTheEnvelopeAndNestedObjectsAndArrays()
    {
        JsonElement root = Parse("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"UserProfileItem\":[{\"To_Account\":\"alice\",\"ProfileItem\":[]}],\"Flag\":true,\"None\":null}");

        var o = (PSObject)ApiJson.ToPSObject(root)!;

        Assert.Equal("OK", o.Properties["ActionStatus"].Value);
        Assert.Equal(0, o.Properties["ErrorCode"].Value);
        Assert.Equal("", o.Properties["ErrorInfo"].Value);
        var items = (object[])o.Properties["UserProfileItem"].Value;
        Assert.Equal("alice", ((PSObject)items[0]).Properties["To_Account"].Value);
        Assert.Empty((object[])((PSObject)items[0]).Properties["ProfileItem"].Value);
        Assert.Equal(true, o.Properties["Flag"].Value);
        Assert.Null(o.Properties["None"].Value);
    }

    [Fact]
    public void AnAnswerAsHashtable_HasCaseSensitiveKeys_AndExactNumbers()
    {
        JsonElement root = Parse("{\"MsgSeq\":18446744073709551615,\"msgseq\":1,\"Item\":{\"x\":[1,2]}}");

        var table = (IDictionary)ApiJson.ToHashtable(root)!;

        Assert.Equal(ulong.MaxValue, table["MsgSeq"]);
        Assert.Equal(1, table["msgseq"]);
        Assert.Equal(new object[] { 1, 2 }, (object[])((IDictionary)table["Item"]!)["x"]!);
    }

    [Fact]
    public void ARepeatedNameInAnAnswer_KeepsItsLastValue()
    {
        var o = (PSObject)ApiJson.ToPSObject(Parse("{\"a\":1,\"a\":2}"))!;

        Assert.Equal(2, o.Properties["a"].Value);
    }
}

/// <summary>The API table: names as users type them, the limits and idempotency Invoke-TencentImApi applies.</summary>
public class ServiceApiTableTests
{
    [Theory]
    [InlineData("profile/portrait_get", "profile/portrait_get")]
    [InlineData("v4/profile/portrait_get", "profile/portrait_get")]
    [InlineData("/v4/openim/sendmsg", "openim/sendmsg")]
    [InlineData("  sns/friend_get ", "sns/friend_get")]
    [InlineData("profile", null)]
    [InlineData("a/b/c", null)]
    [InlineData("profile/", null)]
    [InlineData("/portrait_get", null)]
    [InlineData("profile/portrait get", null)]
    [InlineData("profile/portrait_get?x=1", null)]
    [InlineData("", null)]
    public void NormalizePath_TakesServiceSlashCommand_WithOrWithoutV4(string typed, string? expected)
    {
        Assert.Equal(expected, ServiceApi.NormalizePath(typed));
    }

    [Fact]
    public void WritesThatSendOrCreate_AreNotIdempotent_ReadsImportsDeletesAndSettingsAre()
    {
        foreach (ServiceApi api in new[] { ServiceApi.SendMsg, ServiceApi.BatchSendMsg, ServiceApi.SendGroupMsg, ServiceApi.CreateGroup, ServiceApi.ImportMsg, ServiceApi.FriendAdd, ServiceApi.AddGroupMember })
        {
            Assert.False(api.IsIdempotent, api.Path);
        }

        foreach (ServiceApi api in new[] { ServiceApi.PortraitGet, ServiceApi.PortraitSet, ServiceApi.AccountImport, ServiceApi.AccountDelete, ServiceApi.Kick, ServiceApi.FriendGet, ServiceApi.DestroyGroup })
        {
            Assert.True(api.IsIdempotent, api.Path);
        }
    }

    [Fact]
    public void AnApiTheTableDoesNotList_GetsTheConservativeDefault_AndIsNotIdempotent()
    {
        ServiceApi api = ServiceApi.ForPath("im_open_push_svc/some_api");

        Assert.Equal(ServiceApi.DefaultCallsPerSecond, api.CallsPerSecond);
        Assert.True(ServiceApi.DefaultCallsPerSecond < 200);
        Assert.False(api.IsIdempotent);
        Assert.Same(ServiceApi.SendMsg, ServiceApi.ForPath("openim/sendmsg"));
    }

    [Fact]
    public void TheClientsLimiter_TakesTheTablesLimit_TheDefaultForAnUnlistedApi_AndMaxRequestsPerSecondOverAll()
    {
        using ImRestClient client = NewClient(null);
        using ImRestClient capped = NewClient(5);

        Assert.Equal(200, client.CurrentLimitOf("openim/sendmsg"));
        Assert.Equal(200, client.CurrentLimitOf("group_open_http_svc/send_group_msg"));
        Assert.Equal(100, client.CurrentLimitOf("im_open_login_svc/account_check"));
        Assert.Equal(ServiceApi.DefaultCallsPerSecond, client.CurrentLimitOf("im_open_push_svc/some_api"));
        Assert.Equal(5, capped.CurrentLimitOf("openim/sendmsg"));
        Assert.Equal(5, capped.CurrentLimitOf("im_open_push_svc/some_api"));
    }

    private static ImRestClient NewClient(int? maxRequestsPerSecond) =>
        TestClients.New(new Uri("http://127.0.0.1:9/"), "table-key", new ClientSettings { MaxRequestsPerSecond = maxRequestsPerSecond });
}
