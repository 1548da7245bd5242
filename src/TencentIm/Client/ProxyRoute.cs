using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace TencentIm.Client;

/// <summary>
/// How one endpoint's requests travel: directly or through which proxy, what HttpClientHandler is given for that,
/// and how to say so (the connection's Proxy property, -Verbose, errors) without ever showing a password.
/// </summary>
internal sealed class ProxyRoute
{
    private const string SystemSettings = "the system proxy settings (HTTPS_PROXY, HTTP_PROXY and NO_PROXY on Linux and macOS, the proxy settings on Windows)";

    // user:password@ after a scheme: .NET keeps HTTPS_PROXY's user info in the proxy's address and in some messages.
    private static readonly Regex UserInfo = new Regex(@"(?<=://)[^/\s@'""]+@", RegexOptions.CultureInvariant);

    private ProxyRoute(ProxySettings settings, Uri endpoint, Uri? via, IWebProxy? handlerProxy, string description, string verbose)
    {
        Settings = settings;
        Endpoint = endpoint;
        Via = via;
        HandlerProxy = handlerProxy;
        Description = description;
        VerboseLine = verbose;
    }

    public ProxySettings Settings { get; }

    public Uri Endpoint { get; }

    /// <summary>The proxy the requests go to (scheme, host and port only), or null when they go directly.</summary>
    public Uri? Via { get; }

    /// <summary>What HttpClientHandler.Proxy gets; null means UseProxy = false.</summary>
    public IWebProxy? HandlerProxy { get; }

    /// <summary>
    /// The connection's Proxy property: the proxy's address; "None" (-NoProxy); the system proxy's address
    /// followed by " (system)"; or "System (none for this endpoint)".
    /// </summary>
    public string Description { get; }

    /// <summary>The -Verbose line of Connect-TencentIm: the proxy, where it comes from, and the user name it signs in as.</summary>
    public string VerboseLine { get; }

    /// <summary>What a 407 answer means here, as a clause.</summary>
    public string AuthenticationProblem
    {
        get
        {
            const string Status = "HTTP 407 Proxy Authentication Required";
            string who = Settings.Mode == ProxyMode.System ? "the system proxy" : "the proxy";
            if (Via == null)
            {
                return $"a proxy between here and {Endpoint.Host} answered {Status}";
            }

            if (Settings.Credential != null)
            {
                return $"{who} {Via} refused the credentials of '{UserName(Settings.Credential)}' ({Status})";
            }

            return Settings.UseDefaultCredentials || HandlerProxy?.Credentials != null
                ? $"{who} {Via} refused the credentials it was given ({Status})"
                : $"{who} {Via} asks for credentials ({Status})";
        }
    }

    /// <summary>What to do about a 407 answer.</summary>
    public string AuthenticationFix => Settings.Mode switch
    {
        ProxyMode.Explicit when Settings.Credential != null => "Check -ProxyCredential, then connect again.",
        ProxyMode.Explicit when Settings.UseDefaultCredentials => "Pass the proxy's user name and password with -ProxyCredential instead, then connect again.",
        ProxyMode.Explicit => "Pass the proxy's user name and password with -ProxyCredential (or -ProxyUseDefaultCredentials to sign in as the current user), then connect again.",
        _ when Via != null => $"Pass -Proxy {Via} with -ProxyCredential (or -ProxyUseDefaultCredentials to sign in as the current user), then connect again.",
        _ => "Pass the proxy's address with -Proxy and its user name and password with -ProxyCredential, then connect again.",
    };

    /// <summary>What to do when the proxy cannot be reached.</summary>
    public string UnreachableFix => Settings.Mode == ProxyMode.Explicit
        ? "Check the host and port given with -Proxy and that the proxy runs, or pass -NoProxy to go directly."
        : $"Check {SystemSettings}, or pass -Proxy with another proxy, or -NoProxy to go directly.";

    /// <summary>Applies <paramref name="settings"/> to <paramref name="endpoint"/>.</summary>
    public static ProxyRoute Resolve(ProxySettings settings, Uri endpoint)
    {
        switch (settings.Mode)
        {
            case ProxyMode.None:
                return new ProxyRoute(settings, endpoint, null, null, "None", "Proxy: none (-NoProxy).");

            case ProxyMode.Explicit:
                Uri address = settings.Address!;
                // A proxy given explicitly is used for every host, loopback ones too (as Invoke-RestMethod -Proxy does).
                var proxy = new WebProxy(address) { BypassProxyOnLocal = false };
                string signIn;
                if (settings.UseDefaultCredentials)
                {
                    proxy.UseDefaultCredentials = true;
                    signIn = "signing in as the current user (-ProxyUseDefaultCredentials)";
                }
                else if (settings.Credential != null)
                {
                    proxy.Credentials = settings.Credential;
                    signIn = $"signing in as '{UserName(settings.Credential)}' (-ProxyCredential)";
                }
                else
                {
                    signIn = "without credentials";
                }

                return new ProxyRoute(settings, endpoint, address, proxy, address.AbsoluteUri, $"Proxy: {address} (-Proxy), {signIn}.");

            default:
                return ResolveSystem(settings, endpoint);
        }
    }

