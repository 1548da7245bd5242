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

namespace TencentIm.Client
{
    /// <summary>
    /// Calls the IM REST API for one app: builds the URI, signs, waits for the rate limiter, sends, reads the
    /// envelope, and retries what the fact sheet (§4) says is worth retrying. Thread-safe: one instance serves
    /// every concurrent request of a connection.
    /// </summary>
    internal sealed class ImRestClient : IDisposable
    {
        private static readonly RandomNumberGenerator Rng = RandomNumberGenerator.Create();
        private static readonly MediaTypeHeaderValue JsonContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        private readonly HttpClient _http;
        private readonly ITimeSource _time;
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
            _http = new HttpClient(handler ?? CreateHandler(), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        public Uri BaseUri { get; }

        public uint SdkAppId { get; }

        public string Identifier { get; }

        public IUserSigSource UserSigs { get; }

        public ClientSettings Settings { get; }

        /// <summary>account_check for up to 100 distinct UserIDs; the answer's items, as the service gave them.</summary>
        public async Task<List<AccountCheckItem>> CheckAccountsAsync(IReadOnlyList<string> userIds, IRequestObserver? observer, CancellationToken cancellationToken)
        {
            byte[] body = AccountCheckProtocol.WriteRequest(userIds);
            using JsonDocument answer = await PostAsync(AccountCheckProtocol.Api, body, userIds.Count, observer, cancellationToken).ConfigureAwait(false);
            try
            {
                return AccountCheckProtocol.ReadResultItems(answer.RootElement, userIds);
            }
            catch (Exception e) when (e is FormatException || e is InvalidOperationException)
            {
                throw Malformed(AccountCheckProtocol.Api, e.Message, e);
            }
        }

        /// <summary>
        /// POSTs <paramref name="body"/> to <paramref name="api"/> and returns the answer once its ErrorCode is 0.
        /// Every attempt waits for the API's rate limiter (a retry ahead of first attempts) and gets a fresh
        /// <c>random</c>. Transient failures are retried with backoff within MaxAttempts and RetryBudget. A 60007
        /// (over the frequency limit) tells the limiter and is retried after the first backoff step without counting
        /// against MaxAttempts: it proves the request did not run, so only RetryBudget (from the first attempt's
        /// start) and cancellation bound it. An expired UserSig is renewed once; everything else throws at once.
        /// </summary>
        public async Task<JsonDocument> PostAsync(string api, byte[] body, int itemCount, IRequestObserver? observer, CancellationToken cancellationToken)
        {
            RateLimiter limiter = LimiterFor(api);
            var backoff = new Backoff(Settings, Settings.BackoffRandom);
            TimeSpan? started = null;
            bool renewed = false;
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
                    JsonDocument answer = await SendOnceAsync(api, content, userSig, trace, cancellationToken).ConfigureAwait(false);
                    Report(observer, trace, null);
                    return answer;
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

                    TimeSpan left = Settings.RetryBudget - (_time.Now - started.Value);
                    bool retry = left > TimeSpan.Zero && IsRetryable(e) && (throttled || attempt < Settings.MaxAttempts);
                    if (!retry)
                    {
                        Report(observer, trace, null);
                        throw;
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

        public void Dispose()
        {
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

        private RateLimiter LimiterFor(string api) =>
            _limiters.GetOrAdd(api, a => new RateLimiter(Settings.MaxRequestsPerSecond ?? ApiLimits.CallsPerSecond(a), _time));

        private static bool IsRetryable(TencentImRequestException e) =>
            e.ErrorClass == ServiceErrorClass.Transient || e.ErrorClass == ServiceErrorClass.Throttled;

        private async Task<JsonDocument> SendOnceAsync(string api, SendTimedContent content, string userSig, RequestAttempt? trace, CancellationToken cancellationToken)
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
                    answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    if (trace != null)
                    {
                        trace.ResponseBody = Encoding.UTF8.GetString(answer);
                    }

                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        throw HttpFailure(api, (int)response.StatusCode, response.ReasonPhrase);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException e)
                {
                    throw new TencentImRequestException(api, RequestFailureKind.Timeout,
                        $"{api} got no answer from {BaseUri.Host} within {Settings.RequestTimeout.TotalSeconds:0.#} s.", e);
                }
                catch (Exception e) when (e is HttpRequestException || e is IOException)
                {
                    throw new TencentImRequestException(api, RequestFailureKind.Unreachable,
                        $"{api} could not reach {BaseUri.GetLeftPart(UriPartial.Authority)}: {InnermostMessage(e)}", e);
                }

                JsonDocument document = ReadEnvelope(api, answer);
                if (trace != null)
                {
                    trace.Outcome = "OK";
                }

                return document;
            }
            catch (TencentImRequestException e) when (trace != null)
            {
                trace.Outcome = e.Kind == RequestFailureKind.ServiceError ? $"ErrorCode {e.ErrorCode} ({e.ErrorInfo})" : e.Kind + ": " + e.Message;
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

        /// <summary>The service itself always answers 200; another status comes from a gateway or proxy on the way.</summary>
        private TencentImRequestException HttpFailure(string api, int status, string? reason)
        {
            bool passing = TencentImRequestException.IsPassingHttpStatus(status);
            string advice = passing ? "(a gateway between here and the service)" : "(check -Endpoint: this is not the IM REST API, or a proxy refused the call)";
            return new TencentImRequestException(api, RequestFailureKind.HttpStatus,
                $"{api} failed: HTTP {status} {reason} from {BaseUri.Host} {advice}.", httpStatus: status);
        }

        /// <summary>Decides on ErrorCode, not ActionStatus: some answers come without ActionStatus (fact sheet §1).</summary>
        private static JsonDocument ReadEnvelope(string api, byte[] answer)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(answer);
            }
            catch (JsonException e)
            {
                throw Malformed(api, "the answer is not valid JSON (it may have been cut off)", e);
            }

            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ErrorCode", out JsonElement code) || !code.TryGetInt32(out int errorCode))
            {
                document.Dispose();
                throw Malformed(api, "the answer has no numeric ErrorCode", null);
            }

            if (errorCode != 0)
            {
                string info = root.TryGetProperty("ErrorInfo", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";
                document.Dispose();
                throw TencentImRequestException.FromServiceError(api, errorCode, info);
            }

            return document;
        }

        private static TencentImRequestException Malformed(string api, string what, Exception? inner) =>
            new TencentImRequestException(api, RequestFailureKind.MalformedResponse, $"{api} failed: {what}.", inner);

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

        private static HttpMessageHandler CreateHandler() => new HttpClientHandler
        {
            // .NET Framework allows 2 connections per server by default; concurrent batches need more.
            MaxConnectionsPerServer = 256,
            // The service never redirects; a redirecting proxy should fail as a wrong -Endpoint, not be followed.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };
    }
}
