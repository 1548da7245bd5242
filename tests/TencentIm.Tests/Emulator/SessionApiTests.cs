using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>The emulator's query_online_status and kick (docs/service-api.md §3), and how a kick revokes UserSigs.</summary>
public class SessionApiTests
{
    private static Task<ImAnswer> QueryAsync(EmulatorTestClient client, string body, string? query = null) =>
        client.SendAsync(HttpMethod.Post, "v4/openim/query_online_status?" + (query ?? client.ValidQuery()), body);

    private static Task<ImAnswer> KickAsync(EmulatorTestClient client, string userId, string? query = null) =>
        client.PostAsync("kick", JsonSerializer.Serialize(new { UserID = userId }), query);

    private static (string Account, string Status)[] States(ImAnswer answer) =>
        answer.Json.GetProperty("QueryResult").EnumerateArray()
            .Select(e => (e.GetProperty("To_Account").GetString()!, e.GetProperty("Status").GetString()!)).ToArray();

    private static EmulatorOptions WithAccounts(params string[] accounts)
    {
        var options = new EmulatorOptions();
        foreach (string account in accounts)
        {
            options.Accounts.Add(account);
        }

        return options;
    }

    [Fact]
    public async Task QueryOnlineStatus_AnswersEachAccountsState_AsSeededByTheOptions_AndErrorListForMissingOnes()
    {
        EmulatorOptions options = WithAccounts("alice", "bob", "carol");
        options.OnlineAccounts.Add("alice");
        options.PushOnlineAccounts.Add("carol");
        await using var client = await EmulatorTestClient.StartAsync(options);

        ImAnswer answer = await QueryAsync(client, """{"To_Account":["alice","ghost","bob","carol"]}""");

        Assert.Equal(("OK", 0), (answer.ActionStatus, answer.ErrorCode));
        Assert.Equal(new[] { ("alice", "Online"), ("bob", "Offline"), ("carol", "PushOnline") }, States(answer));
        JsonElement error = Assert.Single(answer.Json.GetProperty("ErrorList").EnumerateArray().ToArray());
        Assert.Equal(("ghost", 70107), (error.GetProperty("To_Account").GetString(), error.GetProperty("ErrorCode").GetInt32()));
        Assert.DoesNotContain("Detail", answer.Body);
    }

    [Fact]
    public async Task QueryOnlineStatus_WithIsNeedDetail_ListsThePlatforms_ThatAPlatformWithoutAStateTakesFromItsAccount()
    {
        EmulatorOptions options = WithAccounts("alice", "bob");
        options.OnlineAccounts.Add("alice=iPhone:PushOnline+Web");
        await using var client = await EmulatorTestClient.StartAsync(options);

        ImAnswer answer = await QueryAsync(client, """{"To_Account":["alice","bob"],"IsNeedDetail":1}""");

        JsonElement[] entries = answer.Json.GetProperty("QueryResult").EnumerateArray().ToArray();
        Assert.Equal(new[] { ("iPhone", "PushOnline"), ("Web", "Online") },
            entries[0].GetProperty("Detail").EnumerateArray().Select(p => (p.GetProperty("Platform").GetString()!, p.GetProperty("Status").GetString()!)));
        Assert.False(entries[1].TryGetProperty("Detail", out _));
        Assert.False(answer.Json.TryGetProperty("ErrorList", out _));
    }

    [Fact]
    public async Task QueryOnlineStatus_WhenNoAccountSucceeds_AnswersFailWithTheCode_AndStillTheErrorList()
    {
        await using var client = await EmulatorTestClient.StartAsync(WithAccounts("alice"));

        ImAnswer answer = await QueryAsync(client, """{"To_Account":["ghost","phantom"]}""");

        Assert.Equal(("FAIL", 70107), (answer.ActionStatus, answer.ErrorCode));
        Assert.Equal(new[] { "ghost", "phantom" }, answer.Json.GetProperty("ErrorList").EnumerateArray().Select(e => e.GetProperty("To_Account").GetString()));
        Assert.False(answer.Json.TryGetProperty("QueryResult", out _));
    }

    [Theory]
    [InlineData("""{}""", 70402)]
    [InlineData("""{"To_Account":[]}""", 70402)]
    [InlineData("""{"To_Account":"alice"}""", 60015)]
    [InlineData("""{"To_Account":[1]}""", 60015)]
    [InlineData("""{"To_Account":["alice"],"IsNeedDetail":2}""", 70402)]
    [InlineData("""{"To_Account":["alice"],"IsNeedDetail":"1"}""", 60015)]
    public async Task QueryOnlineStatus_RefusesABadBody(string body, int code)
    {
        await using var client = await EmulatorTestClient.StartAsync(WithAccounts("alice"));

        ImAnswer answer = await QueryAsync(client, body);

        Assert.Equal(("FAIL", code), (answer.ActionStatus, answer.ErrorCode));
    }

    [Fact]
    public async Task QueryOnlineStatus_TakesUpTo500Accounts_And501Answers70402()
    {
        await using var client = await EmulatorTestClient.StartAsync(WithAccounts("alice"));
        string Body(int n) => JsonSerializer.Serialize(new { To_Account = Enumerable.Repeat("alice", n) });

        Assert.Equal(500, States(await QueryAsync(client, Body(500))).Length);
        Assert.Equal(70402, (await QueryAsync(client, Body(501))).ErrorCode);
    }

