using System;

namespace TencentIm.Client;

/// <summary>How a REST request failed.</summary>
public enum RequestFailureKind
{
    /// <summary>The service answered with a non-zero ErrorCode.</summary>
    ServiceError,

    /// <summary>An HTTP status other than 200 (the service itself always answers 200: a gateway or proxy failed).</summary>
    HttpStatus,

    /// <summary>No connection could be made (refused, no such host, no route, or none within the timeout).</summary>
    Unreachable,

    /// <summary>The request was sent, but no answer came within the request timeout.</summary>
    Timeout,

    /// <summary>An answer that was cut off or broken (JSON that ends mid-way, an envelope without its items).</summary>
    MalformedResponse,

    /// <summary>
    /// The TLS handshake failed, most often because the server's certificate did not pass validation. Not retried:
    /// the next attempt would meet the same certificate.
    /// </summary>
    TlsFailure,

    /// <summary>The connection was made and the request sent, then the connection broke before the whole answer arrived.</summary>
    ConnectionLost,

    /// <summary>
    /// A complete answer that is not the IM REST API's: not JSON at all (an HTML page from a proxy or web server),
    /// or a JSON object with neither ErrorCode nor ActionStatus. Not retried: -Endpoint points elsewhere.
    /// </summary>
    NotTencentIm,

    /// <summary>The connection was closed (Disconnect-TencentIm, or Remove-Module TencentIm) while the request was made: it ends the run.</summary>
    ConnectionClosed,

    /// <summary>A proxy asked for credentials or refused them (HTTP 407): its settings, never retried.</summary>
    ProxyAuthenticationRequired,

    /// <summary>No connection to the proxy (refused, unknown host, no route).</summary>
    ProxyUnreachable,
}

/// <summary>
/// A REST request that failed, with what the service said (ErrorCode, ErrorInfo), what happened and what to do
/// about it. The message never contains the request URL, which carries the UserSig, nor a body the endpoint sent.
/// </summary>
public sealed class TencentImRequestException : Exception
{
    // What to do about failures that are not the service's answer.
    internal const string TryAgainLater =
        "The service, or a gateway on the way, is having trouble: try again later (Connect-TencentIm -MaximumRetryCount and -RetryTimeLimitSec let each request retry longer).";

    internal const string CheckReachable =
        "Check -Region or -Endpoint, this machine's network and any proxy (HTTPS_PROXY), then try again.";

    internal const string CheckEndpoint =
        "Check that -Endpoint is the Tencent IM REST API of your app's data centre (or a proxy that passes it through unchanged).";

    internal const string CheckCertificate =
        "Check that -Endpoint names the service itself and that its certificate is valid for that name; if a proxy or security product inspects HTTPS on this network, install its root certificate in this machine's trusted root store; and check this machine's clock and date, since a certificate is valid only between two dates.";

    internal TencentImRequestException(string api, RequestFailureKind kind, string what, Exception? inner = null,
        int errorCode = 0, string? errorInfo = null, int httpStatus = 0, string? fix = null)
        : base(Compose(what, fix ?? DefaultFix(kind, errorCode, httpStatus)), inner)
    {
        Api = api;
        Kind = kind;
        ErrorCode = errorCode;
        ErrorInfo = errorInfo ?? "";
        HttpStatus = httpStatus;
        // Only the service's own answers have a code to describe: a timeout or a refused connection has none.
        Description = kind == RequestFailureKind.ServiceError ? ServiceErrorCatalog.Describe(errorCode) : null;
        Summary = what;
        Fix = fix ?? DefaultFix(kind, errorCode, httpStatus);
    }

    /// <summary>The API called, such as im_open_login_svc/account_check.</summary>
    public string Api { get; }

    /// <summary>How the request failed.</summary>
    public RequestFailureKind Kind { get; }

    /// <summary>The service's ErrorCode, or 0 if the failure was not the service's answer.</summary>
    public int ErrorCode { get; }

    /// <summary>The service's ErrorInfo, or empty.</summary>
    public string ErrorInfo { get; }

