using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Web;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Client;

public class ImRestClientTests
{
    /// <summary>Answers each request with the next scripted response and records what it was sent.</summary>
    internal sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly ConcurrentQueue<Func<HttpResponseMessage>> _script;

        public ScriptedHandler(params Func<HttpResponseMessage>[] script) => _script = new(script);

        public List<Uri> Requests { get; } = new();

        public List<string> Bodies { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            if (!_script.TryDequeue(out var next))
            {
                throw new InvalidOperationException("More requests than scripted.");
            }

            return next();
        }
    }

    internal static Func<HttpResponseMessage> Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        () => new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    internal static Func<HttpResponseMessage> Error(int code, string info = "err") =>
        Json($"{{\"ActionStatus\":\"FAIL\",\"ErrorCode\":{code},\"ErrorInfo\":\"{info}\"}}");

    private static readonly Func<HttpResponseMessage> OkAnswer =
        Json("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"ResultItem\":[{\"UserID\":\"u1\",\"ResultCode\":0,\"ResultInfo\":\"\",\"AccountStatus\":\"Imported\"}]}");

    internal static ImRestClient NewClient(ScriptedHandler handler, IUserSigSource? sigs = null, int maxAttempts = 4) =>
        new(new Uri("http://127.0.0.1:1/"), 1400000001, "administrator",
            sigs ?? new SigningUserSigSource(SecretKey.FromString("k"), 1400000001, "administrator", TimeSpan.FromHours(1), SystemClock.Instance),
            new ClientSettings { MaxAttempts = maxAttempts, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(2) },
            handler);

    [Fact]
    public async Task CheckAccounts_PostsTheBodyAndReadsTheItems()
    {
        var handler = new ScriptedHandler(OkAnswer);
        using var client = NewClient(handler);

        var items = await new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None);

        Assert.Equal("Imported", Assert.Single(items).AccountStatus);
        Assert.Equal("{\"CheckItem\":[{\"UserID\":\"u1\"}]}", Assert.Single(handler.Bodies));
        Assert.Equal("/v4/im_open_login_svc/account_check", handler.Requests[0].AbsolutePath);
    }

    [Fact]
    public async Task Post_DecidesOnErrorCode_EvenWithoutActionStatus()
    {
        var handler = new ScriptedHandler(Json("{\"ErrorCode\":70403,\"ErrorInfo\":\"not admin\"}"));
        using var client = NewClient(handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal(70403, e.ErrorCode);
        Assert.Equal("not admin", e.ErrorInfo);
        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
        Assert.Contains("70403", e.Message);
        Assert.Contains("not admin", e.Message);
    }

    [Theory]
    [InlineData(70169)]
    [InlineData(70202)]
    [InlineData(70500)]
    [InlineData(60007)]
    public async Task Post_RetriesTransientAndThrottledCodes_WithAFreshRandomEachTime(int code)
    {
        var handler = new ScriptedHandler(Error(code), Error(code), OkAnswer);
        using var client = NewClient(handler);

        var items = await new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None);

        Assert.Single(items);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(3, handler.Requests.Select(u => HttpUtility.ParseQueryString(u.Query)["random"]).Distinct().Count());
    }

    /// <summary>A client on the fake clock of the rate limiter tests: waits take no real time.</summary>
    private static ImRestClient NewClient(ScriptedHandler handler, ClientSettings settings, ITimeSource time) =>
        new(new Uri("http://127.0.0.1:1/"), 1400000001, "administrator",
            new SigningUserSigSource(SecretKey.FromString("k"), 1400000001, "administrator", TimeSpan.FromHours(1), SystemClock.Instance),
            settings, handler, time);

    private static Func<HttpResponseMessage>[] Repeat(Func<HttpResponseMessage> answer, int times) => Enumerable.Repeat(answer, times).ToArray();

    [Fact]
    public async Task Post_60007DoesNotSpendAttempts_TheRequestIsRetriedUntilItIsAnswered()
    {
        // Ten refusals with two attempts allowed: a 60007 proves the request did not run.
        var handler = new ScriptedHandler(Repeat(Error(60007), 10).Append(OkAnswer).ToArray());
        using var client = NewClient(handler, new ClientSettings { MaxAttempts = 2 }, new RateLimiterTests.FakeTime());

        var items = await new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None);

        Assert.Single(items);
        Assert.Equal(11, handler.Requests.Count);
    }

    [Fact]
    public async Task Post_60007_IsRetriedUntilTheRetryTimeLimit_ThenFailsWithIt()
    {
        var handler = new ScriptedHandler(Repeat(Error(60007, "over the limit"), 1000));
        var time = new RateLimiterTests.FakeTime();
        TimeSpan t0 = time.Now;
        using var client = NewClient(handler, new ClientSettings { RetryBudget = TimeSpan.FromSeconds(30) }, time);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal((60007, "over the limit"), (e.ErrorCode, e.ErrorInfo));
        Assert.True(handler.Requests.Count > new ClientSettings().MaxAttempts, $"{handler.Requests.Count} requests");
        // The last retry started within the limit; the answer that ended it came after.
        Assert.InRange(time.Now - t0, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(32));
    }

    [Fact]
    public async Task Post_FaultsSpendAttempts_60007sInBetweenDoNot()
    {
        var handler = new ScriptedHandler(Error(60007), Error(70500, "first"), Error(60007), Error(60007), Error(70500, "second"), OkAnswer);
        using var client = NewClient(handler, new ClientSettings { MaxAttempts = 2 }, new RateLimiterTests.FakeTime());

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal((70500, "second"), (e.ErrorCode, e.ErrorInfo));
        Assert.Equal(5, handler.Requests.Count);
    }

    private sealed class Lines : IRequestObserver
    {
        public List<string> Verbose { get; } = new();

        public void OnAttempt(RequestAttempt attempt) => Verbose.Add(attempt.ToVerboseLine());
    }

    [Fact]
    public async Task Post_VerboseLines_SayA60007WasNotCounted_AndTheNextAttemptKeepsItsNumber()
    {
        var handler = new ScriptedHandler(Error(60007, "over"), Error(70500, "oops"), OkAnswer);
        using var client = NewClient(handler, new ClientSettings(), new RateLimiterTests.FakeTime());
        var lines = new Lines();

        await new AccountCheckOperation(client).SendAsync(new[] { "u1" }, lines, CancellationToken.None);

        Assert.Equal(3, lines.Verbose.Count);
        Assert.Matches(@"^account_check: 1 item\(s\), attempt 1, ErrorCode 60007 \(over\) in \d+ ms; over the frequency limit, so not counted as an attempt; retrying in \d+ ms\.$", lines.Verbose[0]);
        Assert.Matches(@"^account_check: 1 item\(s\), attempt 1, ErrorCode 70500 \(oops\) in \d+ ms; retrying in \d+ ms\.$", lines.Verbose[1]);
        Assert.Matches(@"^account_check: 1 item\(s\), attempt 2, OK in \d+ ms\.$", lines.Verbose[2]);
    }

    [Fact]
    public async Task Post_TheRetryTimeLimitRunsFromTheFirstAttempt_NotFromTheWaitForItsTurn()
    {
        // One call per second and a retry time limit of one second: the second request waits a whole window for its
        // turn, and its fault is still retried.
        var handler = new ScriptedHandler(OkAnswer, Error(70500), OkAnswer);
        using var client = NewClient(handler, new ClientSettings { MaxRequestsPerSecond = 1, RetryBudget = TimeSpan.FromSeconds(1) }, new RateLimiterTests.FakeTime());
        await new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None);

        var items = await new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None);

        Assert.Single(items);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Post_RetriesGatewayFailures(HttpStatusCode status)
    {
        var handler = new ScriptedHandler(Json("<html>bad gateway</html>", status), OkAnswer);
        using var client = NewClient(handler);

        Assert.Single(await new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Post_RetriesATruncatedBody()
    {
        var handler = new ScriptedHandler(Json("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ResultIt"), OkAnswer);
        using var client = NewClient(handler);

        Assert.Single(await new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));
    }

    [Fact]
    public async Task Post_RetriesARefusedConnection()
    {
        var handler = new ScriptedHandler(() => throw new HttpRequestException("Connection refused"), OkAnswer);
        using var client = NewClient(handler);

        Assert.Single(await new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));
    }

    [Fact]
    public async Task Post_GivesUpAfterMaxAttempts_WithTheLastError()
    {
        var handler = new ScriptedHandler(Error(70500, "first"), Error(70500, "second"), Error(70169, "last"));
        using var client = NewClient(handler, maxAttempts: 3);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal((70169, "last"), (e.ErrorCode, e.ErrorInfo));
        Assert.Equal(3, handler.Requests.Count);
    }

    [Theory]
    [InlineData(70009)]
    [InlineData(70403)]
    [InlineData(60026)]
    [InlineData(70402)]
    public async Task Post_NeverRetriesConfigurationOrRequestErrors(int code)
    {
        var handler = new ScriptedHandler(Error(code), OkAnswer);
        using var client = NewClient(handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal(code, e.ErrorCode);
        Assert.Single(handler.Requests);
    }

    /// <summary>A clock that moves a minute each time it is read, so that every signature differs.</summary>
    private sealed class TickingClock : IClock
    {
        private DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        public DateTimeOffset UtcNow => _now = _now.AddMinutes(1);
    }

    [Fact]
    public async Task Post_SignsANewUserSig_WhenTheServiceSaysItExpired()
    {
        var handler = new ScriptedHandler(Error(70001, "expired"), OkAnswer);
        using var client = NewClient(handler, new SigningUserSigSource(SecretKey.FromString("k"), 1400000001, "administrator", TimeSpan.FromDays(1), new TickingClock()));

        Assert.Single(await new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        string?[] sigs = handler.Requests.Select(u => HttpUtility.ParseQueryString(u.Query)["usersig"]).ToArray();
        Assert.Equal(2, sigs.Length);
        Assert.NotEqual(sigs[0], sigs[1]);
    }

    [Fact]
    public async Task Post_StopsOnExpiry_WhenTheUserSigWasPresigned()
    {
        var handler = new ScriptedHandler(Error(70001, "expired"), OkAnswer);
        using var client = NewClient(handler, new PresignedUserSigSource("eJnot-decodable"));

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal(ServiceErrorClass.ExpiredSignature, e.ErrorClass);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Post_ThrowsCancellation_NotAnError_WhenCancelled()
    {
        var handler = new ScriptedHandler(OkAnswer);
        using var client = NewClient(handler);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, cancelled.Token));
    }

    [Fact]
    public async Task ErrorMessages_NeverContainTheUserSig()
    {
        var handler = new ScriptedHandler(Error(70009, "sig check failed"));
        using var client = NewClient(handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        string userSig = HttpUtility.ParseQueryString(handler.Requests[0].Query)["usersig"]!;
        Assert.DoesNotContain(userSig, e.ToString());
    }

    [Fact]
    public async Task ACallOnAClosedClient_SaysItWasClosedByDisconnectOrByRemovingTheModule()
    {
        // Remove-Module TencentIm closes every connection of the session as Disconnect-TencentIm does (ModuleInitializer.OnRemove).
        ImRestClient client = TestClients.New(new Uri("http://127.0.0.1:1/"), "closed-client-key", TestClients.FastRetries(1));
        client.Dispose();

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => client.PostAsync("im_open_login_svc/account_check", "{}"u8.ToArray(), 1, null, CancellationToken.None));

        Assert.Equal(RequestFailureKind.ConnectionClosed, e.Kind);
        Assert.Contains("by Disconnect-TencentIm or by removing the TencentIm module (Remove-Module)", e.Message);
    }
}
