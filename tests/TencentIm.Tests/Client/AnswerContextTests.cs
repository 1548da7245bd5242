using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Client;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests;

/// <summary>
/// Plays one scripted step per request: it reads the body first (so that the request counts as sent, as on the
/// wire), then answers or throws.
/// </summary>
internal sealed class SendingScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<CancellationToken, Task<HttpResponseMessage>>> _script;

    public SendingScriptedHandler(params Func<CancellationToken, Task<HttpResponseMessage>>[] script) => _script = new(script);

    public int Requests;

    /// <summary>The connection breaks before the whole answer arrived.</summary>
    public static readonly Func<CancellationToken, Task<HttpResponseMessage>> Dropped =
        _ => Task.FromException<HttpResponseMessage>(new HttpRequestException("The response ended prematurely.", new System.IO.IOException("connection reset")));

    /// <summary>No answer until the client gives up.</summary>
    public static readonly Func<CancellationToken, Task<HttpResponseMessage>> NoAnswer =
        async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        };

    public static Func<CancellationToken, Task<HttpResponseMessage>> Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        _ => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

    public static Func<CancellationToken, Task<HttpResponseMessage>> Error(int code) =>
        Json($"{{\"ActionStatus\":\"FAIL\",\"ErrorCode\":{code},\"ErrorInfo\":\"e\"}}");

    /// <summary>A client of this handler: three attempts, millisecond backoff, a 300 ms timeout per attempt.</summary>
    public ImRestClient NewClient() =>
        new(new Uri("http://127.0.0.1:1/"), 1400000001, "administrator",
            new SigningUserSigSource(SecretKey.FromString("k"), 1400000001, "administrator", TimeSpan.FromHours(1), SystemClock.Instance),
            new ClientSettings
            {
                MaxAttempts = 3,
                RetryBaseDelay = TimeSpan.FromMilliseconds(1),
                RetryMaxDelay = TimeSpan.FromMilliseconds(2),
                RequestTimeout = TimeSpan.FromMilliseconds(300),
            },
            this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Requests);
        await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        Assert.True(_script.TryDequeue(out var next), "more requests than scripted");
        return await next!(cancellationToken);
    }
}

/// <summary>How the client tells an operation that an earlier attempt of a request may have run (AnswerContext).</summary>
public class AnswerContextTests
{
    private const string Api = "im_open_login_svc/account_delete";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"DeleteItem\":[{\"UserID\":\"alice\"}]}");

    private static readonly Func<CancellationToken, Task<HttpResponseMessage>> Answered =
        SendingScriptedHandler.Json("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"ResultItem\":[]}");

    public static TheoryData<string, bool> FirstAttempts() => new()
    {
        { "dropped", true },
        { "no answer", true },
        { "truncated", true },
        { "http502", true },
        { "70169", true },
        { "70500", true },
        { "http429", false },
        { "60007", false },
        { "60018", false },
        { "answered", false },
    };

    private static Func<CancellationToken, Task<HttpResponseMessage>> FirstAttempt(string kind) => kind switch
    {
        "dropped" => SendingScriptedHandler.Dropped,
        "no answer" => SendingScriptedHandler.NoAnswer,
        "truncated" => SendingScriptedHandler.Json("{\"ActionStatus\":\"OK\",\"Erro"),
        "http502" => SendingScriptedHandler.Json("<html>502</html>", HttpStatusCode.BadGateway),
        "http429" => SendingScriptedHandler.Json("<html>429</html>", HttpStatusCode.TooManyRequests),
        "60007" => SendingScriptedHandler.Error(60007),
        "60018" => SendingScriptedHandler.Error(60018),
        "70169" => SendingScriptedHandler.Error(70169),
        "70500" => SendingScriptedHandler.Error(70500),
        _ => Answered,
    };

    private static async Task<AnswerContext> CallAsync(SendingScriptedHandler handler)
    {
        using ImRestClient client = handler.NewClient();
        return await client.CallAsync(Api, Body, 1, (root, context) => context, null, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(FirstAttempts))]
    public async Task TheAnswerSaysWhetherAnEarlierAttemptMayHaveRun(string firstAttempt, bool mayHaveRun)
    {
        var handler = new SendingScriptedHandler(FirstAttempt(firstAttempt), Answered);

        AnswerContext context = await CallAsync(handler);

        Assert.Equal(firstAttempt == "answered" ? 1 : 2, handler.Requests);
        Assert.Equal(mayHaveRun, context.EarlierAttemptMayHaveRun);
    }

    [Fact]
    public async Task AnUnansweredAttemptThenAThrottledOne_StillSaysAnEarlierAttemptMayHaveRun()
    {
        var handler = new SendingScriptedHandler(SendingScriptedHandler.Dropped, SendingScriptedHandler.Error(60007), Answered);

        AnswerContext context = await CallAsync(handler);

        Assert.Equal(3, handler.Requests);
        Assert.True(context.EarlierAttemptMayHaveRun);
    }

    [Fact]
    public async Task TheOneArgumentRead_StillWorks_AndPostAsyncStillReturnsTheAnswer()
    {
        var handler = new SendingScriptedHandler(SendingScriptedHandler.Dropped, Answered, Answered);
        using ImRestClient client = handler.NewClient();

        int items = await client.CallAsync(Api, Body, 1, root => root.GetProperty("ResultItem").GetArrayLength(), null, CancellationToken.None);
        using var answer = await client.PostAsync(Api, Body, 1, null, CancellationToken.None);

        Assert.Equal(0, items);
        Assert.Equal(0, answer.RootElement.GetProperty("ErrorCode").GetInt32());
        Assert.Equal(3, handler.Requests);
    }
}
