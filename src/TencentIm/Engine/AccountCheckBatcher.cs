using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Client;

namespace TencentIm.Engine
{
    /// <summary>
    /// Turns a stream of UserIDs into account_check requests of up to <c>batchSize</c> distinct IDs, keeps up to
    /// <c>throttleLimit</c> of them in flight, and hands back one outcome per input item, in input order.
    /// </summary>
    /// <remarks>
    /// Everything public runs on the caller's thread (the cmdlet's pipeline thread), and the callbacks are only
    /// ever called from there: requests run on the thread pool, but their outcomes and attempt reports wait in
    /// queues until the caller's next <see cref="Submit"/> or <see cref="Complete"/> writes them. Memory is bounded
    /// by the batches in the FIFO (at most twice the throttle limit), never by the length of the input: when it is
    /// full, Submit blocks until the oldest batch is answered, the back-pressure that lets ten million IDs stream.
    /// </remarks>
    internal sealed class AccountCheckBatcher : IRequestObserver, IDisposable
    {
        /// <summary>Caps the entries of one batch, so that a run of duplicates or invalid IDs cannot grow it unbounded.</summary>
        internal const int MaxEntriesPerBatch = 1000;

        private readonly Func<IReadOnlyList<string>, IRequestObserver?, CancellationToken, Task<List<AccountCheckItem>>> _check;
        private readonly Action<CheckOutcome> _emit;
        private readonly Action<RequestAttempt>? _onAttempt;
        private readonly int _batchSize;
        private readonly int _throttleLimit;
        private readonly int _maxPending;
        private readonly CancellationTokenSource _cancellation;
        private readonly Queue<PendingBatch> _pending = new Queue<PendingBatch>();
        private readonly ConcurrentQueue<RequestAttempt> _attempts = new ConcurrentQueue<RequestAttempt>();

        // Released whenever a request ends or reports an attempt: the caller's thread wakes, writes, and looks again.
        private readonly SemaphoreSlim _progress = new SemaphoreSlim(0);
        private BatchBuilder _current = new BatchBuilder();
        private Exception? _fatal;

        /// <param name="check">Sends one account_check for distinct UserIDs (the API client, or a fake in tests).</param>
        /// <param name="emit">Receives each outcome, on the caller's thread, in input order.</param>
        /// <param name="onAttempt">Receives each request attempt (for -Verbose and -Debug), on the caller's thread; null for none.</param>
        /// <param name="batchSize">Distinct UserIDs per request, 1 to 100.</param>
        /// <param name="throttleLimit">Requests in flight at once.</param>
        /// <param name="cancellationToken">Cancels every request in flight and every wait (StopProcessing).</param>
        public AccountCheckBatcher(
            Func<IReadOnlyList<string>, IRequestObserver?, CancellationToken, Task<List<AccountCheckItem>>> check,
            Action<CheckOutcome> emit,
            Action<RequestAttempt>? onAttempt,
            int batchSize,
            int throttleLimit,
            CancellationToken cancellationToken)
        {
            if (batchSize < 1 || batchSize > AccountCheckProtocol.MaxItemsPerRequest)
            {
                throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A batch holds 1 to 100 UserIDs.");
            }

            if (throttleLimit < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(throttleLimit), throttleLimit, "At least one request must be allowed in flight.");
            }

            _check = check;
            _emit = emit;
            _onAttempt = onAttempt;
            _batchSize = batchSize;
            _throttleLimit = throttleLimit;
            _maxPending = 2 * throttleLimit;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        /// <summary>Requests started so far.</summary>
        public long RequestCount { get; private set; }

        /// <summary>
        /// Takes one input value: trims it, skips it if blank and <paramref name="skipBlank"/>, sets an invalid one aside
        /// as a failure in its place in the order, and adds a valid one to the current batch.
        /// </summary>
        /// <exception cref="TencentImRequestException">A configuration error (wrong key, not an admin, …) stopped the run.</exception>
        /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
        /// <param name="value">The UserID as given.</param>
        /// <param name="skipBlank">Skip it silently when blank: a blank line of piped text.</param>
        /// <param name="source">The input object it was read from (a CSV row), the target of its error if it is invalid.</param>
        public void Submit(string? value, bool skipBlank, object? source = null)
        {
            string userId = value?.Trim() ?? "";
            if (userId.Length == 0 && skipBlank)
            {
                return;
            }

            CheckFailure? invalid = UserIdRules.Validate(userId);
            if (invalid != null)
            {
                invalid = invalid.WithConsequence("It was not sent.");
                SubmitInvalid(source == null ? invalid : invalid.WithTarget(source));
                return;
            }

            _current.Add(userId);
            DispatchIfFull();
        }

