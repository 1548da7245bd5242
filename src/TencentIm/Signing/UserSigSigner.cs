using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TencentIm.Signing;

/// <summary>Why a UserSig passes or fails verification, in the order the service checks (docs/service-api.md §2).</summary>
public enum UserSigCheckResult
{
    /// <summary>Well formed, for this app and identifier, not expired, and signed with this key.</summary>
    Valid,

    /// <summary>Not a UserSig: bad base64, bad zlib or bad JSON (service error 70003).</summary>
    Malformed,

    /// <summary>Signed for another SDKAppID (service error 70014).</summary>
    SdkAppIdMismatch,

    /// <summary>Signed for another identifier (service error 70013).</summary>
    IdentifierMismatch,

    /// <summary>Past TLS.time + TLS.expire (service error 70001).</summary>
    Expired,

    /// <summary>The HMAC does not match: signed with another key, or altered (service error 70009).</summary>
    SignatureMismatch,

    /// <summary>
    /// Issued later than the moment it is judged at (TLS.time in the future): the clocks of the signing machine and
    /// this one differ. The official verifiers check only expiry; the service may refuse such a UserSig as invalid
    /// (70003), and how far ahead it tolerates is undocumented. Checked after the identifier, before expiry.
    /// </summary>
    IssuedInFuture,
}

/// <summary>
/// Signs and verifies UserSigs with the TLSSigAPIv2 algorithm of Tencent's official signers (docs/service-api.md §2):
/// HMAC-SHA256 over four lines, a JSON document, zlib, base64 with <c>+/=</c> swapped for <c>*-_</c>.
/// </summary>
public static class UserSigSigner
{
    // Relaxed escaping keeps '+' and '/' of TLS.sig as they are, byte for byte what the official signers write.
    private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Signs a UserSig for <paramref name="identifier"/> in app <paramref name="sdkAppId"/>.</summary>
    /// <param name="key">The app's secret key.</param>
    /// <param name="sdkAppId">The app's SDKAppID.</param>
    /// <param name="identifier">The account to sign for: for REST calls, an app admin.</param>
    /// <param name="issuedAt">The issue time (TLS.time), whole seconds.</param>
    /// <param name="lifetime">How long the UserSig stays valid (TLS.expire), whole seconds, at least one.</param>
    /// <param name="userBuf">An optional user buffer (TLS.userbuf); null for none.</param>
    public static string Sign(SecretKey key, uint sdkAppId, string identifier, DateTimeOffset issuedAt, TimeSpan lifetime, byte[]? userBuf = null)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        if (string.IsNullOrEmpty(identifier))
        {
            throw new ArgumentException("The identifier is empty.", nameof(identifier));
        }

        long expire = (long)lifetime.TotalSeconds;
        if (expire < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A UserSig lifetime is at least one second.");
        }

        long time = issuedAt.ToUnixTimeSeconds();
        string sig = ComputeTlsSig(key, identifier, sdkAppId, time, expire, userBuf);

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("TLS.ver", "2.0");
            writer.WriteString("TLS.identifier", identifier);
            writer.WriteNumber("TLS.sdkappid", sdkAppId);
            writer.WriteNumber("TLS.time", time);
            writer.WriteNumber("TLS.expire", expire);
            if (userBuf != null)
            {
                writer.WriteString("TLS.userbuf", Convert.ToBase64String(userBuf));
            }

