using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>The /emulator/… hooks that process-level tests and the benchmark use, and the in-process equivalents.</summary>
public class TestHookTests
{
    private static async Task<JsonElement> GetJsonAsync(EmulatorTestClient client, string path)
    {
        string text = await client.Http.GetStringAsync(path);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task StatsHook_CountsRequestsPerApiThrottlingAndFaults()
    {
        var options = new EmulatorOptions
        {
            TimeProvider = new PinnedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1764115200)),
            RateLimits = { ["account_check"] = 2 },
        };
        await using var client = await EmulatorTestClient.StartAsync(options);
        string query = client.ValidQuery();
        for (int i = 0; i < 3; i++)
        {
            await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "u" }), query);
        }

        await client.PostAsync("account_import", """{"UserID":"u"}""", query);
        await client.PostAsync("no_such_api", "{}", query);

        JsonElement stats = await GetJsonAsync(client, "emulator/stats");

        Assert.Equal(3, stats.GetProperty("Requests").GetProperty("account_check").GetInt64());
        Assert.Equal(1, stats.GetProperty("Requests").GetProperty("account_import").GetInt64());
        Assert.Equal(0, stats.GetProperty("Requests").GetProperty("multiaccount_import").GetInt64());
        Assert.Equal(0, stats.GetProperty("Requests").GetProperty("account_delete").GetInt64());
        Assert.Equal(5, stats.GetProperty("TotalRequests").GetInt64());
        Assert.Equal(1, stats.GetProperty("Throttled").GetInt64());
        Assert.Equal(0, stats.GetProperty("Faults").GetProperty("drop").GetInt64());
        Assert.Equal(0, stats.GetProperty("InFlight").GetInt64());
        Assert.Equal(1, stats.GetProperty("MaxConcurrentRequests").GetInt64());
    }

    [Fact]
    public async Task Stats_MaxConcurrentRequests_CountsOverlappingRequests()
    {
        // Each answer waits a second, so five requests sent together are all in flight at once.
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { LatencyMs = 1000 });
        string query = client.ValidQuery();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "u" + i }), query)));

        EmulatorStats stats = client.Emulator.Stats;
        Assert.Equal(5, stats.MaxConcurrentRequests);
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(5, stats.Requests["account_check"]);
    }

    [Fact]
    public async Task AccountsHook_ListsTheImportedUserIdsSorted()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "zed", "amy" } });
        await client.PostAsync("account_import", """{"UserID":"mia"}""");

        JsonElement accounts = await GetJsonAsync(client, "emulator/accounts");

        Assert.Equal(new[] { "amy", "mia", "zed" }, accounts.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ClockHook_AdvancesTheClock_SoThatAUserSigExpires()
    {
        await using var client = await EmulatorTestClient.StartAsync();
        string query = client.ValidQuery(userSig: client.Sign(lifetime: TimeSpan.FromSeconds(60)));
        Assert.Equal(0, (await client.CheckAsync("u")).ErrorCode);
        long before = client.Emulator.Now.ToUnixTimeSeconds();

        using HttpResponseMessage response = await client.Http.PostAsync("emulator/clock?advanceSeconds=120", null);
        long reportedNow = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("Now").GetInt64();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(reportedNow, before + 120, before + 130);
        Assert.Equal(70001, (await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "u" }), query)).ErrorCode);
    }

    [Fact]
    public async Task ClockHook_MovesAPinnedClockToo()
    {
        var pinned = DateTimeOffset.FromUnixTimeSeconds(1764115200);
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { TimeProvider = new PinnedTimeProvider(pinned) });

        using HttpResponseMessage response = await client.Http.PostAsync("emulator/clock?advanceSeconds=30", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(pinned.AddSeconds(30), client.Emulator.Now);
    }

    [Theory]
    [InlineData("advanceSeconds=-5")]
    [InlineData("advanceSeconds=soon")]
    [InlineData("")]
    public async Task ClockHook_WithoutANonNegativeNumber_Answers400AndKeepsTheClock(string query)
    {
        var pinned = DateTimeOffset.FromUnixTimeSeconds(1764115200);
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { TimeProvider = new PinnedTimeProvider(pinned) });

        using HttpResponseMessage response = await client.Http.PostAsync("emulator/clock?" + query, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(pinned, client.Emulator.Now);
    }

    [Fact]
    public async Task RateLimitHook_SetsAnApisLimit_FromNowOn()
    {
        var pinned = DateTimeOffset.FromUnixTimeSeconds(1764115200);
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { TimeProvider = new PinnedTimeProvider(pinned) });
        string query = client.ValidQuery();
        string body = EmulatorTestClient.CheckBody(new[] { "u" });
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await client.PostAsync("account_check", body, query)).ErrorCode); // unlimited so far
        }

        using HttpResponseMessage response = await client.Http.PostAsync("emulator/rate-limit?api=account_check&callsPerSecond=2", null);
        JsonElement answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("account_check", answer.GetProperty("Api").GetString());
        Assert.Equal(2, answer.GetProperty("CallsPerSecond").GetInt32());
        Assert.Equal(0, (await client.PostAsync("account_check", body, query)).ErrorCode);
        Assert.Equal(0, (await client.PostAsync("account_check", body, query)).ErrorCode);
        Assert.Equal(60007, (await client.PostAsync("account_check", body, query)).ErrorCode);
    }

    [Theory]
    [InlineData("api=account_check&callsPerSecond=0")]
    [InlineData("api=account_check&callsPerSecond=many")]
    [InlineData("api=account_check")]
    [InlineData("api=no_such_api&callsPerSecond=5")]
    [InlineData("callsPerSecond=5")]
    public async Task RateLimitHook_WithoutAKnownApiAndAPositiveLimit_Answers400AndChangesNothing(string query)
    {
        var pinned = DateTimeOffset.FromUnixTimeSeconds(1764115200);
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { TimeProvider = new PinnedTimeProvider(pinned), RateLimits = { ["account_check"] = 1 } });

        using HttpResponseMessage response = await client.Http.PostAsync("emulator/rate-limit?" + query, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await client.CheckAsync("u")).ErrorCode);
        Assert.Equal(60007, (await client.CheckAsync("u")).ErrorCode);
    }

    [Fact]
    public async Task Hooks_NeedNoUserSig_AndUnknownHooksAnswer404()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        using HttpResponseMessage stats = await client.Http.GetAsync("emulator/stats");
        using HttpResponseMessage unknown = await client.Http.GetAsync("emulator/nothing");

        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task BaseUri_IsLoopbackWithAnAssignedPort()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        Uri uri = client.Emulator.BaseUri;

        Assert.Equal("127.0.0.1", uri.Host);
        Assert.NotEqual(0, uri.Port);
        Assert.Equal("/", uri.AbsolutePath);
    }
}
