using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Engine;
using Xunit;

namespace TencentIm.Tests.Engine;

/// <summary>The ordered batch engine, driven through account_check's operation with a fake transport.</summary>
public class OrderedBatchEngineTests
{
    /// <summary>A fake service: IDs starting with "in" are imported; records every request it gets.</summary>
    private sealed class FakeService
    {
        public ConcurrentQueue<IReadOnlyList<string>> Requests { get; } = new();

        public Func<IReadOnlyList<string>, CancellationToken, Task<List<AccountCheckItem>>>? Override { get; set; }

        public Task<List<AccountCheckItem>> Check(IReadOnlyList<string> ids, IRequestObserver? observer, CancellationToken ct)
        {
            Requests.Enqueue(ids.ToArray());
            if (Override != null)
            {
                return Override(ids, ct);
            }

            return Task.FromResult(ids.Select(Answer).ToList());
        }

        public static AccountCheckItem Answer(string id) =>
            new(id, 0, "", id.StartsWith("in", StringComparison.Ordinal) ? "Imported" : "NotImported");
    }

    private static OrderedBatchEngine<string, AccountCheckItem, AccountCheckResult> NewEngine(
        Func<IReadOnlyList<string>, IRequestObserver?, CancellationToken, Task<List<AccountCheckItem>>> send,
        Action<ItemOutcome<AccountCheckResult>> emit, Action<RequestAttempt>? onAttempt, int batchSize, int throttleLimit, CancellationToken cancellationToken) =>
        new(new AccountCheckOperation(send), emit, onAttempt, batchSize, throttleLimit, cancellationToken);

    /// <summary>One input value through the input hygiene (UserIdRules.Accept) into the engine, as a batch cmdlet feeds it.</summary>
    private static void Feed(OrderedBatchEngine<string, AccountCheckItem, AccountCheckResult> engine, string? value, bool skipBlank)
    {
        string? userId = UserIdRules.Accept(value, skipBlank, null, out ItemFailure? failure);
        if (userId != null)
        {
            engine.Submit(userId);
        }
        else if (failure != null)
        {
            engine.SubmitInvalid(failure);
        }
    }

    private static (List<ItemOutcome<AccountCheckResult>> Outcomes, OrderedBatchEngine<string, AccountCheckItem, AccountCheckResult> Batcher) Run(FakeService service, IEnumerable<string?> input, int batchSize = 100, int throttle = 4, bool skipBlank = true)
    {
        var outcomes = new List<ItemOutcome<AccountCheckResult>>();
        var batcher = NewEngine(service.Check, outcomes.Add, null, batchSize, throttle, CancellationToken.None);
        foreach (string? id in input)
        {
            Feed(batcher, id, skipBlank);
        }

        batcher.Complete();
        batcher.Dispose();
        return (outcomes, batcher);
    }

    [Fact]
    public void Submit_SendsAtMostBatchSizeDistinctIdsPerRequest_AndAnswersEveryIdInInputOrder()
    {
        var service = new FakeService();
        string[] input = Enumerable.Range(0, 1050).Select(i => (i % 3 == 0 ? "in" : "out") + i).ToArray();

        var (outcomes, batcher) = Run(service, input);

        Assert.Equal(11, service.Requests.Count);
        Assert.All(service.Requests, r => Assert.True(r.Count <= 100));
        Assert.Equal(input, outcomes.Select(o => o.Result!.UserID));
        Assert.All(outcomes, o => Assert.Equal(o.Result!.UserID.StartsWith("in") ? AccountStatus.Imported : AccountStatus.NotImported, o.Result.Status));
        Assert.Equal(11, batcher.RequestCount);
    }

    [Fact]
    public void Submit_KeepsInputOrder_WhenLaterRequestsAnswerFirst()
    {
        var service = new FakeService();
        var gates = new ConcurrentDictionary<string, TaskCompletionSource<bool>>();
        // The first batch is answered only after the second and third have been.
        service.Override = async (ids, ct) =>
        {
            if (ids[0] == "a0")
            {
                await Task.WhenAll(gates.GetOrAdd("b0", _ => new()).Task, gates.GetOrAdd("c0", _ => new()).Task);
            }
            else
            {
                gates.GetOrAdd(ids[0], _ => new()).TrySetResult(true);
            }

            return ids.Select(FakeService.Answer).ToList();
        };
        string[] input = new[] { "a", "b", "c" }.SelectMany(p => Enumerable.Range(0, 10).Select(i => p + i)).ToArray();

        var (outcomes, _) = Run(service, input, batchSize: 10, throttle: 3);

        Assert.Equal(input, outcomes.Select(o => o.Result!.UserID));
    }

