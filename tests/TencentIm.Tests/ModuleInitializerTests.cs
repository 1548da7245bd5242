using Xunit;

namespace TencentIm.Tests;

/// <summary>
/// The assembly resolver Windows PowerShell 5.1 needs is hooked once for every session (runspace) that imports the
/// module, and unhooked by the last Remove-Module: a removal in one runspace must not take it from another.
/// </summary>
public class ModuleInitializerTests
{
    [Fact]
    public void Resolver_StaysHookedUntilTheLastImportIsRemoved_AndHooksAgainOnTheNextImport()
    {
        Assert.False(ModuleInitializer.Resolver.IsHooked);

        ModuleInitializer.Resolver.Hook();
        ModuleInitializer.Resolver.Hook();
        ModuleInitializer.Resolver.Unhook();
        Assert.True(ModuleInitializer.Resolver.IsHooked);

        ModuleInitializer.Resolver.Unhook();
        Assert.False(ModuleInitializer.Resolver.IsHooked);

        // A removal with nothing imported (the dll imported on its own, without the manifest) unhooks nothing twice.
        ModuleInitializer.Resolver.Unhook();
        ModuleInitializer.Resolver.Hook();
        Assert.True(ModuleInitializer.Resolver.IsHooked);
        ModuleInitializer.Resolver.Unhook();
        Assert.False(ModuleInitializer.Resolver.IsHooked);
    }
}
