using System.Collections.Generic;

namespace TencentIm.Client;

/// <summary>What a per-account code means for that account, and what the user does about it.</summary>
internal sealed class ItemResultDescription
{
    public ItemResultDescription(string meaning, string fix)
    {
        Meaning = meaning;
        Fix = fix;
    }

    /// <summary>What happened to the account: one or more full sentences.</summary>
    public string Meaning { get; }

    /// <summary>What to do about it: one or more full sentences.</summary>
    public string Fix { get; }
}

/// <summary>
/// The per-account codes of the account APIs (docs/service-api.md §3 and §4, "account" rows): the codes the
/// service answers about one account (a ResultItem's ResultCode, or the request-level ErrorCode of an API that
/// takes one account), beside <see cref="ServiceErrorCatalog"/>, which describes request-level codes.
/// </summary>
/// <remarks>
/// Sources: the error-code page https://www.tencentcloud.com/document/product/1047/34348 (70107, 70398, 70399,
/// 71000 among the account codes; older editions read 70398 as "more than 100 accounts needs the professional
/// edition" and 71000 as "only trial-edition accounts can be deleted"), the account_delete page
/// https://www.tencentcloud.com/document/product/1047/34955 (70107 for a missing account; deleting is enabled by
/// default only on trial editions), and the account_import pages
/// https://www.tencentcloud.com/document/product/1047/34953 and /34954.
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

    /// <summary>Every per-account code described here.</summary>
    public static IReadOnlyList<int> KnownCodes { get; } = new[] { 70107, 70398, 70399, 71000 };

    /// <summary>The description of a per-account code, or null for a code that is not one.</summary>
    public static ItemResultDescription? Find(int code)
    {
        switch (code)
        {
            case 70107:
                return new ItemResultDescription(
                    "The account does not exist: it was never imported, or it was deleted.",
                    "Check the UserID; UserIDs are case-sensitive.");
            case 70398:
                return new ItemResultDescription(
                    "The app's edition allows no more accounts: the app already holds as many as its edition does.",
                    "Upgrade the app's edition in the IM console, or delete accounts the app no longer needs, then import again.");
            case 70399:
                return new ItemResultDescription(
                    "The UserID was deleted less than 3 months ago, and it cannot be imported again until 3 months after its deletion (only trial editions may import a deleted UserID again at once).",
                    "Import it again once those 3 months have passed, or use another UserID.");
            case 71000:
                return new ItemResultDescription(
                    "Deleting accounts is not enabled for this app: only trial editions may delete accounts by default.",
                    "Enable account deletion for the app in the IM console, then try again.");
            default:
                return null;
        }
    }

    /// <summary>
    /// What a code means for the one account it was answered for, as a sentence for ResultInfo when the service
    /// gave no text of its own (an ErrorList entry carries only the code).
    /// </summary>
    public static string Describe(int code) => Find(code)?.Meaning ?? ServiceErrorCatalog.Describe(code).Meaning;

    /// <summary>
    /// "&lt;ErrorInfo&gt;. &lt;what the code means&gt; &lt;what to do&gt;": the service's own words first, then the
    /// description of a per-account code, or of a request-level code (<see cref="ServiceErrorCatalog"/>) for any other.
    /// </summary>
    public static string Explain(int code, string errorInfo)
    {
        ItemResultDescription? item = Find(code);
        string meaning;
        string fix;
        if (item != null)
        {
            meaning = item.Meaning;
            fix = item.Fix;
        }
        else
        {
            ServiceErrorDescription request = ServiceErrorCatalog.Describe(code);
            meaning = request.Meaning;
            fix = request.Fix;
        }

        string explanation = fix.Length == 0 ? meaning : meaning + " " + fix;
        return string.IsNullOrWhiteSpace(errorInfo) ? explanation : TencentImRequestException.Sentence(errorInfo) + " " + explanation;
    }
}
