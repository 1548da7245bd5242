namespace TencentIm.Client
{
    /// <summary>
    /// Per-account result codes: what the service says about one account (a ResultItem's ResultCode, an ErrorList
    /// entry's ErrorCode, or the whole answer of an API that takes one account, such as kick), beside the
    /// request-level codes of <see cref="ServiceErrorCatalog"/>.
    /// </summary>
    /// <remarks>
    /// Sources: docs/service-api.md §3 and §4; the API pages of kick (https://www.tencentcloud.com/document/product/1047/34957:
    /// "70107 The requested user account does not exist"), query_online_status
    /// (https://www.tencentcloud.com/document/product/1047/35477: ErrorList entries with ErrorCode 70107) and
    /// account_delete (https://www.tencentcloud.com/document/product/1047/34955); the error-code page
    /// https://www.tencentcloud.com/document/product/1047/34348 for 70398, 70399 and 71000.
    /// </remarks>
    internal static class ItemResultCatalog
    {
        /// <summary>The account does not exist: it was never imported, or it was deleted.</summary>
        public const int AccountNotFound = 70107;

        /// <summary>The app's account count is over its edition's limit.</summary>
        public const int AccountLimitReached = 70398;

        /// <summary>The UserID was deleted less than 3 months ago and cannot be imported again.</summary>
        public const int ReimportTooSoon = 70399;

        /// <summary>Deleting accounts is not enabled for the app.</summary>
        public const int DeleteNotEnabled = 71000;

        /// <summary>
        /// What a code means for the one account it was answered for, as a sentence for ResultInfo when the service
        /// gave no text of its own (an ErrorList entry carries only the code).
        /// </summary>
        public static string Describe(int code) => code switch
        {
            AccountNotFound => "The account does not exist: it was never imported, or it was deleted.",
            AccountLimitReached => "The app's account count is over the limit of its edition.",
            ReimportTooSoon => "The UserID was deleted less than 3 months ago and cannot be imported again yet.",
            DeleteNotEnabled => "Deleting accounts is not enabled for this app; enable it in the IM console.",
            _ => ServiceErrorCatalog.Describe(code).Meaning,
        };
    }
}
