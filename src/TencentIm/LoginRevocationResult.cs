namespace TencentIm;

/// <summary>
/// What became of one account's login state, as kick answers it: the values of
/// <see cref="LoginRevocationResult.Status"/>, which carries them as text.
/// </summary>
public enum LoginRevocationStatus
{
    /// <summary>The service refused to revoke this account's login state; ResultCode and ResultInfo say why.</summary>
    Failed,

    /// <summary>The account is logged out, and every UserSig issued for it so far no longer works.</summary>
    Revoked,

    /// <summary>The account does not exist (70107): there is no login state to revoke.</summary>
    NotFound,
}

/// <summary>The answer for one UserID from Revoke-TencentImLogin.</summary>
public sealed class LoginRevocationResult
{
    internal LoginRevocationResult(string userId, LoginRevocationStatus status, int resultCode, string resultInfo)
    {
        UserID = userId;
        StatusValue = status;
        ResultCode = resultCode;
        ResultInfo = resultInfo;
    }

    /// <summary>The UserID whose login state was revoked, trimmed of surrounding whitespace.</summary>
    public string UserID { get; }

    /// <summary>
    /// Revoked, NotFound (the account does not exist) or Failed (the service refused; see ResultCode). Text, not
    /// the enum, so that ConvertTo-Json and Export-Csv write the name.
    /// </summary>
    public string Status => StatusValue switch
    {
        LoginRevocationStatus.Revoked => nameof(LoginRevocationStatus.Revoked),
        LoginRevocationStatus.NotFound => nameof(LoginRevocationStatus.NotFound),
        _ => nameof(LoginRevocationStatus.Failed),
    };

    /// <summary>The service's ErrorCode for this account: 0 when revoked, 70107 when the account does not exist.</summary>
    public int ResultCode { get; }

    /// <summary>The service's ErrorInfo when <see cref="ResultCode"/> is not 0.</summary>
    public string ResultInfo { get; }

    /// <summary>The status as the enum, for the module's own code and tests.</summary>
    internal LoginRevocationStatus StatusValue { get; }

    /// <summary>The UserID and what became of its login state.</summary>
    public override string ToString() => $"{UserID}: {Status}";
}
