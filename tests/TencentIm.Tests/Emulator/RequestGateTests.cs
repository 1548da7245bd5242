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
/// HTTP 200 with ActionStatus FAIL, as the service gives it (docs/service-api.md §1).
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

    /// <summary>A query string with one thing wrong; "{sig}" stands for a valid UserSig.</summary>
    [Theory]
    [InlineData("no sdkappid", "identifier=administrator&usersig={sig}&random=1&contenttype=json", 60012)]
    [InlineData("sdkappid spelled SdkAppId", "SdkAppId=1400000001&identifier=administrator&usersig={sig}&random=1&contenttype=json", 60012)]
    [InlineData("non-numeric sdkappid", "sdkappid=abc&identifier=administrator&usersig={sig}&random=1&contenttype=json", 60006)]
    [InlineData("sdkappid beyond uint32", "sdkappid=4294967296&identifier=administrator&usersig={sig}&random=1&contenttype=json", 60006)]
    [InlineData("unknown sdkappid", "sdkappid=1400000002&identifier=administrator&usersig={sig}&random=1&contenttype=json", 70020)]
    [InlineData("no identifier", "sdkappid=1400000001&usersig={sig}&random=1&contenttype=json", 60002)]
    [InlineData("no usersig", "sdkappid=1400000001&identifier=administrator&random=1&contenttype=json", 60002)]
    [InlineData("no random", "sdkappid=1400000001&identifier=administrator&usersig={sig}&contenttype=json", 60002)]
    [InlineData("random beyond uint32", "sdkappid=1400000001&identifier=administrator&usersig={sig}&random=4294967296&contenttype=json", 60002)]
    [InlineData("negative random", "sdkappid=1400000001&identifier=administrator&usersig={sig}&random=-1&contenttype=json", 60002)]
    [InlineData("no contenttype", "sdkappid=1400000001&identifier=administrator&usersig={sig}&random=1", 60002)]
    [InlineData("contenttype in upper case", "sdkappid=1400000001&identifier=administrator&usersig={sig}&random=1&contenttype=JSON", 60002)]
    public async Task AQueryWithOneFault_AnswersItsCode(string fault, string query, int errorCode)
    {
        ImAnswer answer = await _client.PostAsync("account_check", CheckBody, query.Replace("{sig}", Sig));

        Assert.True(answer.ErrorCode == errorCode, $"{fault}: expected {errorCode}, got {answer.ErrorCode}");
        AssertFailure(answer, errorCode);
    }

    [Fact]
    public async Task SdkAppIdOfAnotherDataCentre_Answers60026()
    {
        ImAnswer answer = await _client.PostAsync("account_check", CheckBody, $"sdkappid=1400000099&identifier=administrator&usersig={Sig}&random=1&contenttype=json");
        AssertFailure(answer, 60026);
        Assert.Equal("domain name or SDKAppID mismatched", answer.ErrorInfo);
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

    /// <summary>A body with one thing wrong, each answered as a whole-request failure.</summary>
    [Theory]
    [InlineData("not JSON", """{"CheckItem":[{"UserID":"alice"}""", 60003)]
    [InlineData("not an object", """[{"UserID":"alice"}]""", 70402)]
    [InlineData("no CheckItem", """{"Items":[{"UserID":"alice"}]}""", 70402)]
    [InlineData("an item without UserID", """{"CheckItem":[{"UserID":"alice"},{"User":"bob"}]}""", 70402)]
    [InlineData("CheckItem not an array", """{"CheckItem":{"UserID":"alice"}}""", 60015)]
    [InlineData("UserID not a string", """{"CheckItem":[{"UserID":7}]}""", 60015)]
    [InlineData("CheckItem empty", """{"CheckItem":[]}""", 70402)]
    public async Task ABodyWithOneFault_AnswersItsCode(string fault, string body, int errorCode)
    {
        ImAnswer answer = await _client.PostAsync("account_check", body);

        Assert.True(answer.ErrorCode == errorCode, $"{fault}: expected {errorCode}, got {answer.ErrorCode}");
        AssertFailure(answer, errorCode);
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
