using System.Collections.Generic;
using System.Threading;

namespace TencentIm.Emulator;

/// <summary>The frequency limit of each API (none: unlimited), changeable while the emulator runs.</summary>
internal sealed class ApiRateLimits
{
    private readonly SlidingWindowRateLimiter?[] _limiters = new SlidingWindowRateLimiter?[EmulatedApis.All.Count];
    private readonly object _lock = new object();
    private readonly bool _countsRejected;

    /// <param name="limits">Calls per second by API name; the names are valid (the options were validated).</param>
    /// <param name="countsRejected">Whether rejected calls count against the quota.</param>
    public ApiRateLimits(IEnumerable<KeyValuePair<string, int>> limits, bool countsRejected)
    {
        _countsRejected = countsRejected;
        foreach (var limit in limits)
        {
            EmulatedApis.TryFind(limit.Key, out EmulatedApi api);
            Set(api, limit.Value);
        }
    }

    /// <summary>Admits a call of <paramref name="api"/> at <paramref name="now"/>, or says it is over the limit.</summary>
    public bool TryAdmit(EmulatedApi api, System.DateTimeOffset now) =>
        Volatile.Read(ref _limiters[api.Index]) is not { } limiter || limiter.TryAdmit(now);

    /// <summary>Sets the limit of <paramref name="api"/>; the calls of the last second count against the new one.</summary>
    public void Set(EmulatedApi api, int callsPerSecond)
    {
        lock (_lock)
        {
            if (_limiters[api.Index] is { } limiter)
            {
                limiter.Limit = callsPerSecond;
            }
            else
            {
                Volatile.Write(ref _limiters[api.Index], new SlidingWindowRateLimiter(callsPerSecond, _countsRejected));
            }
        }
    }
}
