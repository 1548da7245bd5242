namespace TencentIm;

/// <summary>The answer for one UserID from Import-TencentImAccount.</summary>
public sealed class AccountImportResult
{
    /// <summary>The <see cref="Status"/> of an account the service imported, or updated if it existed.</summary>
    public const string Imported = "Imported";

    /// <summary>The <see cref="Status"/> of an account the service did not import; ResultCode says why.</summary>
    public const string Failed = "Failed";

    internal AccountImportResult(string userId, int resultCode, string resultInfo)
    {
        UserID = userId;
        Status = resultCode == 0 ? Imported : Failed;
        ResultCode = resultCode;
        ResultInfo = resultInfo;
    }

    /// <summary>The UserID imported, trimmed of surrounding whitespace.</summary>
    public string UserID { get; }

    /// <summary>
    /// Imported (created, or updated if the account existed: the service treats a second import as an update) or
    /// Failed. Text, so that ConvertTo-Json and Export-Csv write the name.
    /// </summary>
    public string Status { get; }

    /// <summary>0 when imported; else the service's ErrorCode for this account (70398, 70399, …).</summary>
    public int ResultCode { get; }

    /// <summary>
    /// Empty when imported; else the service's ErrorInfo, verbatim, followed by what the code means and what to do
    /// about it.
    /// </summary>
    public string ResultInfo { get; }

    /// <summary>The UserID and its status.</summary>
    public override string ToString() => $"{UserID}: {Status}";
}