    /// <summary>Removes user:password@ from every URI in <paramref name="text"/>.</summary>
    public static string Scrub(string text) => UserInfo.Replace(text, "");

    /// <summary>
    /// <paramref name="e"/>, or a copy with the messages only when one of them shows a proxy's user info (the
    /// system proxy's address may carry it); an ErrorRecord keeps the exception, so it must hold no password.
    /// </summary>
    public static Exception Scrubbed(Exception e) => Scrubbed(e, Scrub);

    /// <summary>
    /// <paramref name="e"/>, or a copy with the messages only when <paramref name="scrub"/> changes one of them: an
    /// ErrorRecord keeps the exception, so it must hold nothing that <paramref name="scrub"/> takes out.
    /// </summary>
    public static Exception Scrubbed(Exception e, Func<string, string> scrub)
    {
        var messages = new StringBuilder();
        for (Exception? x = e; x != null; x = x.InnerException)
        {
            messages.Append(x.Message).Append('\n');
        }

        string all = messages.ToString();
        return scrub(all) == all ? e : new HttpRequestException(scrub(all.TrimEnd('\n').Replace("\n", " ")));
    }

    /// <summary>Whether <paramref name="e"/> says that a proxy asked for credentials (HTTP 407), as a tunnel's failure does.</summary>
    public static bool IsProxyAuthenticationRequired(Exception e)
    {
        for (Exception? x = e; x != null; x = x.InnerException)
        {
            // HttpRequestException.StatusCode is .NET 5 and later (not in netstandard2.0); .NET Framework reports a WebException.
            if (x is HttpRequestException && x.GetType().GetProperty("StatusCode")?.GetValue(x) is HttpStatusCode status && status == HttpStatusCode.ProxyAuthenticationRequired)
            {
                return true;
            }

            if (x is WebException web && web.Response is HttpWebResponse response && response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="e"/> is a failure to open a connection (refused, no such host, no route, timed out).</summary>
    public static bool IsConnectFailure(Exception e)
    {
        for (Exception? x = e; x != null; x = x.InnerException)
        {
            if (x is SocketException socket)
            {
                switch (socket.SocketErrorCode)
                {
                    case SocketError.ConnectionRefused:
                    case SocketError.HostNotFound:
                    case SocketError.HostUnreachable:
                    case SocketError.NetworkUnreachable:
                    case SocketError.TryAgain:
                    case SocketError.NoData:
                    case SocketError.TimedOut:
                        return true;
                }
            }

            if (x is WebException web && (web.Status == WebExceptionStatus.ConnectFailure || web.Status == WebExceptionStatus.NameResolutionFailure
                || web.Status == WebExceptionStatus.ProxyNameResolutionFailure))
            {
                return true;
            }
        }

        return false;
    }

    private static ProxyRoute ResolveSystem(ProxySettings settings, Uri endpoint)
    {
        IWebProxy? system = settings.SystemProxySource();
        Uri? via = null;
        if (system != null && !system.IsBypassed(endpoint))
        {
            Uri? proxy = system.GetProxy(endpoint);
            // GetProxy answers the endpoint itself (WebProxy) or null (the environment's proxy) for "no proxy".
            if (proxy != null && proxy.IsAbsoluteUri && Uri.Compare(proxy, endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                via = new Uri(ProxySettings.Show(proxy));
            }
        }

        const string Direct = "System (none for this endpoint)";
        if (via == null)
        {
            return new ProxyRoute(settings, endpoint, null, null, Direct, $"Proxy: none: {SystemSettings} send this endpoint's requests directly.");
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !via.IsLoopback)
        {
            // The http endpoint is a loopback one, whose requests carry the UserSig in clear (ServiceEndpoints.Normalize).
            return new ProxyRoute(settings, endpoint, null, null, Direct,
                $"Proxy: none: the system proxy {via} is not on this machine and is not used for the http endpoint {endpoint.GetLeftPart(UriPartial.Authority)}, whose requests carry the UserSig in clear.");
        }

        return new ProxyRoute(settings, endpoint, via, system, $"{via} (system)",
            $"Proxy: {via}, the system proxy for this endpoint (pass -Proxy to use another, -NoProxy to go directly).");
    }

    private static string UserName(NetworkCredential credential) =>
        string.IsNullOrEmpty(credential.Domain) ? credential.UserName : credential.Domain + "\\" + credential.UserName;
}
