using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Emulator;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Client;

/// <summary>
/// How ImRestClient names a failure that is not the service's answer, and whether it retries it: TLS failures,
/// connections that cannot be made or break, answers that are cut off or are not the IM API at all.
/// </summary>
public class FailureClassificationTests
{
    private const string Key = "failure-classification-key";

    private sealed class AttemptLog : IRequestObserver
    {
        public ConcurrentQueue<RequestAttempt> Attempts { get; } = new();

        public void OnAttempt(RequestAttempt attempt) => Attempts.Enqueue(attempt);
    }

    /// <summary>Answers every request with the same response (or exception), and counts the requests.</summary>
    private sealed class SameAnswerHandler : HttpMessageHandler
    {
        private readonly Func<HttpResponseMessage> _answer;

        public SameAnswerHandler(Func<HttpResponseMessage> answer) => _answer = answer;

        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return Task.FromResult(_answer());
        }
    }

    private static ClientSettings FastRetries(int maxAttempts = 5) => new()
    {
        MaxAttempts = maxAttempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(2),
    };

    private static ImRestClient NewClient(Uri baseUri, ClientSettings settings, HttpMessageHandler? handler = null) =>
        new(baseUri, 1400000001, "administrator",
            new SigningUserSigSource(SecretKey.FromString(Key), 1400000001, "administrator", TimeSpan.FromHours(1), SystemClock.Instance),
            settings, handler);

    private static Func<HttpResponseMessage> Answer(string body, string mediaType = "application/json") =>
        () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    [Fact]
    public async Task AnUntrustedCertificate_IsOneAttempt_AConfigurationError_NamingCertificateValidationAndWhatToCheck()
    {
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(new EmulatorOptions { SecretKey = Key, HttpsSelfSigned = true });
        Assert.Equal("https", emulator.BaseUri.Scheme);
        using ImRestClient client = NewClient(emulator.BaseUri, FastRetries());
        var log = new AttemptLog();

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, log, CancellationToken.None));

        Assert.Equal(RequestFailureKind.TlsFailure, e.Kind);
        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
        Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, e.Category);
        Assert.Contains("validation", e.Message);
        Assert.Contains("root certificate", e.Message);
        Assert.Contains("clock", e.Message);
        Assert.EndsWith(".", e.Message);

        // One connection reached the emulator (refused in the handshake), and the client reported one attempt.
        Assert.Equal(1, emulator.Stats.Connections);
        Assert.Equal(0, emulator.Stats.TotalRequests);
        RequestAttempt attempt = Assert.Single(log.Attempts);
        Assert.Null(attempt.RetryIn);
    }

    public static IEnumerable<object[]> TlsExceptionShapes()
    {
        // .NET (PowerShell 7): SocketsHttpHandler wraps the AuthenticationException of SslStream.
        yield return new object[] { new HttpRequestException("The SSL connection could not be established, see inner exception.",
            new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot")) };

        // .NET Framework (Windows PowerShell 5.1): HttpClientHandler wraps a WebException, whose status says TLS.
        yield return new object[] { new HttpRequestException("An error occurred while sending the request.",
            new WebException("The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.",
                new AuthenticationException("The remote certificate is invalid according to the validation procedure."),
                WebExceptionStatus.TrustFailure, null)) };
        yield return new object[] { new HttpRequestException("An error occurred while sending the request.",
            new WebException("The request was aborted: Could not create SSL/TLS secure channel.", null, WebExceptionStatus.SecureChannelFailure, null)) };
    }

    [Theory]
    [MemberData(nameof(TlsExceptionShapes))]
    public async Task TlsFailures_AreRecognisedInTheExceptionChainOfEveryRuntime_AndNeverRetried(Exception thrown)
    {
        var handler = new SameAnswerHandler(() => throw thrown);
        using ImRestClient client = NewClient(new Uri("https://127.0.0.1:1/"), FastRetries(), handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal(RequestFailureKind.TlsFailure, e.Kind);
        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task ARefusedConnection_IsUnreachable_AndRetried_ThenEndsTheRun()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        using ImRestClient client = NewClient(new Uri($"http://127.0.0.1:{closedPort}/"), FastRetries(maxAttempts: 2));
        var log = new AttemptLog();

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, log, CancellationToken.None));

        Assert.Equal(RequestFailureKind.Unreachable, e.Kind);
        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass); // retries ran out: one fault of the run
        Assert.Equal(2, log.Attempts.Count);
        Assert.EndsWith(".", e.Message);
    }

    [Fact]
    public async Task AConnectionDroppedMidAnswer_IsConnectionLost_NotUnreachable_AndRetried()
    {
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            SecretKey = Key,
            FaultRate = 1,
            FaultKinds = new List<FaultKind> { FaultKind.Drop },
        });
        using ImRestClient client = NewClient(emulator.BaseUri, FastRetries(maxAttempts: 2));

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal(RequestFailureKind.ConnectionLost, e.Kind);
        Assert.Equal(ServiceErrorClass.Transient, e.ErrorClass);
        Assert.Equal(2, emulator.Stats.Requests["account_check"]);
    }

    [Theory]
    [InlineData("<html><body><h1>Welcome to nginx!</h1></body></html>", "text/html")]
    [InlineData("  <!DOCTYPE html><html></html>", "text/html")]
    [InlineData("Hello from another service", "text/plain")]
    [InlineData("{\"message\":\"Hello\",\"status\":200}", "application/json")]
    [InlineData("[1,2,3]", "application/json")]
    [InlineData("{\"ActionStatus\":\"OK\",\"Foo\":1}", "application/json")]
    [InlineData("{\"ActionStatus\":\"FAIL\",\"ErrorInfo\":\"no code\"}", "application/json")]
    [InlineData("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":\"70500\",\"ErrorInfo\":\"a string code\"}", "application/json")]
    [InlineData("{\"ActionStatus\":\"OK\",\"ErrorCode\":null}", "application/json")]
    public async Task ACompleteAnswerThatIsNotTheImApi_IsNotTencentIm_AConfigurationError_NotRetried(string body, string mediaType)
    {
        var handler = new SameAnswerHandler(Answer(body, mediaType));
        using ImRestClient client = NewClient(new Uri("https://127.0.0.1:1/"), FastRetries(), handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal(RequestFailureKind.NotTencentIm, e.Kind);
        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
        Assert.Equal(1, handler.Requests);
        Assert.Contains("-Endpoint", e.Message);
    }

    [Theory]
    [InlineData("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"Resu")]
    [InlineData("{\"ActionStatus\":\"FAIL\",\"Error")]
    [InlineData("")]
    public async Task AnAnswerCutOffOrBrokenMidway_IsMalformed_ATransientError_Retried(string body)
    {
        var handler = new SameAnswerHandler(Answer(body));
        using ImRestClient client = NewClient(new Uri("https://127.0.0.1:1/"), FastRetries(maxAttempts: 3), handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal(RequestFailureKind.MalformedResponse, e.Kind);
        Assert.Equal(ServiceErrorClass.Transient, e.ErrorClass);
        Assert.Equal(3, handler.Requests);
    }

    [Theory]
    [InlineData(60004)]
    [InlineData(60005)]
    [InlineData(60008)]
    public async Task ACodeThatMeansAPassingFaultOrAWrongSetting_IsRetried_ThenStopsTheRunIfItPersists(int code)
    {
        var handler = new SameAnswerHandler(Answer($"{{\"ActionStatus\":\"FAIL\",\"ErrorCode\":{code},\"ErrorInfo\":\"check failed\"}}"));
        using ImRestClient client = NewClient(new Uri("https://127.0.0.1:1/"), FastRetries(maxAttempts: 3), handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal(3, handler.Requests);
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(ServiceErrorClass.Configuration, e.ErrorClass);
    }

    [Fact]
    public async Task APlainlyTransientCode_StaysTransient_WhenItPersists()
    {
        var handler = new SameAnswerHandler(Answer("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70500,\"ErrorInfo\":\"Internal server error\"}"));
        using ImRestClient client = NewClient(new Uri("https://127.0.0.1:1/"), FastRetries(maxAttempts: 3), handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal(3, handler.Requests);
        Assert.Equal(ServiceErrorClass.Transient, e.ErrorClass);
    }

    [Fact]
    public void TheVerboseLine_IsOneSentence_EvenWhenTheOutcomeEndsInAFullStop()
    {
        var attempt = new RequestAttempt("v4/im_open_login_svc/account_check", 3, 2)
        {
            Outcome = "HttpStatus: v4/im_open_login_svc/account_check failed: HTTP 502 Bad Gateway from 127.0.0.1 (a gateway between here and the service).",
            Latency = TimeSpan.FromMilliseconds(3),
            RetryIn = TimeSpan.FromMilliseconds(200),
        };

        string line = attempt.ToVerboseLine();

        Assert.Equal("account_check: 3 item(s), attempt 2, HttpStatus: v4/im_open_login_svc/account_check failed: HTTP 502 Bad Gateway from 127.0.0.1 (a gateway between here and the service) in 3 ms; retrying in 200 ms.", line);
    }

    [Fact]
    public void TheVerboseLine_OfASuccess_EndsInAFullStop()
    {
        var attempt = new RequestAttempt("v4/im_open_login_svc/account_check", 1, 1) { Outcome = "OK", Latency = TimeSpan.FromMilliseconds(12) };

        Assert.Equal("account_check: 1 item(s), attempt 1, OK in 12 ms.", attempt.ToVerboseLine());
    }

    [Theory]
    [InlineData(501)]
    [InlineData(505)]
    public async Task AServerThatDoesNotTakeThisRequestAtAll_IsNotTheImApi_AndNotRetried(int status)
    {
        var handler = new SameAnswerHandler(() => new HttpResponseMessage((HttpStatusCode)status));
        using ImRestClient client = NewClient(new Uri("http://127.0.0.1:1/"), FastRetries(), handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => new AccountCheckOperation(client).SendAsync(new[] { "u1" }, null, CancellationToken.None));

        Assert.Equal((RequestFailureKind.HttpStatus, ServiceErrorClass.Configuration), (e.Kind, e.ErrorClass));
        Assert.Equal(1, handler.Requests);
    }
}
