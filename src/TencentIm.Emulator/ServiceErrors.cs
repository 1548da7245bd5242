namespace TencentIm.Emulator;

/// <summary>
/// The error codes the emulator answers and their ErrorInfo texts. Codes and meanings come from
/// docs/service-api.md (§1, §3, §4) and the account_check API page; the texts are short English
/// like the service's, sometimes with a detail appended so that a failing test says which parameter was wrong.
/// </summary>
internal static class ServiceErrors
{
    // §4 configuration: bad URL, JSON, SDKAppID or parameters.
    public const int HttpParseError = 60002;
    public const int InvalidJson = 60003;
    public const int InvalidSdkAppId = 60006;
    public const int InvalidRequestUri = 60009;
    public const int SdkAppIdMissing = 60012;
    public const int InvalidJsonFieldType = 60015;

    // §4 throttled: over the API's frequency limit.
    public const int FrequencyLimit = 60007;

    // §1: calling the wrong data centre.
    public const int WrongDataCentre = 60026;

    // §4 expired signature / configuration: UserSig checks, in the order UserSigSigner.Verify reports them.
    public const int UserSigExpired = 70001;
    public const int UserSigMalformed = 70003;
    public const int UserSigSignatureMismatch = 70009;
    public const int UserSigIdentifierMismatch = 70013;
    public const int UserSigSdkAppIdMismatch = 70014;
    public const int SdkAppIdNotFound = 70020;

    // §3 / §4 account: per-account results.
    public const int AccountNotFound = 70107;
    public const int AccountLimitReached = 70398;
    public const int ReimportTooSoon = 70399;
    public const int DeleteNotAllowed = 71000;

    // account_check API page: request-level errors.
    public const int ServerTimeout = 70169;
    public const int ServerTimeout2 = 70202;
    public const int InvalidParameters = 70402;
    public const int AdminRequired = 70403;
    public const int InternalError = 70500;

    // The profile APIs' own codes (https://www.tencentcloud.com/document/product/1047/34917, …/34916): a request
    // that cannot be read, an account that does not exist, a field value over 500 bytes.
    public const int ProfileDecodeFailed = 40001;
    public const int ProfileAccountNotFound = 40003;
    public const int ProfileValueTooLong = 40601;

    // sendmsg's own codes (https://trtc.io/document/34919): sender or recipient not an account; MsgBody, To_Account
    // or MsgRandom wrong or missing.
    public const int MessageAccountInvalid = 20003;
    public const int MessageBodyInvalid = 90002;
    public const int MessageToAccountInvalid = 90003;
    public const int MessageRandomMissing = 90005;

    public static string Info(int code) => code switch
    {
        ProfileDecodeFailed => "Err_Profile_Comm_Decode_Fail",
        ProfileAccountNotFound => "The requested account does not exist",
        ProfileValueTooLong => "The profile field's value is longer than 500 bytes",
        MessageAccountInvalid => "The sender or recipient UserID is invalid or does not exist",
        MessageBodyInvalid => "MsgBody is not valid: it holds message elements with MsgType and MsgContent",
        MessageToAccountInvalid => "To_Account is missing or is not a string",
        MessageRandomMissing => "MsgRandom is missing or is not a 32-bit unsigned integer",
        HttpParseError => "HTTP parse error: check the URL and its parameters",
        InvalidJson => "Invalid JSON format in the request body",
        InvalidSdkAppId => "Invalid SDKAppID",
        FrequencyLimit => "REST API call frequency exceeds the limit",
        InvalidRequestUri => "Invalid request URI or API",
        SdkAppIdMissing => "SDKAppID is missing from the request",
        InvalidJsonFieldType => "Invalid JSON field type",
        WrongDataCentre => "domain name or SDKAppID mismatched",
        UserSigExpired => "UserSig expired: generate a new one",
        UserSigMalformed => "Invalid UserSig: it cannot be decoded",
        UserSigSignatureMismatch => "UserSig verification failed: it was not signed with this app's key",
        UserSigIdentifierMismatch => "The identifier does not match the one in the UserSig",
        UserSigSdkAppIdMismatch => "The SDKAppID does not match the one in the UserSig",
        SdkAppIdNotFound => "SDKAppID not found",
        AccountNotFound => "The account does not exist",
        AccountLimitReached => "Account number exceeds the limit of the app's edition",
        ReimportTooSoon => "The UserID was deleted less than 3 months ago and cannot be imported again",
        DeleteNotAllowed => "Account deletion is not enabled for this app",
        ServerTimeout or ServerTimeout2 => "Server timeout. Try again later.",
        InvalidParameters => "Invalid parameters",
        AdminRequired => "Request failed. App admin permissions are required to perform this operation.",
        InternalError => "Internal server error. Try again later.",
        _ => "Error",
    };

    /// <summary>The code's text with a detail, e.g. "Invalid parameters: CheckItem holds more than 100 items".</summary>
    public static string Info(int code, string? detail) => detail is null ? Info(code) : Info(code) + ": " + detail;
}
