using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace TencentIm.Client
{
    /// <summary>Monotonic time and waiting, replaceable by a fake in tests.</summary>
    internal interface ITimeSource
    {
        /// <summary>Time since an arbitrary fixed start; never goes back.</summary>
        TimeSpan Now { get; }

        Task Delay(TimeSpan delay, CancellationToken cancellationToken);
    }

    internal sealed class MonotonicTime : ITimeSource
    {
        public static readonly MonotonicTime Instance = new MonotonicTime();

        private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

        public TimeSpan Now => _stopwatch.Elapsed;

        public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
    }

    /// <summary>
    /// Starts at most N calls in any sliding window, as the service counts its frequency limits (fact sheet §3), and
    /// adapts when the service says the app's quota is shared: a 60007 lowers N by a fifth, and N climbs back by
    /// a twentieth of the ceiling for each quiet second. The many 60007s of one crowded window are one signal, so
    /// after a decrease the next one waits a window (as TCP decreases once per round trip).
    /// </summary>
    /// <remarks>
    /// Each caller reserves the earliest start that keeps the window within N, then waits for it: callers are served
    /// in order, and a burst of up to N starts at once (fewer timer waits than strict spacing, which matters where
    /// the timer ticks every 15.6 ms). The window is 2 % longer than a second, a margin for network jitter between
    /// here and the service's counter.
    /// </remarks>
    internal sealed class RateLimiter
    {
        internal static readonly TimeSpan Window = TimeSpan.FromMilliseconds(1020);

        private readonly ITimeSource _time;
        private readonly int _ceiling;
        private readonly TimeSpan[] _starts; // the last _ceiling reserved starts, oldest first from _next
        private readonly object _gate = new object();
        private int _next;
        private long _reserved;
        private double _limit;
        private TimeSpan _lastAdjusted;
        private TimeSpan _lastDecrease = TimeSpan.MinValue;

        public RateLimiter(int callsPerSecond, ITimeSource time)
        {
            if (callsPerSecond < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(callsPerSecond), callsPerSecond, "At least one call per second.");
            }

            _time = time;
            _ceiling = callsPerSecond;
            _limit = callsPerSecond;
            _starts = new TimeSpan[callsPerSecond];
            _lastAdjusted = time.Now;
            _lastDecrease = time.Now - Window;
        }

        /// <summary>The calls per second currently allowed (lower than the ceiling after 60007 answers).</summary>
        public int CurrentLimit
        {
            get
            {
                lock (_gate)
                {
                    Recover(_time.Now);
                    return (int)_limit;
                }
            }
        }

        /// <summary>Waits until this call may start.</summary>
        public Task WaitAsync(CancellationToken cancellationToken)
        {
            TimeSpan now = _time.Now;
            TimeSpan start;
            lock (_gate)
            {
                Recover(now);
                int limit = (int)_limit;
                start = now;
                if (_reserved > 0)
                {
                    // Never before the previous reservation: starts stay in order.
                    start = Max(start, _starts[(_next + _ceiling - 1) % _ceiling]);
                }

                if (_reserved >= limit)
                {
                    // The start 'limit' places back must be a whole window ago.
                    start = Max(start, _starts[(_next + _ceiling - limit) % _ceiling] + Window);
                }

                _starts[_next] = start;
                _next = (_next + 1) % _ceiling;
                _reserved++;
            }

            return start > now ? _time.Delay(start - now, cancellationToken) : Task.CompletedTask;
        }

        /// <summary>The service answered 60007: other callers share the quota, so allow fewer calls.</summary>
        public void OnThrottled()
        {
            lock (_gate)
            {
                TimeSpan now = _time.Now;
                if (now - _lastDecrease < Window)
                {
                    return;
                }

                Recover(now);
                _limit = Math.Max(1, Math.Floor(_limit * 0.8));
                _lastDecrease = now;
            }
        }

        private void Recover(TimeSpan now)
        {
            if (_limit < _ceiling)
            {
                double quietSeconds = (now - _lastAdjusted).TotalSeconds;
                _limit = Math.Min(_ceiling, _limit + quietSeconds * Math.Max(1, _ceiling / 20.0));
            }

            _lastAdjusted = now;
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
