using System;
using TencentIm.Client;

namespace TencentIm.Connections;

/// <summary>
/// A connection to one IM app: its SDKAppID, admin identifier and endpoint, and the means to sign. It shows
/// neither the secret key nor a whole UserSig; <see cref="Dispose"/> wipes the key.
/// </summary>
public sealed class TencentImConnection : IDisposable
{
    internal TencentImConnection(ImRestClient client, TencentImRegion? region)
    {
        Client = client;
        RegionValue = region;
    }

    /// <summary>The app's SDKAppID.</summary>
    public uint SdkAppId => Client.SdkAppId;

    /// <summary>The app admin account that signs the requests.</summary>
    public string Identifier => Client.Identifier;

    /// <summary>The REST API's base URI.</summary>
    public Uri Endpoint => Client.BaseUri;

    /// <summary>
    /// The data centre (China, Singapore, Seoul, Frankfurt, SiliconValley, Jakarta), or null when the endpoint was
    /// given with -Endpoint. Text, so that ConvertTo-Json writes the name.
    /// </summary>
    public string? Region => RegionValue?.ToString();

    /// <summary>The data centre as the enum.</summary>
    internal TencentImRegion? RegionValue { get; }

    /// <summary>
    /// The proxy the endpoint's requests go through: its address (-Proxy), "None" (-NoProxy), the system proxy's
    /// address followed by " (system)", or "System (none for this endpoint)". Never a user name or password.
    /// </summary>
    public string Proxy => Client.Proxy.Description;

    /// <summary>SecretKey (UserSigs signed here and renewed) or UserSig (one pre-signed UserSig).</summary>
    public string AuthenticationMethod => Client.UserSigs.Method;

    /// <summary>When the current UserSig expires (a key-signed one is renewed before then).</summary>
    public DateTimeOffset? UserSigExpiresOn => Client.UserSigs.ExpiresOn;

    /// <summary>True once Disconnect-TencentIm or Dispose has closed the connection.</summary>
    public bool IsClosed => Client.IsClosed;

    internal ImRestClient Client { get; }

    /// <summary>
    /// Cancels the requests in flight (another runspace may be using the connection: its command then stops with
    /// one ConnectionClosed error), closes the HTTP connections and wipes the key.
    /// </summary>
    public void Dispose() => Client.Dispose();

    /// <summary>The app, identifier and endpoint; never a secret.</summary>
    public override string ToString() => $"SDKAppID {SdkAppId} as {Identifier} at {Endpoint}";
}
