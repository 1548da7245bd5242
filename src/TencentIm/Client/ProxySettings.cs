using System;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Runtime.InteropServices;

namespace TencentIm.Client;

/// <summary>Where a connection's proxy comes from.</summary>
internal enum ProxyMode
{
    /// <summary>The system proxy (the default): what HttpClientHandler uses when given none.</summary>
    System,

    /// <summary>No proxy at all (-NoProxy).</summary>
    None,

    /// <summary>The proxy given with -Proxy.</summary>
    Explicit,
}

/// <summary>A reason a -Proxy address cannot be used: the ErrorId, a message and a target, none with a password.</summary>
internal sealed class ProxyProblem
{
    public ProxyProblem(string errorId, string message, string? target = null)
    {
        ErrorId = errorId;
        Message = message;
        Target = target;
    }

    public string ErrorId { get; }

    public string Message { get; }

    /// <summary>The proxy's address without user info, when it has a host to show.</summary>
    public string? Target { get; }
}

/// <summary>
/// The proxy settings of a connection, as Connect-TencentIm was given them (-Proxy, -ProxyCredential,
/// -ProxyUseDefaultCredentials, -NoProxy, or none: the system proxy). <see cref="ProxyRoute"/> applies them to an endpoint.
/// </summary>
internal sealed class ProxySettings
{
    // .NET (Core) 3.0 and later: the proxy HttpClientHandler uses when given none (HTTPS_PROXY, HTTP_PROXY and
    // NO_PROXY on Linux and macOS, the system settings on Windows); https://learn.microsoft.com/dotnet/api/system.net.http.httpclient.defaultproxy
    // It is not in netstandard2.0, hence the reflection; on .NET Framework, HttpWebRequest uses WebRequest.DefaultWebProxy.
    private static readonly PropertyInfo? DefaultProxyProperty = typeof(HttpClient).GetProperty("DefaultProxy", BindingFlags.Public | BindingFlags.Static);

    private ProxySettings(ProxyMode mode, Uri? address, NetworkCredential? credential, bool useDefaultCredentials, Func<IWebProxy?>? systemProxy)
    {
        Mode = mode;
        Address = address;
        Credential = credential;
        UseDefaultCredentials = useDefaultCredentials;
        SystemProxySource = systemProxy ?? CurrentSystemProxy;
    }

    /// <summary>Requests go directly, never through a proxy.</summary>
    public static ProxySettings None { get; } = new ProxySettings(ProxyMode.None, null, null, false, null);

    public ProxyMode Mode { get; }

    /// <summary>The -Proxy address (scheme, host and port only), for <see cref="ProxyMode.Explicit"/>.</summary>
    public Uri? Address { get; }

    /// <summary>The -ProxyCredential, or null.</summary>
    public NetworkCredential? Credential { get; }

    /// <summary>-ProxyUseDefaultCredentials: the credentials of the account this runs as.</summary>
    public bool UseDefaultCredentials { get; }

    /// <summary>Where the system proxy is read from (tests give their own; the process's is process-wide).</summary>
    public Func<IWebProxy?> SystemProxySource { get; }

    /// <summary>
    /// https, socks4, socks4a and socks5 proxies need .NET 8 or later (PowerShell 7.4+): SOCKS came in .NET 6 and
    /// https proxies in .NET 8 (https://github.com/dotnet/runtime/pull/87638); .NET 7 would even send around an
    /// https proxy without a word (https://github.com/dotnet/runtime/issues/102441). .NET Framework has http only.
    /// Environment.Version is 4.0.x on .NET Framework and .NET Core 2.x, the real version from .NET Core 3.0 on.
    /// </summary>
    public static bool RuntimeSupportsOtherSchemes => Environment.Version.Major >= 8;

    /// <summary>The system proxy (the default).</summary>
    public static ProxySettings System(Func<IWebProxy?>? systemProxy = null) => new ProxySettings(ProxyMode.System, null, null, false, systemProxy);

    /// <summary>The proxy at <paramref name="address"/>, which <see cref="Check"/> accepted.</summary>
    public static ProxySettings Explicit(Uri address, NetworkCredential? credential, bool useDefaultCredentials) =>
        new ProxySettings(ProxyMode.Explicit, new Uri(Show(address)), credential, useDefaultCredentials, null);

    /// <summary>What HttpClientHandler would use when given no proxy.</summary>
    public static IWebProxy? CurrentSystemProxy() =>
        DefaultProxyProperty != null ? (IWebProxy?)DefaultProxyProperty.GetValue(null) : WebRequest.DefaultWebProxy;

    /// <summary>A proxy's address as it may be shown: scheme, host and port, never a user name or password.</summary>
    public static string Show(Uri proxy) => proxy.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + "/";

    /// <summary>Null if <paramref name="address"/> can be the proxy for <paramref name="endpoint"/>; else why not.</summary>
    public static ProxyProblem? Check(Uri address, Uri endpoint, bool otherSchemesSupported)
    {
        if (!address.IsAbsoluteUri)
        {
            return new ProxyProblem("InvalidProxy",
                "-Proxy is not an absolute URI. Give the proxy's scheme, host and port, such as http://proxy.example.com:8080/.");
        }

        if (!string.IsNullOrEmpty(address.UserInfo))
        {
            return new ProxyProblem("ProxyAddressHasCredentials",
                $"-Proxy carries a user name and password in its address. Pass the address alone ({Show(address)}) and the credentials with -ProxyCredential, which keeps the password out of the command line and the connection.",
                Show(address));
        }

        string scheme = address.Scheme.ToLowerInvariant();
        bool other = scheme == "https" || scheme == "socks4" || scheme == "socks4a" || scheme == "socks5";
        if (scheme != "http" && !(other && otherSchemesSupported))
        {
            string message = other
                ? $"-Proxy: {scheme} proxies need PowerShell 7.4 or later (.NET 8 or later); this session runs {RuntimeInformation.FrameworkDescription}. Give the proxy's http:// address, such as http://proxy.example.com:8080/."
                : otherSchemesSupported
                    ? $"-Proxy: '{scheme}' is not a proxy scheme (an address without one reads as host:port). Give an http://, https://, socks4://, socks4a:// or socks5:// address, such as http://proxy.example.com:8080/."
                    : $"-Proxy: '{scheme}' is not a proxy scheme (an address without one reads as host:port). Give an http:// address, such as http://proxy.example.com:8080/.";
            return new ProxyProblem("ProxySchemeNotSupported", message);
        }

        // http:// endpoints are allowed for loopback hosts only, because the UserSig travels in the query string
        // (ServiceEndpoints.Normalize); a proxy elsewhere would see it, and could not reach this machine's loopback.
        if (endpoint.Scheme == Uri.UriSchemeHttp && !address.IsLoopback)
        {
            return new ProxyProblem("ProxyNotLocalForHttpEndpoint",
                $"-Proxy {Show(address)} is not on this machine, and the http endpoint {endpoint.GetLeftPart(UriPartial.Authority)} sends the UserSig in clear. Use a proxy on this machine (127.0.0.1 or localhost), or -NoProxy.",
                Show(address));
        }

        return null;
    }
}
