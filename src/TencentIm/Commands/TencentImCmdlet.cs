using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Client;
using TencentIm.Connections;

namespace TencentIm.Commands;

/// <summary>
/// The base of every TencentIm cmdlet: one cancellation token per invocation, cancelled by Ctrl+C
/// (StopProcessing) and passed to every await; and the service's errors turned into ErrorRecords.
/// </summary>
public abstract class TencentImCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected internal CancellationToken CancelToken => _stopping.Token;

    /// <summary>Cancels every request in flight.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the cmdlet holds; derived cmdlets add their own.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    /// <summary>The connection given with -Connection, else the session's; a terminating error if there is none.</summary>
    internal TencentImConnection ResolveConnection(TencentImConnection? explicitConnection)
    {
        TencentImConnection? connection = explicitConnection ?? SessionConnections.Get();
        if (connection == null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("There is no Tencent IM connection in this runspace. Run Connect-TencentIm first, or pass -Connection. A connection belongs to the runspace that made it: in ForEach-Object -Parallel or Start-ThreadJob, pass it with -Connection $using:connection (from Connect-TencentIm -PassThru)."),
                "NotConnected", ErrorCategory.ConnectionError, null));
        }

        if (connection!.IsClosed)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"The connection to SDKAppID {connection.SdkAppId} was closed. Run Connect-TencentIm again."),
                "ConnectionClosed", ErrorCategory.ConnectionError, connection));
        }

        return connection;
    }

    /// <summary>
    /// The key from a -SecretKey or -Credential SecureString; the terminating error SecretKeyEmpty, the same in every
    /// cmdlet, when it is empty or blank.
    /// </summary>
    internal Signing.SecretKey KeyFrom(SecureString secure, string parameter)
    {
        try
        {
            return ConnectionFactory.KeyFrom(secure, parameter);
        }
        catch (ConnectionSettingsException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
            throw;
        }
    }

    /// <summary>Whether -Verbose/-Debug or the preference variable asks for this stream.</summary>
    internal bool IsStreamEnabled(string switchName, string preferenceVariable)
    {
        if (MyInvocation.BoundParameters.TryGetValue(switchName, out object? bound))
        {
            return bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound);
        }

        object? preference = GetVariableValue(preferenceVariable);
        return preference is ActionPreference p && p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore;
    }

    /// <summary>Runs async work on the pipeline thread, cancellable by Ctrl+C.</summary>
    internal T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        try
        {
            return work(CancelToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// The terminating error for a setting that cannot be used: an ArgumentException with the message, and the
    /// ErrorId, category and target the exception names.
    /// </summary>
    internal static ErrorRecord ToErrorRecord(ConnectionSettingsException e) =>
        new ErrorRecord(new ArgumentException(e.Message), e.ErrorId, e.Category, e.Target);

    /// <summary>An ErrorRecord for a failed request: its ErrorId, category, the service's code and what to do.</summary>
    internal static ErrorRecord ToErrorRecord(TencentImRequestException e, string errorIdPrefix, object? target)
    {
        string errorId = e.Description?.ErrorId ?? e.Kind.ToString();
        return new ErrorRecord(e, errorIdPrefix + errorId, e.Category, target)
        {
            ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.Fix },
        };
    }
}
