using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Signing;

namespace TencentIm.Client;

/// <summary>
/// Calls the IM REST API for one app: builds the URI, signs, waits for the rate limiter, sends, reads the
/// envelope, and retries what docs/service-api.md §4 says is worth retrying. Thread-safe: one instance serves
/// every concurrent request of a connection.
/// </summary>
internal sealed class ImRestClient : IDisposable
{
    private static readonly RandomNumberGenerator Rng = RandomNumberGenerator.Create();
    private static readonly MediaTypeHeaderValue JsonContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly ITimeSource _time;
    // Cancelled by Dispose: a connection closed from another runspace stops the requests it has in flight.
    private readonly CancellationTokenSource _closing = new CancellationTokenSource();
    private int _closed;
    private readonly ConcurrentDictionary<string, RateLimiter> _limiters = new ConcurrentDictionary<string, RateLimiter>(StringComparer.Ordinal);

    public ImRestClient(Uri baseUri, uint sdkAppId, string identifier, IUserSigSource userSigs, ClientSettings settings,
        HttpMessageHandler? handler = null, ITimeSource? time = null)
    {
        BaseUri = baseUri;
        SdkAppId = sdkAppId;
        Identifier = identifier;
        UserSigs = userSigs;
        Settings = settings;
        _time = time ?? MonotonicTime.Instance;
        Proxy = ProxyRoute.Resolve(settings.Proxy, baseUri);
        _http = new HttpClient(handler ?? CreateHandler(Proxy), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public Uri BaseUri { get; }

    public uint SdkAppId { get; }

    public string Identifier { get; }

    public IUserSigSource UserSigs { get; }

    public ClientSettings Settings { get; }

    /// <summary>How this endpoint's requests travel: directly or through which proxy.</summary>
    public ProxyRoute Proxy { get; }

    /// <summary>
    /// POSTs <paramref name="body"/> to <paramref name="api"/> as <see cref="PostAsync"/> does, then reads the
    /// answer with <paramref name="read"/>; a FormatException from it means the answer is malformed.
    /// <paramref name="itemsDespiteError"/> is for an API whose answer can carry per-item results under a non-zero
    /// ErrorCode (query_online_status lists the accounts it could not query in ErrorList, and sets ErrorCode when
    /// none succeeded): given the code and the answer, whether <paramref name="read"/> reads it instead of the
    /// request failing. Null: never.
    /// </summary>
    public Task<T> CallAsync<T>(string api, byte[] body, int itemCount, Func<JsonElement, T> read, IRequestObserver? observer, CancellationToken cancellationToken,
        Func<int, JsonElement, bool>? itemsDespiteError = null, bool? idempotent = null) =>
        CallAsync(api, body, itemCount, (root, _) => read(root), observer, cancellationToken, itemsDespiteError, idempotent);

    /// <summary>
    /// As <see cref="CallAsync{T}(string, byte[], int, Func{JsonElement, T}, IRequestObserver?, CancellationToken, Func{int, JsonElement, bool}?, bool?)"/>,
    /// and tells <paramref name="read"/> how the answer came about: whether an earlier attempt of this request may
    /// have run (<see cref="AnswerContext"/>).
    /// </summary>
    public async Task<T> CallAsync<T>(string api, byte[] body, int itemCount, Func<JsonElement, AnswerContext, T> read, IRequestObserver? observer, CancellationToken cancellationToken,
        Func<int, JsonElement, bool>? itemsDespiteError = null, bool? idempotent = null)
    {
        (JsonDocument document, AnswerContext context) = await PostWithContextAsync(api, body, itemCount, observer, itemsDespiteError, idempotent, cancellationToken).ConfigureAwait(false);
        using (document)
        {
            try
            {
                return read(document.RootElement, context);
            }
            catch (Exception e) when (e is FormatException || e is InvalidOperationException)
            {
                throw Malformed(api, e.Message, e);
            }
        }
    }

    /// <summary>
    /// POSTs <paramref name="body"/> to <paramref name="api"/> and returns the answer once its ErrorCode is 0.
    /// Every attempt waits for the API's rate limiter (a retry ahead of first attempts) and gets a fresh
    /// <c>random</c>. Transient failures are retried with backoff within MaxAttempts and RetryBudget. A 60007
    /// (over the frequency limit) tells the limiter and is retried after the first backoff step without counting
    /// against MaxAttempts: it proves the request did not run, so only RetryBudget (from the first attempt's
    /// start) and cancellation bound it. A failure after which the request may have run (a timeout, a connection lost
    /// after sending, 70169/70202/70500/60008: <see cref="TencentImRequestException.MayHaveTakenEffect"/>) is retried
    /// only for an idempotent API: <paramref name="idempotent"/>, or when null what <see cref="Apis.ServiceApi"/> says of
    /// <paramref name="api"/> (false for one it does not list); otherwise it throws with
    /// <see cref="TencentImRequestException.NotRepeated"/> set, so that a message is never sent twice by a retry.
    /// An expired UserSig is renewed once; everything else throws at once. An answer
    /// with a non-zero ErrorCode that <paramref name="itemsDespiteError"/> accepts is returned (see <see cref="CallAsync{T}(string, byte[], int, Func{JsonElement, T}, IRequestObserver, CancellationToken, Func{int, JsonElement, bool}, bool?)"/>).
    /// </summary>
    public async Task<JsonDocument> PostAsync(string api, byte[] body, int itemCount, IRequestObserver? observer, CancellationToken cancellationToken,
        Func<int, JsonElement, bool>? itemsDespiteError = null, bool? idempotent = null) =>
        (await PostWithContextAsync(api, body, itemCount, observer, itemsDespiteError, idempotent, cancellationToken).ConfigureAwait(false)).Answer;

    /// <summary><see cref="PostAsync"/>, and whether an earlier attempt of the request may have run.</summary>
    private async Task<(JsonDocument Answer, AnswerContext Context)> PostWithContextAsync(string api, byte[] body, int itemCount, IRequestObserver? observer,
        Func<int, JsonElement, bool>? itemsDespiteError, bool? idempotent, CancellationToken cancellationToken)
    {
        ThrowIfClosed(api);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        try
        {
            return await PostCoreAsync(api, body, itemCount, observer, itemsDespiteError, idempotent ?? Apis.ServiceApi.IsIdempotentPath(api), linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsClosed && !cancellationToken.IsCancellationRequested && !(e is TencentImRequestException r && r.Kind == RequestFailureKind.ConnectionClosed))
        {
            // Whatever the close broke (a cancelled send, a disposed HttpClient, a UserSig signed while the key
            // was being wiped), the one true cause is that the connection was closed.
            throw Closed(api, e);
        }
    }

    /// <summary>True once <see cref="Dispose"/> has begun; it never turns false again.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    private void ThrowIfClosed(string api)
    {
        if (IsClosed)
        {
            throw Closed(api, null);
        }
    }

    private TencentImRequestException Closed(string api, Exception? inner) =>
        new TencentImRequestException(api, RequestFailureKind.ConnectionClosed,
            $"The connection to SDKAppID {SdkAppId} was closed (by Disconnect-TencentIm or by removing the TencentIm module (Remove-Module)) while {api} was being called; the requests in flight were cancelled.", inner,
            fix: "Run Connect-TencentIm again (after Import-Module TencentIm if the module was removed), and disconnect or remove the module only when no command uses the connection any more.");

    private async Task<(JsonDocument Answer, AnswerContext Context)> PostCoreAsync(string api, byte[] body, int itemCount, IRequestObserver? observer,
        Func<int, JsonElement, bool>? itemsDespiteError, bool idempotent, CancellationToken cancellationToken)
    {
        RateLimiter limiter = LimiterFor(api);
        var backoff = new Backoff(Settings, Settings.BackoffRandom);
        TimeSpan? started = null;
        bool renewed = false;
        // Whether an attempt before the one answered may have taken effect. The answer goes back with it, so that
        // an operation can read an answer such as account_delete's "does not exist" as the lost attempt's work;
        // the client itself stays unaware of what any API means (AnswerContext).
        string? earlierFailure = null;
        int attempt = 1; // attempts that count against MaxAttempts: the first, and one more after each fault
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A retry waits ahead of first attempts; the retry time limit runs from the first attempt's start.
            RateLimiter.Slot slot = await limiter.WaitAsync(started.HasValue, cancellationToken).ConfigureAwait(false);
            started ??= _time.Now;
            string userSig = UserSigs.Current();
            var trace = observer == null ? null : new RequestAttempt(api, itemCount, attempt);
            var content = new SendTimedContent(body, () => limiter.MarkSent(slot, _time.Now));
            try
            {
                JsonDocument answer = await SendOnceAsync(api, content, userSig, trace, itemsDespiteError, cancellationToken).ConfigureAwait(false);
                Report(observer, trace, null);
                return (answer, new AnswerContext(earlierFailure));
            }
            catch (TencentImRequestException e)
            {
                if (e.ErrorClass == ServiceErrorClass.ExpiredSignature && !renewed && UserSigs.TryRenew(userSig))
                {
                    renewed = true; // a renewal is not a failed attempt
                    Report(observer, trace, TimeSpan.Zero);
                    continue;
                }

                bool throttled = e.ErrorClass == ServiceErrorClass.Throttled;
                if (throttled)
                {
                    limiter.OnThrottled(slot);
                    if (trace != null)
                    {
                        trace.NotCounted = true;
                    }
                }

                // An attempt that may have run is sent again only where a second run does no harm.
                bool mayRepeat = idempotent || !e.MayHaveTakenEffect;
                TimeSpan left = Settings.RetryBudget - (_time.Now - started.Value);
                bool retry = mayRepeat && left > TimeSpan.Zero && IsRetryable(e) && (throttled || attempt < Settings.MaxAttempts);
                if (!retry)
                {
                    e.NotRepeated = !mayRepeat && IsRetryable(e);
                    // A code that means a passing fault or a wrong setting is taken for the wrong setting once
                    // the retries of a passing fault have run out (TencentImRequestException.ErrorClass); a fault
                    // not repeated because the request may have run is still that passing fault.
                    e.RetriesRanOut = !e.NotRepeated && (throttled || e.ErrorClass == ServiceErrorClass.Transient);
                    Report(observer, trace, null);
                    throw;
                }

                if (e.MayHaveTakenEffect)
                {
                    earlierFailure = TencentImRequestException.Sentence(e.Summary);
                }

                // After 60007 the limiter paces the retry; the short wait only keeps it off the window it was refused in.
                TimeSpan delay = backoff.Next(throttled ? 1 : attempt);
                delay = delay < left ? delay : left;
                Report(observer, trace, delay);
                await _time.Delay(delay, cancellationToken).ConfigureAwait(false);
                if (!throttled)
                {
                    attempt++;
                }
            }
        }
    }

    /// <summary>Cancels the requests in flight, closes the HTTP connections and wipes the key; safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _closing.Cancel();
        _http.Dispose();
        UserSigs.Dispose();
    }

    private static void Report(IRequestObserver? observer, RequestAttempt? trace, TimeSpan? retryIn)
    {
        if (observer != null && trace != null)
        {
            trace.RetryIn = retryIn;
            observer.OnAttempt(trace);
        }
    }

    /// <summary>The calls per second the limiter of <paramref name="api"/> admits now (for tests).</summary>
    internal int CurrentLimitOf(string api) => LimiterFor(api).CurrentLimit;

    private RateLimiter LimiterFor(string api) =>
        _limiters.GetOrAdd(api, a => new RateLimiter(Settings.MaxRequestsPerSecond ?? Apis.ServiceApi.CallsPerSecondOf(a), _time));

    private static bool IsRetryable(TencentImRequestException e) =>
        e.ErrorClass == ServiceErrorClass.Transient || e.ErrorClass == ServiceErrorClass.Throttled;

    private async Task<JsonDocument> SendOnceAsync(string api, SendTimedContent content, string userSig, RequestAttempt? trace,
        Func<int, JsonElement, bool>? itemsDespiteError, CancellationToken cancellationToken)
    {
        uint random = NextRandom();
        Uri uri = RequestUri.Build(BaseUri, api, SdkAppId, Identifier, userSig, random);
        if (trace != null)
        {
            trace.RedactedUri = RequestUri.Redacted(BaseUri, api, SdkAppId, Identifier, random);
            trace.RequestBody = Encoding.UTF8.GetString(content.Body);
        }

        TimeSpan sent = _time.Now;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        content.Headers.ContentType = JsonContentType;

        try
        {
            byte[] answer;
            try
            {
                using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                // The one place an answer is read: whatever it says goes on without the UserSig (ResponseRedaction).
                answer = ResponseRedaction.Redact(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false), userSig);
                if (trace != null)
                {
                    trace.ResponseBody = Encoding.UTF8.GetString(answer);
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw HttpFailure(api, (int)response.StatusCode, ResponseRedaction.Redact(response.ReasonPhrase ?? "", userSig));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e)
            {
                // Before the body left, no connection was made in time (a wrong address, a firewall that drops);
                // after, the service took the request and did not answer in time.
                throw content.WasSent
                    ? new TencentImRequestException(api, RequestFailureKind.Timeout,
                        $"{api} got no answer from {BaseUri.Host}{Through()} within {Settings.RequestTimeout.TotalSeconds:0.#} s", e)
                    : new TencentImRequestException(api, RequestFailureKind.Unreachable,
                        $"{api} could not connect to {Authority}{Through()} within {Settings.RequestTimeout.TotalSeconds:0.#} s", e);
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException || e is WebException)
            {
                throw Classify(api, e, content.WasSent, userSig);
            }

            JsonDocument document = ReadEnvelope(api, answer, itemsDespiteError);
            if (trace != null)
            {
                int code = document.RootElement.GetProperty("ErrorCode").GetInt32();
                trace.Outcome = code == 0 ? "OK" : $"ErrorCode {code} with per-item results";
                trace.ErrorCode = code;
            }

            return document;
        }
        catch (TencentImRequestException e) when (trace != null)
        {
            trace.Outcome = e.Kind == RequestFailureKind.ServiceError ? $"ErrorCode {e.ErrorCode} ({e.ErrorInfo})" : e.Kind + ": " + e.Summary;
            trace.ErrorCode = e.ErrorCode;
            throw;
        }
        finally
        {
            if (trace != null)
            {
                trace.Latency = _time.Now - sent;
            }
        }
    }

    private string Authority => BaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// Names a failure to get an answer. TLS first: the handshake failing is not a network fault, and retrying
    /// meets the same certificate. Its exception differs by runtime, so the whole inner chain is searched: .NET
    /// wraps SslStream's AuthenticationException in an HttpRequestException; .NET Framework (Windows PowerShell)
    /// wraps a WebException whose Status is TrustFailure (certificate) or SecureChannelFailure (handshake). Then
    /// whether the request had left: before, no connection could be made; after, an open one broke.
    /// </summary>
    private TencentImRequestException Classify(string api, Exception e, bool sent, string userSig)
    {
        // .NET keeps a proxy's password in some messages, and a proxy's answer may echo the request URL: both are
        // scrubbed before they reach an error.
        Func<string, string> scrub = text => ResponseRedaction.Redact(ProxyRoute.Scrub(text), userSig);
        Exception inner = ProxyRoute.Scrubbed(e, scrub);
        string detail = scrub(InnermostMessage(e));
        if (ProxyRoute.IsProxyAuthenticationRequired(e))
        {
            return ProxyAuthenticationRequired(api, inner);
        }

        if (IsTlsFailure(e))
        {
            return new TencentImRequestException(api, RequestFailureKind.TlsFailure,
                $"{api} could not open a secure (TLS) connection to {Authority}{Through()}: the TLS handshake failed, most often because certificate validation failed. The system says: {detail}",
                inner);
        }

        if (!sent && Proxy.Via != null && ProxyRoute.IsConnectFailure(e))
        {
            // Through a proxy, the only connections this machine opens are to the proxy.
            return new TencentImRequestException(api, RequestFailureKind.ProxyUnreachable,
                $"{api} could not reach the proxy {Proxy.Via} on the way to {Authority}: {detail}", inner, fix: Proxy.UnreachableFix);
        }

        return sent
            ? new TencentImRequestException(api, RequestFailureKind.ConnectionLost,
                $"{api} sent its request to {Authority}{Through()}, but the connection broke before the whole answer arrived: {detail}", inner)
            : new TencentImRequestException(api, RequestFailureKind.Unreachable,
                $"{api} could not reach {Authority}{Through()}: {detail}", inner);
    }

    private static bool IsTlsFailure(Exception? e)
    {
        for (; e != null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException
                || (e is WebException web && (web.Status == WebExceptionStatus.TrustFailure || web.Status == WebExceptionStatus.SecureChannelFailure)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The service itself always answers 200; another status comes from a gateway or proxy on the way.</summary>
    private TencentImRequestException HttpFailure(string api, int status, string? reason)
    {
        if (status == (int)HttpStatusCode.ProxyAuthenticationRequired)
        {
            return ProxyAuthenticationRequired(api, null);
        }

        bool passing = TencentImRequestException.IsPassingHttpStatus(status);
        string source = passing ? "a gateway between here and the service" : "not the IM REST API, or a proxy that refused the call";
        return new TencentImRequestException(api, RequestFailureKind.HttpStatus,
            $"{api} failed: HTTP {status} {reason} from {BaseUri.Host}{Through()} ({source})", httpStatus: status);
    }

    /// <summary>A 407 is the proxy's settings, not a passing failure: it is never retried.</summary>
    private TencentImRequestException ProxyAuthenticationRequired(string api, Exception? inner) =>
        new TencentImRequestException(api, RequestFailureKind.ProxyAuthenticationRequired,
            $"{api} failed: {Proxy.AuthenticationProblem}", inner,
            httpStatus: (int)HttpStatusCode.ProxyAuthenticationRequired, fix: Proxy.AuthenticationFix);

    private string Through() => Proxy.Via == null ? "" : $" through the proxy {Proxy.Via}";

    /// <summary>
    /// Decides on ErrorCode, not ActionStatus: some answers come without ActionStatus (docs/service-api.md §1).
    /// </summary>
    /// <remarks>
    /// An answer that is cut off is a passing fault, one that is not the IM API's is a wrong -Endpoint; the body
    /// tells them apart by how it starts. The service answers one JSON object, so its first byte (after white
    /// space or a byte order mark) is '{'. A body that starts with anything else ('&lt;' of an HTML page, '[',
    /// plain text) was never that envelope, however much of it arrived: NotTencentIm, not retried. A body that
    /// starts with '{' but does not parse was cut off or broken on the way (a dropped connection, a gateway
    /// hiccup): malformed, retried. So is an empty body: nothing arrived to judge. A complete JSON object with
    /// neither ErrorCode nor ActionStatus is some other JSON API: NotTencentIm. One with ActionStatus but no
    /// numeric ErrorCode is the IM envelope in a shape this module cannot read: malformed, retried. A non-zero
    /// ErrorCode throws, unless <paramref name="itemsDespiteError"/> says the answer carries per-item results.
    /// </remarks>
    private JsonDocument ReadEnvelope(string api, byte[] answer, Func<int, JsonElement, bool>? itemsDespiteError)
    {
        int first = FirstSignificantByte(answer);
        if (first >= 0 && answer[first] != (byte)'{')
        {
            char c = (char)answer[first];
            string start = c >= ' ' && c < (char)127 ? $"it starts with '{c}'" : $"it starts with byte 0x{answer[first]:X2}";
            throw NotTencentIm(api, $"the answer is not JSON ({start})");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(answer);
        }
        catch (JsonException e)
        {
            throw Malformed(api, first < 0 ? "the answer is empty" : "the answer is not valid JSON (it may have been cut off)", e);
        }

        JsonElement root = document.RootElement;
        // A whole JSON answer (a cut-off one failed to parse above) without a numeric ErrorCode is not the IM API's:
        // the service answers every call with one. Another answer would be the same, so it is not retried (README,
        // "Retried"), and a string code such as "70500" is not taken for the service's.
        if (!root.TryGetProperty("ErrorCode", out JsonElement code) || code.ValueKind != JsonValueKind.Number || !code.TryGetInt32(out int errorCode))
        {
            bool envelope = root.TryGetProperty("ErrorCode", out _) || root.TryGetProperty("ActionStatus", out _);
            document.Dispose();
            throw NotTencentIm(api, envelope
                ? "the answer is JSON with ActionStatus or ErrorCode but no numeric ErrorCode"
                : "the answer is JSON with neither ErrorCode nor ActionStatus");
        }

        if (errorCode != 0 && !(itemsDespiteError?.Invoke(errorCode, root) ?? false))
        {
            string info = root.TryGetProperty("ErrorInfo", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";
            // The service's own JSON answer (never a proxy's page: that is not an envelope), for a caller that reads
            // partial results out of a failed answer (Invoke-TencentImApi).
            JsonElement kept = root.Clone();
            document.Dispose();
            TencentImRequestException failure = TencentImRequestException.FromServiceError(api, errorCode, info, FixForHowWeSign(errorCode));
            failure.Answer = kept;
            throw failure;
        }

        return document;
    }

    /// <summary>
    /// Advice for the UserSig codes that fits how this connection signs, where the catalogue's general advice would
    /// point the wrong way: a UserSig signed here from the key that the service calls expired means the two clocks
    /// disagree (the module already signed it anew); a pre-signed UserSig that fails verification was signed with
    /// another key somewhere else.
    /// </summary>
    private string? FixForHowWeSign(int errorCode)
    {
        bool signedHere = UserSigs is SigningUserSigSource;
        switch (errorCode)
        {
            case 70001 when signedHere:
                return "The UserSig was signed on this machine moments before, so this machine's clock and the service's disagree by more than its lifetime: sync this machine's clock (NTP) and connect again; a longer -UserSigLifetimeSec also tolerates more skew.";
            case 70009 when !signedHere:
                return $"Sign the UserSig with the secret key of SDKAppID {SdkAppId} (IM console > your app > Basic Information), then connect again; or connect with -SecretKey so that the module signs.";
            default:
                return null;
        }
    }

    private static TencentImRequestException Malformed(string api, string what, Exception? inner) =>
        new TencentImRequestException(api, RequestFailureKind.MalformedResponse, $"{api} failed: {what}", inner);

    // The body itself is never quoted: a proxy's error page may echo the request URL, and with it the UserSig.
    private TencentImRequestException NotTencentIm(string api, string what) =>
        new TencentImRequestException(api, RequestFailureKind.NotTencentIm, $"{api} failed: {what} from {Authority}, so it is not the Tencent IM REST API", null);

    /// <summary>The index of the first byte that is neither white space nor part of a UTF-8 byte order mark; -1 if none.</summary>
    private static int FirstSignificantByte(byte[] body)
    {
        int i = body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? 3 : 0;
        while (i < body.Length && (body[i] == (byte)' ' || body[i] == (byte)'\t' || body[i] == (byte)'\r' || body[i] == (byte)'\n'))
        {
            i++;
        }

        return i < body.Length ? i : -1;
    }

    private static string InnermostMessage(Exception e)
    {
        while (e.InnerException != null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    private static uint NextRandom()
    {
        var bytes = new byte[4];
        lock (Rng)
        {
            Rng.GetBytes(bytes);
        }

        return BitConverter.ToUInt32(bytes, 0);
    }

    /// <summary>The handler of a connection: its proxy as <paramref name="route"/> says, and the settings every request needs.</summary>
    internal static HttpClientHandler CreateHandler(ProxyRoute route)
    {
        var handler = new HttpClientHandler
        {
            // .NET Framework allows 2 connections per server by default; concurrent batches need more.
            MaxConnectionsPerServer = 256,
            // The service never redirects; a redirecting proxy should fail as a wrong -Endpoint, not be followed.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseProxy = route.HandlerProxy != null,
        };

        if (route.HandlerProxy != null)
        {
            // For the system proxy this is the very object the handler would use when given none.
            handler.Proxy = route.HandlerProxy;
        }

        return handler;
    }
}
