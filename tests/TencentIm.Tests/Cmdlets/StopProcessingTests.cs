using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

/// <summary>Ctrl+C: the real cmdlets hosted in a runspace, stopped mid-run while requests are in flight.</summary>
public class StopProcessingTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public StopProcessingTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Stop_MidRun_EndsThePipelineAsStopped_AndLeavesNoRequestRunning()
    {
        const string key = "stop-test-key";
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(new EmulatorOptions { SecretKey = key, LatencyMs = 5000 });
        using Runspace runspace = CmdletHost.OpenRunspace();
        CmdletHost.Connect(runspace, emulator.BaseUri, key, "-MaxRequestsPerSecond 100000");

        using PowerShell run = PowerShell.Create();
        run.Runspace = runspace;
        // Every answer takes 5 s, so the requests in flight when Stop comes would run on for seconds unless aborted.
        run.AddScript("1..100000 | ForEach-Object { \"u$_\" } | Test-TencentImAccount -ThrottleLimit 8");
        var output = new PSDataCollection<PSObject>();
        var firstResult = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        output.DataAdded += (_, _) => firstResult.TrySetResult(true);
        IAsyncResult invocation = run.BeginInvoke<PSObject, PSObject>(null, output);
        await firstResult.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(emulator.Stats.InFlight > 0 || emulator.Stats.TotalRequests > 0);

        // Stop from a thread of its own, as the console's Ctrl+C handler does: a thread-pool thread blocked in Stop
        // would starve the pool that the cancelled requests need to finish on.
        var stopwatch = Stopwatch.StartNew();
        var stopper = new Thread(run.Stop);
        stopper.Start();
        Assert.True(stopper.Join(TimeSpan.FromSeconds(30)), "Stop() did not return");
        stopwatch.Stop();

        Assert.Equal(PSInvocationState.Stopped, run.InvocationStateInfo.State);
        Assert.InRange(output.Count, 1, 99_999);
        // Every request the cmdlet had in flight was aborted: the emulator has none left to answer.
        // Within 2 s, well inside the 5 s each of them would otherwise take: they were aborted, not answered.
        await emulator.WaitForIdleAsync().WaitAsync(TimeSpan.FromSeconds(2));
        Assert.True(invocation.IsCompleted);
        _output.WriteLine($"Stop() returned after {stopwatch.ElapsedMilliseconds} ms with {output.Count} results written.");
    }
}
