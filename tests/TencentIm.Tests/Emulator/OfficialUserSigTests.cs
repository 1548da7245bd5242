using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using TencentIm.Emulator;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>UserSigs made by Tencent's official signer, accepted by the emulator with its clock pinned to their issue time.</summary>
public class OfficialUserSigTests
{
    private const string CheckBody = """{"CheckItem":[{"UserID":"alice"}]}""";

    private static UserSigVector AdministratorVector =>
        UserSigVector.All().Select(v => (UserSigVector)v[0]).Single(v => v.SdkAppId == 1400000001 && v.Identifier == "administrator");

    private static EmulatorOptions OptionsFor(UserSigVector v, long now) => new EmulatorOptions
    {
        SdkAppId = v.SdkAppId,
        SecretKey = v.SecretKey,
        Admins = { v.Identifier },
        Accounts = { "alice" },
        TimeProvider = new PinnedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(now)),
    };

    [Theory]
    [MemberData(nameof(UserSigVector.All), MemberType = typeof(UserSigVector))]
    public async Task OfficialUserSig_IsAcceptedWithTheClockPinnedToItsIssueTime(UserSigVector v)
    {
        await using var client = await EmulatorTestClient.StartAsync(OptionsFor(v, v.Time));

        ImAnswer answer = await client.PostAsync("account_check", CheckBody, client.ValidQuery(v.Identifier, v.UserSig));

        Assert.Equal("OK", answer.ActionStatus);
        Assert.Equal("Imported", answer.Json.GetProperty("ResultItem")[0].GetProperty("AccountStatus").GetString());
    }

    [Fact]
    public async Task OfficialUserSig_IsAcceptedInItsLastSecond()
    {
        UserSigVector v = AdministratorVector;
        await using var client = await EmulatorTestClient.StartAsync(OptionsFor(v, v.Time + v.Expire));

        ImAnswer answer = await client.PostAsync("account_check", CheckBody, client.ValidQuery(v.Identifier, v.UserSig));

        Assert.Equal(0, answer.ErrorCode);
    }

    [Fact]
    public async Task OfficialUserSig_OneSecondAfterItsLifetime_Answers70001()
    {
        UserSigVector v = AdministratorVector;
        await using var client = await EmulatorTestClient.StartAsync(OptionsFor(v, v.Time + v.Expire + 1));

        ImAnswer answer = await client.PostAsync("account_check", CheckBody, client.ValidQuery(v.Identifier, v.UserSig));

        Assert.Equal(70001, answer.ErrorCode);
    }

    [Fact]
    public async Task OfficialUserSigWithItsLifetimeExtended_Answers70009()
    {
        // A forger who inflates the document, changes TLS.expire and packs it again keeps a well-formed UserSig, but
        // the HMAC covers TLS.expire.
        UserSigVector v = AdministratorVector;
        JsonNode document = JsonNode.Parse(Zlib.Decompress(Convert.FromBase64String(UserSigSigner.FromUrlSafe(v.UserSig))))!;
        document["TLS.expire"] = v.Expire * 365;
        string tampered = UserSigSigner.ToUrlSafe(Convert.ToBase64String(Zlib.Compress(Encoding.UTF8.GetBytes(document.ToJsonString()))));
        await using var client = await EmulatorTestClient.StartAsync(OptionsFor(v, v.Time));

        ImAnswer answer = await client.PostAsync("account_check", CheckBody, client.ValidQuery(v.Identifier, tampered));

        Assert.Equal("FAIL", answer.ActionStatus);
        Assert.Equal(70009, answer.ErrorCode);
    }

    [Fact]
    public async Task OfficialUserSigWithOneCharacterChanged_Answers70003()
    {
        UserSigVector v = AdministratorVector;
        char[] chars = v.UserSig.ToCharArray();
        chars[40] = chars[40] == 'A' ? 'B' : 'A';
        await using var client = await EmulatorTestClient.StartAsync(OptionsFor(v, v.Time));

        ImAnswer answer = await client.PostAsync("account_check", CheckBody, client.ValidQuery(v.Identifier, new string(chars)));

        Assert.Equal(70003, answer.ErrorCode);
    }
}
