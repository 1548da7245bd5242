using System.Linq;
using TencentIm.Apis;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Apis;

/// <summary>
/// The module's API table (ServiceApi) and the emulator's (EmulatedApis) are two readings of docs/service-api.md §3:
/// where both name an API, they must agree on its path, its frequency limit and its items per call.
/// </summary>
public class ApiTableTests
{
    public static TheoryData<string> EmulatedPaths()
    {
        var data = new TheoryData<string>();
        foreach (EmulatedApi api in EmulatedApis.All)
        {
            data.Add(api.Path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EmulatedPaths))]
    public void EveryEmulatedApi_IsInTheModulesTable_WithTheSameLimitAndItemsPerCall(string path)
    {
        EmulatedApi emulated = EmulatedApis.All.Single(a => a.Path == path);

        ServiceApi? module = ServiceApi.Find(path);

        Assert.NotNull(module);
        Assert.Equal((emulated.ServiceRateLimit, emulated.MaxItemsPerCall), (module!.CallsPerSecond, module.MaxItemsPerCall));
    }

    [Fact]
    public void TheEmulatorServesEveryAccountApiTheModuleCallsToday()
    {
        string[] emulated = EmulatedApis.All.Select(a => a.Path).ToArray();

        Assert.Contains(ServiceApi.AccountCheck.Path, emulated);
        Assert.Contains(ServiceApi.AccountImport.Path, emulated);
        Assert.Contains(ServiceApi.MultiAccountImport.Path, emulated);
        Assert.Contains(ServiceApi.AccountDelete.Path, emulated);
        Assert.Contains(ServiceApi.Kick.Path, emulated);
        Assert.Contains(ServiceApi.QueryOnlineStatus.Path, emulated);
    }
}