            writer.WriteString("TLS.sig", sig);
            writer.WriteEndObject();
        }

        return ToUrlSafe(Convert.ToBase64String(Zlib.Compress(json.ToArray())));
    }

    /// <summary>Decodes a UserSig without checking its signature.</summary>
    /// <exception cref="FormatException">The text is not a TLSSigAPIv2 UserSig; the message says which layer failed.</exception>
    public static UserSigDocument Decode(string userSig)
    {
        if (string.IsNullOrWhiteSpace(userSig))
        {
            throw new FormatException("The UserSig is empty.");
        }

        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(FromUrlSafe(userSig.Trim()));
        }
        catch (FormatException)
        {
            throw new FormatException(WhyNotBase64(userSig.Trim()));
        }

        byte[] json;
        try
        {
            json = Zlib.Decompress(compressed);
        }
        catch (InvalidDataException e)
        {
            // Base64 text cut or extended by a multiple of 4 characters still decodes; its zlib stream does not.
            throw new FormatException($"The UserSig is base64 text, but not of a zlib stream that decompresses ({e.Message.TrimEnd('.')}): it was cut off, altered, or had characters added.");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The UserSig's content is not a JSON object.");
            }

            string version = root.TryGetProperty("TLS.ver", out var ver) && ver.ValueKind == JsonValueKind.String ? ver.GetString()! : "";
            string identifier = RequiredString(root, "TLS.identifier");
            long sdkAppId = RequiredInteger(root, "TLS.sdkappid");
            if (sdkAppId < 0 || sdkAppId > uint.MaxValue)
            {
                throw new FormatException("The UserSig's TLS.sdkappid is out of range.");
            }

            long time = RequiredInteger(root, "TLS.time");
            long expire = RequiredInteger(root, "TLS.expire");
            // Beyond the year 9999 no date can hold it: a crafted UserSig, reported as malformed, not a crash.
            const long MaxUnixSeconds = 253_402_300_799;
            if (time < 0 || expire < 0 || time > MaxUnixSeconds || expire > MaxUnixSeconds - time)
            {
                throw new FormatException("The UserSig's TLS.time or TLS.expire is out of range.");
            }
            string sig = RequiredString(root, "TLS.sig");
            byte[]? userBuf = null;
            if (root.TryGetProperty("TLS.userbuf", out var buf) && buf.ValueKind == JsonValueKind.String)
            {
                userBuf = Convert.FromBase64String(buf.GetString()!);
            }

            return new UserSigDocument(version, identifier, (uint)sdkAppId, time, expire, userBuf, sig);
        }
        catch (JsonException)
        {
            throw new FormatException("The UserSig's content is not valid JSON.");
        }
    }

    /// <summary>
    /// Verifies a UserSig as the service does: decodes it, checks SDKAppID, identifier and expiry, then recomputes
    /// the HMAC from the document's own fields and compares in constant time.
    /// </summary>
    /// <param name="userSig">The UserSig text.</param>
    /// <param name="key">The app's secret key.</param>
    /// <param name="sdkAppId">The SDKAppID the request names.</param>
    /// <param name="identifier">The identifier the request names.</param>
    /// <param name="now">The verifier's clock.</param>
    public static UserSigCheckResult Verify(string userSig, SecretKey key, uint sdkAppId, string identifier, DateTimeOffset now)
    {
        UserSigDocument document;
        try
        {
            document = Decode(userSig);
        }
        catch (FormatException)
        {
            return UserSigCheckResult.Malformed;
        }

        // As the official verifiers: no check of an issue time in the future (see CheckClaims).
        UserSigCheckResult claims = CheckClaims(document, sdkAppId, identifier, now, futureTolerance: null);
        if (claims != UserSigCheckResult.Valid)
        {
            return claims;
        }

        return IsSignatureValid(document, key) ? UserSigCheckResult.Valid : UserSigCheckResult.SignatureMismatch;
    }

    /// <summary>
    /// The checks of a decoded UserSig that need no key, in the service's order: SDKAppID, identifier, issue time,
    /// expiry. The official verifiers (for example
    /// https://github.com/tencentyun/tls-sig-api-v2-golang/blob/master/tencentyun/TLSSigAPI.go, verify) check no
    /// issue time; <paramref name="futureTolerance"/> null does the same.
    /// </summary>
    /// <param name="document">The decoded UserSig.</param>
    /// <param name="sdkAppId">The SDKAppID it must be for; null for any.</param>
    /// <param name="identifier">The identifier it must be for; null for any.</param>
    /// <param name="now">The moment to judge at; valid through the last second of TLS.time + TLS.expire.</param>
    /// <param name="futureTolerance">How far TLS.time may lie after <paramref name="now"/> (whole seconds); null: unchecked.</param>
    internal static UserSigCheckResult CheckClaims(UserSigDocument document, uint? sdkAppId, string? identifier, DateTimeOffset now, TimeSpan? futureTolerance)
    {
        if (sdkAppId != null && document.SdkAppId != sdkAppId.Value)
        {
            return UserSigCheckResult.SdkAppIdMismatch;
        }

        if (identifier != null && !string.Equals(document.Identifier, identifier, StringComparison.Ordinal))
        {
            return UserSigCheckResult.IdentifierMismatch;
        }

        long nowSeconds = now.ToUnixTimeSeconds();
        if (futureTolerance != null && document.Time - nowSeconds > (long)futureTolerance.Value.TotalSeconds)
        {
            return UserSigCheckResult.IssuedInFuture;
        }

        return nowSeconds > document.Time + document.Expire ? UserSigCheckResult.Expired : UserSigCheckResult.Valid;
    }

    /// <summary>Whether the document's TLS.sig is the HMAC of its own fields under <paramref name="key"/>.</summary>
    public static bool IsSignatureValid(UserSigDocument document, SecretKey key)
    {
        string expected = ComputeTlsSig(key, document.Identifier, document.SdkAppId, document.Time, document.Expire, document.UserBuf);
        return FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(document.Signature));
    }

    /// <summary>TLS.sig: base64 of HMAC-SHA256 over the four (or five) content lines, each ending in '\n'.</summary>
    internal static string ComputeTlsSig(SecretKey key, string identifier, uint sdkAppId, long time, long expire, byte[]? userBuf)
    {
        var content = new StringBuilder()
            .Append("TLS.identifier:").Append(identifier).Append('\n')
            .Append("TLS.sdkappid:").Append(sdkAppId.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("TLS.time:").Append(time.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("TLS.expire:").Append(expire.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (userBuf != null)
        {
            content.Append("TLS.userbuf:").Append(Convert.ToBase64String(userBuf)).Append('\n');
        }

        return Convert.ToBase64String(key.ComputeHmacSha256(Encoding.UTF8.GetBytes(content.ToString())));
    }

    internal static string ToUrlSafe(string base64) => base64.Replace('+', '*').Replace('/', '-').Replace('=', '_');

    /// <summary>
    /// Why <paramref name="text"/> (trimmed) did not decode as base64: a character outside the alphabet (by its
    /// position), else a length that base64 never has or padding before the end, which is what a UserSig cut off or
    /// with characters added looks like. Standard base64's '+', '/' and '=' are accepted as the service's decoder
    /// would (FromUrlSafe keeps them), and white space is skipped as Convert.FromBase64String skips it.
    /// </summary>
    private static string WhyNotBase64(string text)
    {
        int length = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            bool inAlphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '*' || c == '-' || c == '_' || c == '+' || c == '/' || c == '=';
            if (!inAlphabet)
            {
                return $"The UserSig has a character outside the UserSig alphabet (letters, digits, '*', '-', '_') at position {i + 1}.";
            }

            length++;
        }

        return length % 4 != 0
            ? $"The UserSig is {length} characters long, and base64 text is always a multiple of 4 characters long: it was cut off, or characters were added to it."
            : "The UserSig has padding ('_') before its end, where base64 text has none: it was cut off, or characters were added to it.";
    }

    internal static string FromUrlSafe(string userSig) => userSig.Replace('*', '+').Replace('-', '/').Replace('_', '=');

    private static bool FixedTimeEquals(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        int diff = 0;
        for (int i = 0; i < a.Length; i++)
        {
            diff |= a[i] ^ b[i];
        }

        return diff == 0;
    }

    private static string RequiredString(JsonElement root, string name)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        throw new FormatException($"The UserSig has no {name} text field.");
    }

    // The official signers write numbers; some community signers write numeric strings. Accept both.
    private static long RequiredInteger(JsonElement root, string name)
    {
        if (root.TryGetProperty(name, out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number))
            {
                return number;
            }

            if (value.ValueKind == JsonValueKind.String
                && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }
        }

        throw new FormatException($"The UserSig has no {name} integer field.");
    }
}
