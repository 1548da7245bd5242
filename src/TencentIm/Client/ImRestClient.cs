using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Signing;

namespace TencentIm.Client
{
    /// <summary>
    /// Calls the IM REST API for one app: builds the URI, signs, sends, reads the envelope, and retries what the
    /// fact sheet (§4) says is worth retrying. Thread-safe: one instance serves every concurrent request.
    /// </summary>
    internal sealed class ImRestClient : IDisposable
    {
        private static readonly RandomNumberGenerator Rng = RandomNumberGenerator.Create();
        private static readonly MediaTypeHeaderValue JsonContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        private readonly HttpClient _http;
        private readonly IUserSigSource _userSigs;
        private readonly ClientSettings _settings;

        public ImRestClient(Uri baseUri, uint sdkAppId, string identifier, IUserSigSource userSigs, ClientSettings settings, HttpMessageHandler? handler = null)
        {
            BaseUri = baseUri;
            SdkAppId = sdkAppId;
            Identifier = identifier;
            _userSigs = userSigs;
            _settings = settings;
            _http = new HttpClient(handler ?? CreateHandler(), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        public Uri BaseUri { get; }

        public uint SdkAppId { get; }

        public string Identifier { get; }

        public IUserSigSource UserSigs => _userSigs;

        public ClientSettings Settings => _settings;

        /// <summary>account_check for up to 100 distinct UserIDs; the answer's items, as the service gave them.</summary>
        public async Task<List<AccountCheckItem>> CheckAccountsAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken)
        {
            byte[] body = AccountCheckProtocol.WriteRequest(userIds);
            using JsonDocument answer = await PostAsync(AccountCheckProtocol.Api, body, cancellationToken).ConfigureAwait(false);
            try
            {
                return AccountCheckProtocol.ReadResultItems(answer.RootElement);
            }
            catch (Exception e) when (e is FormatException || e is InvalidOperationException)
            {
                throw Malformed(AccountCheckProtocol.Api, e.Message, e);
            }
        }

        /// <summary>
        /// POSTs <paramref name="body"/> to <paramref name="api"/> and returns the answer once its ErrorCode is 0.
        /// Transient failures are retried with backoff; an expired UserSig is renewed once; the rest throw.
        /// </summary>
        public async Task<JsonDocument> PostAsync(string api, byte[] body, CancellationToken cancellationToken)
        {
            var backoff = new Backoff(_settings);
            DateTimeOffset started = DateTimeOffset.UtcNow;
            bool renewed = false;
            for (int attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string userSig = _userSigs.Current();
                try
                {
                    return await SendOnceAsync(api, body, userSig, cancellationToken).ConfigureAwait(false);
                }
                catch (TencentImRequestException e) when (e.ErrorClass == ServiceErrorClass.ExpiredSignature && !renewed && _userSigs.TryRenew(userSig))
                {
                    renewed = true;
                    attempt--; // a renewal is not a failed attempt
                }
                catch (TencentImRequestException e) when (IsRetryable(e) && attempt < _settings.MaxAttempts)
                {
                    TimeSpan delay = backoff.Next(attempt);
                    if (DateTimeOffset.UtcNow - started + delay > _settings.RetryBudget)
                    {
                        throw;
                    }

                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        public void Dispose()
        {
            _http.Dispose();
            _userSigs.Dispose();
        }

        private static bool IsRetryable(TencentImRequestException e) =>
            e.ErrorClass == ServiceErrorClass.Transient || e.ErrorClass == ServiceErrorClass.Throttled;

        private async Task<JsonDocument> SendOnceAsync(string api, byte[] body, string userSig, CancellationToken cancellationToken)
        {
            Uri uri = RequestUri.Build(BaseUri, api, SdkAppId, Identifier, userSig, NextRandom());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_settings.RequestTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = JsonContentType;

            byte[] answer;
            try
            {
                using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new TencentImRequestException(api, RequestFailureKind.HttpStatus,
                        $"{api} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {BaseUri.Host} (a gateway or proxy between here and the service).",
                        httpStatus: (int)response.StatusCode);
                }

                answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e)
            {
                throw new TencentImRequestException(api, RequestFailureKind.Timeout,
                    $"{api} got no answer from {BaseUri.Host} within {_settings.RequestTimeout.TotalSeconds:0.#} s.", e);
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException)
            {
                throw new TencentImRequestException(api, RequestFailureKind.Unreachable,
                    $"{api} could not reach {BaseUri.GetLeftPart(UriPartial.Authority)}: {InnermostMessage(e)}", e);
            }

            return ReadEnvelope(api, answer);
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
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };
    }
}
