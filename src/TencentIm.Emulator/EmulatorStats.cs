using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace TencentIm.Emulator;

/// <summary>A snapshot of what the emulator has seen, for resilience tests and the benchmark.</summary>
public sealed class EmulatorStats
{
    internal EmulatorStats(
        IReadOnlyDictionary<string, long> requests, long totalRequests, long throttled,
        IReadOnlyDictionary<string, long> faults, long maxConcurrentRequests, long inFlight, long connections)
    {
        Connections = connections;
        Requests = requests;
        TotalRequests = totalRequests;
        Throttled = throttled;
        Faults = faults;
        MaxConcurrentRequests = maxConcurrentRequests;
        InFlight = inFlight;
    }

    /// <summary>Requests per API name (every API listed, zeros included), whatever they were answered.</summary>
    public IReadOnlyDictionary<string, long> Requests { get; }

    /// <summary>Every request to /v4/, unknown APIs included.</summary>
    public long TotalRequests { get; }

    /// <summary>Requests answered 60007 because they were over an API's frequency limit.</summary>
    public long Throttled { get; }

    /// <summary>Faults injected per kind name ("70169", "http502", "drop", …; every kind listed).</summary>
    public IReadOnlyDictionary<string, long> Faults { get; }

    /// <summary>The most /v4/ requests ever being handled at once.</summary>
    public long MaxConcurrentRequests { get; }

    /// <summary>The /v4/ requests being handled right now.</summary>
    public long InFlight { get; }

    /// <summary>
    /// TCP connections accepted, whether or not a request followed: a client that refuses the TLS certificate ends
    /// its connection in the handshake, so with --https-self-signed this counts its attempts.
    /// </summary>
    public long Connections { get; }

    internal void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteMap(writer, nameof(Requests), Requests);
        writer.WriteNumber(nameof(TotalRequests), TotalRequests);
        writer.WriteNumber(nameof(Throttled), Throttled);
        WriteMap(writer, nameof(Faults), Faults);
        writer.WriteNumber(nameof(MaxConcurrentRequests), MaxConcurrentRequests);
        writer.WriteNumber(nameof(InFlight), InFlight);
        writer.WriteNumber(nameof(Connections), Connections);
        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, long> map)
    {
        writer.WriteStartObject(name);
        foreach (var pair in map)
        {
            writer.WriteNumber(pair.Key, pair.Value);
        }

        writer.WriteEndObject();
    }
}

/// <summary>The live counters behind <see cref="EmulatorStats"/>: lock-free, since every request touches them.</summary>
internal sealed class StatsCounters
{
    private readonly long[] _requests = new long[EmulatedApis.All.Count];
    private readonly long[] _faults = new long[FaultKindNames.All.Count];
    private long _total;
    private long _throttled;
    private long _inFlight;
    private long _maxConcurrent;
    private long _connections;
    private TaskCompletionSource? _idleWaiter;

    public void CountRequest(EmulatedApi api) => Interlocked.Increment(ref _requests[api.Index]);

    public void CountThrottled() => Interlocked.Increment(ref _throttled);

    public void CountConnection() => Interlocked.Increment(ref _connections);

    public void CountFault(FaultKind kind) => Interlocked.Increment(ref _faults[(int)kind]);

    /// <summary>Zeroes every counter but the requests in flight (which are still being handled).</summary>
    public void Reset()
    {
        for (int i = 0; i < _requests.Length; i++)
        {
            Interlocked.Exchange(ref _requests[i], 0);
        }

        for (int i = 0; i < _faults.Length; i++)
        {
            Interlocked.Exchange(ref _faults[i], 0);
        }

        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _throttled, 0);
        Interlocked.Exchange(ref _maxConcurrent, Interlocked.Read(ref _inFlight));
        Interlocked.Exchange(ref _connections, 0);
    }

    public void Enter()
    {
        Interlocked.Increment(ref _total);
        long now = Interlocked.Increment(ref _inFlight);
        long max = Volatile.Read(ref _maxConcurrent);
        while (now > max)
        {
            long seen = Interlocked.CompareExchange(ref _maxConcurrent, now, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            Interlocked.Exchange(ref _idleWaiter, null)?.TrySetResult();
        }
    }

    /// <summary>
    /// Completes when no /v4/ request is in flight: lets a test see that an aborted request's work stopped, without
    /// polling or sleeping.
    /// </summary>
    public Task WhenIdleAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource? existing = Interlocked.CompareExchange(ref _idleWaiter, waiter, null);
        waiter = existing ?? waiter;

        // Checked after publishing the waiter: an Exit that ran before it was published cannot be missed.
        if (Interlocked.Read(ref _inFlight) == 0)
        {
            Interlocked.Exchange(ref _idleWaiter, null)?.TrySetResult();
            waiter.TrySetResult();
        }

        return waiter.Task;
    }

    public EmulatorStats Snapshot()
    {
        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < _requests.Length; i++)
        {
            requests[EmulatedApis.All[i].Command] = Interlocked.Read(ref _requests[i]);
        }

        var faults = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < _faults.Length; i++)
        {
            faults[FaultKindNames.Name((FaultKind)i)] = Interlocked.Read(ref _faults[i]);
        }

        return new EmulatorStats(
            requests, Interlocked.Read(ref _total), Interlocked.Read(ref _throttled), faults,
            Interlocked.Read(ref _maxConcurrent), Interlocked.Read(ref _inFlight), Interlocked.Read(ref _connections));
    }
}
