using System;

namespace TencentIm.Client;

/// <summary>Maps regions to the REST API's base URIs and checks endpoints given by hand.</summary>
public static class ServiceEndpoints
{
    /// <summary>
    /// Reads exactly one region name, ignoring case. Stricter than Enum.TryParse, which would OR "Singapore,Seoul"
    /// into a third region or take a number.
    /// </summary>
    public static bool TryParseRegion(string? text, out TencentImRegion region)
    {
        string name = text?.Trim() ?? "";
        foreach (TencentImRegion candidate in (TencentImRegion[])Enum.GetValues(typeof(TencentImRegion)))
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                region = candidate;
                return true;
            }
        }

        region = default;
        return false;
    }

    /// <summary>The region names, for messages.</summary>
    public static string RegionNames => string.Join(", ", Enum.GetNames(typeof(TencentImRegion)));

    /// <summary>The base URI of a region's REST API (docs/service-api.md §1; the API page lists the same six).</summary>
    public static Uri ForRegion(TencentImRegion region) => new Uri("https://" + DomainOf(region) + "/");

    private static string DomainOf(TencentImRegion region) => region switch
    {
        TencentImRegion.China => "console.tim.qq.com",
        TencentImRegion.Singapore => "adminapisgp.im.qcloud.com",
        TencentImRegion.Seoul => "adminapikr.im.qcloud.com",
        TencentImRegion.Frankfurt => "adminapiger.im.qcloud.com",
        TencentImRegion.SiliconValley => "adminapiusa.im.qcloud.com",
        TencentImRegion.Jakarta => "adminapiidn.im.qcloud.com",
        _ => throw new ArgumentOutOfRangeException(nameof(region), region, "Unknown region."),
    };

    /// <summary>
    /// Checks a hand-given endpoint: absolute, https, or http only for a loopback host (the emulator), so that a
    /// UserSig never crosses a network in clear text. Returns it with a trailing slash and no query.
    /// </summary>
    /// <exception cref="ArgumentException">The URI is not allowed; the message says why and what to use.</exception>
    public static Uri Normalize(Uri endpoint)
    {
        if (endpoint is null)
        {
            throw new ArgumentNullException(nameof(endpoint));
        }

        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"The endpoint '{endpoint}' is not an absolute URI. Give one like https://adminapisgp.im.qcloud.com/, or use -Region.");
        }

        if (!string.IsNullOrEmpty(endpoint.UserInfo))
        {
            // The service takes no credentials in the URI (the UserSig is its sign-in), and a password here would
            // be dropped silently, or echoed in messages: refuse it, without repeating it.
            throw new ArgumentException(
                $"The endpoint '{WithoutUserInfo(endpoint).GetLeftPart(UriPartial.Authority)}' carries a user name or password before its host; the IM REST API takes none. Remove them; a proxy's credentials go to -ProxyCredential.");
        }

        bool https = endpoint.Scheme == Uri.UriSchemeHttps;
        bool loopbackHttp = endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback;
        if (!https && !loopbackHttp)
        {
            throw new ArgumentException(
                $"The endpoint '{endpoint.GetLeftPart(UriPartial.Authority)}' must use https: the UserSig travels in the query string. " +
                "http:// is accepted only for a loopback host such as the local emulator (127.0.0.1).");
        }

        if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment))
        {
            throw new ArgumentException($"The endpoint must be a base URI without a query or fragment, like {endpoint.GetLeftPart(UriPartial.Path)}.");
        }

        string path = endpoint.AbsolutePath.EndsWith("/", StringComparison.Ordinal) ? endpoint.AbsolutePath : endpoint.AbsolutePath + "/";
        return new UriBuilder(endpoint.Scheme, endpoint.Host, endpoint.Port, path).Uri;
    }

    /// <summary>The URI without a user name or password, fit to show in a message or an error's target.</summary>
    public static Uri WithoutUserInfo(Uri uri) =>
        !uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.UserInfo) ? uri : new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
}
