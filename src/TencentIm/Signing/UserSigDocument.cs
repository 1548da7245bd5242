using System;

namespace TencentIm.Signing;

/// <summary>
/// The decoded content of a UserSig (TLSSigAPIv2): for whom and which app it was signed, and when it expires.
/// It shows no signature: the HMAC together with these fields is the credential.
/// </summary>
public sealed class UserSigDocument
{
    /// <summary>The format version, "2.0" for TLSSigAPIv2.</summary>
    public string Version { get; }

    /// <summary>The account the UserSig was signed for (for REST calls: the app admin).</summary>
    public string Identifier { get; }

    /// <summary>The SDKAppID the UserSig was signed for.</summary>
    public uint SdkAppId { get; }

    /// <summary>Issue time, Unix seconds (TLS.time).</summary>
    public long Time { get; }

    /// <summary>Lifetime in seconds from <see cref="Time"/> (TLS.expire).</summary>
    public long Expire { get; }

    /// <summary>The optional user buffer (TLS.userbuf), or null.</summary>
    public byte[]? UserBuf { get; }

    /// <summary>When the UserSig was issued.</summary>
    public DateTimeOffset IssuedOn => DateTimeOffset.FromUnixTimeSeconds(Time);

    /// <summary>When the service starts rejecting it (error 70001).</summary>
    public DateTimeOffset ExpiresOn => DateTimeOffset.FromUnixTimeSeconds(Time + Expire);

    /// <summary>The TLS.sig field: base64 of the HMAC-SHA256. Internal, so that it never reaches output.</summary>
    internal string Signature { get; }

    internal UserSigDocument(string version, string identifier, uint sdkAppId, long time, long expire, byte[]? userBuf, string signature)
    {
        Version = version;
        Identifier = identifier;
        SdkAppId = sdkAppId;
        Time = time;
        Expire = expire;
        UserBuf = userBuf;
        Signature = signature;
    }

    /// <summary>A one-line summary without the signature.</summary>
    public override string ToString() =>
        $"UserSig for '{Identifier}' in SDKAppID {SdkAppId}, valid {IssuedOn:u} to {ExpiresOn:u}";
}
