using System.Management.Automation;

namespace TencentIm.Client
{
    /// <summary>What a client does about a service error code (fact sheet §4).</summary>
    public enum ServiceErrorClass
    {
        /// <summary>Not a failure.</summary>
        None,

        /// <summary>A passing fault (server timeout, internal error, gateway trouble): retry with backoff.</summary>
        Transient,

        /// <summary>Over a frequency limit: slow down, then retry.</summary>
        Throttled,

        /// <summary>The UserSig expired: sign anew and retry once.</summary>
        ExpiredSignature,

        /// <summary>Wrong key, identifier, SDKAppID, data centre or app state: stop and tell the user what to fix.</summary>
        Configuration,

        /// <summary>The request itself was refused (bad parameters): a client bug or bad input.</summary>
        Request,

        /// <summary>A code this module does not know: reported as a failure of that request.</summary>
        Unknown,
    }

    /// <summary>One service error code, described for a user: its class, an ErrorId, a category and what to do.</summary>
    internal sealed class ServiceErrorDescription
    {
        public ServiceErrorDescription(ServiceErrorClass errorClass, string errorId, ErrorCategory category, string cause, string fix)
        {
            ErrorClass = errorClass;
            ErrorId = errorId;
            Category = category;
            Cause = cause;
            Fix = fix;
        }

        public ServiceErrorClass ErrorClass { get; }

        public string ErrorId { get; }

        public ErrorCategory Category { get; }

        /// <summary>What the code means, in one sentence.</summary>
        public string Cause { get; }

        /// <summary>What the user does about it.</summary>
        public string Fix { get; }
    }

    /// <summary>The error codes of fact sheet §4, each with what it means and what the user does about it.</summary>
    internal static class ServiceErrorCatalog
    {
        private const string ConsoleHint = "The IM console shows the SDKAppID, the key and the app admins under Applications > your app.";

        public static ServiceErrorDescription Describe(int code)
        {
            switch (code)
            {
                case 0:
                    return new ServiceErrorDescription(ServiceErrorClass.None, "Success", ErrorCategory.NotSpecified, "Success.", "");

                case 70169:
                case 70202:
                    return Transient("ServiceTimeout", "The service timed out.");
                case 70500:
                    return Transient("ServiceInternalError", "The service had an internal error.");
                case 60004:
                case 60005:
                case 60008:
                case 60014:
                case 60018:
                case 60019:
                    return Transient("ServiceBusy", "The service could not complete the request in time.");

                case 60007:
                case 60011:
                    return new ServiceErrorDescription(ServiceErrorClass.Throttled, "FrequencyLimitExceeded", ErrorCategory.LimitsExceeded,
                        "The app's frequency limit for this API was exceeded.",
                        "Lower Connect-TencentIm -MaxRequestsPerSecond, or wait until other automation that shares the app's quota is done.");
                case 70050:
                    // Fact sheet §4: wait about a minute. Retrying sooner only prolongs the lock-out, so the run stops.
                    return new ServiceErrorDescription(ServiceErrorClass.Configuration, "TooManyVerificationFailures", ErrorCategory.LimitsExceeded,
                        "UserSig verification failed too often, so the service refuses this identifier for about a minute.",
                        "Fix the key or UserSig first (the earlier errors say which), wait a minute, then connect again.");

                case 70001:
                case 70052:
                    return new ServiceErrorDescription(ServiceErrorClass.ExpiredSignature, "UserSigExpired", ErrorCategory.AuthenticationError,
                        "The UserSig has expired.",
                        "Connect again with -SecretKey or -Credential so that UserSigs are signed and renewed here, or sign a new UserSig with a longer lifetime.");

                case 70003:
                case 70005:
                    return Config("UserSigInvalid", ErrorCategory.AuthenticationError, "The service could not decode the UserSig.",
                        "Pass a UserSig made by TLSSigAPIv2 (it starts with 'eJ'), or connect with -SecretKey so the module signs one.");
                case 70009:
                    return Config("SecretKeyMismatch", ErrorCategory.AuthenticationError,
                        "The UserSig was not signed with this app's secret key.",
                        "Check that the key belongs to this SDKAppID. " + ConsoleHint);
                case 70013:
                    return Config("UserSigIdentifierMismatch", ErrorCategory.AuthenticationError,
                        "The UserSig was signed for another identifier than the one in the request.",
                        "Sign the UserSig for the same account you pass as -Identifier.");
                case 70014:
                    return Config("UserSigSdkAppIdMismatch", ErrorCategory.AuthenticationError,
                        "The UserSig was signed for another SDKAppID than the one in the request.",
                        "Sign the UserSig for the same app you pass as -SdkAppId.");
                case 70016:
                case 70020:
                case 60006:
                    return Config("SdkAppIdNotFound", ErrorCategory.ObjectNotFound,
                        "The service knows no IM app with this SDKAppID.",
                        "Check -SdkAppId. " + ConsoleHint);

                case 60010:
                case 70403:
                    return Config("IdentifierNotAppAdmin", ErrorCategory.PermissionDenied,
                        "The identifier is not an app admin, and only app admins may call the REST API.",
                        "Pass -Identifier with an app admin account (IM console > your app > App Admin; up to 10 per app).");

                case 60026:
                    return Config("WrongDataCenter", ErrorCategory.InvalidArgument,
                        "The SDKAppID lives in another data centre than the endpoint called.",
                        "Pass the -Region the IM console shows for this app (China, Singapore, Seoul, Frankfurt, SiliconValley or Jakarta).");
                case 60016:
                case 60017:
                    return Config("AppDisabled", ErrorCategory.PermissionDenied,
                        "The app or this API is disabled.", "Enable the app in the IM console, or ask Tencent Cloud support why it was disabled.");
                case 60020:
                    return Config("PackageExpired", ErrorCategory.PermissionDenied,
                        "The app's paid package has expired or been disabled.", "Renew the package in the IM console.");
                case 60021:
                    return Config("SourceIpNotAllowed", ErrorCategory.PermissionDenied,
                        "This machine's IP address is not on the app's allow-list.", "Add this machine's public IP to the app's IP allow-list in the IM console.");
                case 60028:
                    return Config("TrialDailyLimitReached", ErrorCategory.QuotaExceeded,
                        "The trial edition's daily limit is used up.", "Wait until tomorrow or upgrade the app's edition.");
                case 60002:
                case 60003:
                case 60009:
                case 60012:
                case 60015:
                case 60025:
                    return Config("RequestRejected", ErrorCategory.ProtocolError,
                        "The service could not parse the request (URL, JSON or parameters).",
                        "If -Endpoint points at a proxy, check that it forwards the path and query unchanged; otherwise report this as a TencentIm bug.");

                case 70402:
                    return new ServiceErrorDescription(ServiceErrorClass.Request, "InvalidParameters", ErrorCategory.InvalidArgument,
                        "The service rejected the request's parameters.", "Check the input values; if they are valid, report this as a TencentIm bug.");

                default:
                    return new ServiceErrorDescription(ServiceErrorClass.Unknown, "ServiceError", ErrorCategory.NotSpecified,
                        "The service answered with an error.", "Look the code up in Tencent Cloud IM's error code list.");
            }
        }

        private static ServiceErrorDescription Transient(string errorId, string cause) =>
            new ServiceErrorDescription(ServiceErrorClass.Transient, errorId, ErrorCategory.OperationTimeout, cause, "Try again later.");

        private static ServiceErrorDescription Config(string errorId, ErrorCategory category, string cause, string fix) =>
            new ServiceErrorDescription(ServiceErrorClass.Configuration, errorId, category, cause, fix);
    }
}
