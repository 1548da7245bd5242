using System;
using System.Management.Automation;
using TencentIm.Client;
using TencentIm.Connections;
using TencentIm.Engine;

namespace TencentIm.Commands;

/// <summary>
/// The base of every cmdlet that sends pipeline input to a batched API (Test-TencentImAccount, …): it resolves the
/// connection, starts one run of the ordered batch engine, feeds it each record's input, and writes results,
/// errors, progress and -Verbose lines from the pipeline thread. A derived cmdlet is its parameters, its
/// operation and its output type.
/// </summary>
public abstract class TencentImBatchCmdlet : TencentImCmdlet
{
    private IBatchRun? _run;

    /// <summary>
    /// <para type="description">The connection to use instead of the session's (from Connect-TencentIm -PassThru).</para>
    /// <para type="default">the session's current connection</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    [ConnectionTransformation]
    public TencentImConnection? Connection { get; set; }

    /// <summary>This record's input: the values bound to the cmdlet's pipeline parameter.</summary>
    internal abstract object?[]? InputValues { get; }

    /// <summary>What the progress bar calls the items answered so far: "1,200 checked".</summary>
    internal virtual string ProgressDone => "checked";

    /// <summary>Starts the run: the cmdlet's operation on <paramref name="client"/>, with its batch size and throttle limit.</summary>
    internal abstract IBatchRun StartRun(ImRestClient client);

    /// <summary>Resolves the connection and starts the run.</summary>
    protected override void BeginProcessing()
    {
        _run = StartRun(ResolveConnection(Connection).Client);
    }

    /// <summary>Adds this record's input and writes whatever results are ready.</summary>
    protected override void ProcessRecord()
    {
        // Blank lines of piped input (a file's) are skipped; an empty value typed as an argument, and $null either
        // way, is an error: -UserId $null binds no array at all, and still deserves its one outcome.
        _run!.Add(InputValues ?? new object?[] { null }, fromPipeline: MyInvocation.ExpectingInput);
    }

    /// <summary>Sends the last batch and writes every result still outstanding.</summary>
    protected override void EndProcessing() => _run!.Complete();

    /// <summary>Cancels the requests in flight and waits until they have stopped.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _run?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>A run of <paramref name="operation"/> that writes through this cmdlet.</summary>
    internal BatchRun<TItem, TAnswer, TResult> NewRun<TItem, TAnswer, TResult>(
        BatchOperation<TItem, TAnswer, TResult> operation, int batchSize, int throttleLimit, BatchRun<TItem, TAnswer, TResult>.ItemFactory toItem)
        where TResult : class =>
        new BatchRun<TItem, TAnswer, TResult>(this, operation, batchSize, throttleLimit, toItem);

    /// <summary>The item factory of an API whose item is the UserID itself: every valid UserID is sent as it is.</summary>
    internal static bool SendAsIs(string userId, object? source, out string item, out ItemFailure? failure)
    {
        item = userId;
        failure = null;
        return true;
    }

    /// <summary>The connection errors of the run name: the one given, else the session's.</summary>
    internal TencentImConnection? TargetConnection => Connection ?? SessionConnections.Get();
}

/// <summary>One run of a batch cmdlet, whatever its item and result types.</summary>
internal interface IBatchRun : IDisposable
{
    void Add(object?[] values, bool fromPipeline);

    void Complete();
}

