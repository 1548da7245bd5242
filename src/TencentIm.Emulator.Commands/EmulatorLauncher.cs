using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// Runs the emulator app (server/TencentIm.Emulator.dll in the module folder) with dotnet on a loopback port and waits
/// for its one line "TencentIm.Emulator listening on URL" (no sleeping, no polling). The process gets
/// --exit-on-stdin-close and its standard input stays open in this process only, so it ends when this process does.
/// </summary>
internal static class EmulatorLauncher
{
    /// <summary>The variable that hands the emulator its secret key (kept off the command line, which others can read).</summary>
    public const string SecretKeyVariable = "TENCENTIM_EMULATOR_SECRET_KEY";

    private static readonly Regex ListeningLine = new Regex(@"listening on (https?://\S+)", RegexOptions.CultureInvariant);

    /// <summary>The emulator app next to this assembly: &lt;module&gt;/server/TencentIm.Emulator.dll.</summary>
    public static string ServerPath => Path.Combine(Path.GetDirectoryName(typeof(EmulatorLauncher).Assembly.Location)!, "server", "TencentIm.Emulator.dll");

    /// <summary>Starts the emulator and returns its handle once it listens.</summary>
    /// <remarks>
    /// <paramref name="dotnet"/> is the host (<see cref="DotnetHost.Find"/>); <paramref name="arguments"/> the emulator's
    /// options without --port and --exit-on-stdin-close; the key goes through the environment.
    /// </remarks>
    /// <exception cref="EmulatorException">It cannot start; the ErrorId says why (AspNetCoreRuntimeMissing, EmulatorCannotStart, …).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled (Ctrl+C); the process is killed.</exception>
    public static TencentImEmulator Start(string dotnet, string serverPath, int port, IEnumerable<string> arguments, SecureString secretKey, uint sdkAppId,
        IReadOnlyList<string> admins, TimeSpan timeout, CancellationToken ct)
    {
        if (!File.Exists(serverPath))
        {
            throw new EmulatorException("EmulatorServerMissing", ErrorCategory.ObjectNotFound,
                $"The emulator app is missing from the module ('{serverPath}'). Reinstall the TencentIm.Emulator module.", serverPath);
        }

        ProcessStartInfo start = StartInfo(dotnet, serverPath, port, arguments, secretKey);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("Process.Start returned no process.");
        }
        catch (Win32Exception e)
        {
            throw new EmulatorException("DotnetNotRunnable", ErrorCategory.NotInstalled,
                $"'{dotnet}' could not be run ({e.Message}). Install the ASP.NET Core Runtime 10.0 from {DotnetHost.DownloadUrl}, or set {DotnetHost.OverrideVariable} to a dotnet executable.", dotnet, e);
        }
        finally
        {
            start.EnvironmentVariables.Remove(SecretKeyVariable);
        }

