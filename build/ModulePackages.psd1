# The modules build.ps1 lays out in out/<Name> and packs as out/<Name>.<version>.nupkg, each with the exact list of
# files its folder and its package hold (paths relative to the module folder, '/' between folders). build.ps1 fails
# when a folder holds anything else or misses a file, and tests/Pester/Package.Tests.ps1 checks the packages.
# A second module is one more entry; the install test expects each module to export cmdlets and ship about_<Name>
# (with '_' for '.': about_TencentIm_Emulator).
@{
    Modules = @(
        @{
            Name  = 'TencentIm'
            Files = @(
                'TencentIm.psd1', 'TencentIm.psm1', 'TencentIm.dll', 'TencentIm.pdb', 'TencentIm.format.ps1xml', 'LICENSE',
                # System.Text.Json and its dependencies, loaded only by Windows PowerShell 5.1: PowerShell 7.4 and later
                # resolve these references to their own, newer copies.
                'System.Text.Json.dll', 'System.Text.Encodings.Web.dll', 'Microsoft.Bcl.AsyncInterfaces.dll',
                'System.Buffers.dll', 'System.Memory.dll', 'System.Numerics.Vectors.dll',
                'System.Runtime.CompilerServices.Unsafe.dll', 'System.Threading.Tasks.Extensions.dll',
                'en-US/TencentIm.dll-Help.xml', 'en-US/about_TencentIm.help.txt'
            )
        }
        @{
            # The emulator for users' Pester tests: its cmdlets, and in server/ the emulator app (ASP.NET Core,
            # framework-dependent net10.0) that Start-TencentImEmulator runs with dotnet.
            Name  = 'TencentIm.Emulator'
            Files = @(
                'TencentIm.Emulator.psd1', 'TencentIm.Emulator.Commands.dll', 'TencentIm.Emulator.Commands.pdb', 'TencentIm.Emulator.format.ps1xml', 'LICENSE',
                'System.Text.Json.dll', 'System.Text.Encodings.Web.dll', 'Microsoft.Bcl.AsyncInterfaces.dll',
                'System.Buffers.dll', 'System.Memory.dll', 'System.Numerics.Vectors.dll',
                'System.Runtime.CompilerServices.Unsafe.dll', 'System.Threading.Tasks.Extensions.dll',
                'en-US/TencentIm.Emulator.Commands.dll-Help.xml', 'en-US/about_TencentIm_Emulator.help.txt',
                'server/TencentIm.Emulator.dll', 'server/TencentIm.Emulator.pdb', 'server/TencentIm.Emulator.deps.json',
                'server/TencentIm.Emulator.runtimeconfig.json', 'server/TencentIm.dll', 'server/TencentIm.pdb'
            )
        }
    )
}
