using System;

namespace TencentIm.Signing;

/// <summary>What Test-TencentImUserSig found in a UserSig, and whether and why the service would reject it.</summary>
public sealed class UserSigReport
{
    internal UserSigReport(UserSigDocument? document, UserSigCheckResult result, bool? signatureValid, string explanation)
    {
        UserID = document?.Identifier;
        SdkAppId = document?.SdkAppId;
        IssuedOn = document?.IssuedOn;
        ExpiresOn = document?.ExpiresOn;
        Lifetime = document == null ? (TimeSpan?)null : TimeSpan.FromSeconds(document.Expire);
        Check = result;
        SignatureValid = signatureValid;
        Explanation = explanation;
    }

    /// <summary>True when the service would accept it for the expected app and identifier.</summary>
    public bool IsValid => Check == UserSigCheckResult.Valid && SignatureValid != false;

    /// <summary>
    /// The first reason the service would reject it, or Valid: a name of <see cref="UserSigCheckResult"/>, as text so
    /// that ConvertTo-Json writes the name.
    /// </summary>
    public string Result => Check.ToString();

    /// <summary>The error code the service would answer: 0 when valid.</summary>
    public int ServiceErrorCode => Check switch
    {
        UserSigCheckResult.Malformed => 70003,
        UserSigCheckResult.SdkAppIdMismatch => 70014,
        UserSigCheckResult.IdentifierMismatch => 70013,
        UserSigCheckResult.Expired => 70001,
        UserSigCheckResult.SignatureMismatch => 70009,
        UserSigCheckResult.IssuedInFuture => 70003,
        _ => 0,
    };

    /// <summary>The account (UserID) it was signed for: TLS.identifier.</summary>
    public string? UserID { get; }

    /// <summary>The app it was signed for (TLS.sdkappid).</summary>
    public uint? SdkAppId { get; }

    /// <summary>When it was signed (TLS.time).</summary>
    public DateTimeOffset? IssuedOn { get; }

    /// <summary>When it expires (TLS.time + TLS.expire).</summary>
    public DateTimeOffset? ExpiresOn { get; }

    /// <summary>Its lifetime (TLS.expire).</summary>
    public TimeSpan? Lifetime { get; }

    /// <summary>Whether the HMAC matches the given key; null when no key was given.</summary>
    public bool? SignatureValid { get; }

    /// <summary>Why, in a sentence, with what to do.</summary>
    public string Explanation { get; }

    /// <summary>The first reason the service would reject it, or Valid, as the enum.</summary>
    internal UserSigCheckResult Check { get; }

    /// <summary>The verdict and the explanation.</summary>
    public override string ToString() => $"{Result}: {Explanation}";
}