    [Fact]
    public void Submit_SendsARepeatedIdOnce_AndAnswersEachOccurrence()
    {
        var service = new FakeService();

        var (outcomes, _) = Run(service, new[] { "in1", "out2", "in1", "in1", "out2" });

        Assert.Equal(new[] { "in1", "out2" }, Assert.Single(service.Requests));
        Assert.Equal(new[] { "in1", "out2", "in1", "in1", "out2" }, outcomes.Select(o => o.Result!.UserID));
    }

    [Fact]
    public void Submit_TrimsWhitespace_AndSkipsBlankPipedLines()
    {
        var service = new FakeService();

        var (outcomes, _) = Run(service, new[] { "  in1 ", "", "   ", null, "\tout2" });

        Assert.Equal(new[] { "in1", "out2" }, Assert.Single(service.Requests));
        Assert.Equal(new[] { "in1", "out2" }, outcomes.Select(o => o.Result!.UserID));
    }

    [Fact]
    public void Submit_ReportsAnEmptyArgumentAsAnError_WhenBlanksAreNotSkipped()
    {
        var (outcomes, _) = Run(new FakeService(), new[] { "in1", "" }, skipBlank: false);

        Assert.Equal("EmptyUserId", outcomes[1].Failure!.ErrorId);
    }

    [Fact]
    public void Submit_ReportsAnIdOver32Utf8BytesInItsPlace_AndDoesNotSendIt()
    {
        var service = new FakeService();
        string tooLong = new string('x', 33);
        string multiByte = new string('é', 17); // 34 bytes in UTF-8, 17 characters

        var (outcomes, _) = Run(service, new[] { "in1", tooLong, multiByte, new string('y', 32) });

        Assert.Equal(new[] { "in1", new string('y', 32) }, Assert.Single(service.Requests));
        Assert.Equal("in1", outcomes[0].Result!.UserID);
        Assert.Equal(("UserIdTooLong", tooLong), (outcomes[1].Failure!.ErrorId, outcomes[1].Failure!.UserId));
        Assert.EndsWith("the service allows at most 32. It was not sent.", outcomes[1].Failure!.Message);
        Assert.Equal("UserIdTooLong", outcomes[2].Failure!.ErrorId);
        Assert.Equal(new string('y', 32), outcomes[3].Result!.UserID);
    }

