using System.Collections.Generic;
using System.Threading;

namespace TencentIm.Emulator;

/// <summary>The frequency limit of each API (none: unlimited), changeable while the emulator runs.</summary>
internal sealed class ApiRateLimits
{
    private readonly SlidingWindowRateLimiter?[] _limiters = new SlidingWindowRateLimiter?[ImCommands.Count];
    private readonly object _lock = new object();
    private readonly bool _countsRejected;

    /// <param name="limits">Calls per second by API name; the names are valid (the options were validated).</param>
    /// <param name="countsRejected">Whether rejected calls count against the quota.</param>
    public ApiRateLimits(IEnumerable<KeyValuePair<string, int>> limits, bool countsRejected)
    {
        _countsRejected = countsRejected;
        foreach (var limit in limits)
        {
            ImCommands.TryParseName(limit.Key, out ImCommand command);
            Set(command, limit.Value);
        }
    }

    /// <summary>Admits a call of <paramref name="command"/> at <paramref name="now"/>, or says it is over the limit.</summary>
    public bool TryAdmit(ImCommand command, System.DateTimeOffset now) =>
        Volatile.Read(ref _limiters[(int)command]) is not { } limiter || limiter.TryAdmit(now);

    /// <summary>Sets the limit of <paramref name="command"/>; the calls of the last second count against the new one.</summary>
    public void Set(ImCommand command, int callsPerSecond)
    {
        lock (_lock)
        {
            if (_limiters[(int)command] is { } limiter)
            {
                limiter.Limit = callsPerSecond;
            }
            else
            {
                Volatile.Write(ref _limiters[(int)command], new SlidingWindowRateLimiter(callsPerSecond, _countsRejected));
            }
        }
    }
}
