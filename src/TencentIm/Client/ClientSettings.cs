using System;

namespace TencentIm.Client;

/// <summary>Timeouts, retries, rate and proxy of one connection. The defaults are documented in about_TencentIm.</summary>
internal sealed class ClientSettings
{
    /// <summary>How long one attempt may take, from sending to the last byte of the answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first backoff; each later one doubles, with ±20 % jitter (as the Java SDK does).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>No single backoff is longer than this.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>No request is retried once this long has passed since its first attempt.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Calls per second for every API, replacing the documented limits (null: each API's own, docs/service-api.md §3).</summary>
    public int? MaxRequestsPerSecond { get; set; }

    /// <summary>The backoff's jitter source, 0 to 1 (null: a random one); simulations make it replayable.</summary>
    public Func<double>? BackoffRandom { get; set; }

    /// <summary>How long a UserSig signed here lives.</summary>
    public TimeSpan UserSigLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The proxy: the system's unless Connect-TencentIm was given -Proxy or -NoProxy.</summary>
    public ProxySettings Proxy { get; set; } = ProxySettings.System();
}
