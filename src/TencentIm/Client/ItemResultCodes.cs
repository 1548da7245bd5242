namespace TencentIm.Client
{
    /// <summary>
    /// The per-account ResultCodes of the account APIs (docs/service-api.md §3, §4): codes that come in an answer's
    /// items while the request itself succeeded. <see cref="ServiceErrorCatalog"/> describes the request-level codes.
    /// </summary>
    /// <remarks>
    /// Sources: the account_delete page https://trtc.io/document/34955 (70107 in its sample answer, 71000, the 3-month
    /// rule) and the error-code page https://trtc.io/document/34348 (70107, 70398, 70399, 71000).
    /// </remarks>
    internal static class ItemResultCatalog
    {
        /// <summary>The account does not exist (Err_TLS_PT_Open_Login_Account_Not_Exist).</summary>
        public const int AccountNotFound = 70107;

        /// <summary>The app's account count is over its edition's limit.</summary>
        public const int AccountLimitExceeded = 70398;

        /// <summary>The UserID was deleted less than 3 months ago and cannot be imported again (non-trial editions).</summary>
        public const int ReimportTooSoon = 70399;

        /// <summary>Account deletion is not enabled for the app; also a request-level code (<see cref="ServiceErrorCatalog"/>).</summary>
        public const int DeleteNotEnabled = 71000;

        /// <summary>What a per-account code means, as a sentence, for a ResultInfo the service left empty; null if unknown.</summary>
        public static string? Describe(int code) => code switch
        {
            AccountNotFound => "The account does not exist.",
            AccountLimitExceeded => "The app's account count is over its edition's limit.",
            ReimportTooSoon => "The UserID was deleted less than 3 months ago, so it cannot be imported again yet.",
            DeleteNotEnabled => "Account deletion is not enabled for this app.",
            _ => null,
        };
    }
}
