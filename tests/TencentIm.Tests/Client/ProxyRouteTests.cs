using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using TencentIm.Client;
using Xunit;

namespace TencentIm.Tests.Client;

/// <summary>The handler each proxy setting gives, and what the connection says about it; nothing is sent.</summary>
public class ProxyRouteTests
{
    private static readonly Uri Service = new("https://adminapisgp.im.qcloud.com/");
    private static readonly Uri Emulator = new("http://127.0.0.1:5000/");

    /// <summary>A system proxy as HTTPS_PROXY=http://user:password@host:port/ gives it: the user info stays in the address.</summary>
    private sealed class AddressOnlyProxy : IWebProxy
    {
        private readonly Uri _address;

        public AddressOnlyProxy(Uri address) => _address = address;

        public ICredentials? Credentials { get; set; }

        public Uri GetProxy(Uri destination) => _address;

        public bool IsBypassed(Uri host) => false;
    }

    private static (ProxyRoute Route, HttpClientHandler Handler) Resolve(ProxySettings settings, Uri endpoint)
    {
        ProxyRoute route = ProxyRoute.Resolve(settings, endpoint);
        return (route, ImRestClient.CreateHandler(route));
    }

    private static void AssertTheSettingsEveryRequestNeeds(HttpClientHandler handler)
    {
        Assert.Equal(256, handler.MaxConnectionsPerServer);
        Assert.False(handler.AllowAutoRedirect);
        Assert.Equal(DecompressionMethods.GZip | DecompressionMethods.Deflate, handler.AutomaticDecompression);
    }

    [Fact]
    public void Default_GivesTheHandlerTheSystemProxy_AndSaysWhichItIs()
    {
        var system = new WebProxy("http://proxy.example:3128/");

        var (route, handler) = Resolve(ProxySettings.System(() => system), Service);

        Assert.True(handler.UseProxy);
        Assert.Same(system, handler.Proxy);
        Assert.Equal(new Uri("http://proxy.example:3128/"), route.Via);
        Assert.Equal("http://proxy.example:3128/ (system)", route.Description);
        Assert.StartsWith("Proxy: http://proxy.example:3128/, the system proxy", route.VerboseLine);
        AssertTheSettingsEveryRequestNeeds(handler);
    }

    [Fact]
    public void Default_WhenTheSystemProxyBypassesTheEndpoint_GoesDirect()
    {
        var system = new WebProxy("http://proxy.example:3128/", false, new[] { @"adminapisgp\.im\.qcloud\.com" });

        var (route, handler) = Resolve(ProxySettings.System(() => system), Service);

        Assert.False(handler.UseProxy);
        Assert.Null(route.Via);
        Assert.Equal("System (none for this endpoint)", route.Description);
        AssertTheSettingsEveryRequestNeeds(handler);
    }

    [Fact]
    public void Default_WithoutASystemProxy_GoesDirect()
    {
        var (route, handler) = Resolve(ProxySettings.System(() => null), Service);

        Assert.False(handler.UseProxy);
        Assert.Equal("System (none for this endpoint)", route.Description);
    }

    [Fact]
    public void Default_NeverSendsAnHttpEndpointsRequests_ToASystemProxyOnAnotherMachine()
    {
        var system = new WebProxy("http://proxy.example:3128/") { BypassProxyOnLocal = false };

        var (route, handler) = Resolve(ProxySettings.System(() => system), Emulator);

        Assert.False(handler.UseProxy);
        Assert.Null(route.Via);
        Assert.Equal("System (none for this endpoint)", route.Description);
        Assert.Contains("http://proxy.example:3128/ is not on this machine", route.VerboseLine);
    }

    [Fact]
    public void Default_SendsAnHttpEndpointsRequests_ToASystemProxyOnThisMachine()
    {
        var system = new WebProxy("http://localhost:8888/") { BypassProxyOnLocal = false };

        var (route, handler) = Resolve(ProxySettings.System(() => system), Emulator);

        Assert.Same(system, handler.Proxy);
        Assert.Equal("http://localhost:8888/ (system)", route.Description);
    }

