using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

/// <summary>
/// Invoke-TencentImApi's retries are safe for writes: under every fault the emulator injects (each one leaves open
/// whether the request ran), a send that is not idempotent goes to the service exactly once and its error says it may
/// have taken effect, while an idempotent API, or any API with -Idempotent, is retried; failures where the request
/// certainly did not run (60007, a refused connection) are retried for every API and still send each message once.
/// The emulator's per-API request counts and its message log are the record.
/// </summary>
public class InvokeApiRetryTests
{
    private const string Key = "invoke-api-retry-key";

    // Three attempts at most: enough to tell "retried" from "sent once", quick with the default backoff.
    private const string Connect = "-MaximumRetryCount 2 -SkipConnectionTest";

    private const string SendBody = "@{ To_Account = 'bob'; MsgRandom = 7; MsgBody = @(@{ MsgType = 'TIMTextElem'; MsgContent = @{ Text = 'hi' } }) }";

    public static TheoryData<FaultKind> EveryFault()
    {
        var data = new TheoryData<FaultKind>();
        foreach (FaultKind kind in FaultKindNames.All)
        {
            data.Add(kind);
        }

        return data;
    }

    /// <summary>An emulator with this class's key and the accounts alice and bob.</summary>
    private static Task<RunningEmulator> StartAsync(EmulatorOptions options)
    {
        options.SecretKey = Key;
        options.Accounts = new List<string> { "alice", "bob" };
        return EmulatorServer.StartAsync(options);
    }

    private static Task<RunningEmulator> StartFaultyAsync(FaultKind kind, int slowResponseMs = 20) =>
        StartAsync(new EmulatorOptions { FaultRate = 1, FaultKinds = new List<FaultKind> { kind }, SlowResponseMs = slowResponseMs });

    private static ScriptRun Run(RunningEmulator emulator, string script, string connect = Connect)
    {
        using Runspace runspace = CmdletHost.OpenRunspace();
        CmdletHost.Connect(runspace, emulator.BaseUri, Key, connect);
        return CmdletHost.Run(runspace, script);
    }

    private static string ErrorId(ErrorRecord e) => e.FullyQualifiedErrorId.Split(',')[0];

    [Theory]
    [MemberData(nameof(EveryFault))]
    public async Task Sendmsg_UnderEachFault_ReachesTheServiceExactlyOnce_AndTheErrorSaysItMayHaveTakenEffect(FaultKind kind)
    {
        await using RunningEmulator emulator = await StartFaultyAsync(kind);

        ScriptRun run = Run(emulator, $"Invoke-TencentImApi openim/sendmsg -Body {SendBody}");

        Assert.Equal(1, emulator.Stats.Requests["sendmsg"]);
        // Only drop-after runs the API before its answer is lost: the one attempt delivered the one message.
        Assert.Equal(kind == FaultKind.DropAfter ? 1 : 0, emulator.Messages.Snapshot().Count);
        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.Equal("ApiCallOutcomeUnknown", ErrorId(error));
        Assert.Contains("may have taken effect", error.ErrorDetails.Message);
        Assert.Contains("not sent again", error.ErrorDetails.Message);
        Assert.Contains("-Idempotent", error.ErrorDetails.RecommendedAction);
        Assert.IsType<TencentImRequestException>(error.Exception);
        // The exception's own message (what a catch block or $Error[0].Exception.Message shows) says the same.
        Assert.Contains("may have taken effect", error.Exception.Message);
        Assert.Contains("Check whether it took effect", error.Exception.Message);
        Assert.DoesNotContain("MaximumRetryCount", error.Exception.Message);
        // Whatever the failure (an answer such as 70169, or none), the target is the input body, to check and resend.
        var target = Assert.IsType<System.Collections.Hashtable>(error.TargetObject);
        Assert.Equal("bob", target["To_Account"]);
    }

    [Theory]
    [MemberData(nameof(EveryFault))]
    public async Task PortraitSet_WhichTheTableMarksIdempotent_IsRetriedUnderEachFault(FaultKind kind)
    {
        await using RunningEmulator emulator = await StartFaultyAsync(kind);

        ScriptRun run = Run(emulator, "Invoke-TencentImApi profile/portrait_set -Body @{ From_Account = 'alice'; ProfileItem = @(@{ Tag = 'Tag_Profile_IM_Nick'; Value = 'A' }) }");

        Assert.Equal(3, emulator.Stats.Requests["portrait_set"]);
        var error = Assert.Single(run.Errors);
        Assert.NotEqual("ApiCallOutcomeUnknown", ErrorId(error));
    }