    [Fact]
    public async Task Submit_KeepsExactlyTheThrottleLimitOfRequestsInFlight_WhileTheyAreHeldOpen()
    {
        // Each request stays open until the test releases it. Request i+3 may start only once request i is released:
        // were the limit broken, requests would pile up while held, and the count in flight would pass 3.
        const int requests = 10, throttle = 3;
        var started = Enumerable.Range(0, requests).Select(_ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var release = Enumerable.Range(0, requests).Select(_ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        int inFlight = 0, maxInFlight = 0;
        var service = new FakeService
        {
            Override = async (ids, ct) =>
            {
                int index = int.Parse(ids[0].Substring(1)) / 10;
                InterlockedMax(ref maxInFlight, Interlocked.Increment(ref inFlight));
                started[index].SetResult(true);
                await release[index].Task;
                Interlocked.Decrement(ref inFlight);
                return ids.Select(FakeService.Answer).ToList();
            },
        };

        Task<(List<ItemOutcome<AccountCheckResult>> Outcomes, OrderedBatchEngine<string, AccountCheckItem, AccountCheckResult> Batcher)> run =
            Task.Run(() => Run(service, Enumerable.Range(0, requests * 10).Select(i => "u" + i), batchSize: 10, throttle: throttle));
        for (int i = 0; i < requests; i++)
        {
            await started[i].Task.WaitAsync(TimeSpan.FromSeconds(10));
            if (i >= throttle - 1)
            {
                release[i - (throttle - 1)].SetResult(true);
            }
        }

        foreach (TaskCompletionSource<bool> gate in release)
        {
            gate.TrySetResult(true);
        }

        var (outcomes, _) = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(requests * 10, outcomes.Count);
        Assert.Equal(throttle, maxInFlight);
    }

    [Fact]
    public void Submit_WritesEarlyResultsWhileInputStillArrives()
    {
        var service = new FakeService();
        var outcomes = new List<ItemOutcome<AccountCheckResult>>();
        using var batcher = NewEngine(service.Check, outcomes.Add, null, 10, 2, CancellationToken.None);

        // Back-pressure: past two full windows of batches, Submit must have written the oldest results.
        for (int i = 0; i < 100; i++)
        {
            Feed(batcher, "u" + i, true);
        }

        Assert.True(outcomes.Count >= 100 - 4 * 10 - 10, $"only {outcomes.Count} written");
    }

    [Fact]
    public void Submit_TurnsAFailedRequestIntoOneErrorPerId_AndTheOtherRequestsGoOn()
    {
        var service = new FakeService();
        service.Override = (ids, _) => ids[0] == "b0"
            ? Task.FromException<List<AccountCheckItem>>(TencentImRequestException.FromServiceError(ServiceApi.AccountCheck.Path, 70500, "internal error"))
            : Task.FromResult(ids.Select(FakeService.Answer).ToList());
        string[] input = { "a0", "a1", "b0", "b1", "c0", "c1" };

        var (outcomes, _) = Run(service, input, batchSize: 2);

        Assert.Equal(input, outcomes.Select(o => o.Result?.UserID ?? o.Failure!.UserId));
        Assert.Null(outcomes[2].Result);
        Assert.Equal("AccountCheckFailed", outcomes[2].Failure!.ErrorId);
        Assert.Contains("70500", outcomes[2].Failure!.Message);
        Assert.Contains("internal error", outcomes[3].Failure!.Message);
        Assert.NotNull(outcomes[4].Result);
    }

    [Fact]
    public void Submit_ThrowsAConfigurationErrorOnce_AndCancelsTheOtherRequests()
    {
        var service = new FakeService();
        var othersCancelled = new ConcurrentBag<string>();
        var b0Running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Override = async (ids, ct) =>
        {
            if (ids[0] == "a0")
            {
                // Fail only once b0 is surely in flight, so that there is a request to cancel.
                await b0Running.Task;
                throw TencentImRequestException.FromServiceError(ServiceApi.AccountCheck.Path, 70009, "sig verify failed");
            }

            // The other requests hang until the configuration error cancels them.
            try
            {
                if (ids[0] == "b0")
                {
                    b0Running.SetResult();
                }

                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                othersCancelled.Add(ids[0]);
                throw;
            }

            return new List<AccountCheckItem>();
        };
        var outcomes = new List<ItemOutcome<AccountCheckResult>>();
        using var batcher = NewEngine(service.Check, outcomes.Add, null, 1, 4, CancellationToken.None);

        var error = Assert.Throws<TencentImRequestException>(() =>
        {
            foreach (string id in new[] { "b0", "a0", "c0" })
            {
                Feed(batcher, id, true);
            }

            batcher.Complete();
        });

        Assert.Equal(70009, error.ErrorCode);
        Assert.Equal(ServiceErrorClass.Configuration, error.ErrorClass);
        Assert.Empty(outcomes);
        // b0 was in flight and is cancelled; c0 may be cancelled before it ever starts.
        SpinWait.SpinUntil(() => othersCancelled.Contains("b0"), TimeSpan.FromSeconds(10));
        Assert.Contains("b0", othersCancelled);
    }

    [Fact]
    public void Submit_PassesNoObserver_WhenNobodyReadsTheAttempts()
    {
        var observers = new ConcurrentBag<IRequestObserver?>();
        var outcomes = new List<ItemOutcome<AccountCheckResult>>();
        using var batcher = NewEngine(
            (ids, observer, _) => { observers.Add(observer); return Task.FromResult(ids.Select(FakeService.Answer).ToList()); },
            outcomes.Add, null, 10, 2, CancellationToken.None);

        for (int i = 0; i < 25; i++)
        {
            Feed(batcher, "u" + i, true);
        }

        batcher.Complete();

        Assert.Equal(3, observers.Count);
        Assert.All(observers, Assert.Null);
    }

    [Fact]
    public void Submit_WritesTheBatchesAnsweredBeforeAConfigurationError_ThenStops()
    {
        var service = new FakeService();
        var firstAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Override = async (ids, ct) =>
        {
            if (ids[0] == "b0")
            {
                // Fails only after a0's batch (earlier in input order) has been answered.
                await firstAnswered.Task;
                throw TencentImRequestException.FromServiceError(ServiceApi.AccountCheck.Path, 70403, "not an admin");
            }

            if (ids[0] == "a0")
            {
                firstAnswered.SetResult();
                return ids.Select(FakeService.Answer).ToList();
            }

            await Task.Delay(Timeout.Infinite, ct);
            return new List<AccountCheckItem>();
        };
        var outcomes = new List<ItemOutcome<AccountCheckResult>>();
        using var batcher = NewEngine(service.Check, outcomes.Add, null, 2, 4, CancellationToken.None);

        var error = Assert.Throws<TencentImRequestException>(() =>
        {
            foreach (string id in new[] { "a0", "a1", "b0", "b1", "c0", "c1" })
            {
                Feed(batcher, id, true);
            }

            batcher.Complete();
        });

        Assert.Equal(70403, error.ErrorCode);
        Assert.Equal(new[] { "a0", "a1" }, outcomes.Select(o => o.Result!.UserID));
    }

    [Fact]
    public void Submit_MarksAnAccountTheServiceCouldNotCheckAsUnknown_NotNotImported()
    {
        var service = new FakeService
        {
            Override = (ids, _) => Task.FromResult(new List<AccountCheckItem> { new(ids[0], 70500, "busy", "NotImported") }),
        };

        var (outcomes, _) = Run(service, new[] { "x" });

        AccountCheckResult result = outcomes[0].Result!;
        Assert.Equal(AccountStatus.Unknown, result.Status);
        Assert.Null(result.IsImported);
        Assert.Equal(70500, result.ResultCode);
        Assert.Equal("busy", result.ResultInfo);
    }

    /// <summary>A service whose answer gives <paramref name="code"/> for "flaky" the first <paramref name="times"/> times.</summary>
    private static FakeService ServiceWithItemCode(int code, int times)
    {
        int left = times;
        return new FakeService
        {
            Override = (ids, _) => Task.FromResult(ids.Select(id =>
                id == "flaky" && Interlocked.Decrement(ref left) >= 0 ? new AccountCheckItem(id, code, "item code", "") : FakeService.Answer(id)).ToList()),
        };
    }

    [Theory]
    [InlineData(70500)]
    [InlineData(70169)]
    [InlineData(60008)]
    public void Submit_AsksOnceMoreInALaterRequest_ForAnAccountWithATransientItemCode(int code)
    {
        FakeService service = ServiceWithItemCode(code, times: 1);

        var (outcomes, _) = Run(service, new[] { "in1", "flaky", "out3" });

        Assert.Equal(new[] { "in1", "flaky", "out3" }, outcomes.Select(o => o.Result!.UserID));
        Assert.Equal((AccountStatus.NotImported, 0), (outcomes[1].Result!.Status, outcomes[1].Result!.ResultCode));
        Assert.Equal(new[] { "in1,flaky,out3", "flaky" }, service.Requests.Select(r => string.Join(",", r)));
    }

    [Fact]
    public void Submit_AsksOnlyOnceMore_AndThenReportsUnknownWithTheCode()
    {
        FakeService service = ServiceWithItemCode(70500, times: 2);

        var (outcomes, _) = Run(service, new[] { "in1", "flaky" });

        Assert.Equal((AccountStatus.Unknown, 70500), (outcomes[1].Result!.Status, outcomes[1].Result!.ResultCode));
        Assert.Equal(2, service.Requests.Count);
    }

    [Fact]
    public void Submit_DoesNotAskAgain_ForAnItemCodeThatIsNotTransient()
    {
        FakeService service = ServiceWithItemCode(70107, times: 1);

        var (outcomes, _) = Run(service, new[] { "in1", "flaky" });

        Assert.Equal((AccountStatus.Unknown, 70107), (outcomes[1].Result!.Status, outcomes[1].Result!.ResultCode));
        Assert.Single(service.Requests);
    }

    [Fact]
    public void Submit_KeepsTheFirstAnswer_WhenTheRequestThatAsksAgainFails()
    {
        int calls = 0;
        var service = new FakeService
        {
            Override = (ids, _) => Interlocked.Increment(ref calls) == 1
                ? Task.FromResult(ids.Select(id => id == "flaky" ? new AccountCheckItem(id, 70500, "busy", "") : FakeService.Answer(id)).ToList())
                : Task.FromException<List<AccountCheckItem>>(new TencentImRequestException(ServiceApi.AccountCheck.Path, RequestFailureKind.Timeout, "no answer")),
        };

        var (outcomes, _) = Run(service, new[] { "in1", "flaky" });

        Assert.Equal(2, outcomes.Count);
        Assert.Equal(AccountStatus.Imported, outcomes[0].Result!.Status);
        Assert.Equal((AccountStatus.Unknown, 70500, "busy"), (outcomes[1].Result!.Status, outcomes[1].Result!.ResultCode, outcomes[1].Result!.ResultInfo));
    }

    [Theory]
    [InlineData("ali\nce")]
    [InlineData("ali\rce")]
    [InlineData("alice\r\nbob\r\ncarol")]
    public void Submit_ReportsAnIdWithALineBreakInItsPlace_AndDoesNotSendIt(string id)
    {
        var service = new FakeService();

        var (outcomes, _) = Run(service, new[] { "in1", id, "out2" });

        Assert.Equal("in1", outcomes[0].Result!.UserID);
        Assert.Equal("UserIdHasLineBreak", outcomes[1].Failure!.ErrorId);
        Assert.Contains("-Raw", outcomes[1].Failure!.Message);
        Assert.Equal("out2", outcomes[2].Result!.UserID);
        Assert.Equal(new[] { "in1,out2" }, service.Requests.Select(r => string.Join(",", r)));
    }

    [Fact]
    public void Submit_ReportsAnIdMissingFromTheAnswer_InsteadOfDroppingIt()
    {
        var service = new FakeService { Override = (ids, _) => Task.FromResult(new List<AccountCheckItem> { FakeService.Answer(ids[0]) }) };

        var (outcomes, _) = Run(service, new[] { "in1", "in2" });

        Assert.Equal("in1", outcomes[0].Result!.UserID);
        Assert.Equal(("AccountCheckResultMissing", "in2"), (outcomes[1].Failure!.ErrorId, outcomes[1].Failure!.UserId));
    }

    [Fact]
    public async Task Submit_StopsAtOnce_WhenCancelled()
    {
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource<bool>();
        var outcomes = new List<ItemOutcome<AccountCheckResult>>();
        using var batcher = NewEngine(
            async (ids, _, ct) => { started.TrySetResult(true); await Task.Delay(Timeout.Infinite, ct); return new List<AccountCheckItem>(); },
            outcomes.Add, null, 1, 1, stop.Token);
        Feed(batcher, "a", true);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        stop.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => batcher.Complete());
        Assert.Empty(outcomes);
    }

    [Fact]
    public async Task Dispose_LeavesNoRequestRunning()
    {
        var running = new TaskCompletionSource<Task>();
        var outcomes = new List<ItemOutcome<AccountCheckResult>>();
        var batcher = NewEngine(
            (ids, _, ct) =>
            {
                Task<List<AccountCheckItem>> hang = Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => new List<AccountCheckItem>(), TaskContinuationOptions.OnlyOnRanToCompletion);
                running.TrySetResult(hang);
                return hang;
            },
            outcomes.Add, null, 1, 1, CancellationToken.None);
        Feed(batcher, "a", true);
        Task request = await running.Task.WaitAsync(TimeSpan.FromSeconds(10));

        batcher.Dispose();

        Assert.True(request.IsCompleted, "a request was still running after Dispose returned");
    }

    [Fact]
    public void Submit_WritesAttemptReportsOnTheCallersThread()
    {
        var reports = new List<(string Line, int Thread)>();
        var outcomes = new List<ItemOutcome<AccountCheckResult>>();
        using var batcher = NewEngine(
            async (ids, observer, ct) =>
            {
                await Task.Yield();
                observer!.OnAttempt(new RequestAttempt(ServiceApi.AccountCheck.Path, ids.Count, 1) { Outcome = "OK" });
                return ids.Select(FakeService.Answer).ToList();
            },
            outcomes.Add, a => reports.Add((a.ToVerboseLine(), Environment.CurrentManagedThreadId)), 10, 4, CancellationToken.None);

        for (int i = 0; i < 95; i++)
        {
            Feed(batcher, "u" + i, true);
        }

        batcher.Complete();

        Assert.Equal(10, reports.Count);
        Assert.All(reports, r => Assert.Equal(Environment.CurrentManagedThreadId, r.Thread));
        Assert.Contains(reports, r => r.Line.StartsWith("account_check: 10 item(s), attempt 1, OK", StringComparison.Ordinal));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