    [Fact]
    public void Default_NeverShowsTheUserInfoOfTheSystemProxysAddress()
    {
        var system = new AddressOnlyProxy(new Uri("http://alice:s3cret-pw@proxy.example:3128/"));

        var (route, handler) = Resolve(ProxySettings.System(() => system), Service);

        Assert.Same(system, handler.Proxy);
        Assert.Equal("http://proxy.example:3128/ (system)", route.Description);
        Assert.DoesNotContain("s3cret-pw", route.VerboseLine + route.AuthenticationProblem + route.AuthenticationFix + route.UnreachableFix);
    }

    [Fact]
    public void Default_ReadsTheProcesssSystemProxy_AsHttpClientHandlerWould()
    {
        Assert.Same(HttpClient.DefaultProxy, ProxySettings.CurrentSystemProxy());
    }

    [Fact]
    public void NoProxy_TurnsTheHandlersProxyOff()
    {
        var (route, handler) = Resolve(ProxySettings.None, Service);

        Assert.False(handler.UseProxy);
        Assert.Null(route.Via);
        Assert.Equal("None", route.Description);
        Assert.Equal("Proxy: none (-NoProxy).", route.VerboseLine);
        AssertTheSettingsEveryRequestNeeds(handler);
    }

    [Fact]
    public void Proxy_IsUsedForEveryHost_LoopbackIncluded_WithoutCredentials()
    {
        var (route, handler) = Resolve(ProxySettings.Explicit(new Uri("http://127.0.0.1:3128/some/path?x=1"), null, false), Emulator);

        Assert.True(handler.UseProxy);
        var proxy = Assert.IsType<WebProxy>(handler.Proxy);
        Assert.Equal(new Uri("http://127.0.0.1:3128/"), proxy.Address);
        Assert.False(proxy.BypassProxyOnLocal);
        Assert.False(proxy.IsBypassed(Emulator));
        Assert.Null(proxy.Credentials);
        Assert.Equal("http://127.0.0.1:3128/", route.Description);
        Assert.Equal("Proxy: http://127.0.0.1:3128/ (-Proxy), without credentials.", route.VerboseLine);
        AssertTheSettingsEveryRequestNeeds(handler);
    }

    [Fact]
    public void ProxyCredential_GoesToTheProxyOnly_AndOnlyTheUserNameIsShown()
    {
        var credential = new NetworkCredential("bob", "pw-9f3c", "CORP");

        var (route, handler) = Resolve(ProxySettings.Explicit(new Uri("http://proxy.example:8080/"), credential, false), Service);

        var proxy = Assert.IsType<WebProxy>(handler.Proxy);
        Assert.Same(credential, proxy.Credentials);
        Assert.False(proxy.UseDefaultCredentials);
        Assert.Null(handler.Credentials);
        Assert.Equal("Proxy: http://proxy.example:8080/ (-Proxy), signing in as 'CORP\\bob' (-ProxyCredential).", route.VerboseLine);
        Assert.Contains("'CORP\\bob'", route.AuthenticationProblem);
        Assert.DoesNotContain("pw-9f3c", route.VerboseLine + route.Description + route.AuthenticationProblem + route.AuthenticationFix);
    }

    [Fact]
    public void ProxyUseDefaultCredentials_GivesTheProxyTheDefaultCredentials()
    {
        var (route, handler) = Resolve(ProxySettings.Explicit(new Uri("http://proxy.example:8080/"), null, true), Service);

        var proxy = Assert.IsType<WebProxy>(handler.Proxy);
        Assert.True(proxy.UseDefaultCredentials);
        Assert.Same(CredentialCache.DefaultCredentials, proxy.Credentials);
        Assert.False(handler.UseDefaultCredentials);
        Assert.Contains("-ProxyUseDefaultCredentials", route.VerboseLine);
    }

    [Theory]
    [InlineData("http://127.0.0.1:3128/", true)]
    [InlineData("http://proxy.example:3128/", true)]
    [InlineData("HTTP://proxy.example:3128/", false)]
    [InlineData("https://proxy.example:443/", true)]
    [InlineData("socks5://127.0.0.1:1080/", true)]
    [InlineData("socks4a://127.0.0.1:1080/", true)]
    public void Check_AcceptsHttpEverywhere_AndTheOtherSchemesWhereTheRuntimeHasThem(string address, bool otherSchemes)
    {
        Assert.Null(ProxySettings.Check(new Uri(address), Service, otherSchemes));
    }

