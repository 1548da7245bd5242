using System.Collections.Generic;
using System.Management.Automation;

namespace TencentIm.Client;

/// <summary>What a client does about a service error code (docs/service-api.md §4).</summary>
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

/// <summary>
/// One service error code, described for a user: its class, an ErrorId, a category, what it can mean and what to
/// do. The service's own ErrorInfo always leads the message; this adds only what Tencent's pages say the code means.
/// </summary>
internal sealed class ServiceErrorDescription
{
    public ServiceErrorDescription(ServiceErrorClass errorClass, string errorId, ErrorCategory category, string fix,
        params string[] causes)
        : this(errorClass, errorId, category, fix, configurationIfPersistent: false, causes)
    {
    }

    public ServiceErrorDescription(ServiceErrorClass errorClass, string errorId, ErrorCategory category, string fix,
        bool configurationIfPersistent, params string[] causes)
    {
        ErrorClass = errorClass;
        ErrorId = errorId;
        Category = category;
        Fix = fix;
        ConfigurationIfPersistent = configurationIfPersistent;
        Causes = causes;
    }

    public ServiceErrorClass ErrorClass { get; }

    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    /// <summary>
    /// What the code means, as lower-case clauses without a full stop. One: what Tencent's pages agree it means.
    /// Several: the pages disagree or the code is broad, and the message lists them all without choosing.
    /// </summary>
    public IReadOnlyList<string> Causes { get; }

    /// <summary>The meaning as the message states it: one sentence, or "This code can mean: a; b; c."</summary>
    public string Meaning => Causes.Count == 1
        ? char.ToUpperInvariant(Causes[0][0]) + Causes[0].Substring(1) + "."
        : "This code can mean: " + string.Join("; ", Causes) + ".";

    /// <summary>What the user does about it.</summary>
    public string Fix { get; }

    /// <summary>
    /// Retried like a transient code, but a configuration error once the retries run out: for codes whose pages
    /// give both a passing fault and a wrong setting as the meaning.
    /// </summary>
    public bool ConfigurationIfPersistent { get; }
}

/// <summary>
/// The error codes of docs/service-api.md §4, each with what it can mean and what the user does about it.
/// </summary>
/// <remarks>
/// Sources (each code below names the ones it follows):
/// [EN] https://www.tencentcloud.com/document/product/1047/34348 (Chat error codes, English),
/// [ZH] https://cloud.tencent.com/document/product/269/1671 (IM error codes, Chinese),
/// [REST] https://cloud.tencent.com/document/product/679/131708 (REST API common error codes, Chinese),
/// [SDK] the IM SDK's error code header, both languages, e.g.
/// https://github.com/Tencent-RTC/TUIRoomKit/blob/main/Windows/SDK/ImSDK/Win/include/V2TIMErrorCode.h,
/// [API] the account_check page https://www.tencentcloud.com/document/product/1047/34956
/// (https://cloud.tencent.com/document/product/269/38417), and
/// [OVERVIEW] the REST API overview https://www.tencentcloud.com/document/product/1047/34620.
/// The classes are docs/service-api.md §4's unless a comment says why not. README "Choices where the sources disagree"
/// sums the disagreements up.
/// </remarks>
internal static class ServiceErrorCatalog
{
    private const string ConsoleHint = "The IM console shows the SDKAppID, the key and the app admins under Applications > your app.";

    private const string RetryLater =
        "Try again later, or let each request retry longer with Connect-TencentIm -MaximumRetryCount and -RetryTimeLimitSec.";

    private const string RequestFix =
        "If -Endpoint points at a proxy, check that it forwards the path, query and body unchanged; otherwise report this as a TencentIm bug.";

    private const string UserSigFix =
        "Pass a whole UserSig made by TLSSigAPIv2 (it starts with 'eJ'; Test-TencentImUserSig decodes it and says what is wrong), or connect with -SecretKey so the module signs one; and check this machine's clock.";

    /// <summary>Every code described here (0 and the unknown ones aside).</summary>
    public static IReadOnlyList<int> KnownCodes { get; } = new[]
    {
        70169, 70202, 70500, 60004, 60005, 60008, 60014, 60018, 60019, 60007, 60011, 70050, 70001, 70052,
        70003, 70005, 70009, 70013, 70014, 70016, 70020, 60002, 60003, 60006, 60009, 60012, 60015, 60025,
        60010, 70403, 60016, 60017, 60020, 60021, 60026, 60028, 70402, 71000,
        40001, 40003, 40601, 20003, 90002, 90003, 90005,
    };

