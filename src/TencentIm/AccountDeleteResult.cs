namespace TencentIm;

/// <summary>What became of one account that account_delete was asked to delete.</summary>
internal enum AccountDeleteStatus
{
    /// <summary>The service could not delete it (a ResultCode other than 0 and 70107); ResultInfo says why.</summary>
    Failed,

    /// <summary>The account was deleted.</summary>
    Deleted,

    /// <summary>The account did not exist (ResultCode 70107).</summary>
    NotFound,
}

/// <summary>The answer for one UserID from Remove-TencentImAccount.</summary>
public sealed class AccountDeleteResult
{
    internal AccountDeleteResult(string userId, AccountDeleteStatus status, int resultCode, string resultInfo)
    {
        UserID = userId;
        DeleteStatus = status;
        ResultCode = resultCode;
        ResultInfo = resultInfo;
    }

    /// <summary>The UserID, trimmed of surrounding whitespace.</summary>
    public string UserID { get; }

    /// <summary>
    /// Deleted: the account is deleted (also when the service answered 70107 to a retry after an attempt whose
    /// answer was lost, which may have deleted it; -Verbose says so). NotFound: the account did not exist
    /// (ResultCode 70107). Failed: the service could not delete it; ResultCode and ResultInfo say why. Text, not an
    /// enum, so that ConvertTo-Json and Export-Csv write the name.
    /// </summary>
    public string Status => DeleteStatus switch
    {
        AccountDeleteStatus.Deleted => nameof(AccountDeleteStatus.Deleted),
        AccountDeleteStatus.NotFound => nameof(AccountDeleteStatus.NotFound),
        _ => nameof(AccountDeleteStatus.Failed),
    };

    /// <summary>The service's per-account result: 0 when deleted, 70107 when the account did not exist.</summary>
    public int ResultCode { get; }

    /// <summary>The service's explanation when <see cref="ResultCode"/> is not 0.</summary>
    public string ResultInfo { get; }

    /// <summary>The status as the enum, for the module's own code and tests.</summary>
    internal AccountDeleteStatus DeleteStatus { get; }

    /// <summary>The UserID and its status.</summary>
    public override string ToString() => $"{UserID}: {Status}";
}
