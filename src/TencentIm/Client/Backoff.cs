using System;

namespace TencentIm.Client;

/// <summary>Exponential backoff with ±20 % jitter: base × 2^(attempt-1), capped (docs/service-api.md §5, the Java SDK's policy).</summary>
internal sealed class Backoff
{
    [ThreadStatic]
    private static Random? _random;

    private readonly ClientSettings _settings;
    private readonly Func<double> _unitRandom;

    public Backoff(ClientSettings settings, Func<double>? unitRandom = null)
    {
        _settings = settings;
        _unitRandom = unitRandom ?? (() => (_random ??= new Random(Guid.NewGuid().GetHashCode())).NextDouble());
    }

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan Next(int attempt)
    {
        double exponential = _settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        double capped = Math.Min(exponential, _settings.RetryMaxDelay.TotalMilliseconds);
        double jitter = 0.8 + 0.4 * _unitRandom();
        return TimeSpan.FromMilliseconds(Math.Min(capped * jitter, _settings.RetryMaxDelay.TotalMilliseconds));
    }
}