        /// <summary>Takes an input item that yields no UserID (an object without one): its error keeps its place in the order.</summary>
        public void SubmitInvalid(CheckFailure failure)
        {
            _current.AddInvalid(failure);
            DispatchIfFull();
        }

        private void DispatchIfFull()
        {
            if (_current.DistinctCount == _batchSize || _current.EntryCount >= MaxEntriesPerBatch)
            {
                Dispatch();
            }

            EmitReady();
        }

        /// <summary>Sends the last partial batch and writes every outcome still outstanding, in order.</summary>
        public void Complete()
        {
            Dispatch();
            WaitUntil(() => _pending.Count == 0);
            // A request reports its attempts before it ends, so once all have ended this drain catches the last ones.
            EmitReady();
        }

        /// <summary>Queues an attempt's report from whichever thread ran it; the caller's thread writes it.</summary>
        void IRequestObserver.OnAttempt(RequestAttempt attempt)
        {
            if (_onAttempt != null)
            {
                _attempts.Enqueue(attempt);
                Signal();
            }
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

        private void Dispatch()
        {
            if (_current.EntryCount == 0)
            {
                return;
            }

            WaitUntil(() => _pending.Count < _maxPending && CountRunning() < _throttleLimit);

            BatchBuilder batch = _current;
            _current = new BatchBuilder();
            Task<List<AccountCheckItem>> request;
            if (batch.DistinctCount == 0)
            {
                request = Task.FromResult(new List<AccountCheckItem>());
            }
            else
            {
                CancellationToken token = _cancellation.Token;
                List<string> ids = batch.DistinctIds;
                IRequestObserver? observer = _onAttempt == null ? null : this;
                request = Task.Run(() => CheckAsync(ids, observer, token), token);
                RequestCount++;
                request.ContinueWith(OnRequestEnded, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            _pending.Enqueue(new PendingBatch(batch.Entries, request));
        }

        /// <summary>
        /// One request, and once more for its accounts that got a transient per-account code (70500, 70169, …): the
        /// service retries such codes when a whole request gets them, and one account's passing trouble deserves the
        /// same before it is reported as Unknown. Asked in a later request of their own, once: an account whose code
        /// is still transient is reported with it.
        /// </summary>
        private async Task<List<AccountCheckItem>> CheckAsync(List<string> ids, IRequestObserver? observer, CancellationToken cancellationToken)
        {
            List<AccountCheckItem> items = await _check(ids, observer, cancellationToken).ConfigureAwait(false);
            List<string>? again = null;
            foreach (AccountCheckItem item in items)
            {
                if (item.ResultCode != 0 && IsTransient(item.ResultCode))
                {
                    (again ??= new List<string>()).Add(item.UserId);
                }
            }

            if (again == null)
            {
                return items;
            }

            List<AccountCheckItem> retried;
            try
            {
                retried = await _check(again, observer, cancellationToken).ConfigureAwait(false);
            }
            catch (TencentImRequestException e) when (!IsFatal(e))
            {
                return items; // the first answer stands: those accounts stay Unknown with their code
            }

            Dictionary<string, AccountCheckItem> answers = IndexByUserId(retried);
            for (int i = 0; i < items.Count; i++)
            {
                if (items[i].ResultCode != 0 && answers.TryGetValue(items[i].UserId, out AccountCheckItem answer))
                {
                    items[i] = answer;
                }
            }

            return items;
        }

        private static bool IsTransient(int resultCode)
        {
            ServiceErrorClass errorClass = ServiceErrorCatalog.Describe(resultCode).ErrorClass;
            return errorClass == ServiceErrorClass.Transient || errorClass == ServiceErrorClass.Throttled;
        }

        private void OnRequestEnded(Task<List<AccountCheckItem>> request)
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

        /// <summary>Errors that no other request would escape: bad settings, or a pre-signed UserSig that expired.</summary>
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
            while (_attempts.TryDequeue(out RequestAttempt? attempt))
            {
                _onAttempt!(attempt);
            }

            while (_pending.Count > 0 && _pending.Peek().Request.IsCompleted)
            {
                EmitHead(_pending.Dequeue());
            }
        }

        private void EmitHead(PendingBatch head)
        {
            Task<List<AccountCheckItem>> request = head.Request;
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
                    _emit(CheckOutcome.Of(entry.Invalid ?? RequestFailed(entry.UserId, error)));
                }

                return;
            }

            List<AccountCheckItem> items = request.Result;
            Dictionary<string, AccountCheckItem>? byUserId = null;
            int next = 0; // the service answers in request order: walk the items, and fall back to a lookup if not
            foreach (Entry entry in head.Entries)
            {
                if (entry.Invalid != null)
                {
                    _emit(CheckOutcome.Of(entry.Invalid));
                    continue;
                }

                AccountCheckItem item;
                bool found;
                if (next < items.Count && string.Equals(items[next].UserId, entry.UserId, StringComparison.Ordinal))
                {
                    item = items[next++];
                    found = true;
                }
                else
                {
                    byUserId ??= IndexByUserId(items);
                    found = byUserId.TryGetValue(entry.UserId, out item);
                }

                _emit(found
                    ? CheckOutcome.Of(ToResult(item))
                    : CheckOutcome.Of(new CheckFailure(entry.UserId, "AccountCheckResultMissing", ErrorCategory.InvalidResult,
                        $"The service's answer to account_check had no ResultItem for UserID '{entry.UserId}'. Check it again.")));
            }
        }

