using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using TencentIm.Connections;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

/// <summary>
/// A connection closed while another runspace (a thread job, ForEach-Object -Parallel) is using it: the real cmdlets
/// hosted in two runspaces that share one connection object, as Start-ThreadJob with -Connection $using:c does.
/// </summary>
public class ConnectionLifetimeTests
{
    [Fact]
    public async Task DisconnectFromAnotherRunspace_MidRun_EndsTheRunWithOneConnectionClosedError_AndNoErrorPerId()
    {
        const string key = "lifetime-test-key";
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(new EmulatorOptions { SecretKey = key, LatencyMs = 50 });
        using Runspace main = CmdletHost.OpenRunspace();
        using Runspace job = CmdletHost.OpenRunspace();
        TencentImConnection connection = CmdletHost.Connect(main, emulator.BaseUri, key, "-MaxRequestsPerSecond 100000");

        using PowerShell run = PowerShell.Create();
        run.Runspace = job;
        job.SessionStateProxy.SetVariable("c", connection);
        // 50,000 IDs at 8 requests of 100 every 50 ms: about 3 s if nothing closed the connection.
        run.AddScript("1..50000 | ForEach-Object { \"u$_\" } | Test-TencentImAccount -Connection $c -ThrottleLimit 8");
        var output = new PSDataCollection<PSObject>();
        var firstResult = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        output.DataAdded += (_, _) => firstResult.TrySetResult(true);
        IAsyncResult invocation = run.BeginInvoke<PSObject, PSObject>(null, output);
        await firstResult.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using (PowerShell disconnect = PowerShell.Create())
        {
            disconnect.Runspace = main;
            main.SessionStateProxy.SetVariable("c", connection);
            disconnect.AddScript("Disconnect-TencentIm -Connection $c");
            disconnect.Invoke();
            Assert.False(disconnect.HadErrors);
        }

        run.EndInvoke(invocation);

        // One statement-terminating error, and not one error per UserID of the requests that were cut off.
        ErrorRecord stopped = Assert.Single(run.Streams.Error);
        Assert.Equal("ConnectionClosed,TencentIm.Commands.TestTencentImAccountCommand", stopped.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, stopped.CategoryInfo.Category);
        Assert.Contains("Connect-TencentIm", stopped.ToString());
        Assert.InRange(output.Count, 1, 49_999);
        // The requests in flight were cancelled: the emulator has none left to answer.
        await emulator.WaitForIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