    [Fact]
    public async Task Kick_LogsTheAccountOut()
    {
        EmulatorOptions options = WithAccounts("alice");
        options.OnlineAccounts.Add("alice=Web");
        await using var client = await EmulatorTestClient.StartAsync(options);

        ImAnswer answer = await KickAsync(client, "alice");

        Assert.Equal(("OK", 0, ""), (answer.ActionStatus, answer.ErrorCode, answer.ErrorInfo));
        Assert.Equal(new[] { ("alice", "Offline") }, States(await QueryAsync(client, """{"To_Account":["alice"]}""")));
    }

    [Theory]
    [InlineData("ghost", 70107)]
    [InlineData("", 70402)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", 70402)]
    public async Task Kick_RefusesAMissingOrInvalidAccount(string userId, int code)
    {
        await using var client = await EmulatorTestClient.StartAsync(WithAccounts("alice"));

        ImAnswer answer = await KickAsync(client, userId);

        Assert.Equal(("FAIL", code), (answer.ActionStatus, answer.ErrorCode));
    }

    [Fact]
    public async Task Kick_MakesTheAccountsEarlierUserSigsExpire_With70001_ButNotOnesSignedAfterIt()
    {
        EmulatorOptions options = WithAccounts("alice");
        options.Admins = new[] { "administrator", "alice" };
        await using var client = await EmulatorTestClient.StartAsync(options);
        string before = client.Sign("alice", issuedAt: client.Emulator.Now.AddMinutes(-1));
        Assert.Equal(0, (await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "alice" }), client.ValidQuery("alice", before))).ErrorCode);

        await KickAsync(client, "alice");

        ImAnswer refused = await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "alice" }), client.ValidQuery("alice", before));
        Assert.Equal(("FAIL", 70001), (refused.ActionStatus, refused.ErrorCode));
        // Signed in the kick's own second, as a client renewing at once does, and later: both work.
        string sameSecond = client.Sign("alice");
        string later = client.Sign("alice", issuedAt: client.Emulator.Now.AddSeconds(5));
        Assert.Equal(0, (await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "alice" }), client.ValidQuery("alice", sameSecond))).ErrorCode);
        Assert.Equal(0, (await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "alice" }), client.ValidQuery("alice", later))).ErrorCode);
    }

    [Fact]
    public async Task Kick_OfAnotherAccount_LeavesTheAdminsRequestsWorking_KickingTheAdmin_Revokes_ItsOwnEarlierUserSig()
    {
        await using var client = await EmulatorTestClient.StartAsync(WithAccounts("alice", "administrator"));
        string adminQuery = client.ValidQuery(userSig: client.Sign(issuedAt: client.Emulator.Now.AddMinutes(-1)));

        Assert.Equal(0, (await KickAsync(client, "alice", adminQuery)).ErrorCode);
        Assert.Equal(0, (await client.CheckAsync("alice")).ErrorCode);
        Assert.Equal(0, (await KickAsync(client, "administrator", adminQuery)).ErrorCode);

        Assert.Equal(70001, (await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "alice" }), adminQuery)).ErrorCode);
        Assert.Equal(0, (await client.CheckAsync("alice")).ErrorCode);
    }

    [Fact]
    public async Task OnlineStatusHook_SetsAState_WithPlatforms_AndRefusesBadInput()
    {
        await using var client = await EmulatorTestClient.StartAsync(WithAccounts("alice"));

        using HttpResponseMessage set = await client.Http.PostAsync("emulator/online-status?userId=alice&status=PushOnline&platforms=Android,Web:Online", null);
        using HttpResponseMessage badStatus = await client.Http.PostAsync("emulator/online-status?userId=alice&status=Away", null);
        using HttpResponseMessage noAccount = await client.Http.PostAsync("emulator/online-status?userId=ghost&status=Online", null);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noAccount.StatusCode);
        ImAnswer answer = await QueryAsync(client, """{"To_Account":["alice"],"IsNeedDetail":1}""");
        JsonElement entry = answer.Json.GetProperty("QueryResult")[0];
        Assert.Equal("PushOnline", entry.GetProperty("Status").GetString());
        Assert.Equal(new[] { "Android:PushOnline", "Web:Online" },
            entry.GetProperty("Detail").EnumerateArray().Select(p => p.GetProperty("Platform").GetString() + ":" + p.GetProperty("Status").GetString()));

        client.Emulator.SetOnlineStatus("alice", "Offline");
        Assert.Equal(new[] { ("alice", "Offline") }, States(await QueryAsync(client, """{"To_Account":["alice"]}""")));
    }

    [Fact]
    public void Options_ParseOnlineAndPushOnline()
    {
        EmulatorOptions options = EmulatorOptions.Parse(new[] { "--online", "alice,bob=iPhone:PushOnline+Web", "--push-online", "carol" });

        Assert.Equal(new[] { "alice", "bob=iPhone:PushOnline+Web" }, options.OnlineAccounts);
        Assert.Equal(new[] { "carol" }, options.PushOnlineAccounts);
    }

    [Theory]
    [InlineData("--online", "alice=Web:Away")]
    [InlineData("--push-online", "alice=:Online")]
    public async Task Options_AStateThatIsNotOneOfTheThree_StopsTheStart(string option, string value)
    {
        EmulatorOptions options = EmulatorOptions.Parse(new[] { "--accounts", "alice", option, value });

        await Assert.ThrowsAsync<ArgumentException>(() => EmulatorServer.StartAsync(options));
    }

    [Fact]
    public async Task Options_AnOnlineUserThatIsNoAccount_StopsTheStart_NamingIt()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => EmulatorServer.StartAsync(EmulatorOptions.Parse(new[] { "--online", "ghost" })));

        Assert.Contains("'ghost'", e.Message);
    }
}
