using System;
using System.Linq;
using System.Threading.Tasks;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>
/// The per-API frequency limit (60007). The clock is pinned, so a burst is "within one window" by construction and
/// the window slides only when a test advances the clock: no sleeps, no timing luck.
/// </summary>
public class RateLimitTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1764115200);

    private static EmulatorOptions Limited(int perSecond) => new EmulatorOptions
    {
        TimeProvider = new PinnedTimeProvider(T0),
        RateLimits = { ["account_check"] = perSecond },
    };

    [Fact]
    public async Task BurstOfNPlusKCalls_AnswersExactlyK60007()
    {
        await using var client = await EmulatorTestClient.StartAsync(Limited(5));
        string query = client.ValidQuery();

        ImAnswer[] answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "u" + i }), query)));

        Assert.Equal(5, answers.Count(a => a.ErrorCode == 0));
        ImAnswer[] throttled = answers.Where(a => a.ErrorCode == 60007).ToArray();
        Assert.Equal(3, throttled.Length);
        Assert.All(throttled, a => Assert.Equal(System.Net.HttpStatusCode.OK, a.Status));
        Assert.All(throttled, a => Assert.Equal("REST API call frequency exceeds the limit", a.ErrorInfo));
        Assert.Equal(3, client.Emulator.Stats.Throttled);
    }

    [Fact]
    public async Task RejectedCalls_DoNotUseUpQuota()
    {
        await using var client = await EmulatorTestClient.StartAsync(Limited(3));
        string query = client.ValidQuery();
        for (int i = 0; i < 10; i++)
        {
            await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "u" }), query);
        }

        client.Emulator.AdvanceClock(TimeSpan.FromSeconds(1));
        int[] codes = new int[4];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "u" }), query)).ErrorCode;
        }

        // Seven rejections in the first second left no trace: the next second admits a full three again.
        Assert.Equal(new[] { 0, 0, 0, 60007 }, codes);
    }

    [Theory]
    [InlineData(false, new[] { 0, 0, 0, 60007 })]
    [InlineData(true, new[] { 0, 0, 60007, 60007 })]
    public async Task RejectedCalls_UseUpQuota_OnlyWithRateLimitCountsRejected(bool countsRejected, int[] expected)
    {
        EmulatorOptions options = Limited(3);
        options.RateLimitCountsRejected = countsRejected;
        await using var client = await EmulatorTestClient.StartAsync(options);
        string query = client.ValidQuery();
        string body = EmulatorTestClient.CheckBody(new[] { "u" });
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await client.PostAsync("account_check", body, query)).ErrorCode); // t = 0.0
        }

        client.Emulator.AdvanceClock(TimeSpan.FromMilliseconds(500));
        Assert.Equal(60007, (await client.PostAsync("account_check", body, query)).ErrorCode);  // t = 0.5, rejected
        client.Emulator.AdvanceClock(TimeSpan.FromMilliseconds(500));
        int[] codes = new int[4];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (await client.PostAsync("account_check", body, query)).ErrorCode;     // t = 1.0
        }

        // The three of t = 0 have left the window; the rejected call of t = 0.5 is still in it if it counts.
        Assert.Equal(expected, codes);
    }

    [Fact]
    public async Task SetRateLimit_AppliesFromNowOn_CountingTheCallsOfTheLastSecond()
    {
        await using var client = await EmulatorTestClient.StartAsync(Limited(10));
        string query = client.ValidQuery();
        string body = EmulatorTestClient.CheckBody(new[] { "u" });
        async Task<int> Call() => (await client.PostAsync("account_check", body, query)).ErrorCode;
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(0, await Call());
        }

        client.Emulator.SetRateLimit("account_check", 5);
        Assert.Equal(0, await Call());                       // the fifth of this second
        Assert.Equal(60007, await Call());
        client.Emulator.SetRateLimit("account_import", 1);   // an API that had no limit gets one
        Assert.Equal(0, (await client.PostAsync("account_import", """{"UserID":"a"}""", query)).ErrorCode);
        Assert.Equal(60007, (await client.PostAsync("account_import", """{"UserID":"b"}""", query)).ErrorCode);
        Assert.Throws<ArgumentException>(() => client.Emulator.SetRateLimit("account_chek", 5));
        Assert.Throws<ArgumentException>(() => client.Emulator.SetRateLimit("account_check", 0));
    }

    [Fact]
    public async Task Window_Slides_CallsLeaveItOneSecondAfterTheyWereAdmitted()
    {
        await using var client = await EmulatorTestClient.StartAsync(Limited(3));
        string query = client.ValidQuery();
        string body = EmulatorTestClient.CheckBody(new[] { "u" });
        async Task<int> Call() => (await client.PostAsync("account_check", body, query)).ErrorCode;

        Assert.Equal(0, await Call());                                       // t = 0.0
        client.Emulator.AdvanceClock(TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, await Call());                                       // t = 0.5
        Assert.Equal(0, await Call());                                       // t = 0.5
        Assert.Equal(60007, await Call());                                   // three in (−0.5, 0.5]
        client.Emulator.AdvanceClock(TimeSpan.FromMilliseconds(499));
        Assert.Equal(60007, await Call());                                   // t = 0.999: the first is still inside
        client.Emulator.AdvanceClock(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await Call());                                       // t = 1.0: the first has left
        Assert.Equal(60007, await Call());                                   // the two at 0.5 are still inside
    }

    [Fact]
    public async Task Limits_ArePerApi()
    {
        var options = Limited(1);
        await using var client = await EmulatorTestClient.StartAsync(options);
        string query = client.ValidQuery();

        ImAnswer check1 = await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "u" }), query);
        ImAnswer check2 = await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "u" }), query);
        ImAnswer import = await client.PostAsync("account_import", """{"UserID":"u"}""", query);

        Assert.Equal(new[] { 0, 60007, 0 }, new[] { check1.ErrorCode, check2.ErrorCode, import.ErrorCode });
    }

    [Fact]
    public async Task ThrottledImport_ChangesNoAccount()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions
        {
            TimeProvider = new PinnedTimeProvider(T0),
            RateLimits = { ["account_import"] = 1 },
        });

        await client.PostAsync("account_import", """{"UserID":"first"}""");
        ImAnswer second = await client.PostAsync("account_import", """{"UserID":"second"}""");

        Assert.Equal(60007, second.ErrorCode);
        Assert.Equal(new[] { "first" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public void Limiter_AdmitsAtMostNInAnyOneSecondWindow()
    {
        var limiter = new SlidingWindowRateLimiter(2);

        Assert.True(limiter.TryAdmit(T0));
        Assert.True(limiter.TryAdmit(T0.AddMilliseconds(900)));
        Assert.False(limiter.TryAdmit(T0.AddMilliseconds(999)));
        Assert.True(limiter.TryAdmit(T0.AddMilliseconds(1000)));
        Assert.False(limiter.TryAdmit(T0.AddMilliseconds(1899)));
        Assert.True(limiter.TryAdmit(T0.AddMilliseconds(1900)));
    }
}