        private static Dictionary<string, AccountCheckItem> IndexByUserId(List<AccountCheckItem> items)
        {
            var byUserId = new Dictionary<string, AccountCheckItem>(items.Count, StringComparer.Ordinal);
            foreach (AccountCheckItem item in items)
            {
                if (!byUserId.ContainsKey(item.UserId))
                {
                    byUserId.Add(item.UserId, item);
                }
            }

            return byUserId;
        }

        private void ThrowIfFatal()
        {
            Exception? fatal = Volatile.Read(ref _fatal);
            if (fatal != null)
            {
                throw fatal;
            }
        }

        private static AccountCheckResult ToResult(AccountCheckItem item)
        {
            AccountStatus status = AccountStatus.Unknown;
            string info = item.ResultInfo;
            if (item.ResultCode == 0)
            {
                switch (item.AccountStatus)
                {
                    case "Imported":
                        status = AccountStatus.Imported;
                        break;
                    case "NotImported":
                        status = AccountStatus.NotImported;
                        break;
                    default:
                        info = $"The service answered an unknown AccountStatus '{item.AccountStatus}'.";
                        break;
                }
            }

            return new AccountCheckResult(item.UserId, status, item.ResultCode, info);
        }

        private static CheckFailure RequestFailed(string userId, Exception error)
        {
            if (error is TencentImRequestException r)
            {
                return new CheckFailure(userId, "AccountCheckFailed", r.Category,
                    $"UserID '{userId}' was not checked: {r.Message}", r.Fix, r);
            }

            return new CheckFailure(userId, "AccountCheckFailed", ErrorCategory.NotSpecified,
                $"UserID '{userId}' was not checked: {error.Message}", null, error);
        }

        private readonly struct Entry
        {
            public Entry(string userId, CheckFailure? invalid)
            {
                UserId = userId;
                Invalid = invalid;
            }

            public string UserId { get; }

            public CheckFailure? Invalid { get; }
        }

        private sealed class BatchBuilder
        {
            private readonly HashSet<string> _distinct = new HashSet<string>(StringComparer.Ordinal);

            public List<Entry> Entries { get; } = new List<Entry>();

            public List<string> DistinctIds { get; } = new List<string>();

            public int EntryCount => Entries.Count;

            public int DistinctCount => DistinctIds.Count;

            public void Add(string userId)
            {
                Entries.Add(new Entry(userId, null));
                if (_distinct.Add(userId))
                {
                    DistinctIds.Add(userId);
                }
            }

            public void AddInvalid(CheckFailure failure) => Entries.Add(new Entry(failure.UserId, failure));
        }

        private sealed class PendingBatch
        {
            public PendingBatch(List<Entry> entries, Task<List<AccountCheckItem>> request)
            {
                Entries = entries;
                Request = request;
            }

            public List<Entry> Entries { get; }

            public Task<List<AccountCheckItem>> Request { get; }
        }
    }
}
