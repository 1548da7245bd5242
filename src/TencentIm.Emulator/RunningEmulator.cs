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
    private readonly EmulatorOptions _options;
    private readonly IReadOnlyList<string> _initialAccounts;
    private readonly StatsCounters _stats;
    private readonly RequestLog _log;
    private readonly SecretKey _key;
    private readonly X509Certificate2? _certificate;
    private readonly object _resetLock = new object();
    private volatile EmulatorState _state;
    private int _disposed;

    internal RunningEmulator(WebApplication app, EmulatorOptions options, IReadOnlyList<string> initialAccounts, EmulatorState state, StatsCounters stats, RequestLog log, SecretKey key, X509Certificate2? certificate)
    {
        _app = app;
        _options = options;
        _initialAccounts = initialAccounts;
        _state = state;
        _stats = stats;
        _log = log;
        _key = key;
        _certificate = certificate;
        BaseUri = new Uri("http://127.0.0.1/");
    }

    /// <summary>The state requests work on now (a reset replaces it).</summary>
    internal EmulatorState State => _state;

    /// <summary>Where it listens, e.g. http://127.0.0.1:41234/ (with the trailing slash; https with --https-self-signed).</summary>
    public Uri BaseUri { get; internal set; }

    /// <summary>The messages openim/sendmsg accepted since the start or the last reset, in order.</summary>
    public MessageLog Messages => _state.Messages;

    /// <summary>The imported UserIDs now, sorted ordinally (a snapshot).</summary>
    public IReadOnlyCollection<string> ImportedAccounts => _state.Store.Snapshot();

    /// <summary>The imported accounts now with their Nick and FaceUrl (null when never given), sorted ordinally by UserID.</summary>
    internal IReadOnlyList<KeyValuePair<string, AccountProfile>> AccountProfiles => _state.Store.Profiles();

    /// <summary>The counters now (a snapshot).</summary>
    public EmulatorStats Stats => _stats.Snapshot();

    /// <summary>The emulator's clock: the options' TimeProvider plus every <see cref="AdvanceClock"/> so far.</summary>
    public DateTimeOffset Now => _state.Clock.UtcNow;

    /// <summary>Moves the emulator's clock forward: expires UserSigs, slides rate-limit windows, ages deletions.</summary>
    public void AdvanceClock(TimeSpan by) => _state.Clock.Advance(by);

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

        _state.RateLimits.Set(emulated, callsPerSecond);
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

        if (!_state.Store.IsImported(userId))
        {
            throw new ArgumentException($"'{userId}' is not one of the emulator's accounts.", nameof(userId));
        }

        _state.Sessions.SetStatus(userId, status, SessionStore.ParsePlatforms(string.Join(",", platforms), ',', status));
    }

    /// <summary>The requests received so far (the last <see cref="EmulatorOptions.RequestLogSize"/>), oldest first; only those of <paramref name="api"/> when given, and of those the last <paramref name="last"/>.</summary>
    internal IReadOnlyList<RecordedRequest> Requests(string? api = null, int last = int.MaxValue) => _log.Snapshot(api, last);

    /// <summary>The fault rate now.</summary>
    public double FaultRate => _state.Endpoint.Faults.FaultRate;

    /// <summary>The fault kinds now.</summary>
    public IReadOnlyList<FaultKind> FaultKinds => _state.Endpoint.Faults.Kinds;

    /// <summary>The fixed latency now, milliseconds.</summary>
    public int LatencyMs => _state.Endpoint.LatencyMs;

    /// <summary>
    /// Changes the fault rate, the fault kinds and/or the fixed latency from the next request on; null keeps one as it
    /// is. The dice and the seed stay: a test can turn faults on for one step and off again.
    /// </summary>
    /// <exception cref="ArgumentException">A rate outside 0..1, a rate with no kind, or a negative latency.</exception>
    public void SetFaults(double? rate = null, IEnumerable<FaultKind>? kinds = null, int? latencyMs = null)
    {
        if (latencyMs < 0)
        {
            throw new ArgumentException("The latency cannot be negative.", nameof(latencyMs));
        }

        EmulatorState state = _state;
        state.Endpoint.Faults.Change(rate, kinds);
        if (latencyMs is int latency)
        {
            state.Endpoint.LatencyMs = latency;
        }
    }

    /// <summary>
    /// Back to the state it started in: the seeded accounts (no others, no profiles, no deletions), the seeded online
    /// status (no kicks), the clock, the rate limits and their windows, the faults, latency and dice, the flaky
    /// accounts, the counters and the request log. Requests in flight finish against the old state.
    /// </summary>
    public void Reset()
    {
        lock (_resetLock)
        {
            _state = EmulatorState.Seed(_options, _initialAccounts, _key, _stats, _log);
            _stats.Reset();
            _log.Clear();
        }
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
