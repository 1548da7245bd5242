using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using TencentIm.Connections;
using TencentIm.Emulator.Commands;
using Xunit;

namespace TencentIm.Tests.EmulatorModule;

/// <summary>
/// The parts of the TencentIm.Emulator module and of Connect-TencentIm -Emulator that need no process: finding dotnet,
/// quoting the command line, and reading a handle by property name.
/// </summary>
public class EmulatorModuleEngineTests
{
    private static readonly string Exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    private static Func<string, string?> Env(Dictionary<string, string> values) => name => values.TryGetValue(name, out string? v) ? v : null;

    [Fact]
    public void DotnetHost_LooksAtTheOverride_ThenDotnetHostPath_ThenDotnetRoot_ThenPath()
    {
        string sep = Path.PathSeparator.ToString();
        var env = new Dictionary<string, string>
        {
            ["DOTNET_HOST_PATH"] = "/host/dotnet",
            ["DOTNET_ROOT"] = "/root",
            ["PATH"] = "/a" + sep + "/b",
        };
        var files = new HashSet<string> { "/host/dotnet", Path.Combine("/root", Exe), Path.Combine("/b", Exe) };

        Assert.Equal("/host/dotnet", DotnetHost.Find(Env(env), files.Contains));
        files.Remove("/host/dotnet");
        Assert.Equal(Path.Combine("/root", Exe), DotnetHost.Find(Env(env), files.Contains));
        files.Remove(Path.Combine("/root", Exe));
        Assert.Equal(Path.Combine("/b", Exe), DotnetHost.Find(Env(env), files.Contains));

        env[DotnetHost.OverrideVariable] = "/chosen/dotnet";
        files.Add("/chosen/dotnet");
        Assert.Equal("/chosen/dotnet", DotnetHost.Find(Env(env), files.Contains));
    }

    [Fact]
    public void DotnetHost_WithNoDotnet_SaysWhatToInstall()
    {
        var e = Assert.Throws<EmulatorException>(() => DotnetHost.Find(Env(new Dictionary<string, string> { ["PATH"] = "/nowhere" }), _ => false));

        Assert.Equal("DotnetNotFound", e.ErrorId);
        Assert.Equal(ErrorCategory.NotInstalled, e.Category);
        Assert.Contains("https://dotnet.microsoft.com/download/dotnet/10.0", e.Message);
        Assert.Contains("ASP.NET Core Runtime 10.0", e.Message);
    }

    [Fact]
    public void DotnetHost_WithAnOverrideThatDoesNotExist_DoesNotFallBack()
    {
        var env = new Dictionary<string, string> { [DotnetHost.OverrideVariable] = "/missing/dotnet", ["PATH"] = "/b" };

        var e = Assert.Throws<EmulatorException>(() => DotnetHost.Find(Env(env), path => path == Path.Combine("/b", Exe)));

        Assert.Equal("DotnetNotFound", e.ErrorId);
        Assert.Contains("/missing/dotnet", e.Message);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("")]
    [InlineData("quote\"inside")]
    [InlineData("trailing\\")]
    [InlineData("C:\\path with space\\")]
    [InlineData("back\\\\\"quote")]
    public void CommandLine_Join_SplitsBackIntoTheSameArguments(string argument)
    {
        string line = CommandLine.Join(new[] { "first", argument, "last" });

        // .NET parses a ProcessStartInfo.Arguments string the same way on every OS (the Windows C runtime's rules).
        var info = new System.Diagnostics.ProcessStartInfo("x", line);
        Assert.Equal(new[] { "first", argument, "last" }, SplitLikeTheRuntime(line));
        Assert.Equal(line, info.Arguments);
    }

    // The Windows C runtime's rules (https://learn.microsoft.com/cpp/c-language/parsing-c-command-line-arguments).
    private static List<string> SplitLikeTheRuntime(string line)
    {
        var args = new List<string>();
        var current = new System.Text.StringBuilder();
        bool inQuotes = false, any = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\\')
            {
                int n = 0;
                while (i < line.Length && line[i] == '\\')
                {
                    n++;
                    i++;
                }

                if (i < line.Length && line[i] == '"')
                {
                    current.Append('\\', n / 2);
                    if (n % 2 == 1)
                    {
                        current.Append('"');
                    }
                    else
                    {
                        inQuotes = !inQuotes;
                    }

                    any = true;
                }
                else
                {
                    current.Append('\\', n);
                    i--;
                }

                any = true;
            }
            else if (c == '"')
            {
                inQuotes = !inQuotes;
                any = true;
            }
            else if (c == ' ' && !inQuotes)
            {
                if (any)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            args.Add(current.ToString());
        }

        return args;
    }