    /// <summary>
    /// Whether a request answered with <paramref name="code"/> may still have done its work, in part or whole: the
    /// service timed out or failed inside while it handled the request ([API]: 70169, 70202 "server timeout",
    /// 70500 "internal server error"; [REST]: 60008 "service request timeout"), rather than refusing it first.
    /// </summary>
    public static bool MayHaveActed(int code) => code == 70169 || code == 70202 || code == 70500 || code == 60008;

    /// <summary>
    /// Whether a per-item ResultCode is one the service documents as passing (a timeout, an internal error, busy
    /// or over the limit), so that asking again for that item may succeed.
    /// </summary>
    public static bool IsPassing(int code)
    {
        ServiceErrorClass errorClass = Describe(code).ErrorClass;
        return errorClass == ServiceErrorClass.Transient || errorClass == ServiceErrorClass.Throttled;
    }

    public static ServiceErrorDescription Describe(int code)
    {
        switch (code)
        {
            case 0:
                return new ServiceErrorDescription(ServiceErrorClass.None, "Success", ErrorCategory.NotSpecified, "", "the call succeeded");

            // [API], [SDK]: "Server timeout. Try again later." / "Internal server error. Try again later."
            case 70169:
            case 70202:
                return Transient("ServiceTimeout", "the service timed out inside while it handled the request");
            case 70500:
                return Transient("ServiceInternalError", "the service had an internal error");

            // [REST], [SDK]: 60014 "account exchange timed out"; 60018 and 60019 "too many requests, try again later".
            case 60014:
                return Transient("ServiceBusy", "the service timed out exchanging the account, an internal step");
            case 60018:
            case 60019:
                return Transient("ServiceBusy", "the service has too many requests to handle right now");

            // docs/service-api.md §4 lists 60004 and 60005 as transient ("check failed"); [REST], [SDK] and [ZH] say "the
            // identifier or the UserSig in the request URL or JSON body is wrong", which no retry mends. Both are
            // handled: retried, and a configuration error (one terminating error) once the retries run out.
            case 60004:
            case 60005:
                return new ServiceErrorDescription(ServiceErrorClass.Transient, "IdentifierOrUserSigRejected", ErrorCategory.AuthenticationError,
                    "If it persists, check -Identifier and the key or UserSig (Test-TencentImUserSig explains a UserSig); if they are right, try again later.",
                    configurationIfPersistent: true,
                    "the identifier or the UserSig in the request is wrong", "the service's own check of them failed for a moment");

            // [REST], [SDK]: "Service request timeout or HTTP request format error. Check and try again."
            case 60008:
                return new ServiceErrorDescription(ServiceErrorClass.Transient, "RequestTimeoutOrMalformed", ErrorCategory.OperationTimeout,
                    "If it persists and -Endpoint points at a proxy, check that it forwards requests unchanged; otherwise try again later.",
                    configurationIfPersistent: true,
                    "the service timed out", "the HTTP request was malformed, for example altered by a proxy on the way");

            // [OVERVIEW], [SDK]: 60007 the REST API's frequency limit; 60011 (older pages) the SDKAppID's.
            case 60007:
                return Throttled("the app's frequency limit for this API was exceeded");
            case 60011:
                return Throttled("the app's overall request frequency limit was exceeded");

            // [REST], [SDK]: verification failed and too many requests; check the UserSig and wait a minute. Retrying
            // sooner only prolongs the lock-out, so the run stops.
            case 70050:
                return Config("TooManyVerificationFailures", ErrorCategory.LimitsExceeded,
                    "Fix the key or UserSig first (the earlier errors say which), wait a minute, then connect again.",
                    "UserSig verification failed too often, so the service refuses this identifier for about a minute");

            // [REST], [SDK]: 70001 "UserSig expired"; 70052 "UserSig has expired / has become invalid (失效)". Kicking
            // an account invalidates its UserSigs before their expiry (docs/service-api.md §3, kick): the kick page says "all
            // previous UserSig values for that user will expire" (https://www.tencentcloud.com/document/product/1047/34957)
            // and names no code, so 70001 may mean that too.
            case 70001:
                return new ServiceErrorDescription(ServiceErrorClass.ExpiredSignature, "UserSigExpired", ErrorCategory.AuthenticationError,
                    ExpiredFix, "the UserSig has expired", KickedCause);
            case 70052:
                return new ServiceErrorDescription(ServiceErrorClass.ExpiredSignature, "UserSigExpired", ErrorCategory.AuthenticationError,
                    ExpiredFix, "the UserSig has expired", KickedCause);

            // [SDK]: 70003 "UserSig verification failed; check whether it was truncated"; [REST]: "parse failure";
            // 70005 "verification failed; check the UserSig with a tool". A UserSig whose TLS.time lies ahead of the
            // service's clock (this machine's clock is fast) is a plausible cause of either.
            case 70003:
                return Config("UserSigInvalid", ErrorCategory.AuthenticationError, UserSigFix,
                    "the UserSig was cut off or altered on the way (copied incompletely, or truncated by a short buffer)",
                    "the service could not parse it: it is not a TLSSigAPIv2 UserSig",
                    "it was issued in the future by the service's clock, because the clock of the machine that signed it is ahead");
            case 70005:
                return Config("UserSigInvalid", ErrorCategory.AuthenticationError, UserSigFix,
                    "the UserSig was not made correctly",
                    "it was cut off or altered on the way",
                    "it was issued in the future by the service's clock, because the clock of the machine that signed it is ahead");

            // [REST], [SDK]: verification with the app's key failed: signed with another key (another app's).
            case 70009:
                return Config("SecretKeyMismatch", ErrorCategory.AuthenticationError,
                    "Check that the key belongs to this SDKAppID. " + ConsoleHint,
                    "the UserSig was not signed with this app's secret key (perhaps with another app's)");
            case 70013:
                return Config("UserSigIdentifierMismatch", ErrorCategory.AuthenticationError,
                    "Sign the UserSig for the same account you pass as -Identifier.",
                    "the UserSig was signed for another identifier than the one in the request");
            case 70014:
                return Config("UserSigSdkAppIdMismatch", ErrorCategory.AuthenticationError,
                    "Sign the UserSig for the same app you pass as -SdkAppId.",
                    "the UserSig was signed for another SDKAppID than the one in the request");

            // [SDK]: 70016 "the public key does not exist; download the key from the console" (the older
            // public/private-key UserSigs); [REST]: "the key/public key does not exist; check that the SDKAppID and
            // the data centre called match". 70020 [SDK]: "SDKAppID not found, check the app in the console";
            // [REST]: "SDKAppID does not exist; check that the SDKAppID and the data centre match".
            case 70016:
                return Config("SigningKeyNotFound", ErrorCategory.ObjectNotFound,
                    "Pass the -Region the IM console shows for this app and check -SdkAppId; if both are right, check the app's key in the IM console (your app > Basic Information).",
                    "the app lives in another data centre than the endpoint called, which holds no key for it",
                    "the service has no key for this SDKAppID (on apps of the older public/private-key kind, none was set up)");
            case 70020:
                return Config("SdkAppIdNotFound", ErrorCategory.ObjectNotFound,
                    "Check -SdkAppId, and pass the -Region the IM console shows for this app. " + ConsoleHint,
                    "the SDKAppID is wrong (check -SdkAppId)",
                    "the app lives in another data centre than the endpoint called",
                    "the app was deleted");

            // [REST], [SDK]: "SDKAppID invalid (失效: no longer valid), check its validity".
            case 60006:
                return Config("SdkAppIdInvalid", ErrorCategory.InvalidArgument,
                    "Check -SdkAppId against the IM console, and the app's state there. " + ConsoleHint,
                    "the SDKAppID is wrong or malformed",
                    "the app is no longer valid (expired, disabled or deleted)");

            // [REST], [SDK], [API]: the identifier must be an app admin.
            case 60010:
            case 70403:
                return Config("IdentifierNotAppAdmin", ErrorCategory.PermissionDenied,
                    "Pass -Identifier with an app admin account (IM console > your app > App Admin; up to 10 per app).",
                    "the identifier is not an app admin, and only app admins may call the REST API");

            // Fact sheet §1: "domain name or SDKAppID mismatched".
            case 60026:
                return Config("WrongDataCenter", ErrorCategory.InvalidArgument,
                    "Pass the -Region the IM console shows for this app (China, Singapore, Seoul, Frankfurt, SiliconValley or Jakarta).",
                    "the SDKAppID lives in another data centre than the endpoint called");

            // [REST], [SDK]: 60016 "SDKAppID disabled (ask support)"; 60017 "request disabled (ask support)", which
            // says neither what was disabled nor why.
            case 60016:
                return Config("AppDisabled", ErrorCategory.PermissionDenied,
                    "Check the app's state in the IM console, and ask Tencent Cloud support why it was disabled.",
                    "the app (this SDKAppID) is disabled");
            case 60017:
                return Config("RequestDisabled", ErrorCategory.PermissionDenied,
                    "Ask Tencent Cloud support what was disabled and why (submit a ticket from the console).",
                    "this API is disabled for the app", "the service blocks requests of this app or from this source");

            // [SDK]: "no package bought, or the one bought is still being set up: try again in 5 minutes"; [REST]:
            // "the Pro package expired and was disabled; buy it again, it takes effect after 5 minutes". The
            // service has also been seen answering it with the ErrorInfo "sdkappid not found", as for an app
            // it does not know.
            case 60020:
                return Config("PackageOrSdkAppIdInvalid", ErrorCategory.PermissionDenied,
                    "Check -SdkAppId and -Region against the IM console first; if they are right, check the app's package there (buy or renew one; a new package takes about 5 minutes to take effect).",
                    "the service does not know this SDKAppID in the data centre called (a wrong -SdkAppId or -Region)",
                    "the app has no active package: none was bought, or it expired and was stopped",
                    "a package bought in the last few minutes is not active yet");

            // [REST], [SDK]: "the source IP of the REST API call is not allowed".
            case 60021:
                return Config("SourceIpNotAllowed", ErrorCategory.PermissionDenied,
                    "Add this machine's public IP to the app's IP allow-list in the IM console.",
                    "this machine's IP address is not on the app's allow-list");

            // Fact sheet §4 (not on the pages above): the trial edition's daily limit.
            case 60028:
                return Config("TrialDailyLimitReached", ErrorCategory.QuotaExceeded,
                    "Wait until tomorrow or upgrade the app's edition.",
                    "the trial edition's daily limit is used up");

            // [REST], [SDK]: malformed requests. 60025 is in docs/service-api.md §4 (not on the pages above).
            case 60002:
                return RequestRejected("the service could not parse the request's URL");
            case 60003:
                return RequestRejected("the service could not parse the request's JSON body");
            case 60009:
                return RequestRejected("the service knows no API at the requested URL");
            case 60012:
                return RequestRejected("the request's URL carries no SDKAppID");
            case 60015:
                return RequestRejected("an account field of the request body has the wrong JSON type (identifiers and UserIDs are strings)");
            case 60025:
                return RequestRejected("the service rejected a parameter of the request");

            // account_delete, https://trtc.io/document/34955 (https://cloud.tencent.com/document/product/269/36443):
            // the trial and free-trial editions may delete accounts by default, other editions once it is enabled
            // in the console; [ZH] calls 71000 "only trial-edition accounts can be deleted", [EN] "the app does not
            // support account deletion; lift the restriction in the console". The console's switch: Chat > Users,
            // "Click here to remove the restriction" (https://trtc.io/document/50301). No request of the run can
            // succeed until it is enabled, so the run stops, whether the code comes for the request or per account.
            case 71000:
                return Config("AccountDeleteNotEnabled", ErrorCategory.PermissionDenied,
                    "Enable account deletion for this app in the IM console: Chat > Users, then 'Click here to remove the restriction' (https://trtc.io/document/50301); trial and free-trial editions allow it by default. Deleted UserIDs cannot be imported again for 3 months on other editions.",
                    "account deletion is not enabled for this app (it is by default only on trial editions)");

            // [API]: "Invalid parameters. Make sure the required fields are all entered and meet the protocol."
            case 70402:
                return new ServiceErrorDescription(ServiceErrorClass.Request, "InvalidParameters", ErrorCategory.InvalidArgument,
                    "Check the input values; if they are valid, report this as a TencentIm bug.",
                    "the service rejected the request's parameters");

            // The profile APIs' own codes, for Invoke-TencentImApi: [PROFILE] https://www.tencentcloud.com/document/product/1047/34917
            // (portrait_get) and https://www.tencentcloud.com/document/product/1047/34916 (portrait_set), whose sample
            // failure is 40001 "Err_Profile_Comm_Decode_Fail"; 40601 is on [EN]. Errors of that one call.
            case 40001:
                return ApiRequest("ProfileRequestInvalid",
                    "Check the body against the API's page: From_Account or To_Account, and ProfileItem entries with a Tag and a Value of the type the tag takes.",
                    "the service could not read the profile request (a missing field, or a Tag or Value it does not take)");
            case 40003:
                return ApiRequest("ProfileAccountNotFound",
                    "Import the account first (Import-TencentImAccount), or correct the UserID; Test-TencentImAccount tells which exist.",
                    "the account whose profile was asked for or set does not exist");
            case 40601:
                return ApiRequest("ProfileValueTooLong", "Shorten the value to at most 500 bytes in UTF-8.",
                    "a profile field's value is longer than 500 bytes");

            // sendmsg's own codes, [SENDMSG] https://trtc.io/document/34919: errors of that one call.
            case 20003:
                return ApiRequest("MessageAccountNotFound",
                    "Import the account first (Import-TencentImAccount), or correct To_Account or From_Account; Test-TencentImAccount tells which exist.",
                    "the sender or recipient UserID is invalid or does not exist");
            case 90002:
                return ApiRequest("MessageBodyInvalid", "Give MsgBody as a list of elements, each with MsgType (such as TIMTextElem) and MsgContent.",
                    "the message's MsgBody is not in the documented format");
            case 90003:
                return ApiRequest("MessageRecipientMissing", "Give To_Account as one UserID string.",
                    "the body has no To_Account, or it is not a string");
            case 90005:
                return ApiRequest("MessageRandomMissing", "Give MsgRandom as a whole number from 0 to 4294967295 (Get-Random -Maximum ([int]::MaxValue)).",
                    "the body has no MsgRandom, or it is not a 32-bit unsigned whole number");

            default:
                return new ServiceErrorDescription(ServiceErrorClass.Unknown, "ServiceError", ErrorCategory.NotSpecified,
                    "Look the code up in Tencent Cloud IM's error code list: https://www.tencentcloud.com/document/product/1047/34348.",
                    "the service answered with an error code this module does not know");
        }
    }

