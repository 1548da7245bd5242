using System;
using System.Collections.Generic;
using System.Management.Automation;
using TencentIm.Engine;

namespace TencentIm.Signing;

/// <summary>A fault found in a UserSig before any request: the ErrorId and category the service's answer has.</summary>
internal sealed class UserSigFault
{
    public UserSigFault(UserSigCheckResult result, string message, UserSigDocument? document)
    {
        // "UserSig" + the check: UserSigMalformed, UserSigSdkAppIdMismatch, UserSigIdentifierMismatch,
        // UserSigIssuedInFuture, UserSigExpired; the ErrorIds of ServiceErrorCatalog where the service has one.
        ErrorId = "UserSig" + result;
        Message = message;
        Document = document;
    }

    public string ErrorId { get; }

    /// <summary>AuthenticationError, as ServiceErrorCatalog gives the service's UserSig errors: one fault, one category.</summary>
    public ErrorCategory Category => ErrorCategory.AuthenticationError;

    public string Message { get; }

    /// <summary>The decoded UserSig (no signature in it), as the error's target; null when it did not decode.</summary>
    public UserSigDocument? Document { get; }
}

/// <summary>What Connect-TencentIm -UserSig found: a fault that stops it, or warnings to write.</summary>
internal sealed class PresignedUserSigVerdict
{
    public PresignedUserSigVerdict(UserSigDocument? document, UserSigFault? fault, IReadOnlyList<string> warnings)
    {
        Document = document;
        Fault = fault;
        Warnings = warnings;
    }

    public UserSigDocument? Document { get; }

    public UserSigFault? Fault { get; }

    public IReadOnlyList<string> Warnings { get; }
}

/// <summary>The local checks of a UserSig, and the words for what they find.</summary>
internal static class UserSigChecks
{
    /// <summary>
    /// How far a pre-signed UserSig's issue time may lie ahead of this machine's clock before Connect-TencentIm
    /// refuses it. The official verifiers check only expiry, and the service's own tolerance is undocumented
    /// (README.md, "Choices where the sources disagree"). A minute is far more than the drift of clocks kept by NTP
    /// and the second lost to whole-second issue times, so a UserSig signed moments ago elsewhere is never refused
    /// here for that; a larger gap is a clock to fix, and saying so beats the service's 70003, which speaks of
    /// decoding. Within the minute Connect-TencentIm only warns.
    /// </summary>
    public static readonly TimeSpan PresignedFutureTolerance = TimeSpan.FromMinutes(1);

    /// <summary>A pre-signed UserSig with less than this left gets a warning: calls fail soon after connecting.</summary>
    public static readonly TimeSpan PresignedExpiryWarning = TimeSpan.FromHours(1);

    /// <summary>What to do about a UserSig issued in the future.</summary>
    public const string ClockSkewFix =
        "Sync the clocks of both machines with NTP (Windows: w32tm /resync; Linux: chronyc makestep, or timedatectl set-ntp true), then sign it again.";

    /// <summary>
    /// Checks a UserSig given to Connect-TencentIm -UserSig against the app and identifier it connects with, at
    /// <paramref name="now"/>, as the service would (a 70003, 70013, 70014 or 70001 before any request).
    /// </summary>
    public static PresignedUserSigVerdict CheckPresigned(string userSig, uint sdkAppId, string identifier, DateTimeOffset now)
    {
        UserSigDocument document;
        try
        {
            document = UserSigSigner.Decode(userSig);
        }
        catch (FormatException e)
        {
            return Stop(null, UserSigCheckResult.Malformed,
                $"-UserSig: this is not a TLSSigAPIv2 UserSig. {e.Message} Copy the whole UserSig (it starts with 'eJ'), or sign a new one.");
        }

        TimeSpan ahead = SecondsAhead(document, now);
        switch (UserSigSigner.CheckClaims(document, sdkAppId, identifier, now, PresignedFutureTolerance))
        {
            case UserSigCheckResult.SdkAppIdMismatch:
                return Stop(document, UserSigCheckResult.SdkAppIdMismatch,
                    $"-UserSig was signed for SDKAppID {document.SdkAppId}, not {sdkAppId}. Sign it for the app you connect to.");
            case UserSigCheckResult.IdentifierMismatch:
                return Stop(document, UserSigCheckResult.IdentifierMismatch,
                    $"-UserSig was signed for identifier '{document.Identifier}', not '{identifier}'. Pass -Identifier '{document.Identifier}' or sign it for '{identifier}'.");
            case UserSigCheckResult.IssuedInFuture:
                return Stop(document, UserSigCheckResult.IssuedInFuture,
                    $"-UserSig was issued at {document.IssuedOn:u}, {Durations.Describe(ahead)} ahead of this machine's clock ({now:u}), more than the {Durations.Describe(PresignedFutureTolerance)} allowed for clock skew. The clocks of this machine and of the machine that signed it differ, and the service may refuse a UserSig from the future as invalid (70003). {ClockSkewFix}");
            case UserSigCheckResult.Expired:
                return Stop(document, UserSigCheckResult.Expired,
                    $"-UserSig expired at {document.ExpiresOn:u}, {Durations.Describe(now - document.ExpiresOn)} ago. Sign a new one, or connect with -SecretKey.");
        }

        var warnings = new List<string>();
        // One second ahead is what whole-second issue times make of clocks a fraction of a second apart.
        if (ahead > TimeSpan.FromSeconds(1))
        {
            warnings.Add($"-UserSig was issued {Durations.Describe(ahead)} ahead of this machine's clock: the clocks of this machine and of the machine that signed it differ. If the service refuses it as invalid (70003), that is why. {ClockSkewFix}");
        }

        TimeSpan left = document.ExpiresOn - now;
        if (left < PresignedExpiryWarning)
        {
            warnings.Add($"-UserSig expires at {document.ExpiresOn:u}, in {Durations.Describe(left)}; calls after that fail. Sign one with a longer lifetime, or connect with -SecretKey.");
        }

        return new PresignedUserSigVerdict(document, null, warnings);
    }

    /// <summary>How far the issue time lies after <paramref name="at"/>, in whole seconds as TLS.time counts; zero or less when not.</summary>
    public static TimeSpan SecondsAhead(UserSigDocument document, DateTimeOffset at) =>
        TimeSpan.FromSeconds(document.Time - at.ToUnixTimeSeconds());

    private static PresignedUserSigVerdict Stop(UserSigDocument? document, UserSigCheckResult result, string message) =>
        new PresignedUserSigVerdict(document, new UserSigFault(result, message, document), Array.Empty<string>());
}