/// <summary>
/// One run of a batch cmdlet: the input layer (<see cref="UserIdInput"/>, <see cref="UserIdRules"/>) in front of
/// an <see cref="OrderedBatchEngine{TItem, TAnswer, TResult}"/>, and every write on the pipeline thread.
/// </summary>
internal sealed class BatchRun<TItem, TAnswer, TResult> : IBatchRun, IUserIdSink
    where TResult : class
{
    private readonly OrderedBatchEngine<TItem, TAnswer, TResult> _engine;
    private readonly RunWriter<TResult> _writer;
    private readonly ItemFactory _toItem;

    public BatchRun(TencentImBatchCmdlet cmdlet, BatchOperation<TItem, TAnswer, TResult> operation, int batchSize, int throttleLimit, ItemFactory toItem)
    {
        _toItem = toItem;
        _writer = new RunWriter<TResult>(cmdlet);
        _engine = new OrderedBatchEngine<TItem, TAnswer, TResult>(operation, _writer.Write, _writer.Trace ? _writer.WriteAttempt : null, batchSize, throttleLimit, cmdlet.CancelToken);
    }

    /// <summary>
    /// Makes the item to send for a valid UserID read from <paramref name="source"/> (null when typed as an
    /// argument). Returns false for an input item that is not sent: <paramref name="failure"/> says why, or is null
    /// when the user declined it (ShouldProcess, -WhatIf).
    /// </summary>
    public delegate bool ItemFactory(string userId, object? source, out TItem item, out ItemFailure? failure);

    public void Add(object?[] values, bool fromPipeline)
    {
        if (!fromPipeline)
        {
            _writer.Progress.Total = values.Length;
        }

        _writer.Run(() =>
        {
            foreach (object? value in values)
            {
                UserIdInput.Submit(value, fromPipeline, this);
            }
        });
    }

    public void Complete()
    {
        _writer.Run(_engine.Complete);
        _writer.Progress.Complete();
    }

    public void Dispose() => _engine.Dispose();

    void IUserIdSink.Add(string? value, bool skipBlank, object? source)
    {
        string? userId = UserIdRules.Accept(value, skipBlank, source, out ItemFailure? invalid);
        if (userId == null)
        {
            if (invalid != null)
            {
                _engine.SubmitInvalid(invalid);
            }

            return;
        }

        if (_toItem(userId, source, out TItem item, out ItemFailure? failure))
        {
            _engine.Submit(item);
        }
        else if (failure != null)
        {
            _engine.SubmitInvalid(failure);
        }
    }

    void IUserIdSink.Reject(ItemFailure failure) => _engine.SubmitInvalid(failure);
}

/// <summary>
/// What every run of the ordered engine writes, on the pipeline thread: each outcome (a result, or an ErrorRecord
/// from its <see cref="ItemFailure"/>), each attempt for -Verbose and -Debug, progress, and the one terminating
/// error that ends a run.
/// </summary>
internal sealed class RunWriter<TResult>
    where TResult : class
{
    private readonly TencentImBatchCmdlet _cmdlet;
    private readonly bool _writeDebug;

    public RunWriter(TencentImBatchCmdlet cmdlet)
    {
        _cmdlet = cmdlet;
        Progress = new RunProgress(cmdlet, cmdlet.MyInvocation.MyCommand.Name, cmdlet.ProgressDone);
        _writeDebug = cmdlet.IsStreamEnabled("Debug", "DebugPreference");
        Trace = _writeDebug || cmdlet.IsStreamEnabled("Verbose", "VerbosePreference");
    }

    /// <summary>Whether anyone reads the attempts (-Verbose or -Debug): the engine then reports them.</summary>
    public bool Trace { get; }

    public RunProgress Progress { get; }

    /// <summary>
    /// Runs engine work on the pipeline thread: Ctrl+C stops the pipeline, and an error that ends the run becomes a
    /// terminating error (<paramref name="terminating"/> may word it for its cmdlet; null: the general record).
    /// </summary>
    public void Run(Action work, Func<TencentImRequestException, ErrorRecord>? terminating = null)
    {
        try
        {
            work();
        }
        catch (OperationCanceledException) when (_cmdlet.CancelToken.IsCancellationRequested)
        {
            Progress.Complete();
            throw new PipelineStoppedException();
        }
        catch (TencentImRequestException e)
        {
            Progress.Complete();
            _cmdlet.ThrowTerminatingError(terminating?.Invoke(e) ?? TencentImCmdlet.ToErrorRecord(e, "", _cmdlet.TargetConnection));
        }
    }

    // The engine calls these only from the pipeline thread (inside Submit and Complete).
    public void Write(ItemOutcome<TResult> outcome)
    {
        Progress.Count();
        if (outcome.Warning != null)
        {
            _cmdlet.WriteWarning(outcome.Warning);
        }

        if (outcome.Note != null)
        {
            _cmdlet.WriteVerbose(outcome.Note);
        }

        if (outcome.Result != null)
        {
            _cmdlet.WriteObject(outcome.Result);
            return;
        }

        ItemFailure failure = outcome.Failure!;
        Exception exception = failure.Exception
            ?? (failure.Category == ErrorCategory.InvalidArgument ? new ArgumentException(failure.Message) : (Exception)new InvalidOperationException(failure.Message));
        var record = new ErrorRecord(exception, failure.ErrorId, failure.Category, failure.Target)
        {
            ErrorDetails = new ErrorDetails(failure.Message),
        };
        if (failure.RecommendedAction != null)
        {
            record.ErrorDetails.RecommendedAction = failure.RecommendedAction;
        }

        _cmdlet.WriteError(record);
    }

    public void WriteAttempt(RequestAttempt attempt)
    {
        _cmdlet.WriteVerbose(attempt.ToVerboseLine());
        if (_writeDebug)
        {
            _cmdlet.WriteDebug(attempt.ToDebugText());
        }
    }
}
