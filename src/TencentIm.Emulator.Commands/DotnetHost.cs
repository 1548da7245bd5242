using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// Finds the <c>dotnet</c> host that runs the emulator app: TENCENTIM_EMULATOR_DOTNET when set (then only it), else
/// DOTNET_HOST_PATH (set when PowerShell itself runs under dotnet), else DOTNET_ROOT's dotnet, else the first dotnet
/// on PATH.
/// </summary>
internal static class DotnetHost
{
    /// <summary>The variable that names the dotnet host to use, for a machine with several .NET installs.</summary>
    public const string OverrideVariable = "TENCENTIM_EMULATOR_DOTNET";

    /// <summary>Where the emulator's runtime can be downloaded.</summary>
    public const string DownloadUrl = "https://dotnet.microsoft.com/download/dotnet/10.0";

    private static string ExecutableName => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";

    /// <exception cref="EmulatorException">DotnetNotFound: no dotnet host anywhere it looks.</exception>
    public static string Find(Func<string, string?> environment, Func<string, bool> fileExists)
    {
        string? chosen = environment(OverrideVariable);
        if (!string.IsNullOrEmpty(chosen))
        {
            if (fileExists(chosen!))
            {
                return chosen!;
            }

            throw NotFound($"{OverrideVariable} names '{chosen}', which does not exist. Point it at a dotnet executable that has the ASP.NET Core Runtime 10.0 ({DownloadUrl}), or remove it to look in DOTNET_HOST_PATH, DOTNET_ROOT and PATH.");
        }

        string? hostPath = environment("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && fileExists(hostPath!))
        {
            return hostPath!;
        }

        string? root = environment("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && fileExists(Path.Combine(root!, ExecutableName)))
        {
            return Path.Combine(root!, ExecutableName);
        }

        foreach (string directory in (environment("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (directory.Trim().Length > 0)
            {
                string candidate = Path.Combine(directory.Trim().Trim('"'), ExecutableName);
                if (fileExists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw NotFound("The emulator runs on .NET 10 with the ASP.NET Core runtime, and no dotnet was found (looked at DOTNET_HOST_PATH, DOTNET_ROOT and PATH). "
            + $"Install the ASP.NET Core Runtime 10.0 from {DownloadUrl} (on GitHub Actions runners it is already there), or set {OverrideVariable} to a dotnet executable.");
    }

    private static EmulatorException NotFound(string message) =>
        new EmulatorException("DotnetNotFound", ErrorCategory.NotInstalled, message, ExecutableName);
}
