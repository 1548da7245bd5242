using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Client;

namespace TencentIm.Engine;

/// <summary>
/// Turns a stream of input items into calls of one batched API (a <see cref="BatchOperation{TItem, TAnswer, TResult}"/>)
/// of up to <c>batchSize</c> distinct UserIDs, keeps up to <c>throttleLimit</c> of them in flight, and hands back
/// one outcome per input item, in input order.
/// </summary>
/// <remarks>
/// Everything public runs on the caller's thread (the cmdlet's pipeline thread), and the callbacks are only
/// ever called from there: requests run on the thread pool, but their outcomes and attempt reports wait in
/// queues until the caller's next <see cref="Submit"/> or <see cref="Complete"/> writes them. Memory is bounded
/// by the batches in the FIFO (at most twice the throttle limit), never by the length of the input: when it is
/// full, Submit blocks until the oldest batch is answered, the back-pressure that lets ten million IDs stream.
/// </remarks>
internal sealed class OrderedBatchEngine<TItem, TAnswer, TResult> : IDisposable
    where TResult : class
{
    private readonly BatchOperation<TItem, TAnswer, TResult> _operation;
    private readonly Action<ItemOutcome<TResult>> _emit;
    private readonly Action<RequestAttempt>? _onAttempt;
    private readonly int _batchSize;
    private readonly int _throttleLimit;
    private readonly int _maxPending;
    private readonly CancellationTokenSource _cancellation;
    private readonly Queue<PendingBatch> _pending = new Queue<PendingBatch>();
    // Null when nobody reads the attempts (onAttempt is null): the requests then get no observer at all.
    private readonly AttemptQueue? _attempts;

    // Released whenever a request ends or reports an attempt: the caller's thread wakes, writes, and looks again.
    private readonly SemaphoreSlim _progress = new SemaphoreSlim(0);
    private BatchBuilder _current;
    private Exception? _fatal;

    /// <param name="operation">The API: how a batch is sent and its answer read (or a fake in tests).</param>
    /// <param name="emit">Receives each outcome, on the caller's thread, in input order.</param>
    /// <param name="onAttempt">Receives each request attempt (for -Verbose and -Debug), on the caller's thread; null for none.</param>
    /// <param name="batchSize">Distinct UserIDs per request, 1 to the API's items per call.</param>
    /// <param name="throttleLimit">Requests in flight at once.</param>
    /// <param name="cancellationToken">Cancels every request in flight and every wait (StopProcessing).</param>
    public OrderedBatchEngine(
        BatchOperation<TItem, TAnswer, TResult> operation,
        Action<ItemOutcome<TResult>> emit,
        Action<RequestAttempt>? onAttempt,
        int batchSize,
        int throttleLimit,
        CancellationToken cancellationToken)
    {
        if (batchSize < 1 || batchSize > operation.Api.MaxItemsPerCall)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"A batch of {operation.Api.Path} holds 1 to {operation.Api.MaxItemsPerCall} items.");
        }

        if (throttleLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(throttleLimit), throttleLimit, "At least one request must be allowed in flight.");
        }

        _operation = operation;
        _emit = emit;
        _onAttempt = onAttempt;
        _attempts = onAttempt == null ? null : new AttemptQueue(Signal);
        _batchSize = batchSize;
        _throttleLimit = throttleLimit;
        _maxPending = 2 * throttleLimit;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _current = new BatchBuilder(operation);
    }

    /// <summary>Caps the entries of one batch, so that a run of duplicates or invalid items cannot grow it unbounded.</summary>
    internal static int MaxEntriesPerBatch => 1000;

    /// <summary>Requests started so far.</summary>
    internal long RequestCount { get; private set; }

    /// <summary>Adds a valid item to the current batch, sends the batch when it is full, and writes what is ready.</summary>
    /// <exception cref="TencentImRequestException">A configuration error (wrong key, not an admin, …) stopped the run.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public void Submit(TItem item)
    {
        _current.Add(item);
        DispatchIfFull();
    }

    /// <summary>Takes an input item that is not sent (an invalid UserID, an object without one): its error keeps its place.</summary>
    public void SubmitInvalid(ItemFailure failure)
    {
        _current.AddInvalid(failure);
        DispatchIfFull();
    }

    /// <summary>Sends the last partial batch and writes every outcome still outstanding, in order.</summary>
    public void Complete()
    {
        Dispatch();
        WaitUntil(() => _pending.Count == 0);
        // A request reports its attempts before it ends, so once all have ended this drain catches the last ones.
        EmitReady();
    }

    /// <summary>Cancels what is in flight and waits until it has stopped: nothing runs on after the cmdlet returns.</summary>
    public void Dispose()
    {
        _cancellation.Cancel();
        Task[] requests = _pending.Select(b => (Task)b.Request).ToArray();
        try
        {
            // Cancelled requests end within milliseconds; the bound only guards against a handler that ignores its token.
            Task.WaitAll(requests, TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            // Their failures no longer matter: the run is over.
        }

        _cancellation.Dispose();
    }

    /// <summary>
    /// How long the first item of a batch may wait for the batch to fill. Input that trickles in (a file still being
    /// written, Get-Content -Wait, a slow upstream command) is sent after this long rather than when a hundred
    /// items have arrived, so that its answers come out while input still arrives. Checked only when an item
    /// arrives: the pipeline thread is the one that may dispatch, and it runs only then.
    /// </summary>
    internal static readonly TimeSpan MaxBatchWait = TimeSpan.FromMilliseconds(500);

    private static readonly long MaxBatchWaitTicks = (long)(MaxBatchWait.TotalSeconds * Stopwatch.Frequency);

    private void DispatchIfFull()
    {
        if (_current.DistinctCount == _batchSize || _current.EntryCount >= MaxEntriesPerBatch
            || Stopwatch.GetTimestamp() - _current.Started >= MaxBatchWaitTicks)
        {
            Dispatch();
        }

        EmitReady();
    }

    private void Dispatch()
    {
        if (_current.EntryCount == 0)
        {
            return;
        }

        WaitUntil(() => _pending.Count < _maxPending && CountRunning() < _throttleLimit);

        BatchBuilder batch = _current;
        _current = new BatchBuilder(_operation);
        Task<List<TAnswer>> request;
        if (batch.DistinctCount == 0)
        {
            request = Task.FromResult(new List<TAnswer>());
        }
        else
        {
            CancellationToken token = _cancellation.Token;
            List<TItem> items = batch.DistinctItems;
            IRequestObserver? observer = _attempts;
            request = Task.Run(() => _operation.SendAsync(items, observer, token), token);
            RequestCount++;
            request.ContinueWith(OnRequestEnded, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        _pending.Enqueue(new PendingBatch(batch.Entries, request));
    }

    private void OnRequestEnded(Task<List<TAnswer>> request)
    {
        // A configuration error ends the run: stop the other requests at once rather than let each fail alike.
        if (request.IsFaulted && IsFatal(request.Exception!.InnerException!)
            && Interlocked.CompareExchange(ref _fatal, request.Exception.InnerException, null) == null)
        {
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run is already over (Dispose): nothing left to cancel.
            }
        }

        Signal();
    }

    private void Signal() => _progress.Release();

    /// <summary>Errors that no other request would escape: bad settings, a closed connection, or a pre-signed UserSig that expired.</summary>
    private static bool IsFatal(Exception e) =>
        e is TencentImRequestException r
        && (r.ErrorClass == ServiceErrorClass.Configuration || r.ErrorClass == ServiceErrorClass.ExpiredSignature);

    private int CountRunning()
    {
        int running = 0;
        foreach (PendingBatch batch in _pending)
        {
            if (!batch.Request.IsCompleted)
            {
                running++;
            }
        }

        return running;
    }

    /// <summary>
    /// Writes what is ready (attempt reports, then answered batches at the head of the FIFO) until
    /// <paramref name="done"/> holds, sleeping on the progress signal in between. Cancellation wakes it at once.
    /// </summary>
    private void WaitUntil(Func<bool> done)
    {
        while (true)
        {
            EmitReady();
            if (done())
            {
                return;
            }

            try
            {
                _progress.Wait(_cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                if (Volatile.Read(ref _fatal) != null)
                {
                    // Batches answered before the failed one in input order are still written; reaching the
                    // failed (or a cancelled) batch throws the configuration error.
                    EmitReady();
                    ThrowIfFatal();
                }

                throw;
            }
        }
    }

    private void EmitReady()
    {
        if (_attempts != null)
        {
            foreach (RequestAttempt attempt in _attempts.Drain())
            {
                _onAttempt!(attempt);
            }
        }

        while (_pending.Count > 0 && _pending.Peek().Request.IsCompleted)
        {
            EmitHead(_pending.Dequeue());
        }
    }

    private void EmitHead(PendingBatch head)
    {
        Task<List<TAnswer>> request = head.Request;
        if (request.IsCanceled)
        {
            ThrowIfFatal();
            throw new OperationCanceledException(_cancellation.Token);
        }

        if (request.IsFaulted)
        {
            ThrowIfFatal();
            Exception error = request.Exception!.InnerException!;
            // Decided here too, not only by OnRequestEnded: that continuation may not have run yet.
            if (IsFatal(error))
            {
                throw error;
            }

            if (error is OperationCanceledException)
            {
                throw new OperationCanceledException(_cancellation.Token);
            }

            foreach (Entry entry in head.Entries)
            {
                _emit(ItemOutcome<TResult>.Of(entry.Invalid ?? _operation.RequestFailed(entry.Key, error)));
            }

            return;
        }

        List<TAnswer> answers = request.Result;
        Dictionary<string, TAnswer>? byKey = null;
        int next = 0; // the service answers in request order: walk the answers, and fall back to a lookup if not
        foreach (Entry entry in head.Entries)
        {
            if (entry.Invalid != null)
            {
                _emit(ItemOutcome<TResult>.Of(entry.Invalid));
                continue;
            }

            TAnswer answer;
            bool found;
            if (next < answers.Count && string.Equals(_operation.KeyOf(answers[next]), entry.Key, StringComparison.Ordinal))
            {
                answer = answers[next++];
                found = true;
            }
            else
            {
                byKey ??= IndexByKey(answers);
                found = byKey.TryGetValue(entry.Key, out answer!);
            }

            _emit(found ? _operation.ToOutcome(answer) : ItemOutcome<TResult>.Of(_operation.AnswerMissing(entry.Key)));
        }
    }

    private Dictionary<string, TAnswer> IndexByKey(List<TAnswer> answers)
    {
        var byKey = new Dictionary<string, TAnswer>(answers.Count, StringComparer.Ordinal);
        foreach (TAnswer answer in answers)
        {
            string key = _operation.KeyOf(answer);
            if (!byKey.ContainsKey(key))
            {
                byKey.Add(key, answer);
            }
        }

        return byKey;
    }

    private void ThrowIfFatal()
    {
        Exception? fatal = Volatile.Read(ref _fatal);
        if (fatal != null)
        {
            throw fatal;
        }
    }

    private readonly struct Entry
    {
        public Entry(string key, ItemFailure? invalid)
        {
            Key = key;
            Invalid = invalid;
        }

        /// <summary>The UserID the input item is about.</summary>
        public string Key { get; }

        public ItemFailure? Invalid { get; }
    }

    private sealed class BatchBuilder
    {
        private readonly BatchOperation<TItem, TAnswer, TResult> _operation;
        private readonly Dictionary<string, TItem> _distinct = new Dictionary<string, TItem>(StringComparer.Ordinal);

        public BatchBuilder(BatchOperation<TItem, TAnswer, TResult> operation)
        {
            _operation = operation;
        }

        /// <summary>When the first entry arrived (Stopwatch ticks); the far future while the batch is empty.</summary>
        public long Started { get; private set; } = long.MaxValue;

        public List<Entry> Entries { get; } = new List<Entry>();

        public List<TItem> DistinctItems { get; } = new List<TItem>();

        public int EntryCount => Entries.Count;

        public int DistinctCount => DistinctItems.Count;

        public void Add(TItem item)
        {
            MarkStarted();
            string key = _operation.KeyOf(item);
            if (_distinct.TryGetValue(key, out TItem first))
            {
                // A repeat is answered with the first one's answer, unless it asks for something else.
                Entries.Add(new Entry(key, _operation.RepeatConflict(first, item)));
                return;
            }

            _distinct.Add(key, item);
            Entries.Add(new Entry(key, null));
            DistinctItems.Add(item);
        }

        public void AddInvalid(ItemFailure failure)
        {
            MarkStarted();
            Entries.Add(new Entry(failure.UserId, failure));
        }

        private void MarkStarted()
        {
            if (Entries.Count == 0)
            {
                Started = Stopwatch.GetTimestamp();
            }
        }
    }

    private sealed class PendingBatch
    {
        public PendingBatch(List<Entry> entries, Task<List<TAnswer>> request)
        {
            Entries = entries;
            Request = request;
        }

        public List<Entry> Entries { get; }

        public Task<List<TAnswer>> Request { get; }
    }
}
