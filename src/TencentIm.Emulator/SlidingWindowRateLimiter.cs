using System;

namespace TencentIm.Emulator;

/// <summary>
/// At most N admitted calls in any one-second window, like the service's per-API frequency limit (fact sheet §3).
/// It remembers the times of the last N admitted calls: a new call is admitted when fewer than N are remembered or
/// the oldest is at least a second old. A rejected call is not remembered, so it does not use up quota.
/// </summary>
internal sealed class SlidingWindowRateLimiter
{
    private readonly long[] _admitted;
    private readonly object _lock = new object();
    private int _oldest;
    private int _count;

    public SlidingWindowRateLimiter(int callsPerSecond)
    {
        if (callsPerSecond < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(callsPerSecond));
        }

        _admitted = new long[callsPerSecond];
    }

    public int Limit => _admitted.Length;

    /// <summary>Admits a call at <paramref name="now"/> (the emulator's clock) or says it is over the limit.</summary>
    public bool TryAdmit(DateTimeOffset now)
    {
        long ticks = now.UtcTicks;
        lock (_lock)
        {
            if (_count < _admitted.Length)
            {
                _admitted[(_oldest + _count) % _admitted.Length] = ticks;
                _count++;
                return true;
            }

            if (ticks - _admitted[_oldest] < TimeSpan.TicksPerSecond)
            {
                return false;
            }

            // The oldest call has left the window: the new one takes its slot and the next one becomes the oldest.
            _admitted[_oldest] = ticks;
            _oldest = (_oldest + 1) % _admitted.Length;
            return true;
        }
    }
}
