using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using TencentIm.Connections;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

/// <summary>
/// Tests that replace HttpClient.DefaultProxy, the process's system proxy: they run alone, after every other test,
/// and put the old one back.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideProxyCollection
{
    public const string Name = "HttpClient.DefaultProxy";
}

/// <summary>
/// Connect-TencentIm with no proxy parameter uses the system proxy (on .NET, HttpClient.DefaultProxy: HTTPS_PROXY,
/// HTTP_PROXY and NO_PROXY on Linux and macOS, the system settings on Windows); -NoProxy goes direct. The variables
/// themselves are tested in a fresh process by tests/Pester/Proxy.Tests.ps1, as .NET reads them once per process.
/// </summary>
[Collection(ProcessWideProxyCollection.Name)]
public class SystemProxyTests
{
    private static void WithSystemProxy(IWebProxy proxy, Action test)
    {
        IWebProxy saved = HttpClient.DefaultProxy;
        HttpClient.DefaultProxy = proxy;
        try
        {
            test();
        }
        finally
        {
            HttpClient.DefaultProxy = saved;
        }
    }

    private static WebProxy SystemProxy(Uri address, bool bypassLocal = false) => new(address) { BypassProxyOnLocal = bypassLocal };

    [Fact]
    public async Task Default_SendsThroughTheSystemProxy_AndTheConnectionAndVerboseSaySo()
    {
        await using RunningEmulator emulator = await ProxyTests.StartEmulatorAsync();
        await using ForwardingProxy proxy = ForwardingProxy.Start();
        using Runspace runspace = CmdletHost.OpenRunspace();

        WithSystemProxy(SystemProxy(proxy.Uri), () =>
        {
            ScriptRun connect = CmdletHost.Run(runspace, ProxyTests.ConnectScript(emulator.BaseUri, "-PassThru -Verbose"));
            ScriptRun check = CmdletHost.Run(runspace, "Test-TencentImAccount alice");

            Assert.Empty(connect.Errors);
            Assert.Equal("Imported", Assert.IsType<AccountCheckResult>(Assert.Single(check.Output)).AccountStatus.ToString());
            Assert.Equal(2, proxy.Forwarded);
            var connection = Assert.IsType<TencentImConnection>(Assert.Single(connect.Output));
            Assert.Equal($"{proxy.Uri} (system)", connection.Proxy);
            Assert.Contains(connect.Verbose, line => line.StartsWith($"Proxy: {proxy.Uri}, the system proxy", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task NoProxy_GoesDirect_WhereTheDefaultWouldUseTheSystemProxy()
    {
        await using RunningEmulator emulator = await ProxyTests.StartEmulatorAsync();
        using Runspace runspace = CmdletHost.OpenRunspace();
        Uri nowhere = ForwardingProxy.UnusedAddress();

        WithSystemProxy(SystemProxy(nowhere), () =>
        {
            ScriptRun byDefault = CmdletHost.Run(runspace, ProxyTests.ConnectScript(emulator.BaseUri, "-MaximumRetryCount 0"));
            ScriptRun direct = CmdletHost.Run(runspace, ProxyTests.ConnectScript(emulator.BaseUri, "-NoProxy -PassThru -Verbose"));

            Assert.Equal("ConnectionTestProxyUnreachable,TencentIm.Commands.ConnectTencentImCommand", Assert.Single(byDefault.Errors).FullyQualifiedErrorId);
            Assert.Empty(direct.Errors);
            Assert.Equal(1, emulator.Stats.TotalRequests);
            Assert.Equal("None", Assert.IsType<TencentImConnection>(Assert.Single(direct.Output)).Proxy);
            Assert.Contains("Proxy: none (-NoProxy).", direct.Verbose);
        });
    }

    [Fact]
    public async Task SystemProxyThatBypassesTheEndpoint_GoesDirect_AndSaysSo()
    {
        await using RunningEmulator emulator = await ProxyTests.StartEmulatorAsync();
        await using ForwardingProxy proxy = ForwardingProxy.Start();
        using Runspace runspace = CmdletHost.OpenRunspace();

        WithSystemProxy(SystemProxy(proxy.Uri, bypassLocal: true), () =>
        {
            ScriptRun connect = CmdletHost.Run(runspace, ProxyTests.ConnectScript(emulator.BaseUri, "-PassThru"));

            Assert.Empty(connect.Errors);
            Assert.Equal(0, proxy.Forwarded);
            Assert.Equal(1, emulator.Stats.TotalRequests);
            Assert.Equal("System (none for this endpoint)", Assert.IsType<TencentImConnection>(Assert.Single(connect.Output)).Proxy);
        });
    }

    [Fact]
    public async Task SystemProxyWithAPasswordInItsAddress_ThePasswordShowsNowhere()
    {
        await using RunningEmulator emulator = await ProxyTests.StartEmulatorAsync();
        await using ForwardingProxy proxy = ForwardingProxy.Start(ProxyTests.ProxyUser, ProxyTests.ProxyPassword);
        using Runspace runspace = CmdletHost.OpenRunspace();
        // As HTTPS_PROXY=http://bob:password@host:port/ gives it: .NET keeps the user info in the proxy's address.
        var withPassword = new Uri($"http://{ProxyTests.ProxyUser}:{ProxyTests.ProxyPassword}@127.0.0.1:{proxy.Uri.Port}/");
        var httpsEndpoint = new Uri("https://127.0.0.1:" + ForwardingProxy.UnusedAddress().Port + "/");

        WithSystemProxy(SystemProxy(withPassword), () =>
        {
            ScriptRun http = CmdletHost.Run(runspace, ProxyTests.ConnectScript(emulator.BaseUri, "-Verbose -Debug"));
            ScriptRun tunnel = CmdletHost.Run(runspace, ProxyTests.ConnectScript(httpsEndpoint, "-Verbose -Debug"));
            ScriptRun offline = CmdletHost.Run(runspace, ProxyTests.ConnectScript(emulator.BaseUri, "-SkipConnectionTest -PassThru -Verbose"));

            Assert.Equal("ConnectionTestProxyAuthenticationRequired,TencentIm.Commands.ConnectTencentImCommand", Assert.Single(http.Errors).FullyQualifiedErrorId);
            Assert.Equal("ConnectionTestProxyAuthenticationRequired,TencentIm.Commands.ConnectTencentImCommand", Assert.Single(tunnel.Errors).FullyQualifiedErrorId);
            Assert.Equal(1, proxy.Connects);
            var connection = Assert.IsType<TencentImConnection>(Assert.Single(offline.Output));
            Assert.Equal($"{proxy.Uri} (system)", connection.Proxy);
            string everything = ProxyTests.EverythingShown(connection, http, tunnel, offline);
            Assert.Contains($"127.0.0.1:{proxy.Uri.Port}", everything);
            Assert.DoesNotContain(ProxyTests.ProxyPassword, everything);
            Assert.DoesNotContain(ProxyTests.Key, everything);
        });
    }
}