    [Theory]
    [MemberData(nameof(EveryFault))]
    public async Task Sendmsg_WithIdempotent_IsRetriedUnderEachFault(FaultKind kind)
    {
        await using RunningEmulator emulator = await StartFaultyAsync(kind);

        ScriptRun run = Run(emulator, $"Invoke-TencentImApi openim/sendmsg -Idempotent -Body {SendBody}");

        Assert.Equal(3, emulator.Stats.Requests["sendmsg"]);
        Assert.Single(run.Errors);
    }

    [Fact]
    public async Task Sendmsg_WhoseAnswerTimesOut_IsSentOnce_WhilePortraitGetIsRetried()
    {
        await using RunningEmulator emulator = await StartFaultyAsync(FaultKind.Slow, slowResponseMs: 10_000);
        const string connect = "-RequestTimeoutSec 1 -MaximumRetryCount 1 -SkipConnectionTest";

        ScriptRun send = Run(emulator, $"Invoke-TencentImApi openim/sendmsg -Body {SendBody}", connect);
        ScriptRun read = Run(emulator, "Invoke-TencentImApi profile/portrait_get -Body @{ To_Account = @('alice'); TagList = @('Tag_Profile_IM_Nick') }", connect);

        Assert.Equal(1, emulator.Stats.Requests["sendmsg"]);
        ErrorRecord sendError = Assert.Single(send.Errors);
        Assert.Equal("ApiCallOutcomeUnknown", ErrorId(sendError));
        Assert.Contains("got no answer", sendError.ErrorDetails.Message);
        Assert.Equal(System.Management.Automation.ErrorCategory.OperationTimeout, sendError.CategoryInfo.Category);
        Assert.Equal(2, emulator.Stats.Requests["portrait_get"]);
        Assert.Equal("ApiTimeout", ErrorId(Assert.Single(read.Errors)));
    }

    [Fact]
    public async Task Sendmsg_ThroughAProxyThatCannotBeReached_IsRetried_SinceNothingWasSent()
    {
        var proxy = new Uri($"http://127.0.0.1:{ClosedPort()}/");
        ClientSettings settings = TestClients.FastRetries(3);
        settings.Proxy = ProxySettings.Explicit(proxy, null, false);
        using ImRestClient client = TestClients.New(new Uri("http://127.0.0.2:9/"), Key, settings);
        var attempts = new List<RequestAttempt>();
        var observer = new ListObserver(attempts);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() =>
            client.PostAsync(ServiceApi.SendMsg.Path, Encoding.UTF8.GetBytes("{}"), 1, observer, CancellationToken.None));

