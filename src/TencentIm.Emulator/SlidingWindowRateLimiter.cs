using System;
using System.Collections.Generic;

namespace TencentIm.Emulator;

/// <summary>
/// At most N admitted calls in any one-second window, like the service's per-API frequency limit ("maximum call
/// frequency" on each API's page, e.g. https://www.tencentcloud.com/document/product/1047/34956).
/// It remembers the times of the calls that count: a new call is admitted when fewer than N of them are less than a
/// second old. Whether the service counts a rejected call against the quota is not documented either way: by default
/// a rejected call is not remembered, so it uses up no quota; with <see cref="CountsRejected"/> it is, so calls over
/// the limit keep the window full. N can change while calls come in (a test hook): the calls already remembered
/// count against the new N.
/// </summary>
internal sealed class SlidingWindowRateLimiter
{
    private readonly Queue<long> _counted = new Queue<long>();
    private readonly object _lock = new object();
    private int _limit;

    public SlidingWindowRateLimiter(int callsPerSecond, bool countsRejected = false)
    {
        Limit = callsPerSecond;
        CountsRejected = countsRejected;
    }

    /// <summary>Calls admitted per second.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }

        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "At least one call per second.");
            }

            lock (_lock)
            {
                _limit = value;
            }
        }
    }

    /// <summary>Whether a rejected call counts against the quota, as an admitted one does.</summary>
    public bool CountsRejected { get; }

    /// <summary>Admits a call at <paramref name="now"/> (the emulator's clock) or says it is over the limit.</summary>
    public bool TryAdmit(DateTimeOffset now)
    {
        long ticks = now.UtcTicks;
        lock (_lock)
        {
            while (_counted.Count > 0 && ticks - _counted.Peek() >= TimeSpan.TicksPerSecond)
            {
                _counted.Dequeue();
            }

            bool admitted = _counted.Count < _limit;
            if (admitted || CountsRejected)
            {
                _counted.Enqueue(ticks);
            }

            return admitted;
        }
    }
}
