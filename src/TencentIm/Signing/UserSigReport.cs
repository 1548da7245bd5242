using System;

namespace TencentIm.Signing
{
    /// <summary>What Test-TencentImUserSig found in a UserSig, and whether and why the service would reject it.</summary>
    public sealed class UserSigReport
    {
        internal UserSigReport(UserSigDocument? document, UserSigCheckResult result, bool? signatureValid, string explanation)
        {
            Identifier = document?.Identifier;
            SdkAppId = document?.SdkAppId;
            IssuedOn = document?.IssuedOn;
            ExpiresOn = document?.ExpiresOn;
            Lifetime = document == null ? (TimeSpan?)null : TimeSpan.FromSeconds(document.Expire);
            Result = result;
            SignatureValid = signatureValid;
            Explanation = explanation;
        }

        /// <summary>True when the service would accept it for the expected app and identifier.</summary>
        public bool IsValid => Result == UserSigCheckResult.Valid && SignatureValid != false;

        /// <summary>The first reason the service would reject it, or Valid.</summary>
        public UserSigCheckResult Result { get; }

        /// <summary>The error code the service would answer: 0 when valid.</summary>
        public int ServiceErrorCode => Result switch
        {
            UserSigCheckResult.Malformed => 70003,
            UserSigCheckResult.SdkAppIdMismatch => 70014,
            UserSigCheckResult.IdentifierMismatch => 70013,
            UserSigCheckResult.Expired => 70001,
            UserSigCheckResult.SignatureMismatch => 70009,
            UserSigCheckResult.IssuedInFuture => 70003,
            _ => 0,
        };

        /// <summary>The account it was signed for (TLS.identifier).</summary>
        public string? Identifier { get; }

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

        /// <summary>The verdict and the explanation.</summary>
        public override string ToString() => $"{Result}: {Explanation}";
    }
}