    private const string ExpiredFix =
        "Connect again with -SecretKey or -Credential so that UserSigs are signed and renewed here, or sign a new UserSig with a longer lifetime.";

    private const string KickedCause =
        "the identifier's login state was revoked (kick, as Revoke-TencentImLogin does), which makes every UserSig issued for it before then expire";

    /// <summary>A passing fault: a timeout is OperationTimeout, an internal error or a busy service ResourceUnavailable.</summary>
    private static ServiceErrorDescription Transient(string errorId, string cause) =>
        new ServiceErrorDescription(ServiceErrorClass.Transient, errorId,
            errorId == "ServiceTimeout" ? ErrorCategory.OperationTimeout : ErrorCategory.ResourceUnavailable, RetryLater, cause);

    private static ServiceErrorDescription Throttled(string cause) =>
        new ServiceErrorDescription(ServiceErrorClass.Throttled, "FrequencyLimitExceeded", ErrorCategory.LimitsExceeded,
            "The module slows down by itself and retries within the retry time limit: give it longer (Connect-TencentIm -RetryTimeLimitSec), or lower -MaxRequestsPerSecond to leave part of the quota to other automation.", cause);

    /// <summary>An API's own code about the body or an account it names: an error of that call, never of the run.</summary>
    private static ServiceErrorDescription ApiRequest(string errorId, string fix, string cause) =>
        new ServiceErrorDescription(ServiceErrorClass.Request, errorId, ErrorCategory.InvalidArgument, fix, cause);

    private static ServiceErrorDescription RequestRejected(string cause) =>
        Config("RequestRejected", ErrorCategory.ProtocolError, RequestFix, cause);

    private static ServiceErrorDescription Config(string errorId, ErrorCategory category, string fix, params string[] causes) =>
        new ServiceErrorDescription(ServiceErrorClass.Configuration, errorId, category, fix, causes);
}
