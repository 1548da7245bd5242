using System;

namespace TencentIm.Client
{
    /// <summary>How a REST request failed.</summary>
    public enum RequestFailureKind
    {
        /// <summary>The service answered with a non-zero ErrorCode.</summary>
        ServiceError,

        /// <summary>An HTTP status other than 200 (the service itself always answers 200: a gateway or proxy failed).</summary>
        HttpStatus,

        /// <summary>No connection, or it was dropped before an answer arrived.</summary>
        Unreachable,

        /// <summary>No answer within the request timeout.</summary>
        Timeout,

        /// <summary>An answer that is not the JSON the API promises (truncated, or another shape).</summary>
        MalformedResponse,

        /// <summary>A proxy asked for credentials or refused them (HTTP 407): its settings, never retried.</summary>
        ProxyAuthenticationRequired,

        /// <summary>No connection to the proxy (refused, unknown host, no route).</summary>
        ProxyUnreachable,
    }

    /// <summary>
    /// A REST request that failed, with what the service said (ErrorCode, ErrorInfo) and what to do about it.
    /// The message never contains the request URL, which carries the UserSig.
    /// </summary>
    public sealed class TencentImRequestException : Exception
    {
        internal TencentImRequestException(string api, RequestFailureKind kind, string message, Exception? inner = null,
            int errorCode = 0, string? errorInfo = null, int httpStatus = 0)
            : base(message, inner)
        {
            Api = api;
            Kind = kind;
            ErrorCode = errorCode;
            ErrorInfo = errorInfo ?? "";
            HttpStatus = httpStatus;
            Description = ServiceErrorCatalog.Describe(errorCode);
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
            RequestFailureKind.ServiceError => Description.ErrorClass,
            // 5xx, 408 and 429 are a gateway's passing trouble; any other status means the endpoint is wrong.
            RequestFailureKind.HttpStatus => IsPassingHttpStatus(HttpStatus) ? ServiceErrorClass.Transient : ServiceErrorClass.Configuration,
            RequestFailureKind.ProxyAuthenticationRequired => ServiceErrorClass.Configuration,
            _ => ServiceErrorClass.Transient,
        };

        /// <summary>The PowerShell error category for an ErrorRecord about this failure.</summary>
        public System.Management.Automation.ErrorCategory Category => Kind switch
        {
            RequestFailureKind.ServiceError => Description.Category,
            RequestFailureKind.Timeout => System.Management.Automation.ErrorCategory.OperationTimeout,
            RequestFailureKind.Unreachable => System.Management.Automation.ErrorCategory.ConnectionError,
            RequestFailureKind.HttpStatus => System.Management.Automation.ErrorCategory.ConnectionError,
            RequestFailureKind.ProxyAuthenticationRequired => System.Management.Automation.ErrorCategory.AuthenticationError,
            RequestFailureKind.ProxyUnreachable => System.Management.Automation.ErrorCategory.ConnectionError,
            _ => System.Management.Automation.ErrorCategory.InvalidResult,
        };

        /// <summary>Whether the proxy failed (its credentials, or reaching it) rather than the endpoint or the service.</summary>
        internal bool IsProxyFailure => Kind == RequestFailureKind.ProxyAuthenticationRequired || Kind == RequestFailureKind.ProxyUnreachable;

        internal ServiceErrorDescription Description { get; }

        /// <summary>5xx, 408 and 429 are a gateway's passing trouble; any other status means the endpoint is wrong.</summary>
        internal static bool IsPassingHttpStatus(int status) => status >= 500 || status == 408 || status == 429;

        internal static TencentImRequestException FromServiceError(string api, int errorCode, string errorInfo)
        {
            ServiceErrorDescription d = ServiceErrorCatalog.Describe(errorCode);
            string info = string.IsNullOrEmpty(errorInfo) ? "" : $" ({errorInfo})";
            return new TencentImRequestException(api, RequestFailureKind.ServiceError,
                $"{api} failed with ErrorCode {errorCode}{info}. {d.Cause} {d.Fix}".TrimEnd(),
                errorCode: errorCode, errorInfo: errorInfo);
        }
    }
}