    /// <summary>The HTTP status for <see cref="RequestFailureKind.HttpStatus"/> and <see cref="RequestFailureKind.ProxyAuthenticationRequired"/>, else 0.</summary>
    public int HttpStatus { get; }

    /// <summary>What the client does about it: configuration errors stop the run, transient ones are retried.</summary>
    public ServiceErrorClass ErrorClass => Kind switch
    {
        // A code that means either a passing fault or a wrong setting is retried; once the retries run out, the
        // wrong setting is the likelier reading, and the run stops with one error instead of one per request.
        RequestFailureKind.ServiceError => RetriesRanOut && Description!.ConfigurationIfPersistent ? ServiceErrorClass.Configuration : Description!.ErrorClass,
        // 5xx, 408 and 429 are a gateway's passing trouble; any other status means the endpoint is wrong.
        RequestFailureKind.HttpStatus => IsPassingHttpStatus(HttpStatus) ? ServiceErrorClass.Transient : ServiceErrorClass.Configuration,
        // Retried while attempts are left; once they have run out, the endpoint (or the proxy) cannot be reached
        // at all, and every other request of the run would meet the same closed door: one error for the run.
        RequestFailureKind.Unreachable or RequestFailureKind.ProxyUnreachable => RetriesRanOut ? ServiceErrorClass.Configuration : ServiceErrorClass.Transient,
        // The next attempt would meet the same certificate, or the same answer that is not the IM API.
        RequestFailureKind.TlsFailure => ServiceErrorClass.Configuration,
        RequestFailureKind.NotTencentIm => ServiceErrorClass.Configuration,
        RequestFailureKind.ConnectionClosed => ServiceErrorClass.Configuration,
        RequestFailureKind.ProxyAuthenticationRequired => ServiceErrorClass.Configuration,
        _ => ServiceErrorClass.Transient,
    };

    /// <summary>The PowerShell error category for an ErrorRecord about this failure.</summary>
    public System.Management.Automation.ErrorCategory Category => Kind switch
    {
        RequestFailureKind.ServiceError => Description!.Category,
        RequestFailureKind.Timeout => System.Management.Automation.ErrorCategory.OperationTimeout,
        RequestFailureKind.Unreachable => System.Management.Automation.ErrorCategory.ConnectionError,
        RequestFailureKind.ConnectionLost => System.Management.Automation.ErrorCategory.ConnectionError,
        RequestFailureKind.HttpStatus => System.Management.Automation.ErrorCategory.ConnectionError,
        RequestFailureKind.TlsFailure => System.Management.Automation.ErrorCategory.SecurityError,
        RequestFailureKind.ConnectionClosed => System.Management.Automation.ErrorCategory.ConnectionError,
        RequestFailureKind.ProxyAuthenticationRequired => System.Management.Automation.ErrorCategory.AuthenticationError,
        RequestFailureKind.ProxyUnreachable => System.Management.Automation.ErrorCategory.ConnectionError,
        _ => System.Management.Automation.ErrorCategory.InvalidResult,
    };

    /// <summary>
    /// Whether the request was sent and failed without an answer that shows the service did nothing, so that it
    /// may have taken effect: no answer within the timeout, a connection broken mid-answer, an answer cut off, a
    /// gateway's 5xx (the gateway may have passed the request on before it failed), or the service's own timeout
    /// or internal error (<see cref="ServiceErrorCatalog.MayHaveActed"/>). A request refused before it ran (not
    /// sent, 60007, a UserSig or configuration error) has not. The docs say nothing of what a lost attempt did,
    /// so every failure that leaves it open counts (README, "Choices where the sources disagree").
    /// </summary>
    internal bool MayHaveTakenEffect => Kind switch
    {
        RequestFailureKind.Timeout => true,
        RequestFailureKind.ConnectionLost => true,
        RequestFailureKind.MalformedResponse => true,
        RequestFailureKind.HttpStatus => HttpStatus >= 500,
        RequestFailureKind.ServiceError => ServiceErrorCatalog.MayHaveActed(ErrorCode),
        _ => false,
    };

