using System;
using System.Threading;

namespace TencentIm.Emulator;

/// <summary>
/// The emulator's clock: the configured TimeProvider plus an offset that only grows, so that tests and
/// <c>POST /emulator/clock</c> can expire UserSigs and slide rate-limit windows whether or not the base is pinned.
/// </summary>
internal sealed class EmulatorClock
{
    private readonly TimeProvider _base;
    private long _offsetTicks;

    public EmulatorClock(TimeProvider baseProvider)
    {
        _base = baseProvider;
    }

    public DateTimeOffset UtcNow => _base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "The emulator's clock only moves forward.");
        }

        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
