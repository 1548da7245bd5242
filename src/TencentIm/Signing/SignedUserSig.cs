using System;
using System.Security;

namespace TencentIm.Signing;

/// <summary>
/// A UserSig made by New-TencentImUserSig. The UserSig itself is a SecureString, so that it does not show in
/// a console, a log or a transcript by accident; New-TencentImUserSig -AsPlainText returns the text instead.
/// </summary>
public sealed class SignedUserSig
{
    internal SignedUserSig(string userId, uint sdkAppId, DateTimeOffset issuedOn, DateTimeOffset expiresOn, SecureString userSig)
    {
        UserID = userId;
        SdkAppId = sdkAppId;
        IssuedOn = issuedOn;
        ExpiresOn = expiresOn;
        UserSig = userSig;
    }

    /// <summary>The account the UserSig signs in (spelled UserID, as the service and AccountCheckResult spell it).</summary>
    public string UserID { get; }

    /// <summary>The app it is valid for.</summary>
    public uint SdkAppId { get; }

    /// <summary>When it was signed (TLS.time).</summary>
    public DateTimeOffset IssuedOn { get; }

    /// <summary>When the service starts rejecting it (70001).</summary>
    public DateTimeOffset ExpiresOn { get; }

    /// <summary>The UserSig, as a SecureString (pass it to Connect-TencentIm -UserSig as it is).</summary>
    public SecureString UserSig { get; }

    /// <summary>For whom and until when; never the UserSig.</summary>
    public override string ToString() => $"UserSig for '{UserID}' in SDKAppID {SdkAppId}, valid until {ExpiresOn:u}";
}
