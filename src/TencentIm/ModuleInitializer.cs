using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace TencentIm;

/// <summary>
/// Runs when Import-Module loads the assembly. On Windows PowerShell 5.1 (.NET Framework) it resolves the
/// module's own dependencies (System.Text.Json and what it needs) from the module folder whatever version is
/// asked for: .NET Framework has no binding redirects for a module, and those packages reference each other at
/// older versions than they ship. PowerShell 7 needs nothing: it resolves these names to its own, newer copies.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? "";

    /// <summary>Registers the resolver on .NET Framework; refuses PowerShell 7.0–7.3 with a clear message.</summary>
    public void OnImport()
    {
        if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
            return;
        }

        // System.Text.Json 8.0 comes with .NET 8, which PowerShell 7.4 is the first to run on.
        if (Environment.Version.Major < 8)
        {
            throw new PlatformNotSupportedException(
                $"TencentIm needs PowerShell 7.4 or later (or Windows PowerShell 5.1); this is .NET {Environment.Version}. Update PowerShell.");
        }
    }

    private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
    {
        string name = new AssemblyName(args.Name).Name ?? "";
        string candidate = Path.Combine(ModuleFolder, name + ".dll");
        // Only the files this module ships; anything else is the host's business.
        return name != "TencentIm" && File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
    }
}