    [Theory]
    [InlineData("https://proxy.example:443/", false, "ProxySchemeNotSupported", "PowerShell 7.4")]
    [InlineData("socks5://127.0.0.1:1080/", false, "ProxySchemeNotSupported", "PowerShell 7.4")]
    [InlineData("ftp://proxy.example/", true, "ProxySchemeNotSupported", "'ftp' is not a proxy scheme")]
    [InlineData("proxy.example:3128", true, "ProxySchemeNotSupported", "without one reads as host:port")]
    [InlineData("http://alice:s3cret-pw@proxy.example:3128/", true, "ProxyAddressHasCredentials", "-ProxyCredential")]
    [InlineData("/relative", true, "InvalidProxy", "absolute")]
    public void Check_RejectsWhatTheHandlerCannotUse_WithoutShowingAPassword(string address, bool otherSchemes, string errorId, string saying)
    {
        ProxyProblem? problem = ProxySettings.Check(new Uri(address, UriKind.RelativeOrAbsolute), Service, otherSchemes);

        Assert.NotNull(problem);
        Assert.Equal(errorId, problem!.ErrorId);
        Assert.Contains(saying, problem.Message);
        Assert.DoesNotContain("s3cret-pw", problem.Message + problem.Target);
    }

    [Theory]
    [InlineData("http://proxy.example:3128/", "ProxyNotLocalForHttpEndpoint")]
    [InlineData("http://localhost:3128/", null)]
    [InlineData("http://127.0.0.1:3128/", null)]
    public void Check_KeepsAnHttpEndpointsRequests_OnThisMachine(string address, string? errorId)
    {
        Assert.Equal(errorId, ProxySettings.Check(new Uri(address), Emulator, true)?.ErrorId);
    }

    [Fact]
    public void OtherSchemes_AreSupportedByThisRuntime()
    {
        Assert.True(ProxySettings.RuntimeSupportsOtherSchemes);
    }

    [Fact]
    public void Scrub_RemovesUserInfoFromEveryUri()
    {
        Assert.Equal("The proxy tunnel request to proxy 'http://127.0.0.1:1/' failed; also http://h/.",
            ProxyRoute.Scrub("The proxy tunnel request to proxy 'http://bob:pw@127.0.0.1:1/' failed; also http://x@h/."));
    }

    [Fact]
    public void Scrubbed_KeepsAnExceptionWithoutUserInfo_AndReplacesOneWithIt()
    {
        var clean = new HttpRequestException("Connection refused (127.0.0.1:1)", new SocketException((int)SocketError.ConnectionRefused));
        var leaking = new HttpRequestException("outer", new IOException("The proxy tunnel request to proxy 'http://bob:pw-9f3c@127.0.0.1:1/' failed."));

        Assert.Same(clean, ProxyRoute.Scrubbed(clean));
        Exception scrubbed = ProxyRoute.Scrubbed(leaking);
        Assert.DoesNotContain("pw-9f3c", scrubbed.ToString());
        Assert.Contains("http://127.0.0.1:1/", scrubbed.Message);
    }

    [Fact]
    public void IsProxyAuthenticationRequired_ReadsATunnelsStatus()
    {
        Assert.True(ProxyRoute.IsProxyAuthenticationRequired(new HttpRequestException("tunnel", null, HttpStatusCode.ProxyAuthenticationRequired)));
        Assert.True(ProxyRoute.IsProxyAuthenticationRequired(new IOException("outer", new HttpRequestException("tunnel", null, HttpStatusCode.ProxyAuthenticationRequired))));
        Assert.False(ProxyRoute.IsProxyAuthenticationRequired(new HttpRequestException("tunnel", null, HttpStatusCode.BadGateway)));
        Assert.False(ProxyRoute.IsProxyAuthenticationRequired(new HttpRequestException("no status")));
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, true)]
    [InlineData(SocketError.HostNotFound, true)]
    [InlineData(SocketError.TimedOut, true)]
    [InlineData(SocketError.ConnectionReset, false)]
    public void IsConnectFailure_IsAboutOpeningAConnection_NotLosingOne(SocketError error, bool expected)
    {
        Assert.Equal(expected, ProxyRoute.IsConnectFailure(new HttpRequestException("x", new SocketException((int)error))));
    }
}
