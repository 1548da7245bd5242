using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using TencentIm.Signing;

namespace TencentIm.Emulator;

/// <summary>A started emulator: where it listens, what it holds, what it has seen; dispose to stop it.</summary>
public sealed class RunningEmulator : IAsyncDisposable
{
    // How long stopping waits for requests in flight (a 'slow' fault can take 30 s) before cutting them off.
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private readonly EmulatorClock _clock;
    private readonly AccountStore _store;
    private readonly StatsCounters _stats;
    private readonly SecretKey _key;
    private readonly ApiRateLimits _rateLimits;
    private readonly X509Certificate2? _certificate;
    private readonly SessionStore _sessions;
    private int _disposed;

    internal RunningEmulator(WebApplication app, EmulatorClock clock, AccountStore store, StatsCounters stats, SecretKey key, ApiRateLimits rateLimits, X509Certificate2? certificate,
        SessionStore sessions)
    {
        _sessions = sessions;
        _rateLimits = rateLimits;
        _certificate = certificate;
        _app = app;
        _clock = clock;
        _store = store;
        _stats = stats;
        _key = key;
        BaseUri = new Uri("http://127.0.0.1/");
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:41234/ (with the trailing slash; https with --https-self-signed).</summary>
    public Uri BaseUri { get; internal set; }

    /// <summary>The messages openim/sendmsg accepted, in order.</summary>
    public MessageLog Messages { get; internal init; } = new MessageLog();

    /// <summary>The imported UserIDs now, sorted ordinally (a snapshot).</summary>
    public IReadOnlyCollection<string> ImportedAccounts => _store.Snapshot();

    /// <summary>The imported accounts now with their Nick and FaceUrl (null when never given), sorted ordinally by UserID.</summary>
    internal IReadOnlyList<KeyValuePair<string, AccountProfile>> AccountProfiles => _store.Profiles();

    /// <summary>The counters now (a snapshot).</summary>
    public EmulatorStats Stats => _stats.Snapshot();

    /// <summary>The emulator's clock: the options' TimeProvider plus every <see cref="AdvanceClock"/> so far.</summary>
    public DateTimeOffset Now => _clock.UtcNow;

    /// <summary>Moves the emulator's clock forward: expires UserSigs, slides rate-limit windows, ages deletions.</summary>
    public void AdvanceClock(TimeSpan by) => _clock.Advance(by);

    /// <summary>
    /// Sets the frequency limit of <paramref name="api"/> (e.g. "account_check") from now on, as when another job
    /// starts sharing the app's quota: the calls of the last second count against the new limit.
    /// </summary>
    /// <exception cref="ArgumentException">No such API, or fewer than one call per second.</exception>
    public void SetRateLimit(string api, int callsPerSecond)
    {
        if (!EmulatedApis.TryFind(api, out EmulatedApi emulated))
        {
            throw new ArgumentException($"No API named '{api}' to rate-limit; known: {EmulatedApis.NameList}.", nameof(api));
        }

        if (callsPerSecond < 1)
        {
            throw new ArgumentException("A rate limit is at least 1 call per second.", nameof(callsPerSecond));
        }

        _rateLimits.Set(emulated, callsPerSecond);
    }

    /// <summary>
    /// Logs an account in or out, as a client app would: <paramref name="status"/> is Online, PushOnline or Offline,
    /// and <paramref name="platforms"/> ("iPhone:PushOnline", "Web") what query_online_status's Detail lists.
    /// </summary>
    /// <exception cref="ArgumentException">Not an account, a state that is none of the three, or a malformed platform.</exception>
    public void SetOnlineStatus(string userId, string status, params string[] platforms)
    {
        if (!SessionStore.IsStatus(status))
        {
            throw new ArgumentException($"The status '{status}' is not one of {SessionStore.Online}, {SessionStore.PushOnline}, {SessionStore.Offline}.", nameof(status));
        }

        if (!_store.IsImported(userId))
        {
            throw new ArgumentException($"'{userId}' is not one of the emulator's accounts.", nameof(userId));
        }

        _sessions.SetStatus(userId, status, SessionStore.ParsePlatforms(string.Join(",", platforms), ',', status));
    }

    /// <summary>Completes when no REST request is being handled (e.g. once an aborted request's work has stopped).</summary>
    public Task WaitForIdleAsync(CancellationToken ct = default) => _stats.WhenIdleAsync().WaitAsync(ct);

    /// <summary>Stops listening, cuts off requests still running after a short grace period, and wipes the key.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            using var grace = new CancellationTokenSource(StopGracePeriod);
            await _app.StopAsync(grace.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            _key.Dispose();
            _certificate?.Dispose();
        }
    }
}
