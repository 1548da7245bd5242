using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace TencentIm.Client;

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
