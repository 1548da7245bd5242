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
            Assert.True(limiter.WaitAsync(false, CancellationToken.None).IsCompleted);
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

    /// <summary>A clock that moves only when the test moves it; waits end when their time comes.</summary>
    internal sealed class ManualTime : ITimeSource
    {
        private readonly List<(TimeSpan Due, TaskCompletionSource Done)> _waits = new();

        public TimeSpan Now { get; private set; } = TimeSpan.FromHours(1);

        public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource();
            _waits.Add((Now + delay, done));
            cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
            return done.Task;
        }

        /// <summary>Moves the clock to <paramref name="to"/>, ending every wait due by then, in time order.</summary>
        public void AdvanceTo(TimeSpan to)
        {
            // Without xunit's synchronization context, a waiter's continuation runs inline, within TrySetResult.
            SynchronizationContext? context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                while (true)
                {
                    var due = _waits.Where(w => w.Due <= to).OrderBy(w => w.Due).FirstOrDefault();
                    if (due.Done == null)
                    {
                        break;
                    }

                    _waits.Remove(due);
                    Now = due.Due > Now ? due.Due : Now;
                    due.Done.TrySetResult(); // the waiter runs on and may wait again
                }
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }

            Now = to;
        }
    }

    /// <summary><paramref name="count"/> calls at once at the fake clock's now: each is sent as it is let go.</summary>
    private static List<RateLimiter.Slot> Burst(RateLimiter limiter, int count)
    {
        var slots = new List<RateLimiter.Slot>();
        for (int i = 0; i < count; i++)
        {
            Task<RateLimiter.Slot> wait = limiter.WaitAsync(false, CancellationToken.None);
            Assert.True(wait.IsCompletedSuccessfully);
            slots.Add(wait.Result);
        }

        return slots;
    }

    [Fact]
    public void OnThrottled_SetsTheLimitToTheCallsTheServiceAdmittedInThatWindow_WhicheverRefusalComesFirst()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);
        List<RateLimiter.Slot> slots = Burst(limiter, 32); // a quota of 5: the service admits five of them

        time.Now += TimeSpan.FromMilliseconds(20);
        foreach (int refused in Enumerable.Range(5, 27).OrderBy(i => (i * 7919) % 27))
        {
            limiter.OnThrottled(slots[refused]);
        }

        Assert.Equal(5, limiter.CurrentLimit);
    }

    [Fact]
    public void OnThrottled_AStray60007AtFullRate_CostsOneCallPerWindow_ForUnderHalfASecond()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);
        List<RateLimiter.Slot> slots = Burst(limiter, 100);

        time.Now += TimeSpan.FromMilliseconds(20);
        limiter.OnThrottled(slots[99]); // bunched up on the way: 99 admitted

        Assert.Equal(99, limiter.CurrentLimit);
        time.Now += TimeSpan.FromMilliseconds(500); // a cut of less than a tenth from the ceiling: no hold
        Assert.Equal(100, limiter.CurrentLimit);
    }

    [Fact]
    public void OnThrottled_ASmallCutBelowTheCeiling_Holds_AsAProbeAtASteadySmallerQuotaIsRefused()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);
        List<RateLimiter.Slot> first = Burst(limiter, 60);
        time.Now += TimeSpan.FromMilliseconds(20);
        for (int i = 50; i < 60; i++)
        {
            limiter.OnThrottled(first[i]); // a quota of 50
        }

        time.Now += RateLimiter.Hold + RateLimiter.ProbeDoubling; // the probe: 50 + 2.5
        Assert.Equal(52, limiter.CurrentLimit);
        List<RateLimiter.Slot> probe = Burst(limiter, 52);
        time.Now += TimeSpan.FromMilliseconds(20);
        limiter.OnThrottled(probe[50]);
        limiter.OnThrottled(probe[51]);

        Assert.Equal(50, limiter.CurrentLimit);
        time.Now += RateLimiter.Hold;
        Assert.Equal(50, limiter.CurrentLimit);
    }

    [Fact]
    public void OnThrottled_OfCallsSentBeforeTheDecreaseBeforeTheLast_ChangesNothing()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);
        List<RateLimiter.Slot> first = Burst(limiter, 20);
        time.Now += TimeSpan.FromMilliseconds(20);
        limiter.OnThrottled(first[19]); // round one: 19 admitted, a cut to less than half: it probes at once
        time.Now += TimeSpan.FromSeconds(2);
        Assert.Equal(34, limiter.CurrentLimit); // 19 + (2^4 - 1)
        List<RateLimiter.Slot> second = Burst(limiter, 34);
        time.Now += TimeSpan.FromMilliseconds(20);
        limiter.OnThrottled(second[33]); // round two, at the new rate: 32 admitted
        limiter.OnThrottled(second[32]);
        Assert.Equal(32, limiter.CurrentLimit);

        time.Now += TimeSpan.FromMilliseconds(20);
        limiter.OnThrottled(first[3]); // a late answer from round one: it left at the old rate, long before

        Assert.Equal(32, limiter.CurrentLimit);
    }

    [Fact]
    public void AfterADecrease_TheLimitHoldsFiveSeconds_ThenProbesUpward_ByAStepThatDoublesEveryHalfSecond()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);
        List<RateLimiter.Slot> slots = Burst(limiter, 60);
        foreach (RateLimiter.Slot refused in slots.Skip(50))
        {
            limiter.OnThrottled(refused); // a quota of 50: steps of 2.5 (5 %)
        }

        TimeSpan decreased = time.Now;
        int At(double seconds)
        {
            time.Now = decreased + TimeSpan.FromSeconds(seconds);
            return limiter.CurrentLimit;
        }

        Assert.Equal(new[] { 50, 50, 52, 57, 67, 87, 100 }, new[] { At(0), At(5), At(5.5), At(6), At(6.5), At(7), At(7.5) });
    }

    [Fact]
    public void AfterACutToLessThanHalf_TheLimitProbesAtOnce_ForTheCountMayBeFarBelowTheQuota()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);
        List<RateLimiter.Slot> slots = Burst(limiter, 6);
        limiter.OnThrottled(slots[5]); // 5 admitted: other clients may hold the rest, or refused calls fill the window
        TimeSpan decreased = time.Now;
        int At(double seconds)
        {
            time.Now = decreased + TimeSpan.FromSeconds(seconds);
            return limiter.CurrentLimit;
        }

        Assert.Equal(new[] { 5, 6, 8, 12 }, new[] { At(0), At(0.5), At(1), At(1.5) });
    }

    [Fact]
    public void WaitAsync_StartsFewerCallsPerWindow_AfterThrottling()
    {
        var time = new FakeTime();
        var limiter = new RateLimiter(100, time);
        List<RateLimiter.Slot> slots = Burst(limiter, 100);
        foreach (RateLimiter.Slot refused in slots.Skip(80))
        {
            limiter.OnThrottled(refused); // 80 per window
        }

        List<TimeSpan> starts = Starts(limiter, time, 100);

        Assert.Equal(80, MaxInAnyWindow(starts, RateLimiter.Window));
    }

    [Fact]
    public void WaitAsync_CallsAlreadyWaiting_AreHeldBackByADecrease_AndLetGoAtOnceByAProbe()
    {
        var time = new ManualTime();
        TimeSpan t0 = time.Now;
        var limiter = new RateLimiter(10, time);
        List<RateLimiter.Slot> sent = Burst(limiter, 10);
        // Forty more wait, planned at ten per window.
        Task<RateLimiter.Slot>[] waiting = Enumerable.Range(0, 40).Select(_ => limiter.WaitAsync(false, CancellationToken.None)).ToArray();

        time.AdvanceTo(t0 + TimeSpan.FromMilliseconds(20));
        foreach (RateLimiter.Slot refused in sent.Skip(6))
        {
            limiter.OnThrottled(refused); // a quota of 6: the waiting calls are planned anew, 6 per window
        }

        time.AdvanceTo(t0 + RateLimiter.Window);
        Assert.Equal(6, waiting.Count(w => w.IsCompleted));

        // Six per window up to the probe, 5.5 s after the decrease; then a seventh fits at once, between two windows.
        TimeSpan probe = t0 + TimeSpan.FromMilliseconds(20) + RateLimiter.Hold + RateLimiter.ProbeDoubling;
        time.AdvanceTo(probe - TimeSpan.FromMilliseconds(1));
        Assert.Equal(30, waiting.Count(w => w.IsCompleted));
        time.AdvanceTo(probe + TimeSpan.FromMilliseconds(1));
        Assert.Equal(31, waiting.Count(w => w.IsCompleted));
    }

    [Fact]
    public async Task WaitAsync_ARetryWaitsAheadOfFirstAttempts()
    {
        var time = new ManualTime();
        TimeSpan t0 = time.Now;
        var limiter = new RateLimiter(2, time);
        await limiter.WaitAsync(false, CancellationToken.None);
        await limiter.WaitAsync(false, CancellationToken.None);
        Task<RateLimiter.Slot>[] first = Enumerable.Range(0, 3).Select(_ => limiter.WaitAsync(false, CancellationToken.None)).ToArray();

        Task<RateLimiter.Slot> retry = limiter.WaitAsync(true, CancellationToken.None);
        time.AdvanceTo(t0 + RateLimiter.Window);

        Assert.True(retry.IsCompleted);
        Assert.Equal(new[] { true, false, false }, first.Select(w => w.IsCompleted));
        time.AdvanceTo(t0 + RateLimiter.Window + RateLimiter.Window);
        Assert.All(first, w => Assert.True(w.IsCompleted));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_FreesItsPlaceInTheWindow()
    {
        var time = new ManualTime();
        TimeSpan t0 = time.Now;
        var limiter = new RateLimiter(1, time);
        await limiter.WaitAsync(false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        Task<RateLimiter.Slot> cancelled = limiter.WaitAsync(false, cancel.Token); // planned one window on

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Task<RateLimiter.Slot> next = limiter.WaitAsync(false, CancellationToken.None);
        time.AdvanceTo(t0 + RateLimiter.Window);

        Assert.True(next.IsCompleted); // in the place the cancelled call left, not one window later
    }

    [Fact]
    public async Task MarkSent_CountsALateCallFromWhenItLeft_SoTheNextWindowWaitsForIt()
    {
        var time = new FakeTime();
        TimeSpan t0 = time.Now;
        var limiter = new RateLimiter(10, time);
        var tickets = new List<RateLimiter.Slot>();
        for (int i = 0; i < 10; i++)
        {
            tickets.Add(await limiter.WaitAsync(false, CancellationToken.None));
        }

        // The first call waited 300 ms for its connection: the service saw it arrive then, and the ones after it too.
        limiter.MarkSent(tickets[0], t0 + TimeSpan.FromMilliseconds(300));
        TimeSpan eleventh = time.Now;
        await limiter.WaitAsync(false, CancellationToken.None);

        Assert.Equal(t0 + TimeSpan.FromMilliseconds(300) + RateLimiter.Window, time.Now);
        Assert.True(time.Now > eleventh);
    }

    [Fact]
    public async Task MarkSent_OnTime_ChangesNothing()
    {
        var time = new FakeTime();
        TimeSpan t0 = time.Now;
        var limiter = new RateLimiter(2, time);
        var first = await limiter.WaitAsync(false, CancellationToken.None);
        await limiter.WaitAsync(false, CancellationToken.None);

        limiter.MarkSent(first, t0);
        await limiter.WaitAsync(false, CancellationToken.None);

        Assert.Equal(t0 + RateLimiter.Window, time.Now);
    }

    [Fact]
    public async Task WaitAsync_IsCancellable()
    {
        var limiter = new RateLimiter(1, MonotonicTime.Instance);
        await limiter.WaitAsync(false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        Task wait = limiter.WaitAsync(false, cancel.Token);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
