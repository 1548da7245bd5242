using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using Xunit;

namespace TencentIm.Tests.Client;

/// <summary>
/// A server that echoes the request URL (a misconfigured proxy, a gateway, a fake endpoint) never gets the UserSig
/// into what the client hands on: every text read from an answer has the request's UserSig replaced, whether it came
/// URL-encoded, decoded or JSON-escaped.
/// </summary>
public class ResponseRedactionTests
{
    private const string Key = "response-redaction-key";

    private static void AssertNoUserSig(string text, IEnumerable<string> userSigs)
    {
        foreach (string userSig in userSigs)
        {
            Assert.True(userSig.Length > 32, "the endpoint saw a UserSig");
            foreach (string form in EchoingEndpoint.FormsOf(userSig))
            {
                Assert.DoesNotContain(form, text, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(EchoingEndpoint.Echo.ErrorInfo)]
    [InlineData(EchoingEndpoint.Echo.NotFoundHtml)]
    [InlineData(EchoingEndpoint.Echo.PlainText)]
    public async Task AFailedAnswerThatEchoesTheUrl_LeavesNoUserSigInTheErrorOrTheTrace(EchoingEndpoint.Echo echo)
    {
        await using EchoingEndpoint endpoint = await EchoingEndpoint.StartAsync(echo);
        using ImRestClient client = TestClients.New(endpoint.BaseUri, Key, TestClients.FastRetries(1));
        var attempts = new AttemptQueue();

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, attempts, CancellationToken.None));

        List<RequestAttempt> traces = attempts.Drain().ToList();
        Assert.NotEmpty(traces);
        string text = string.Join("\n", new[] { e.ToString(), e.Summary, e.ErrorInfo ?? "", e.Answer?.GetRawText() ?? "" }
            .Concat(traces.SelectMany(t => new[] { t.ToVerboseLine(), t.ToDebugText() })));
        AssertNoUserSig(text, endpoint.UserSigs);
        Assert.Contains("<redacted>", string.Join("\n", traces.Select(t => t.ResponseBody)));
    }

    [Fact]
    public async Task ASuccessfulAnswerThatEchoesTheUrl_ReturnsNoUserSigAsData()
    {
        await using EchoingEndpoint endpoint = await EchoingEndpoint.StartAsync(EchoingEndpoint.Echo.SuccessfulAnswer);
        using ImRestClient client = TestClients.New(endpoint.BaseUri, Key, TestClients.FastRetries(1));
        var attempts = new AttemptQueue();

        using JsonDocument answer = await client.PostAsync("im_open_login_svc/account_check", "{}"u8.ToArray(), 1, attempts, CancellationToken.None);

        string text = answer.RootElement.GetRawText() + "\n" + string.Join("\n", attempts.Drain().Select(t => t.ToDebugText()));
        AssertNoUserSig(text, endpoint.UserSigs);
        Assert.Contains("<redacted>", answer.RootElement.GetProperty("Echo").GetString());
    }

    [Theory]
    [InlineData("abc*DEF-ghi_JKL", "x abc*DEF-ghi_JKL y", "x <redacted> y")]
    [InlineData("abc*DEF-ghi_JKL", "usersig=abc%2ADEF-ghi_JKL&random=1", "usersig=<redacted>&random=1")]
    [InlineData("abc*DEF-ghi_JKL", "usersig=abc%2aDEF%2Dghi%5FJKL", "usersig=<redacted>")]
    [InlineData("abc*DEF-ghi_JKL", "usersig=abc%252ADEF-ghi_JKL", "usersig=<redacted>")]
    [InlineData("abc*DEF-ghi_JKL", "\"abc\\u002aDEF-ghi_JKL\"", "\"<redacted>\"")]
    [InlineData("abc*DEF-ghi_JKL", "abc*DEF-ghi_JK and abc*DEF", "abc*DEF-ghi_JK and abc*DEF")]
    [InlineData("abc*DEF-ghi_JKL", "aabc*DEF-ghi_JKLabc*DEF-ghi_JKL", "a<redacted><redacted>")]
    public void Redact_ReplacesEveryEncodedFormOfTheUserSig_AndNothingElse(string userSig, string text, string expected)
    {
        Assert.Equal(expected, ResponseRedaction.Redact(text, userSig));
    }

    [Fact]
    public void Redact_OfBytes_KeepsTheBytesWhenNothingMatches_AndNonAsciiBytesAsTheyWere()
    {
        byte[] body = { 0xEF, 0xBB, 0xBF, (byte)'{', 0xC3, 0xA9, 0xFF, (byte)'}' };

        Assert.Same(body, ResponseRedaction.Redact(body, "abc*DEF-ghi_JKL"));

        byte[] echoed = body.Concat("abc%2ADEF-ghi_JKL"u8.ToArray()).ToArray();
        Assert.Equal(body.Concat("<redacted>"u8.ToArray()).ToArray(), ResponseRedaction.Redact(echoed, "abc*DEF-ghi_JKL"));
    }
}
