using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using TencentIm.Signing;

namespace TencentIm.Emulator;

/// <summary>A request's verdict at the gate: 0 to let it through, else the error code and a detail for ErrorInfo.</summary>
internal readonly record struct GateVerdict(int ErrorCode, string? Detail)
{
    public static GateVerdict Pass => default;

    public bool Passed => ErrorCode == 0;
}

/// <summary>
/// The query-string and UserSig checks the service makes before it looks at the body, in its order (docs/service-api.md §1,
/// §4): SDKAppID, the other parameters, the UserSig, then whether the identifier is an app admin.
/// </summary>
internal sealed class ImRequestGate
{
    // Verifying a UserSig means base64, inflate, JSON and an HMAC: too much to repeat thousands of times a second for
    // the same few UserSigs. A UserSig that verified once stays valid except for expiry, which is rechecked every time.
    private const int MaxCachedUserSigs = 4096;

    private readonly uint _sdkAppId;
    private readonly SecretKey _key;
    private readonly HashSet<uint> _foreignSdkAppIds;
    private readonly HashSet<string> _admins;
    private readonly EmulatorClock _clock;
    private readonly SessionStore? _sessions;
    private readonly ConcurrentDictionary<(string Identifier, string UserSig), (long ExpiresAt, long IssuedAt)> _verified =
        new ConcurrentDictionary<(string Identifier, string UserSig), (long ExpiresAt, long IssuedAt)>();

    /// <param name="sessions">Whose UserSigs a kick revoked; null when nothing is ever kicked.</param>
    public ImRequestGate(uint sdkAppId, SecretKey key, IEnumerable<uint> foreignSdkAppIds, IEnumerable<string> admins, EmulatorClock clock, SessionStore? sessions = null)
    {
        _sessions = sessions;
        _sdkAppId = sdkAppId;
        _key = key;
        _foreignSdkAppIds = new HashSet<uint>(foreignSdkAppIds);
        _admins = new HashSet<string>(admins, StringComparer.Ordinal);
        _clock = clock;
    }

    /// <summary>Checks the query string ("?a=b&amp;c=d", or empty). Names and values are case-sensitive.</summary>
    public GateVerdict Check(string? queryString)
    {
        string? sdkAppIdText = null, identifier = null, userSig = null, random = null, contentType = null;
        ReadQuery(queryString, ref sdkAppIdText, ref identifier, ref userSig, ref random, ref contentType);

        if (string.IsNullOrEmpty(sdkAppIdText))
        {
            return new GateVerdict(ServiceErrors.SdkAppIdMissing, null);
        }

        if (!uint.TryParse(sdkAppIdText, NumberStyles.None, CultureInfo.InvariantCulture, out uint sdkAppId))
        {
            return new GateVerdict(ServiceErrors.InvalidSdkAppId, "sdkappid must be a 32-bit unsigned number");
        }

        if (_foreignSdkAppIds.Contains(sdkAppId))
        {
            return new GateVerdict(ServiceErrors.WrongDataCentre, null);
        }

        if (sdkAppId != _sdkAppId)
        {
            return new GateVerdict(ServiceErrors.SdkAppIdNotFound, null);
        }

        if (string.IsNullOrEmpty(identifier))
        {
            return new GateVerdict(ServiceErrors.HttpParseError, "identifier is missing");
        }

        if (string.IsNullOrEmpty(userSig))
        {
            return new GateVerdict(ServiceErrors.HttpParseError, "usersig is missing");
        }

        if (!uint.TryParse(random, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return new GateVerdict(ServiceErrors.HttpParseError, "random must be a 32-bit unsigned number (0..4294967295)");
        }

        if (!string.Equals(contentType, "json", StringComparison.Ordinal))
        {
            return new GateVerdict(ServiceErrors.HttpParseError, "contenttype must be json");
        }

        int userSigError = CheckUserSig(userSig, identifier);
        if (userSigError != 0)
        {
            return new GateVerdict(userSigError, null);
        }

        return _admins.Contains(identifier) ? GateVerdict.Pass : new GateVerdict(ServiceErrors.AdminRequired, null);
    }

    private int CheckUserSig(string userSig, string identifier)
    {
        DateTimeOffset now = _clock.UtcNow;
        if (!_verified.TryGetValue((identifier, userSig), out var verified))
        {
            UserSigCheckResult result = UserSigSigner.Verify(userSig, _key, _sdkAppId, identifier, now);
            if (result != UserSigCheckResult.Valid)
            {
                return ErrorFor(result);
            }

            if (_verified.Count >= MaxCachedUserSigs)
            {
                _verified.Clear();
            }

            UserSigDocument document = UserSigSigner.Decode(userSig);
            verified = (document.Time + document.Expire, document.Time);
            _verified[(identifier, userSig)] = verified;
        }

        // The same comparison as UserSigSigner.Verify: valid through its last second.
        if (now.ToUnixTimeSeconds() > verified.ExpiresAt)
        {
            return ServiceErrors.UserSigExpired;
        }

        // A kick makes "all previous UserSig values for that user expire"
        // (https://www.tencentcloud.com/document/product/1047/34957); no page names the code, so it is the expiry's.
        return _sessions != null && _sessions.IsRevoked(identifier, verified.IssuedAt) ? ServiceErrors.UserSigExpired : 0;
    }

    private static int ErrorFor(UserSigCheckResult result) => result switch
    {
        UserSigCheckResult.Malformed => ServiceErrors.UserSigMalformed,
        UserSigCheckResult.SdkAppIdMismatch => ServiceErrors.UserSigSdkAppIdMismatch,
        UserSigCheckResult.IdentifierMismatch => ServiceErrors.UserSigIdentifierMismatch,
        UserSigCheckResult.Expired => ServiceErrors.UserSigExpired,
        _ => ServiceErrors.UserSigSignatureMismatch,
    };

    // The first occurrence of each name wins. Request.Query would do, but it matches names case-insensitively and
    // the service does not.
    private static void ReadQuery(string? query, ref string? sdkAppId, ref string? identifier, ref string? userSig, ref string? random, ref string? contentType)
    {
        if (string.IsNullOrEmpty(query))
        {
            return;
        }

        int start = query[0] == '?' ? 1 : 0;
        while (start < query.Length)
        {
            int end = query.IndexOf('&', start);
            if (end < 0)
            {
                end = query.Length;
            }

            int equals = query.IndexOf('=', start, end - start);
            if (equals > start)
            {
                ReadOnlySpan<char> name = query.AsSpan(start, equals - start);
                string value = WebUtility.UrlDecode(query.Substring(equals + 1, end - equals - 1));
                if (name.SequenceEqual("sdkappid")) sdkAppId ??= value;
                else if (name.SequenceEqual("identifier")) identifier ??= value;
                else if (name.SequenceEqual("usersig")) userSig ??= value;
                else if (name.SequenceEqual("random")) random ??= value;
                else if (name.SequenceEqual("contenttype")) contentType ??= value;
            }

            start = end + 1;
        }
    }
}
