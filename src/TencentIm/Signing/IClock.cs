using System;

namespace TencentIm.Signing;

/// <summary>Wall-clock time, replaceable in tests (netstandard2.0 has no TimeProvider).</summary>
internal interface IClock
{
    DateTimeOffset UtcNow { get; }
}

internal sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new SystemClock();

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
}
