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
    public void OnThrottled_ALoneWindowOf60007s_LowersTheLimitByFivePercentOnce_AndSecondsRaiseItBack()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);

        for (int i = 0; i < 8; i++)
        {
            limiter.OnThrottled(); // calls that bunched up on the way: one signal
        }

        Assert.Equal(95, limiter.CurrentLimit);
        time.Now += TimeSpan.FromSeconds(1); // +5 (5 % of the ceiling) per second
        Assert.Equal(100, limiter.CurrentLimit);
    }

    [Fact]
    public void OnThrottled_WindowAfterWindow_EachCounts_ButNeverMoreThanHalvesAWindow()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);
        limiter.OnThrottled();
        Assert.Equal(95, limiter.CurrentLimit);

        time.Now += RateLimiter.Window; // the next window throttles too: a smaller quota
        limiter.OnThrottled();
        limiter.OnThrottled();
        Assert.Equal(90, limiter.CurrentLimit); // (95 + 5.1) x 0.95 x 0.95, rounded down each time

        for (int i = 0; i < 100; i++)
        {
            limiter.OnThrottled();
        }

        Assert.Equal(50, limiter.CurrentLimit); // half of the 100 the window started with
    }

    [Fact]
    public void WaitAsync_StartsFewerCallsPerWindow_AfterThrottling()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);
        limiter.OnThrottled(); // 95 per window

        List<TimeSpan> starts = Starts(limiter, time, 96);

        Assert.Equal(starts[0], starts[94]);
        Assert.Equal(starts[0] + RateLimiter.Window, starts[95]);
    }

    [Fact]
    public async Task MarkSent_CountsALateCallFromWhenItLeft_SoTheNextWindowWaitsForIt()
    {
        var time = new FakeTime();
        TimeSpan t0 = time.Now;
        var limiter = new RateLimiter(10, time);
        var tickets = new List<long>();
        for (int i = 0; i < 10; i++)
        {
            tickets.Add(await limiter.WaitAsync(CancellationToken.None));
        }

        // The first call waited 300 ms for its connection: the service saw it arrive then, and the ones after it too.
        limiter.MarkSent(tickets[0], t0 + TimeSpan.FromMilliseconds(300));
        TimeSpan eleventh = time.Now;
        await limiter.WaitAsync(CancellationToken.None);

        Assert.Equal(t0 + TimeSpan.FromMilliseconds(300) + RateLimiter.Window, time.Now);
        Assert.True(time.Now > eleventh);
    }

    [Fact]
    public async Task MarkSent_OnTime_ChangesNothing()
    {
        var time = new FakeTime();
        TimeSpan t0 = time.Now;
        var limiter = new RateLimiter(2, time);
        long first = await limiter.WaitAsync(CancellationToken.None);
        await limiter.WaitAsync(CancellationToken.None);

        limiter.MarkSent(first, t0);
        await limiter.WaitAsync(CancellationToken.None);

        Assert.Equal(t0 + RateLimiter.Window, time.Now);
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
