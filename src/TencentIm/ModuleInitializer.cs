using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace TencentIm
{
    /// <summary>
    /// Runs when Import-Module loads the assembly. On Windows PowerShell 5.1 (.NET Framework) it resolves the
    /// module's own dependencies (System.Text.Json and what it needs) from the module folder whatever version is
    /// asked for: .NET Framework has no binding redirects for a module, and those packages reference each other at
    /// older versions than they ship. PowerShell 7 needs nothing: it resolves these names to its own, newer copies.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? "";

        /// <summary>Registers the resolver on .NET Framework only.</summary>
        public void OnImport()
        {
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
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
