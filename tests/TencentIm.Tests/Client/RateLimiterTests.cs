using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Client;
using Xunit;

namespace TencentIm.Tests.Client;

public class RateLimiterTests
{
    /// <summary>A clock that only moves when a caller waits on it: each Delay jumps to its end.</summary>
    internal sealed class FakeTime : ITimeSource
    {
        public TimeSpan Now { get; set; } = TimeSpan.FromHours(1);

        public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            Now += delay;
            return Task.CompletedTask;
        }
    }

    private static List<TimeSpan> Starts(RateLimiter limiter, FakeTime time, int calls)
    {
        var starts = new List<TimeSpan>();
        for (int i = 0; i < calls; i++)
        {
            Assert.True(limiter.WaitAsync(CancellationToken.None).IsCompleted);
            starts.Add(time.Now);
        }

        return starts;
    }

    private static int MaxInAnyWindow(IReadOnlyList<TimeSpan> starts, TimeSpan window)
    {
        int max = 0;
        for (int i = 0, j = 0; i < starts.Count; i++)
        {
            while (starts[i] - starts[j] >= window)
            {
                j++;
            }

            max = Math.Max(max, i - j + 1);
        }

        return max;
    }

    [Fact]
    public void WaitAsync_LetsTheFirstNCallsStartAtOnce_ThenWaitsForTheWindow()
    {
        var time = new FakeTime();
        TimeSpan t0 = time.Now;
        var limiter = new RateLimiter(100, time);

        List<TimeSpan> starts = Starts(limiter, time, 101);

        Assert.All(starts.Take(100), s => Assert.Equal(t0, s));
        Assert.Equal(t0 + RateLimiter.Window, starts[100]);
    }

    [Fact]
    public void WaitAsync_NeverStartsMoreThanNInAnySecond_OverALongRun()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);

        List<TimeSpan> starts = Starts(limiter, time, 5000);

        Assert.Equal(100, MaxInAnyWindow(starts, TimeSpan.FromSeconds(1)));
        // Calls after the first burst, over the time they took: 100 per 1.02 s, the 2 % jitter margin.
        double perSecond = (5000 - 100) / (starts[^1] - starts[0]).TotalSeconds;
        Assert.InRange(perSecond, 97.5, 98.5);
    }

    [Fact]
    public void OnThrottled_LowersTheLimitByAFifth_AndQuietSecondsRaiseItBack()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);

        limiter.OnThrottled();
        Assert.Equal(80, limiter.CurrentLimit);
        limiter.OnThrottled(); // the same crowded window: not a second signal
        Assert.Equal(80, limiter.CurrentLimit);
        time.Now += RateLimiter.Window; // +5 per second: 80 + 5.1, then a fifth off
        limiter.OnThrottled();
        Assert.Equal(68, limiter.CurrentLimit);

        time.Now += TimeSpan.FromSeconds(2);
        Assert.Equal(78, limiter.CurrentLimit);
        time.Now += TimeSpan.FromSeconds(60);
        Assert.Equal(100, limiter.CurrentLimit);
    }

    [Fact]
    public void WaitAsync_StartsFewerCallsPerWindow_AfterThrottling()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);
        limiter.OnThrottled(); // 80 per window

        List<TimeSpan> starts = Starts(limiter, time, 81);

        Assert.Equal(starts[0] + RateLimiter.Window, starts[80]);
    }

    [Fact]
    public async Task WaitAsync_IsCancellable()
    {
        var limiter = new RateLimiter(1, MonotonicTime.Instance);
        await limiter.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        Task wait = limiter.WaitAsync(cancel.Token);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