        Assert.Equal(RequestFailureKind.ProxyUnreachable, e.Kind);
        Assert.False(e.NotRepeated);
        Assert.Equal(3, attempts.Count);
    }

    /// <summary>
    /// A seed under which the first call of <paramref name="api"/> with <paramref name="body"/> meets a drop-after
    /// fault (the API runs, its answer is cut off) and the second none: the emulator's dice depend only on the seed,
    /// the API and the body.
    /// </summary>
    private static long SeedDroppingOnlyTheFirstAttempt(EmulatedApi api, string body)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        for (long seed = 0; seed < 10_000; seed++)
        {
            var dice = new FaultInjector(seed, 0.5, new[] { FaultKind.DropAfter }, 0);
            if (dice.Roll(api, bytes).Fault == FaultKind.DropAfter && dice.Roll(api, bytes).Fault == null)
            {
                return seed;
            }
        }

        throw new InvalidOperationException("No seed found.");
    }

    [Fact]
    public async Task AnAnswerToARetryAfterAFailureThatMayHaveRun_IsWritten_WithAWarningNamingTheInputTheApiAndTheEarlierFailure()
    {
        const string body = "{\"DeleteItem\":[{\"UserID\":\"alice\"}]}";
        await using RunningEmulator emulator = await StartAsync(new EmulatorOptions
        {
            FaultRate = 0.5,
            FaultKinds = new List<FaultKind> { FaultKind.DropAfter },
            Seed = SeedDroppingOnlyTheFirstAttempt(EmulatedApis.AccountDelete, body),
        });

        ScriptRun run = Run(emulator, $"'{body}' | Invoke-TencentImApi im_open_login_svc/account_delete");

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        // The first attempt deleted alice; the retry's answer says she does not exist.
        var answer = (PSObject)Assert.Single(run.Output);
        var item = (PSObject)((object[])answer.Properties["ResultItem"].Value)[0];
        Assert.Equal(70107, item.Properties["ResultCode"].Value);
        Assert.Equal(2, emulator.Stats.Requests["account_delete"]);
        string warning = Assert.Single(run.Warnings);
        Assert.Contains("Body 1", warning);
        Assert.Contains("im_open_login_svc/account_delete", warning);
        Assert.Contains("an earlier attempt failed", warning);
        Assert.Contains("later attempt", warning);
        Assert.Contains("may have taken effect", warning);
    }

    [Fact]
    public async Task AnAnswerToAFirstAttempt_OrToARetryAfterAFailureThatDidNotRun_HasNoWarning()
    {
        await using RunningEmulator emulator = await StartAsync(new EmulatorOptions { RateLimits = { ["portrait_get"] = 1 } });

        ScriptRun run = Run(emulator, "1..3 | ForEach-Object { @{ To_Account = @('alice'); TagList = @('Tag_Profile_IM_Nick') } } | Invoke-TencentImApi profile/portrait_get",
            "-MaximumRetryCount 2 -MaxRequestsPerSecond 100 -SkipConnectionTest");

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        Assert.Equal(3, run.Output.Count);
        Assert.True(emulator.Stats.Requests["portrait_get"] > 3, "some calls met 60007 and were retried");
        Assert.Empty(run.Warnings);
    }

    [Theory]
    [InlineData("{\"ActionStatus\":\"OK\",\"Foo\":1}")]
    [InlineData("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":\"70500\",\"ErrorInfo\":\"a string code\"}")]
    public async Task AWholeJsonAnswerWithoutANumericErrorCode_IsNotRetried_AndStopsTheRunWithOneError(string answer)
    {
        using var server = new FixedAnswerServer(answer);
        using Runspace runspace = CmdletHost.OpenRunspace();
        CmdletHost.Connect(runspace, server.BaseUri, Key, Connect);

        ScriptRun run = CmdletHost.Run(runspace, "@{ To_Account = @('alice') }, @{ To_Account = @('bob') }, @{ To_Account = @('carol') } | Invoke-TencentImApi profile/portrait_get");

        Assert.Empty(run.Output);
        ErrorRecord error = Assert.Single(run.Errors);
        var exception = Assert.IsType<TencentImRequestException>(error.Exception);
        Assert.Equal(RequestFailureKind.NotTencentIm, exception.Kind);
        Assert.Contains("numeric ErrorCode", error.Exception.Message);
        Assert.Equal(1, server.Requests);
    }

    /// <summary>A loopback HTTP server that answers every request with the same JSON text, and counts them.</summary>
    private sealed class FixedAnswerServer : IDisposable
    {
        private readonly System.Net.HttpListener _listener = new System.Net.HttpListener();
        private readonly byte[] _answer;
        private int _requests;

        public FixedAnswerServer(string answer)
        {
            _answer = Encoding.UTF8.GetBytes(answer);
            BaseUri = new Uri($"http://127.0.0.1:{ClosedPort()}/");
            _listener.Prefixes.Add(BaseUri.ToString());
            _listener.Start();
            _ = ServeAsync();
        }

        public Uri BaseUri { get; }

        public int Requests => Volatile.Read(ref _requests);

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is System.Net.HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = _answer.Length;
                await context.Response.OutputStream.WriteAsync(_answer).ConfigureAwait(false);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class ListObserver : IRequestObserver
    {
        private readonly List<RequestAttempt> _attempts;

        public ListObserver(List<RequestAttempt> attempts) => _attempts = attempts;

        public void OnAttempt(RequestAttempt attempt)
        {
            lock (_attempts)
            {
                _attempts.Add(attempt);
            }
        }
    }

    [Fact]
    public async Task AnApiTheTableDoesNotList_IsNotRetriedOnceItMayHaveRun()
    {
        // The emulator answers an API it does not serve with 60009, so the 70500 comes from a stand-in.
        using var handler = new CountingHandler(new InternalErrorHandler());
        using ImRestClient client = NewClient(new Uri("http://127.0.0.1:9/"), handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() =>
            client.PostAsync("im_open_login_svc/some_future_api", Encoding.UTF8.GetBytes("{}"), 1, null, CancellationToken.None));

        Assert.Equal(1, handler.Requests);
        Assert.True(e.NotRepeated);
        Assert.Equal(70500, e.ErrorCode);
    }

    [Fact]
    public async Task TheAccountApis_AreStillRetriedAfterAFaultThatMayHaveRun()
    {
        await using RunningEmulator emulator = await StartFaultyAsync(FaultKind.InternalError70500);
        using var handler = new CountingHandler(new HttpClientHandler());
        using ImRestClient client = NewClient(emulator.BaseUri, handler);

        var e = await Assert.ThrowsAsync<TencentImRequestException>(() =>
            new AccountCheckOperation(client).SendAsync(new[] { "alice" }, null, CancellationToken.None));

        Assert.Equal(3, handler.Requests);
        Assert.False(e.NotRepeated);
    }

    [Fact]
    public async Task Sendmsg_OverTheFrequencyLimit_IsRetried_AndEachMessageArrivesExactlyOnce()
    {
        await using RunningEmulator emulator = await StartAsync(new EmulatorOptions { RateLimits = new Dictionary<string, int> { ["sendmsg"] = 2 } });

        ScriptRun run = Run(emulator,
            "1..5 | ForEach-Object { @{ To_Account = 'bob'; MsgRandom = $_; MsgBody = @(@{ MsgType = 'TIMTextElem'; MsgContent = @{ Text = \"m$_\" } }) } } | Invoke-TencentImApi openim/sendmsg -ThrottleLimit 5");

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        Assert.Equal(5, run.Output.Count);
        Assert.True(emulator.Stats.Throttled > 0, "the emulator's limit of 2 calls/s refused some calls (60007)");
        Assert.Equal(new uint[] { 1, 2, 3, 4, 5 }, emulator.Messages.Snapshot().Select(m => m.MsgRandom).OrderBy(r => r));
        Assert.Equal(5 + emulator.Stats.Throttled, emulator.Stats.Requests["sendmsg"]);
    }

    [Fact]
    public async Task Sendmsg_WhoseFirstConnectionIsRefused_IsRetried_AndTheMessageArrivesOnce()
    {
        await using RunningEmulator emulator = await StartAsync(new EmulatorOptions());
        using var handler = new CountingHandler(new HttpClientHandler(), refuseFirst: 2);
        using ImRestClient client = NewClient(emulator.BaseUri, handler);
        byte[] body = Encoding.UTF8.GetBytes("{\"To_Account\":\"bob\",\"MsgRandom\":9,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}}]}");

        using var answer = await client.PostAsync(ServiceApi.SendMsg.Path, body, 1, null, CancellationToken.None);

        Assert.Equal(3, handler.Requests);
        Assert.Equal(1, emulator.Stats.Requests["sendmsg"]);
        Assert.Single(emulator.Messages.Snapshot());
        Assert.True(answer.RootElement.TryGetProperty("MsgKey", out _));
    }

    private static ImRestClient NewClient(Uri baseUri, HttpMessageHandler handler) => TestClients.New(baseUri, Key, TestClients.FastRetries(3), handler);

    /// <summary>Answers every request with 70500, the service's internal error.</summary>
    private sealed class InternalErrorHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70500,\"ErrorInfo\":\"Internal server error\"}", Encoding.UTF8, "application/json"),
            });
    }

    /// <summary>Counts requests; refuses the first <c>refuseFirst</c> as a closed port does, before anything is sent.</summary>
    private sealed class CountingHandler : DelegatingHandler
    {
        private readonly int _refuseFirst;
        private int _requests;

        public CountingHandler(HttpMessageHandler inner, int refuseFirst = 0)
            : base(inner)
        {
            _refuseFirst = refuseFirst;
        }

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _requests) <= _refuseFirst)
            {
                throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
