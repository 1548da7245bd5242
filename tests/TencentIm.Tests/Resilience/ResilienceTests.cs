using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using TencentIm.Client;
using TencentIm.Emulator;
using TencentIm.Engine;
using Xunit;

namespace TencentIm.Tests.Resilience;

/// <summary>The whole client (limiter, retries, renewal, batching) against an emulator having a bad day.</summary>
public class ResilienceTests
{
    private static void AssertEveryIdAnsweredOnceAndRight(string[] ids, HashSet<string> imported, List<ItemOutcome<AccountCheckResult>> outcomes)
    {
        Assert.Equal(ids.Length, outcomes.Count);
        for (int i = 0; i < ids.Length; i++)
        {
            AccountCheckResult? result = outcomes[i].Result;
            Assert.True(result != null, $"{ids[i]}: {outcomes[i].Failure?.Message}");
            Assert.Equal(ids[i], result!.UserID);
            Assert.Equal(imported.Contains(ids[i]) ? AccountStatus.Imported : AccountStatus.NotImported, result.Status);
        }
    }

    [Fact]
    public async Task TwentyPercentFaultsOfEveryKind_EveryIdGetsExactlyOneRightResult()
    {
        var (ids, imported) = EmulatorRun.Population(20_000);
        EmulatorOptions options = EmulatorRun.Options(imported);
        options.FaultRate = 0.2;
        options.FaultKinds = FaultKindNames.All.ToList();
        options.SlowResponseMs = 3000;
        options.Seed = 20261125;
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(options);
        // Ten retries: at a 20 % fault rate a request fails eleven times in a row about once in fifty million.
        using ImRestClient client = EmulatorRun.Client(emulator, new ClientSettings
        {
            MaxRequestsPerSecond = 100_000,
            RequestTimeout = TimeSpan.FromSeconds(1),
            MaxAttempts = 11,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        });

        List<ItemOutcome<AccountCheckResult>> outcomes = EmulatorRun.Check(client, ids);

        AssertEveryIdAnsweredOnceAndRight(ids, imported, outcomes);
        EmulatorStats stats = emulator.Stats;
        Assert.All(FaultKindNames.All, kind => Assert.True(stats.Faults[FaultKindNames.Name(kind)] > 0, $"no {kind} fault was injected"));
    }

    [Fact]
    public async Task ServiceLimitOf100PerSecondWith50msLatency_ThrottledCallsAreRetried_AndEveryIdAnswered()
    {
        var (ids, imported) = EmulatorRun.Population(20_000);
        EmulatorOptions options = EmulatorRun.Options(imported);
        options.RateLimits = new Dictionary<string, int> { ["account_check"] = 100 };
        options.LatencyMs = 50;
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(options);
        // The client is told the quota is twice what it is, as when other automation shares the app's quota.
        using ImRestClient client = EmulatorRun.Client(emulator, new ClientSettings
        {
            MaxRequestsPerSecond = 200,
            MaxAttempts = 20,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromSeconds(1),
        });

        List<ItemOutcome<AccountCheckResult>> outcomes = EmulatorRun.Check(client, ids);

        AssertEveryIdAnsweredOnceAndRight(ids, imported, outcomes);
        EmulatorStats stats = emulator.Stats;
        Assert.True(stats.Throttled > 0, "the emulator never throttled: the test did not exercise 60007");
        // At a steady 200 calls/s against 100 about as many calls would be throttled as answered (200); slowing
        // down keeps it to a fraction.
        Assert.True(stats.Throttled < 100, $"{stats.Throttled} calls throttled: the client did not slow down");
    }

    [Fact]
    public async Task RetriesExhausted_OneErrorPerAffectedId_NamingTheLastCode_AndTheOtherIdsAnswered()
    {
        var (ids, imported) = EmulatorRun.Population(3_000);
        EmulatorOptions options = EmulatorRun.Options(imported);
        options.FaultRate = 0.3;
        options.FaultKinds = new List<FaultKind> { FaultKind.InternalError70500 };
        options.Seed = 7;
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(options);
        using ImRestClient client = EmulatorRun.Client(emulator, new ClientSettings
        {
            MaxRequestsPerSecond = 100_000,
            MaxAttempts = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        });

        List<ItemOutcome<AccountCheckResult>> outcomes = EmulatorRun.Check(client, ids);

        Assert.Equal(ids, outcomes.Select(o => o.Result?.UserID ?? o.Failure!.UserId));
        List<ItemFailure> failures = outcomes.Where(o => o.Failure != null).Select(o => o.Failure!).ToList();
        Assert.NotEmpty(failures);
        Assert.True(failures.Count < ids.Length / 2, $"{failures.Count} failures: the other requests did not go on");
        Assert.Equal(0, failures.Count % 100); // whole requests of 100 failed, each ID with its own error
        Assert.All(failures, f =>
        {
            Assert.Equal("AccountCheckFailed", f.ErrorId);
            Assert.Contains("70500", f.Message);
        });
        Assert.All(outcomes.Where(o => o.Result != null), o =>
            Assert.Equal(imported.Contains(o.Result!.UserID) ? AccountStatus.Imported : AccountStatus.NotImported, o.Result.Status));
    }

    /// <summary>A clock the test moves: the client signs with it.</summary>
    private sealed class MovableClock : TencentIm.Signing.IClock
    {
        public DateTimeOffset UtcNow { get; set; } = DateTimeOffset.UtcNow;
    }

    [Fact]
    public async Task UserSigExpiringMidRun_IsRenewed_AndEveryIdAnswered()
    {
        var (ids, imported) = EmulatorRun.Population(4_000);
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(EmulatorRun.Options(imported));
        var clock = new MovableClock();
        using ImRestClient client = EmulatorRun.Client(emulator,
            new ClientSettings { MaxRequestsPerSecond = 100_000, UserSigLifetime = TimeSpan.FromMinutes(10) }, clock);

        List<ItemOutcome<AccountCheckResult>> first = EmulatorRun.Check(client, ids.Take(2_000));
        string firstSig = client.UserSigs.Current();
        // Half an hour passes for both sides: the first UserSig is long expired.
        clock.UtcNow += TimeSpan.FromMinutes(30);
        emulator.AdvanceClock(TimeSpan.FromMinutes(30));
        List<ItemOutcome<AccountCheckResult>> second = EmulatorRun.Check(client, ids.Skip(2_000));

        AssertEveryIdAnsweredOnceAndRight(ids, imported, first.Concat(second).ToList());
        Assert.NotEqual(firstSig, client.UserSigs.Current());
    }
}
