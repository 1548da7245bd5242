using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Signing;

namespace TencentIm.Tests.Client;

/// <summary>
/// Virtual time for a whole simulated run: every wait of the client (rate limiter, backoff) and of the simulated
/// service goes through <see cref="Delay"/>, and the driver moves the clock to the next wait only once nothing is
/// running any more. One wait ends at a time, so a run is deterministic and takes milliseconds per simulated minute.
/// </summary>
internal sealed class VirtualClock : ITimeSource
{
    private readonly object _gate = new();
    private readonly PriorityQueue<(Action Action, bool Resumes), (TimeSpan At, long Seq)> _timers = new();
    private long _seq;
    private TimeSpan _now = TimeSpan.FromHours(1);
    private int _running;

    public TimeSpan Start { get; } = TimeSpan.FromHours(1);

    public TimeSpan Now
    {
        get
        {
            lock (_gate)
            {
                return _now;
            }
        }
    }

    /// <summary>Seconds since the run started.</summary>
    public double Elapsed => (Now - Start).TotalSeconds;

    public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource();
        lock (_gate)
        {
            _timers.Enqueue((done.SetResult, true), (_now + delay, _seq++));
            _running--; // the caller now waits
            Monitor.PulseAll(_gate);
        }

        return done.Task;
    }

    /// <summary>Runs <paramref name="action"/> on the driver at <paramref name="secondsAfterStart"/> (e.g. a quota change).</summary>
    public void At(double secondsAfterStart, Action action)
    {
        lock (_gate)
        {
            _timers.Enqueue((action, false), (Start + TimeSpan.FromSeconds(secondsAfterStart), _seq++));
        }
    }

    /// <summary>Starts activities (each runs until its first wait), then moves time on until every one has ended.</summary>
    public void Run(IEnumerable<Func<Task>> activities)
    {
        // Without the test framework's synchronization context, whose few threads this one would block, a waiter's
        // continuation runs inline when its wait ends, or else on the thread pool.
        SynchronizationContext? context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            RunAll(activities);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private void RunAll(IEnumerable<Func<Task>> activities)
    {
        foreach (Func<Task> activity in activities)
        {
            lock (_gate)
            {
                _running++;
            }

            _ = RunActivity(activity);
            WaitUntilIdle();
        }

        while (true)
        {
            (Action Action, bool Resumes) next;
            lock (_gate)
            {
                if (!_timers.TryDequeue(out next, out var when))
                {
                    return;
                }

                _now = when.At;
                if (next.Resumes)
                {
                    _running++;
                }
            }

            next.Action();
            WaitUntilIdle();
        }
    }

    private async Task RunActivity(Func<Task> activity)
    {
        try
        {
            await activity();
        }
        finally
        {
            lock (_gate)
            {
                _running--;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void WaitUntilIdle()
    {
        lock (_gate)
        {
            while (_running > 0)
            {
                if (!Monitor.Wait(_gate, TimeSpan.FromSeconds(30)))
                {
                    throw new TimeoutException("A simulated activity neither waited on the virtual clock nor ended within 30 s.");
                }
            }
        }
    }
}

/// <summary>
/// The IM service's frequency limit as a message handler on virtual time: a call arrives a one-way delay (plus a
/// little jitter) after it is sent; at most <c>quota</c> calls are admitted in any one-second window (docs/service-api.md
/// §3); over it the answer is 60007 at once, else the answer comes after the processing time. Whether a rejected
/// call uses up quota is not documented either way, so both readings can be simulated.
/// </summary>
internal sealed class SimulatedService : HttpMessageHandler
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly VirtualClock _clock;
    private readonly bool _rejectedCount;
    private readonly Queue<TimeSpan> _counted = new();
    private readonly Random _jitter = new(12345);
    private readonly object _gate = new();

    public SimulatedService(VirtualClock clock, int quota, bool rejectedCallsCount)
    {
        _clock = clock;
        Quota = quota;
        _rejectedCount = rejectedCallsCount;
    }

    /// <summary>Calls per second admitted from now on (every client of the app shares it).</summary>
    public int Quota { get; set; }

    public TimeSpan OneWay { get; set; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan MaxJitter { get; set; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan Processing { get; set; } = TimeSpan.FromMilliseconds(180);

    /// <summary>
    /// Every <see cref="StallEvery"/> the service stops for <see cref="StallFor"/> (a busy host): calls that arrive
    /// meanwhile are counted only when it goes on, bunched up; zero for none.
    /// </summary>
    public TimeSpan StallEvery { get; set; }

    public TimeSpan StallFor { get; set; }

    /// <summary>Seconds after the start at which a call was admitted.</summary>
    public List<double> Admitted { get; } = new();

    /// <summary>Seconds after the start at which a call was answered 60007.</summary>
    public List<double> Rejected { get; } = new();

    public double AdmittedPerSecond(double from, double to) => Admitted.Count(t => t >= from && t < to) / (to - from);

    public int RejectedBetween(double from, double to) => Rejected.Count(t => t >= from && t < to);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken); // the client marks the call sent
        TimeSpan jitter;
        lock (_gate)
        {
            jitter = TimeSpan.FromTicks((long)(_jitter.NextDouble() * MaxJitter.Ticks));
        }

        await _clock.Delay(OneWay + jitter, cancellationToken);
        if (StallEvery > TimeSpan.Zero)
        {
            TimeSpan intoPeriod = TimeSpan.FromTicks((_clock.Now - _clock.Start).Ticks % StallEvery.Ticks);
            await _clock.Delay(intoPeriod < StallFor ? StallFor - intoPeriod : TimeSpan.Zero, cancellationToken);
        }

        bool admitted = Admit(_clock.Now);
        if (!admitted)
        {
            await _clock.Delay(OneWay, cancellationToken);
            return Answer("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":60007,\"ErrorInfo\":\"frequency limit\"}");
        }

        await _clock.Delay(Processing + OneWay, cancellationToken);
        var items = new StringBuilder();
        using (JsonDocument sent = JsonDocument.Parse(body))
        {
            foreach (JsonElement item in sent.RootElement.GetProperty("CheckItem").EnumerateArray())
            {
                items.Append(items.Length == 0 ? "" : ",")
                    .Append("{\"UserID\":\"").Append(item.GetProperty("UserID").GetString()).Append("\",\"ResultCode\":0,\"ResultInfo\":\"\",\"AccountStatus\":\"NotImported\"}");
            }
        }

        return Answer("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"ResultItem\":[" + items + "]}");
    }

    private bool Admit(TimeSpan now)
    {
        lock (_gate)
        {
            while (_counted.Count > 0 && now - _counted.Peek() >= Second)
            {
                _counted.Dequeue();
            }

            bool admitted = _counted.Count < Quota;
            if (admitted || _rejectedCount)
            {
                _counted.Enqueue(now);
            }

            (admitted ? Admitted : Rejected).Add((now - _clock.Start).TotalSeconds);
            return admitted;
        }
    }

    private static HttpResponseMessage Answer(string json) =>
        new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}

/// <summary>One client of the simulated service: an <see cref="ImRestClient"/> with the default settings, and what became of its requests.</summary>
internal sealed class SimulatedClient
{
    private readonly object _gate = new();
    private readonly Queue<int> _work;

    public SimulatedClient(VirtualClock clock, SimulatedService service, int requests, int seed)
    {
        _work = new Queue<int>(Enumerable.Range(0, requests));
        // The defaults of Connect-TencentIm: 100 calls/s, 5 attempts, 200 ms backoff, 120 s retry time limit.
        var settings = new ClientSettings();
        var random = new Random(seed);
        settings.BackoffRandom = () => random.NextDouble();
        Client = new ImRestClient(new Uri("http://127.0.0.1:1/"), 1400000001, "administrator",
            new SigningUserSigSource(SecretKey.FromString("simulation-key"), 1400000001, "administrator", TimeSpan.FromDays(1), SystemClock.Instance),
            settings, service, clock);
    }

    public ImRestClient Client { get; }

    public int Answered { get; private set; }

    public List<string> Failures { get; } = new();

    /// <summary>Seconds after the start at which the last request was answered.</summary>
    public double Finished { get; private set; }

    /// <summary>The default -ThrottleLimit: 32 requests in flight, each taking the next request when it is done.</summary>
    public IEnumerable<Func<Task>> Workers(VirtualClock clock, int count = 32) =>
        Enumerable.Range(0, count).Select(_ => (Func<Task>)(() => WorkAsync(clock)));

    private async Task WorkAsync(VirtualClock clock)
    {
        while (true)
        {
            int next;
            lock (_gate)
            {
                if (!_work.TryDequeue(out next))
                {
                    return;
                }
            }

            try
            {
                await new AccountCheckOperation(Client).SendAsync(new[] { "u" + next }, null, CancellationToken.None);
                lock (_gate)
                {
                    Answered++;
                    Finished = Math.Max(Finished, clock.Elapsed);
                }
            }
            catch (TencentImRequestException e)
            {
                lock (_gate)
                {
                    Failures.Add($"request {next} at {clock.Elapsed:0.00} s: {e.Message}");
                }
            }
        }
    }
}
