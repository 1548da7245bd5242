namespace TencentIm;

/// <summary>
/// Whether an account exists in the IM app, as account_check reports it: the values of
/// <see cref="AccountCheckResult.AccountStatus"/>, which carries them as text.
/// </summary>
public enum AccountStatus
{
    /// <summary>
    /// The service could not check this account (its ResultCode is not 0), or answered a status this module does
    /// not know; ResultInfo says which. Not a claim that the account is missing.
    /// </summary>
    Unknown,

    /// <summary>The account exists in the app.</summary>
    Imported,

    /// <summary>The account does not exist in the app.</summary>
    NotImported,
}

/// <summary>The answer for one UserID from Test-TencentImAccount.</summary>
public sealed class AccountCheckResult
{
    internal AccountCheckResult(string userId, AccountStatus status, int resultCode, string resultInfo)
    {
        UserID = userId;
        Status = status;
        ResultCode = resultCode;
        ResultInfo = resultInfo;
    }

    /// <summary>The UserID checked, trimmed of surrounding whitespace.</summary>
    public string UserID { get; }

    /// <summary>
    /// Imported or NotImported as the service says; Unknown when the service could not check the account. Text,
    /// not the enum, so that ConvertTo-Json and Export-Csv write the name (an enum goes into JSON as a number).
    /// </summary>
    public string AccountStatus => Status switch
    {
        TencentIm.AccountStatus.Imported => nameof(TencentIm.AccountStatus.Imported),
        TencentIm.AccountStatus.NotImported => nameof(TencentIm.AccountStatus.NotImported),
        _ => nameof(TencentIm.AccountStatus.Unknown),
    };

    /// <summary>True when imported, false when not, null when unknown (ResultCode is not 0).</summary>
    public bool? IsImported => Status switch
    {
        TencentIm.AccountStatus.Imported => true,
        TencentIm.AccountStatus.NotImported => false,
        _ => null,
    };

    /// <summary>The service's per-account result: 0 when the account was checked.</summary>
    public int ResultCode { get; }

    /// <summary>The service's explanation when <see cref="ResultCode"/> is not 0.</summary>
    public string ResultInfo { get; }

    /// <summary>The status as the enum, for the module's own code and tests.</summary>
    internal AccountStatus Status { get; }

    /// <summary>The UserID and its status.</summary>
    public override string ToString() => $"{UserID}: {AccountStatus}";
}
