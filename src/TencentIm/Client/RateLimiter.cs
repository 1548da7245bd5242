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
    /// adapts when the service answers 60007 anyway (other automation shares the app's quota, or the service saw
    /// calls bunch up that left here evenly): the first window with 60007s lowers N by 5 %; when the next window has
    /// them too, each 60007 lowers it by 5 %, never below half of N at the window's start. N climbs back by 5 % of
    /// the ceiling every second. A quota that really is smaller is found in a few windows; a stray 60007 costs a
    /// few calls.
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
        private TimeSpan _throttleWindowStart;
        private bool _previousWindowThrottled;
        private double _decreaseFloor;

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
            _throttleWindowStart = time.Now - Window - Window;
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

        /// <summary>Waits until this call may start; the ticket lets <see cref="MarkSent"/> correct its start.</summary>
        public async Task<long> WaitAsync(CancellationToken cancellationToken)
        {
            TimeSpan now;
            TimeSpan start;
            long ticket;
            lock (_gate)
            {
                // Read inside the lock: the clock and the recovery it drives only move forward.
                now = _time.Now;
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

                ticket = _reserved;
                _starts[_next] = start;
                _next = (_next + 1) % _ceiling;
                _reserved++;
            }

            if (start > now)
            {
                await _time.Delay(start - now, cancellationToken).ConfigureAwait(false);
            }

            return ticket;
        }

        /// <summary>
        /// The call of <paramref name="ticket"/> went out only at <paramref name="sentAt"/> (a new connection, a cold
        /// process): count it from then, and the calls reserved after it no earlier, so that the window follows what
        /// the service sees arrive rather than what was planned.
        /// </summary>
        public void MarkSent(long ticket, TimeSpan sentAt)
        {
            lock (_gate)
            {
                for (long t = ticket; t < _reserved && _reserved - t <= _ceiling; t++)
                {
                    int index = (int)(t % _ceiling);
                    if (_starts[index] >= sentAt)
                    {
                        break; // reservations are in order: the later ones are later still
                    }

                    _starts[index] = sentAt;
                }
            }
        }

        /// <summary>The service answered 60007: allow fewer calls.</summary>
        public void OnThrottled()
        {
            lock (_gate)
            {
                TimeSpan now = _time.Now;
                Recover(now);
                bool firstInWindow = now - _throttleWindowStart >= Window;
                if (firstInWindow)
                {
                    _previousWindowThrottled = now - _throttleWindowStart < Window + Window;
                    _throttleWindowStart = now;
                    _decreaseFloor = Math.Max(1, Math.Floor(_limit / 2));
                }

                // One window of 60007s is one signal (calls that bunched up on the way); 60007s window after window
                // mean the quota really is smaller, and each of them counts.
                if (firstInWindow || _previousWindowThrottled)
                {
                    _limit = Math.Max(_decreaseFloor, Math.Floor(_limit * 0.95));
                }
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