    private static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text)
        {
            s.AppendChar(c);
        }

        return s;
    }

    private static PSObject Handle(bool hasExited = false, object? endpoint = null)
    {
        var handle = new PSObject();
        handle.Properties.Add(new PSNoteProperty("Endpoint", endpoint ?? new Uri("http://127.0.0.1:41234/")));
        handle.Properties.Add(new PSNoteProperty("SdkAppId", 1400000007u));
        handle.Properties.Add(new PSNoteProperty("Identifier", "ops"));
        handle.Properties.Add(new PSNoteProperty("SecretKey", Secure("emulator-key")));
        handle.Properties.Add(new PSNoteProperty("HasExited", hasExited));
        return handle;
    }

    [Fact]
    public void EmulatorHandle_FillsSdkAppIdKeyEndpointAndIdentifier_ByPropertyName()
    {
        var request = new ConnectionRequest();

        EmulatorHandle.Apply(Handle(endpoint: "http://127.0.0.1:5080/"), request);

        Assert.Equal(1400000007u, request.SdkAppId);
        Assert.Equal(new Uri("http://127.0.0.1:5080/"), request.Endpoint);
        Assert.Equal("ops", request.Identifier);
        Assert.Equal(12, request.SecretKey!.Length);
    }

    [Fact]
    public void EmulatorHandle_KeepsAnIdentifierGivenExplicitly()
    {
        var request = new ConnectionRequest { Identifier = "administrator" };

        EmulatorHandle.Apply(Handle(), request);

        Assert.Equal("administrator", request.Identifier);
    }

    [Theory]
    [InlineData("Endpoint")]
    [InlineData("SdkAppId")]
    [InlineData("Identifier")]
    [InlineData("SecretKey")]
    public void EmulatorHandle_WithoutOneOfItsProperties_IsNotAnEmulator(string missing)
    {
        PSObject handle = Handle();
        handle.Properties.Remove(missing);

        var e = Assert.Throws<ConnectionSettingsException>(() => EmulatorHandle.Apply(handle, new ConnectionRequest()));

        Assert.Equal("NotAnEmulator", e.ErrorId);
        Assert.Contains(missing, e.Message);
        Assert.Contains("Start-TencentImEmulator", e.Message);
    }

    [Fact]
    public void EmulatorHandle_OfAStoppedEmulator_SaysItStopped()
    {
        var e = Assert.Throws<ConnectionSettingsException>(() => EmulatorHandle.Apply(Handle(hasExited: true), new ConnectionRequest()));

        Assert.Equal("EmulatorStopped", e.ErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, e.Category);
        Assert.DoesNotContain("emulator-key", e.Message);
    }

    [Fact]
    public void EmulatorHandle_WithAnEndpointOrKeyGivenToo_IsRefused()
    {
        var e = Assert.Throws<ConnectionSettingsException>(() => EmulatorHandle.Apply(Handle(), new ConnectionRequest { Endpoint = new Uri("http://127.0.0.1:1/") }));

        Assert.Equal("EmulatorWithSettings", e.ErrorId);
    }

    [Fact]
    public void Launcher_StartInfo_PassesOnNoTencentImVariableOfThisProcess_OnlyTheEmulatorsKey()
    {
        // A name no other test reads: the launcher drops every TENCENTIM_* variable (TENCENTIM_SECRETKEY among them).
        const string Probe = "TENCENTIM_FIXEMU_PROBE_SECRET";
        Environment.SetEnvironmentVariable(Probe, "parent-secret");
        try
        {
            using var key = new SecureString();
            foreach (char c in "emulator-key")
            {
                key.AppendChar(c);
            }

            var start = EmulatorLauncher.StartInfo("dotnet", "server.dll", 0, new[] { "--sdkappid", "1" }, key);

            Assert.False(start.EnvironmentVariables.ContainsKey(Probe));
            Assert.DoesNotContain(start.EnvironmentVariables.Keys.Cast<string>(), name => name.StartsWith("TENCENTIM_", StringComparison.OrdinalIgnoreCase) && name != EmulatorLauncher.SecretKeyVariable);
            Assert.Equal("emulator-key", start.EnvironmentVariables[EmulatorLauncher.SecretKeyVariable]);
            Assert.True(start.EnvironmentVariables.ContainsKey("PATH"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Probe, null);
        }
    }

    [Fact]
    public void EmulatorHandle_WhoseKeyWasDisposed_SaysSo()
    {
        PSObject handle = Handle();
        ((SecureString)handle.Properties["SecretKey"].Value).Dispose();

        var e = Assert.Throws<ConnectionSettingsException>(() => EmulatorHandle.Apply(handle, new ConnectionRequest()));

        Assert.Equal("EmulatorKeyDisposed", e.ErrorId);
        Assert.Contains("SecretKey", e.Message);
        Assert.Contains("Start-TencentImEmulator", e.Message);
    }

    [Fact]
    public void EmulatorHandle_SeveralAtOnce_AskForOneAtATime()
    {
        var e = Assert.Throws<ConnectionSettingsException>(() => EmulatorHandle.Apply(PSObject.AsPSObject(new object[] { Handle(), Handle() }), new ConnectionRequest()));

        Assert.Equal("SeveralEmulators", e.ErrorId);
        Assert.Contains("one emulator at a time", e.Message);
    }
}
