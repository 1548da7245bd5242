using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.InteropServices;
using TencentIm.Connections;

namespace TencentIm;

/// <summary>
/// Runs when Import-Module loads the assembly, and (through TencentIm.psm1) when Remove-Module removes it. On Windows
/// PowerShell 5.1 (.NET Framework) it resolves the module's own dependencies (System.Text.Json and what it needs)
/// from the module folder whatever version is asked for: .NET Framework has no binding redirects for a module, and
/// those packages reference each other at older versions than they ship. PowerShell 7 needs nothing: it resolves
/// these names to its own, newer copies.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? "";
    private static readonly bool OnNetFramework = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    /// <summary>Registers the resolver on .NET Framework; refuses PowerShell 7.0–7.3 with a clear message.</summary>
    public void OnImport()
    {
        if (OnNetFramework)
        {
            Resolver.Hook();
            return;
        }

        // System.Text.Json 8.0 comes with .NET 8, which PowerShell 7.4 is the first to run on.
        if (Environment.Version.Major < 8)
        {
            throw new PlatformNotSupportedException(
                $"TencentIm needs PowerShell 7.4 or later (or Windows PowerShell 5.1); this is .NET {Environment.Version}. Update PowerShell.");
        }
    }

    /// <summary>
    /// Called by the module's OnRemove (TencentIm.psm1) when Remove-Module TencentIm (or Import-Module -Force) removes
    /// it from a session: closes every connection made in that session, which wipes their keys and cancels their
    /// requests in flight, and unhooks the assembly resolver once no session has the module imported.
    /// </summary>
    /// <remarks>
    /// Why a script module's OnRemove and not IModuleAssemblyCleanup: the module is built against
    /// PowerShellStandard.Library 5.1 so that one dll loads in Windows PowerShell 5.1 and PowerShell 7, and that
    /// reference has no IModuleAssemblyCleanup (only later PowerShell SDKs have it, and Windows PowerShell 5.1 never
    /// calls it: https://learn.microsoft.com/dotnet/api/system.management.automation.imoduleassemblycleanup). An
    /// OnRemove script block (https://learn.microsoft.com/dotnet/api/system.management.automation.psmoduleinfo.onremove)
    /// is called by both hosts, and needs no reflection and no second, host-specific assembly.
    /// </remarks>
    public static void OnRemove()
    {
        SessionConnections.CloseAll(Runspace.DefaultRunspace);
        if (OnNetFramework)
        {
            Resolver.Unhook();
        }
    }

    /// <summary>
    /// The AssemblyResolve handler, hooked once for all the sessions (runspaces) that import the module: each import
    /// counts one, each removal takes one away, and the last removal unhooks it.
    /// </summary>
    internal static class Resolver
    {
        private static readonly object Gate = new object();
        private static int _imports;

        /// <summary>True while the handler is hooked.</summary>
        internal static bool IsHooked { get; private set; }

        internal static void Hook()
        {
            lock (Gate)
            {
                if (_imports++ == 0)
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
                    IsHooked = true;
                }
            }
        }

        internal static void Unhook()
        {
            lock (Gate)
            {
                if (_imports == 0 || --_imports > 0)
                {
                    return;
                }

                AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromModuleFolder;
                IsHooked = false;
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
}
