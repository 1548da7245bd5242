using System;

namespace TencentIm.Emulator;

/// <summary>
/// A clock that does not tick: <c>--now</c> uses it so that the official test vectors, whose UserSigs expired long
/// ago, stay valid, and so that rate-limit windows move only when a test advances the clock.
/// </summary>
public sealed class PinnedTimeProvider : TimeProvider
{
    private readonly DateTimeOffset _now;

    /// <summary>A clock that always reads <paramref name="now"/>.</summary>
    public PinnedTimeProvider(DateTimeOffset now)
    {
        _now = now;
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;
}
