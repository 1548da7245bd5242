using System;
using System.IO;
using System.Linq;
using System.Security;
using System.Text;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Signing;

public class UserSigSignerTests
{
    [Theory]
    [MemberData(nameof(UserSigVector.All), MemberType = typeof(UserSigVector))]
    public void ComputeTlsSig_MatchesTheOfficialSigner(UserSigVector v)
    {
        using var key = SecretKey.FromString(v.SecretKey);
        Assert.Equal(v.TlsSig, UserSigSigner.ComputeTlsSig(key, v.Identifier, v.SdkAppId, v.Time, v.Expire, null));
    }

    [Theory]
    [MemberData(nameof(UserSigVector.All), MemberType = typeof(UserSigVector))]
    public void Sign_ProducesADocumentWithTheOfficialSignersFields(UserSigVector v)
    {
        using var key = SecretKey.FromString(v.SecretKey);
        string userSig = UserSigSigner.Sign(key, v.SdkAppId, v.Identifier, DateTimeOffset.FromUnixTimeSeconds(v.Time), TimeSpan.FromSeconds(v.Expire));

        Assert.StartsWith("eJ", userSig);
        UserSigDocument document = UserSigSigner.Decode(userSig);
        Assert.Equal("2.0", document.Version);
        Assert.Equal(v.Identifier, document.Identifier);
        Assert.Equal(v.SdkAppId, document.SdkAppId);
        Assert.Equal(v.Time, document.Time);
        Assert.Equal(v.Expire, document.Expire);
        Assert.Equal(v.TlsSig, document.Signature);
    }