    /// <summary>Whether the proxy failed (its credentials, or reaching it) rather than the endpoint or the service.</summary>
    internal bool IsProxyFailure => Kind == RequestFailureKind.ProxyAuthenticationRequired || Kind == RequestFailureKind.ProxyUnreachable;

    /// <summary>What the service's ErrorCode means, for <see cref="RequestFailureKind.ServiceError"/>; null for every other kind.</summary>
    internal ServiceErrorDescription? Description { get; }

    /// <summary>What happened, without the advice: for the -Verbose line of an attempt.</summary>
    internal string Summary { get; }

    /// <summary>What the user does about it (also the end of the message).</summary>
    internal string Fix { get; }

    /// <summary>Set when the client stopped retrying this failure: its retries or its time ran out.</summary>
    internal bool RetriesRanOut { get; set; }

    /// <summary>
    /// Set when the client did not send the request again although the failure is one it retries, because the
    /// request may have taken effect (<see cref="MayHaveTakenEffect"/>) and the API is not idempotent: a second
    /// attempt could have sent a message twice.
    /// </summary>
    internal bool NotRepeated { get; set; }

    /// <summary>The service's whole answer, for <see cref="RequestFailureKind.ServiceError"/>; null for every other kind.</summary>
    internal System.Text.Json.JsonElement? Answer { get; set; }

    /// <summary>5xx, 408 and 429 are a gateway's passing trouble; any other status means the endpoint is wrong.</summary>
    /// <remarks>
    /// 501 (Not Implemented) and 505 (HTTP Version Not Supported) are a server that does not take this request at
    /// all, such as a plain web server that refuses POST: not passing, so not retried.
    /// </remarks>
    internal static bool IsPassingHttpStatus(int status) => (status >= 500 && status != 501 && status != 505) || status == 408 || status == 429;

    /// <summary>
    /// "&lt;api&gt; failed with ErrorCode N: '&lt;ErrorInfo&gt;'. &lt;what the code means, or the plausible
    /// causes&gt; &lt;fix&gt;": the service's own words first, so that nothing added here can contradict them unseen.
    /// </summary>
    /// <param name="api">The API called.</param>
    /// <param name="errorCode">The service's ErrorCode.</param>
    /// <param name="errorInfo">The service's ErrorInfo.</param>
    /// <param name="fix">Advice that fits how the caller signed in better than the catalogue's, or null for the catalogue's.</param>
    internal static TencentImRequestException FromServiceError(string api, int errorCode, string errorInfo, string? fix = null)
    {
        ServiceErrorDescription d = ServiceErrorCatalog.Describe(errorCode);
        string said = string.IsNullOrEmpty(errorInfo) ? $"ErrorCode {errorCode} and no ErrorInfo" : $"ErrorCode {errorCode}: '{errorInfo}'";
        return new TencentImRequestException(api, RequestFailureKind.ServiceError, $"{api} failed with {said}. {d.Meaning}",
            errorCode: errorCode, errorInfo: errorInfo, fix: fix ?? d.Fix);
    }

    /// <summary>Ends <paramref name="text"/> with a full stop unless it ends with punctuation already.</summary>
    internal static string Sentence(string text)
    {
        text = text.TrimEnd();
        return text.Length == 0 || ".!?".IndexOf(text[text.Length - 1]) >= 0 ? text : text + ".";
    }

    private static string Compose(string what, string fix) => fix.Length == 0 ? Sentence(what) : Sentence(what) + " " + fix;

    private static string DefaultFix(RequestFailureKind kind, int errorCode, int httpStatus) => kind switch
    {
        RequestFailureKind.ServiceError => ServiceErrorCatalog.Describe(errorCode).Fix,
        RequestFailureKind.Unreachable => CheckReachable,
        RequestFailureKind.TlsFailure => CheckCertificate,
        RequestFailureKind.NotTencentIm => CheckEndpoint,
        RequestFailureKind.HttpStatus => IsPassingHttpStatus(httpStatus) ? TryAgainLater : CheckEndpoint,
        _ => TryAgainLater,
    };
}
