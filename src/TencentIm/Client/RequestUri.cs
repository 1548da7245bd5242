using System;
using System.Globalization;
using System.Text;

namespace TencentIm.Client;

/// <summary>Builds REST request URIs (docs/service-api.md §1) and their redacted form for logs.</summary>
internal static class RequestUri
{
    public static Uri Build(Uri baseUri, string api, uint sdkAppId, string identifier, string userSig, uint random) =>
        new Uri(Compose(baseUri, api, sdkAppId, identifier, userSig, random));

    /// <summary>The same URI with the UserSig replaced, for -Debug output and error messages.</summary>
    public static string Redacted(Uri baseUri, string api, uint sdkAppId, string identifier, uint random) =>
        Compose(baseUri, api, sdkAppId, identifier, "<redacted>", random);

    private static string Compose(Uri baseUri, string api, uint sdkAppId, string identifier, string userSig, uint random) =>
        new StringBuilder(baseUri.AbsoluteUri.Length + api.Length + userSig.Length + 96)
            .Append(baseUri.AbsoluteUri).Append("v4/").Append(api)
            .Append("?sdkappid=").Append(sdkAppId.ToString(CultureInfo.InvariantCulture))
            .Append("&identifier=").Append(Uri.EscapeDataString(identifier))
            .Append("&usersig=").Append(Uri.EscapeDataString(userSig))
            .Append("&random=").Append(random.ToString(CultureInfo.InvariantCulture))
            .Append("&contenttype=json")
            .ToString();
}
