using System;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Client;

/// <summary>How a request's failure at a proxy is told apart from the endpoint's, and that a 407 is never retried.</summary>
public class ImRestClientProxyTests
{
    private static readonly Uri Endpoint = new("https://adminapisgp.im.qcloud.com/");

    /// <summary>Fails every request the same way and counts them.</summary>
    private sealed class FailingHandler : HttpMessageHandler
    {
        private readonly Func<HttpResponseMessage> _fail;

        public FailingHandler(Func<HttpResponseMessage> fail) => _fail = fail;

        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(_fail());
        }
    }

    private static async Task<(TencentImRequestException Error, int Requests)> FailAsync(ProxySettings proxy, Func<HttpResponseMessage> fail)
    {
        var handler = new FailingHandler(fail);
        var settings = new ClientSettings { MaxAttempts = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(2), Proxy = proxy };
        using var client = new ImRestClient(Endpoint, 1400000001, "administrator",
            new SigningUserSigSource(SecretKey.FromString("k"), 1400000001, "administrator", TimeSpan.FromHours(1), SystemClock.Instance), settings, handler);
        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));
        return (e, handler.Requests);
    }

    private static readonly ProxySettings Explicit = ProxySettings.Explicit(new Uri("http://proxy.example:3128/"), null, false);

    [Fact]
    public async Task Http407_IsAConfigurationError_NamingTheProxy_NeverRetried()
    {
        var (e, requests) = await FailAsync(Explicit, () => new HttpResponseMessage(HttpStatusCode.ProxyAuthenticationRequired));

        Assert.Equal(1, requests);
        Assert.Equal(RequestFailureKind.ProxyAuthenticationRequired, e.Kind);
        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
        Assert.Equal(ErrorCategory.AuthenticationError, e.Category);
        Assert.Contains("the proxy http://proxy.example:3128/ asks for credentials", e.Message);
        Assert.Contains("-ProxyCredential", e.Message);
    }

    [Fact]
    public async Task TunnelRefusedWith407_IsTheSameError()
    {
        var (e, requests) = await FailAsync(Explicit, () => throw new HttpRequestException(
            "The proxy tunnel request to proxy 'http://proxy.example:3128/' failed with status code '407'.", null, HttpStatusCode.ProxyAuthenticationRequired));

        Assert.Equal(1, requests);
        Assert.Equal(RequestFailureKind.ProxyAuthenticationRequired, e.Kind);
    }

    [Fact]
    public async Task Http407_WithoutAKnownProxy_SaysAProxyOnTheWayAsked()
    {
        var (e, _) = await FailAsync(ProxySettings.None, () => new HttpResponseMessage(HttpStatusCode.ProxyAuthenticationRequired));

        Assert.Equal(RequestFailureKind.ProxyAuthenticationRequired, e.Kind);
        Assert.Contains("a proxy between here and adminapisgp.im.qcloud.com", e.Message);
        Assert.Contains("-Proxy", e.Message);
    }

    [Fact]
    public async Task RefusedConnection_ThroughAProxy_IsTheProxyUnreachable_AndRetried()
    {
        var (e, requests) = await FailAsync(Explicit, () => throw new HttpRequestException("Connection refused (proxy.example:3128)", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.Equal(3, requests);
        Assert.Equal(RequestFailureKind.ProxyUnreachable, e.Kind);
        Assert.Equal(ErrorCategory.ConnectionError, e.Category);
        Assert.Contains("could not reach the proxy http://proxy.example:3128/ on the way to https://adminapisgp.im.qcloud.com", e.Message);
    }

    [Fact]
    public async Task RefusedConnection_Directly_IsTheEndpointUnreachable()
    {
        var (e, _) = await FailAsync(ProxySettings.None, () => throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.Equal(RequestFailureKind.Unreachable, e.Kind);
        Assert.Contains("could not reach https://adminapisgp.im.qcloud.com:", e.Message);
    }

    [Fact]
    public async Task AFailureThatShowsTheSystemProxysPassword_IsReportedWithoutIt()
    {
        var system = new WebProxy("http://proxy.example:3128/");
        var (e, _) = await FailAsync(ProxySettings.System(() => system), () => throw new HttpRequestException(
            "The proxy tunnel request to proxy 'http://bob:pw-9f3c@proxy.example:3128/' failed with status code '502'."));

        Assert.Equal(RequestFailureKind.Unreachable, e.Kind);
        Assert.Contains("through the proxy http://proxy.example:3128/", e.Message);
        Assert.DoesNotContain("pw-9f3c", e.ToString());
    }
}
