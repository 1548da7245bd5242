using System;
using System.Management.Automation;
using System.Text.Json;
using System.Threading;

namespace TencentIm.Emulator.Commands;

/// <summary>The base of the cmdlets: Ctrl+C cancels a hook call, and <see cref="EmulatorException"/>s become error records.</summary>
public abstract class EmulatorCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new CancellationTokenSource();

    /// <summary>Cancelled by StopProcessing (Ctrl+C).</summary>
    internal CancellationToken CancelToken => _stop.Token;

    /// <summary>Cancels what runs.</summary>
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Runs an action; an <see cref="EmulatorException"/> becomes a non-terminating error, or a terminating one when <paramref name="terminating"/>.</summary>
    internal void Run(Action action, bool terminating = false)
    {
        try
        {
            action();
        }
        catch (EmulatorException e)
        {
            if (terminating)
            {
                ThrowTerminatingError(e.ToErrorRecord());
            }

            WriteError(e.ToErrorRecord());
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}

/// <summary>A cmdlet that works on a running emulator given with -Emulator (or from the pipeline).</summary>
public abstract class EmulatorHandleCmdlet : EmulatorCmdlet
{
    /// <summary>
    /// <para type="description">The emulator, as Start-TencentImEmulator returned it. It can come from the pipeline.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public TencentImEmulator? Emulator { get; set; }

    /// <summary>Parses a hook's JSON answer.</summary>
    internal static JsonElement Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
