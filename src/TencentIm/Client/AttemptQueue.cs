using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace TencentIm.Client;

/// <summary>
/// Collects the attempts of requests running on other threads, so that the pipeline thread writes them
/// (-Verbose, -Debug) when it next drains the queue: a cmdlet never writes from a worker thread.
/// </summary>
internal sealed class AttemptQueue : IRequestObserver
{
    private readonly ConcurrentQueue<RequestAttempt> _attempts = new ConcurrentQueue<RequestAttempt>();
    private readonly Action? _onQueued;

    /// <param name="onQueued">Called after each attempt is queued, on the thread that ran it (to wake the thread that drains); null for none.</param>
    public AttemptQueue(Action? onQueued = null)
    {
        _onQueued = onQueued;
    }

    /// <summary>Queues an attempt's report from whichever thread ran it.</summary>
    public void OnAttempt(RequestAttempt attempt)
    {
        _attempts.Enqueue(attempt);
        _onQueued?.Invoke();
    }

    /// <summary>The attempts queued so far, oldest first, each taken out of the queue as it is enumerated.</summary>
    public IEnumerable<RequestAttempt> Drain()
    {
        while (_attempts.TryDequeue(out RequestAttempt? attempt))
        {
            yield return attempt;
        }
    }
}