        var standardError = new TextTail();
        process.ErrorDataReceived += (sender, e) => standardError.Append(e.Data);
        process.BeginErrorReadLine();
        try
        {
            Task<string?> read = process.StandardOutput.ReadLineAsync();
            if (!read.Wait((int)timeout.TotalMilliseconds, ct) || read.Result is null)
            {
                if (read.IsCompleted)
                {
                    // The process ended before it listened: wait for the rest of its standard error, which says why.
                    process.WaitForExit();
                    throw Failed(process, standardError.Text, dotnet, port);
                }

                throw new EmulatorException("EmulatorStartTimeout", ErrorCategory.OperationTimeout,
                    $"The emulator did not start within {timeout.TotalSeconds:0} seconds. {Explain(standardError.Text)}Try again with a larger -StartTimeoutSec on a busy machine.", null);
            }

            Match match = ListeningLine.Match(read.Result);
            if (!match.Success)
            {
                throw new EmulatorException("EmulatorStartFailed", ErrorCategory.InvalidResult,
                    $"The emulator printed '{read.Result}' instead of its address. Reinstall the TencentIm.Emulator module.", null);
            }

            // Nothing else is printed, but keep the pipe drained so that the emulator can never block on it.
            _ = process.StandardOutput.ReadToEndAsync();
            return new TencentImEmulator(process, standardError, new Uri(match.Groups[1].Value), sdkAppId, admins, secretKey);
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>
    /// How the emulator's process is started: dotnet with the app and its options, its key in
    /// <see cref="SecretKeyVariable"/>, and this process's environment without any other TENCENTIM_* variable (a
    /// TENCENTIM_SECRETKEY of a real app must never reach the emulator, which has no use for it).
    /// </summary>
    internal static ProcessStartInfo StartInfo(string dotnet, string serverPath, int port, IEnumerable<string> arguments, SecureString secretKey)
    {
        var start = new ProcessStartInfo(dotnet)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        var all = new List<string> { serverPath, "--port", port.ToString(CultureInfo.InvariantCulture), "--exit-on-stdin-close" };
        all.AddRange(arguments);
        start.Arguments = CommandLine.Join(all);
        var inherited = new List<string>();
        foreach (string name in start.EnvironmentVariables.Keys)
        {
            if (name.StartsWith("TENCENTIM_", StringComparison.OrdinalIgnoreCase))
            {
                inherited.Add(name);
            }
        }

        foreach (string name in inherited)
        {
            start.EnvironmentVariables.Remove(name);
        }

        start.EnvironmentVariables[SecretKeyVariable] = SecureText.Reveal(secretKey);
        return start;
    }

    private static EmulatorException Failed(Process process, string standardError, string dotnet, int port)
    {
        // Kestrel's words for a port that is taken: "Failed to bind to address http://127.0.0.1:PORT: address already
        // in use." followed by a stack trace, of which only that line helps.
        Match bind = Regex.Match(standardError, @"Failed to bind to address \S+: address already in use\.?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (bind.Success || standardError.IndexOf("AddressInUseException", StringComparison.Ordinal) >= 0)
        {
            return new EmulatorException("PortInUse", ErrorCategory.ResourceUnavailable,
                string.Format(CultureInfo.InvariantCulture,
                    "The emulator cannot listen on 127.0.0.1: port {0} is in use by another program. Pick another -Port, or -Port 0 (the default) for a free one.", port), port);
        }

        // The dotnet host's words when a framework is missing: "You must install or update .NET to run this
        // application. … Framework: 'Microsoft.AspNetCore.App', version '10.0.0'" (older hosts: "The framework
        // 'Microsoft.AspNetCore.App', version … was not found").
        if (standardError.IndexOf("Microsoft.AspNetCore.App", StringComparison.Ordinal) >= 0
            || standardError.IndexOf("Microsoft.NETCore.App", StringComparison.Ordinal) >= 0
            || standardError.IndexOf("install or update .NET", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return new EmulatorException("AspNetCoreRuntimeMissing", ErrorCategory.NotInstalled,
                $"The emulator needs the ASP.NET Core Runtime 10.0 (Microsoft.AspNetCore.App 10.x), which '{dotnet}' does not have. Install it from {DotnetHost.DownloadUrl} (on GitHub Actions runners it is already there), "
                + $"or set {DotnetHost.OverrideVariable} to a dotnet that has it. The dotnet host said: {FirstLine(standardError)}", dotnet);
        }

        return new EmulatorException("EmulatorCannotStart", ErrorCategory.InvalidArgument,
            $"The emulator exited with code {process.ExitCode} before it listened. {Explain(standardError)}Check the parameters given to Start-TencentImEmulator.", null);
    }

    private static string Explain(string standardError)
    {
        string text = CmdletWords(standardError.Trim());
        return text.Length == 0 ? "" : "It said: " + text.TrimEnd('.') + ". ";
    }

    /// <summary>The emulator app's options as Start-TencentImEmulator's parameters (--deny-delete: -DenyDelete), so that its reasons name what the user typed.</summary>
    internal static string CmdletWords(string text) =>
        Regex.Replace(text, @"(?<![\w-])--(?<name>[a-z][a-z-]*)", match => match.Groups["name"].Value switch
        {
            "accounts" or "accounts-file" => "-Account",
            "admins" => "-Admin",
            "sdkappid" => "-SdkAppId",
            "foreign-sdkappids" => "-ForeignSdkAppId",
            "failing-accounts" => "-FailingAccount",
            "flaky-accounts" => "-FlakyAccount",
            "fault-kinds" => "-FaultKind",
            "rate-limit" => "-RateLimit",
            string name => "-" + string.Concat(name.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word.Substring(1))),
        }, RegexOptions.CultureInvariant);

    private static string FirstLine(string text)
    {
        string trimmed = text.Trim();
        int end = trimmed.IndexOfAny(new[] { '\r', '\n' });
        return end < 0 ? trimmed : trimmed.Substring(0, end);
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (Win32Exception)
        {
        }
    }
}
