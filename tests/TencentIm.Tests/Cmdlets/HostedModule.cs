using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using TencentIm.Commands;
using TencentIm.Connections;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

/// <summary>The module's real cmdlets, hosted in a runspace of this process (Microsoft.PowerShell.SDK).</summary>
internal static class HostedModule
{
    /// <summary>Opens a runspace with every exported cmdlet of the module.</summary>
    public static Runspace OpenRunspace()
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        foreach (var type in typeof(TencentImCmdlet).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(PSCmdlet).IsAssignableFrom(t)))
        {
            var cmdlet = (CmdletAttribute)type.GetCustomAttributes(typeof(CmdletAttribute), false).Single();
            state.Commands.Add(new SessionStateCmdletEntry($"{cmdlet.VerbName}-{cmdlet.NounName}", type, null));
        }

        Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        return runspace;
    }

    /// <summary>Connect-TencentIm in <paramref name="runspace"/> with the emulator's key; returns the connection.</summary>
    public static TencentImConnection Connect(Runspace runspace, System.Uri endpoint, string key, string extraParameters = "")
    {
        using PowerShell connect = PowerShell.Create();
        connect.Runspace = runspace;
        connect.AddScript($"Connect-TencentIm -SdkAppId 1400000001 -SecretKey (ConvertTo-SecureString '{key}' -AsPlainText -Force) -Endpoint '{endpoint}' -PassThru {extraParameters}");
        PSObject result = connect.Invoke().Single();
        Assert.False(connect.HadErrors, string.Join("; ", connect.Streams.Error));
        return (TencentImConnection)result.BaseObject;
    }
}
