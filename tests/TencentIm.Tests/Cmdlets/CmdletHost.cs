using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using TencentIm.Commands;
using TencentIm.Connections;

namespace TencentIm.Tests.Cmdlets;

/// <summary>Hosts the real cmdlets in a runspace of their own, as a console session would.</summary>
internal static class CmdletHost
{
    /// <summary>Opens a runspace with every exported cmdlet of the module; <paramref name="host"/> answers its prompts (null: none can be asked).</summary>
    public static Runspace OpenRunspace(System.Management.Automation.Host.PSHost? host = null)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        foreach (Type type in typeof(TencentImCmdlet).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(PSCmdlet).IsAssignableFrom(t)))
        {
            var cmdlet = (CmdletAttribute)type.GetCustomAttributes(typeof(CmdletAttribute), false).Single();
            state.Commands.Add(new SessionStateCmdletEntry($"{cmdlet.VerbName}-{cmdlet.NounName}", type, null));
        }

        Runspace runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        return runspace;
    }

    /// <summary>Connect-TencentIm in <paramref name="runspace"/> with the emulator's key; returns the connection.</summary>
    public static TencentImConnection Connect(Runspace runspace, Uri endpoint, string key, string extraParameters = "")
    {
        using PowerShell connect = PowerShell.Create();
        connect.Runspace = runspace;
        connect.AddScript($"Connect-TencentIm -SdkAppId 1400000001 -SecretKey (ConvertTo-SecureString '{key}' -AsPlainText -Force) -Endpoint '{endpoint}' -PassThru {extraParameters}");
        PSObject result = connect.Invoke().Single();
        Xunit.Assert.False(connect.HadErrors, string.Join("; ", connect.Streams.Error));
        return (TencentImConnection)result.BaseObject;
    }

    /// <summary>Runs <paramref name="script"/> to the end and returns what every stream got, a terminating error included.</summary>
    public static ScriptRun Run(Runspace runspace, string script)
    {
        using PowerShell shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        var errors = new List<ErrorRecord>();
        Collection<PSObject> output = new();
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException e)
        {
            errors.Add(e.ErrorRecord);
        }

        errors.AddRange(shell.Streams.Error);
        // A PSCustomObject is its PSObject: its BaseObject holds none of its properties.
        return new ScriptRun(output.Select(o => o.BaseObject is PSCustomObject ? o : o.BaseObject).ToList(), errors,
            shell.Streams.Verbose.Select(v => v.Message).ToList(), shell.Streams.Debug.Select(d => d.Message).ToList())
        {
            Warnings = shell.Streams.Warning.Select(w => w.Message).ToList(),
        };
    }
}

/// <summary>What a script wrote: output objects, errors (a terminating one included), -Verbose and -Debug lines, warnings.</summary>
internal sealed record ScriptRun(List<object> Output, List<ErrorRecord> Errors, List<string> Verbose, List<string> Debug)
{
    /// <summary>The warnings written.</summary>
    public List<string> Warnings { get; init; } = new List<string>();

    /// <summary>Every error's id, category, message, details and exception chain (messages and stack traces), as text.</summary>
    public string ErrorText => string.Join(Environment.NewLine, Errors.Select(e =>
        $"{e.FullyQualifiedErrorId} {e.CategoryInfo} {e.ErrorDetails?.Message} {e.ErrorDetails?.RecommendedAction} {e.TargetObject} {e.Exception}"));
}
