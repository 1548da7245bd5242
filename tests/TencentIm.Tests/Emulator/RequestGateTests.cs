using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>
/// Every request-level error code, one test per cause, in the order the emulator checks them. Each answer is
/// HTTP 200 with ActionStatus FAIL, as the service gives it (fact sheet §1).
/// </summary>
public class RequestGateTests : IAsyncLifetime
{
    private const string CheckBody = """{"CheckItem":[{"UserID":"alice"}]}""";
    private EmulatorTestClient _client = null!;

    public async Task InitializeAsync() =>
        _client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice" }, ForeignSdkAppIds = { 1400000099 } });

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private string Sig => _client.Sign();

    private static void AssertFailure(ImAnswer answer, int errorCode)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("FAIL", answer.ActionStatus);
        Assert.Equal(errorCode, answer.ErrorCode);
        Assert.False(string.IsNullOrEmpty(answer.ErrorInfo));
    }

    [Fact]
    public async Task MethodNotPost_Answers60002()
    {
        ImAnswer answer = await _client.SendAsync(HttpMethod.Get, "v4/im_open_login_svc/account_check?" + _client.ValidQuery(), null);
        AssertFailure(answer, 60002);
    }

    [Fact]
    public async Task UnknownCommand_Answers60009()
    {
        AssertFailure(await _client.PostAsync("account_chek", CheckBody), 60009);
    }

    [Fact]
    public async Task UnknownService_Answers60009()
    {
        ImAnswer answer = await _client.SendAsync(HttpMethod.Post, "v4/im_open_nope_svc/account_check?" + _client.ValidQuery(), CheckBody);
        AssertFailure(answer, 60009);
    }

    [Fact]
    public async Task CommandInWrongCase_Answers60009()
    {
        AssertFailure(await _client.PostAsync("Account_Check", CheckBody), 60009);
    }

    [Fact]
    public async Task MissingSdkAppId_Answers60012()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"identifier=administrator&usersig={Sig}&random=1&contenttype=json"), 60012);
    }

    [Fact]
    public async Task SdkAppIdParameterNameInWrongCase_Answers60012()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"SdkAppId=1400000001&identifier=administrator&usersig={Sig}&random=1&contenttype=json"), 60012);
    }

    [Fact]
    public async Task NonNumericSdkAppId_Answers60006()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"sdkappid=abc&identifier=administrator&usersig={Sig}&random=1&contenttype=json"), 60006);
    }

    [Fact]
    public async Task SdkAppIdBeyondUInt32_Answers60006()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"sdkappid=4294967296&identifier=administrator&usersig={Sig}&random=1&contenttype=json"), 60006);
    }

    [Fact]
    public async Task SdkAppIdOfAnotherDataCentre_Answers60026()
    {
        ImAnswer answer = await _client.PostAsync("account_check", CheckBody, $"sdkappid=1400000099&identifier=administrator&usersig={Sig}&random=1&contenttype=json");
        AssertFailure(answer, 60026);
        Assert.Equal("domain name or SDKAppID mismatched", answer.ErrorInfo);
    }

    [Fact]
    public async Task UnknownSdkAppId_Answers70020()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"sdkappid=1400000002&identifier=administrator&usersig={Sig}&random=1&contenttype=json"), 70020);
    }

    [Fact]
    public async Task MissingIdentifier_Answers60002()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"sdkappid=1400000001&usersig={Sig}&random=1&contenttype=json"), 60002);
    }

    [Fact]
    public async Task MissingUserSig_Answers60002()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, "sdkappid=1400000001&identifier=administrator&random=1&contenttype=json"), 60002);
    }

    [Fact]
    public async Task MissingRandom_Answers60002()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"sdkappid=1400000001&identifier=administrator&usersig={Sig}&contenttype=json"), 60002);
    }

    [Fact]
    public async Task RandomBeyondUInt32_Answers60002()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"sdkappid=1400000001&identifier=administrator&usersig={Sig}&random=4294967296&contenttype=json"), 60002);
    }

    [Fact]
    public async Task NegativeRandom_Answers60002()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"sdkappid=1400000001&identifier=administrator&usersig={Sig}&random=-1&contenttype=json"), 60002);
    }

    [Fact]
    public async Task MissingContentType_Answers60002()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"sdkappid=1400000001&identifier=administrator&usersig={Sig}&random=1"), 60002);
    }

    [Fact]
    public async Task ContentTypeInUpperCase_Answers60002()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, $"sdkappid=1400000001&identifier=administrator&usersig={Sig}&random=1&contenttype=JSON"), 60002);
    }

    [Fact]
    public async Task MalformedUserSig_Answers70003()
    {
        AssertFailure(await _client.PostAsync("account_check", CheckBody, _client.ValidQuery(userSig: "eJnot-a-usersig")), 70003);
    }

    [Fact]
    public async Task UserSigSignedForAnotherSdkAppId_Answers70014()
    {
        string userSig = _client.Sign(sdkAppId: 1400000002);
        AssertFailure(await _client.PostAsync("account_check", CheckBody, _client.ValidQuery(userSig: userSig)), 70014);
    }

    [Fact]
    public async Task UserSigSignedForAnotherIdentifier_Answers70013()
    {
        string userSig = _client.Sign("ops");
        AssertFailure(await _client.PostAsync("account_check", CheckBody, _client.ValidQuery(userSig: userSig)), 70013);
    }

    [Fact]
    public async Task ExpiredUserSig_Answers70001()
    {
        string userSig = _client.Sign(lifetime: TimeSpan.FromSeconds(60), issuedAt: _client.Emulator.Now.AddSeconds(-61));
        AssertFailure(await _client.PostAsync("account_check", CheckBody, _client.ValidQuery(userSig: userSig)), 70001);
    }

    [Fact]
    public async Task UserSigSignedWithAnotherKey_Answers70009()
    {
        string userSig = _client.Sign(key: "some-other-apps-secret-key");
        AssertFailure(await _client.PostAsync("account_check", CheckBody, _client.ValidQuery(userSig: userSig)), 70009);
    }

    [Fact]
    public async Task IdentifierThatIsNotAnAdmin_Answers70403()
    {
        ImAnswer answer = await _client.PostAsync("account_check", CheckBody, _client.ValidQuery("alice"));
        AssertFailure(answer, 70403);
        Assert.Contains("App admin permissions are required", answer.ErrorInfo);
    }

    [Fact]
    public async Task BodyThatIsNotJson_Answers60003()
    {
        AssertFailure(await _client.PostAsync("account_check", """{"CheckItem":[{"UserID":"alice"}"""), 60003);
    }

    [Fact]
    public async Task BodyThatIsNotAnObject_Answers70402()
    {
        AssertFailure(await _client.PostAsync("account_check", """[{"UserID":"alice"}]"""), 70402);
    }

    [Fact]
    public async Task MissingCheckItem_Answers70402()
    {
        AssertFailure(await _client.PostAsync("account_check", """{"Items":[{"UserID":"alice"}]}"""), 70402);
    }

    [Fact]
    public async Task CheckItemWithoutUserId_Answers70402()
    {
        AssertFailure(await _client.PostAsync("account_check", """{"CheckItem":[{"UserID":"alice"},{"User":"bob"}]}"""), 70402);
    }

    [Fact]
    public async Task CheckItemThatIsNotAnArray_Answers60015()
    {
        AssertFailure(await _client.PostAsync("account_check", """{"CheckItem":{"UserID":"alice"}}"""), 60015);
    }

    [Fact]
    public async Task UserIdThatIsNotAString_Answers60015()
    {
        AssertFailure(await _client.PostAsync("account_check", """{"CheckItem":[{"UserID":7}]}"""), 60015);
    }

    [Fact]
    public async Task EmptyCheckItem_Answers70402()
    {
        AssertFailure(await _client.PostAsync("account_check", """{"CheckItem":[]}"""), 70402);
    }

    [Fact]
    public async Task CheckItemWith101Items_Answers70402()
    {
        ImAnswer answer = await _client.CheckAsync(Enumerable.Range(0, 101).Select(i => "user" + i).ToArray());
        AssertFailure(answer, 70402);
        Assert.False(answer.Json.TryGetProperty("ResultItem", out _));
    }

    [Fact]
    public async Task ValidRequest_PassesTheGate()
    {
        ImAnswer answer = await _client.PostAsync("account_check", CheckBody);
        Assert.Equal("OK", answer.ActionStatus);
        Assert.Equal("Imported", answer.Json.GetProperty("ResultItem")[0].GetProperty("AccountStatus").GetString());
    }
}
