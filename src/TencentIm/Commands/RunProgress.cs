using System.Diagnostics;
using System.Management.Automation;

namespace TencentIm.Commands;

/// <summary>
/// Write-Progress for a long run: IDs answered ("1,200 checked"), IDs per second, and percent when the total is
/// known. Nothing for a run shorter than a second; at most four updates a second; always completed at the end if it
/// was shown.
/// </summary>
internal sealed class RunProgress
{
    private static readonly long ShowAfter = Stopwatch.Frequency;     // 1 s
    private static readonly long Interval = Stopwatch.Frequency / 4;  // 250 ms

    private readonly Cmdlet _cmdlet;
    private readonly string _activity;
    private readonly string _done;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastWrite;
    private bool _shown;

    /// <param name="cmdlet">Writes the progress records.</param>
    /// <param name="activity">The bar's title: the cmdlet's name.</param>
    /// <param name="done">What the items answered are called: "checked" gives "1,200 checked, 95 IDs/s".</param>
    public RunProgress(Cmdlet cmdlet, string activity, string done)
    {
        _cmdlet = cmdlet;
        _activity = activity;
        _done = done;
    }

    /// <summary>The number of items expected, when known (an array given to -UserId).</summary>
    public long? Total { get; set; }

    public long Done { get; private set; }

    /// <summary>Counts one item; writes an update when one is due. Call on the pipeline thread only.</summary>
    public void Count()
    {
        // Reading the clock costs more than the rest of an item's bookkeeping: look at it every 256 items.
        if ((++Done & 0xFF) != 0)
        {
            return;
        }

        long now = _clock.ElapsedTicks;
        if (now < ShowAfter || now - _lastWrite < Interval)
        {
            return;
        }

        _lastWrite = now;
        _shown = true;
        double seconds = _clock.Elapsed.TotalSeconds;
        var record = new ProgressRecord(1, _activity, $"{Done:N0} {_done}, {Done / seconds:N0} IDs/s");
        if (Total.HasValue && Total.Value > 0)
        {
            record.PercentComplete = (int)(100 * Done / Total.Value);
        }

        _cmdlet.WriteProgress(record);
    }

    /// <summary>Removes the bar. Safe to call more than once and when the pipeline is stopping.</summary>
    public void Complete()
    {
        if (!_shown)
        {
            return;
        }

        _shown = false;
        try
        {
            _cmdlet.WriteProgress(new ProgressRecord(1, _activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C: the host removes the bar with the pipeline.
        }
    }
}