    [Theory]
    [MemberData(nameof(UserSigVector.All), MemberType = typeof(UserSigVector))]
    public void Decode_ReadsTheOfficialSignersUserSig(UserSigVector v)
    {
        UserSigDocument document = UserSigSigner.Decode(v.UserSig);

        Assert.Equal(v.Identifier, document.Identifier);
        Assert.Equal(v.SdkAppId, document.SdkAppId);
        Assert.Equal(v.Time, document.Time);
        Assert.Equal(v.Expire, document.Expire);
        Assert.Equal(v.TlsSig, document.Signature);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(v.Time + v.Expire), document.ExpiresOn);
    }

    [Theory]
    [MemberData(nameof(UserSigVector.All), MemberType = typeof(UserSigVector))]
    public void Verify_AcceptsTheOfficialSignersUserSigWithinItsLifetime(UserSigVector v)
    {
        using var key = SecretKey.FromString(v.SecretKey);
        var now = DateTimeOffset.FromUnixTimeSeconds(v.Time + v.Expire);
        Assert.Equal(UserSigCheckResult.Valid, UserSigSigner.Verify(v.UserSig, key, v.SdkAppId, v.Identifier, now));
    }

    [Fact]
    public void SignThenVerify_RoundTripsWithAUserBuf()
    {
        using var key = SecretKey.FromString("round-trip-key");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        byte[] userBuf = Encoding.UTF8.GetBytes("room:42");
        string userSig = UserSigSigner.Sign(key, 1400000001, "administrator", now, TimeSpan.FromHours(1), userBuf);

        Assert.Equal(UserSigCheckResult.Valid, UserSigSigner.Verify(userSig, key, 1400000001, "administrator", now.AddMinutes(59)));
        Assert.Equal(userBuf, UserSigSigner.Decode(userSig).UserBuf);
    }

    [Fact]
    public void Verify_RejectsATamperedSignature()
    {
        var v = (UserSigVector)UserSigVector.All().First()[0];
        using var key = SecretKey.FromString(v.SecretKey);
        // Re-sign the same document with one character of TLS.sig changed: a well-formed UserSig with a wrong HMAC.
        string tamperedSig = (v.TlsSig[0] == 'A' ? "B" : "A") + v.TlsSig.Substring(1);
        string json = $"{{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"{v.Identifier}\",\"TLS.sdkappid\":{v.SdkAppId},\"TLS.time\":{v.Time},\"TLS.expire\":{v.Expire},\"TLS.sig\":\"{tamperedSig}\"}}";
        string tampered = UserSigSigner.ToUrlSafe(Convert.ToBase64String(Zlib.Compress(Encoding.UTF8.GetBytes(json))));

        var now = DateTimeOffset.FromUnixTimeSeconds(v.Time + 1);
        Assert.Equal(UserSigCheckResult.SignatureMismatch, UserSigSigner.Verify(tampered, key, v.SdkAppId, v.Identifier, now));
    }

    [Fact]
    public void Verify_RejectsAUserSigWithAFlippedByteAsMalformed()
    {
        var v = (UserSigVector)UserSigVector.All().First()[0];
        using var key = SecretKey.FromString(v.SecretKey);
        char[] chars = v.UserSig.ToCharArray();
        chars[20] = chars[20] == 'a' ? 'b' : 'a';

        var now = DateTimeOffset.FromUnixTimeSeconds(v.Time + 1);
        Assert.NotEqual(UserSigCheckResult.Valid, UserSigSigner.Verify(new string(chars), key, v.SdkAppId, v.Identifier, now));
    }

    [Fact]
    public void Verify_RejectsAWrongKey()
    {
        var v = (UserSigVector)UserSigVector.All().First()[0];
        using var wrongKey = SecretKey.FromString(v.SecretKey + "x");
        var now = DateTimeOffset.FromUnixTimeSeconds(v.Time + 1);
        Assert.Equal(UserSigCheckResult.SignatureMismatch, UserSigSigner.Verify(v.UserSig, wrongKey, v.SdkAppId, v.Identifier, now));
    }

    [Fact]
    public void Verify_RejectsAnExpiredUserSig()
    {
        var v = (UserSigVector)UserSigVector.All().First()[0];
        using var key = SecretKey.FromString(v.SecretKey);
        var justAfter = DateTimeOffset.FromUnixTimeSeconds(v.Time + v.Expire + 1);
        Assert.Equal(UserSigCheckResult.Expired, UserSigSigner.Verify(v.UserSig, key, v.SdkAppId, v.Identifier, justAfter));
    }

    [Fact]
    public void Verify_RejectsAnotherAppOrIdentifier()
    {
        var v = (UserSigVector)UserSigVector.All().First()[0];
        using var key = SecretKey.FromString(v.SecretKey);
        var now = DateTimeOffset.FromUnixTimeSeconds(v.Time + 1);
        Assert.Equal(UserSigCheckResult.SdkAppIdMismatch, UserSigSigner.Verify(v.UserSig, key, v.SdkAppId + 1, v.Identifier, now));
        Assert.Equal(UserSigCheckResult.IdentifierMismatch, UserSigSigner.Verify(v.UserSig, key, v.SdkAppId, v.Identifier + "x", now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a usersig")]
    [InlineData("eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7")]
    public void Decode_RejectsTextThatIsNotAUserSig(string text)
    {
        Assert.Throws<FormatException>(() => UserSigSigner.Decode(text));
    }

    [Theory]
    [InlineData(9_000_000_000_000, 60)]
    [InlineData(1_700_000_000, long.MaxValue)]
    [InlineData(-1, 60)]
    public void Decode_ReportsATimeOrLifetimeNoDateCanHoldAsMalformed(long time, long expire)
    {
        string json = $"{{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"a\",\"TLS.sdkappid\":1,\"TLS.time\":{time},\"TLS.expire\":{expire},\"TLS.sig\":\"x\"}}";
        string userSig = UserSigSigner.ToUrlSafe(Convert.ToBase64String(Zlib.Compress(Encoding.UTF8.GetBytes(json))));

        Assert.Throws<FormatException>(() => UserSigSigner.Decode(userSig));
        using var key = SecretKey.FromString("k");
        Assert.Equal(UserSigCheckResult.Malformed, UserSigSigner.Verify(userSig, key, 1, "a", DateTimeOffset.UtcNow));
    }

    [Fact]
    public void SecretKey_FromSecureString_TrimsAndSignsLikeTheString()
    {
        var v = (UserSigVector)UserSigVector.All().First()[0];
        using var secure = new SecureString();
        foreach (char c in v.SecretKey + "\n")
        {
            secure.AppendChar(c);
        }

        using var key = SecretKey.FromSecureString(secure);
        Assert.Equal(v.TlsSig, UserSigSigner.ComputeTlsSig(key, v.Identifier, v.SdkAppId, v.Time, v.Expire, null));
        Assert.DoesNotContain(v.SecretKey, key.ToString());
    }

    [Fact]
    public void SecretKey_Dispose_WipesTheKeySoItCanNoLongerSign()
    {
        var key = SecretKey.FromString("wipe-me");
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => UserSigSigner.ComputeTlsSig(key, "a", 1, 1, 1, null));
    }

    [Fact]
    public void Zlib_RejectsACorruptChecksum()
    {
        byte[] packed = Zlib.Compress(Encoding.UTF8.GetBytes("hello, zlib"));
        packed[^1] ^= 0xFF;
        Assert.Throws<InvalidDataException>(() => Zlib.Decompress(packed));
    }

    [Fact]
    public void Adler32_MatchesTheRfc1950ReferenceValue()
    {
        // Adler-32 of "Wikipedia" is 0x11E60398 (the RFC 1950 worked example, as quoted everywhere).
        Assert.Equal(0x11E60398u, Zlib.Adler32(Encoding.ASCII.GetBytes("Wikipedia")));
    }

    [Fact]
    public void Verify_DoesNotJudgeAnIssueTimeInTheFuture_AsTheOfficialVerifiers_ButCheckClaimsCanWithATolerance()
    {
        using var key = SecretKey.FromString("k");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        string userSig = UserSigSigner.Sign(key, 1400000001, "administrator", now.AddHours(3), TimeSpan.FromDays(1));
        UserSigDocument document = UserSigSigner.Decode(userSig);

        Assert.Equal(UserSigCheckResult.Valid, UserSigSigner.Verify(userSig, key, 1400000001, "administrator", now));
        Assert.Equal(UserSigCheckResult.IssuedInFuture, UserSigSigner.CheckClaims(document, null, null, now, TimeSpan.Zero));
        Assert.Equal(UserSigCheckResult.IssuedInFuture, UserSigSigner.CheckClaims(document, null, null, now.AddHours(3).AddSeconds(-61), TimeSpan.FromMinutes(1)));
        Assert.Equal(UserSigCheckResult.Valid, UserSigSigner.CheckClaims(document, null, null, now.AddHours(3).AddSeconds(-60), TimeSpan.FromMinutes(1)));
        Assert.Equal(UserSigCheckResult.Valid, UserSigSigner.CheckClaims(document, null, null, now.AddHours(3), TimeSpan.Zero));
    }

    private static string ValidUserSig()
    {
        using var key = SecretKey.FromString("decode-reasons-key");
        return UserSigSigner.Sign(key, 1400000001, "administrator", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), TimeSpan.FromDays(1));
    }

    public static TheoryData<string, string> CutOffOrExtended()
    {
        string valid = ValidUserSig();
        return new TheoryData<string, string>
        {
            { valid[..^5], "5 characters cut off" },
            { valid[..^1], "1 character cut off" },
            { valid + "x", "'x' appended" },
            { valid + "xy", "'xy' appended" },
            { valid[..^2] + "_x", "padding then 'x'" },
        };
    }

    /// <summary>Every character is in the alphabet: the fault is the length or the padding, and the message says so.</summary>
    [Theory]
    [MemberData(nameof(CutOffOrExtended))]
    public void Decode_OfAUserSigCutOffOrExtended_BlamesTheLengthOrPadding_NotTheAlphabet(string userSig, string what)
    {
        var e = Assert.Throws<FormatException>(() => UserSigSigner.Decode(userSig));

        Assert.True(!e.Message.Contains("alphabet") && e.Message.Contains("cut off, or characters were added to it"), $"{what}: {e.Message}");
    }

    [Fact]
    public void Decode_OfAUserSigCutOffByAMultipleOf4_SaysItWasCutOffOrAltered()
    {
        string valid = ValidUserSig();
        string cut = valid[..(valid.TrimEnd('_').Length / 4 * 4 - 8)];

        var e = Assert.Throws<FormatException>(() => UserSigSigner.Decode(cut));

        Assert.DoesNotContain("alphabet", e.Message);
        Assert.Contains("cut off, altered, or had characters added", e.Message);
    }

    [Theory]
    [InlineData('.', 10)]
    [InlineData('%', 1)]
    [InlineData('\u00e9', 30)]
    public void Decode_OfAUserSigWithACharacterOutsideTheAlphabet_NamesItsPosition(char bad, int position)
    {
        string valid = ValidUserSig();
        string userSig = valid[..(position - 1)] + bad + valid[position..];

        var e = Assert.Throws<FormatException>(() => UserSigSigner.Decode(userSig));

        Assert.Contains($"outside the UserSig alphabet (letters, digits, '*', '-', '_') at position {position}", e.Message);
    }
}
