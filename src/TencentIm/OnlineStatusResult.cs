using System.Collections.Generic;

namespace TencentIm;

/// <summary>
/// An account's login state, as query_online_status reports it: the values of
/// <see cref="OnlineStatusResult.Status"/>, which carries them as text.
/// </summary>
public enum OnlineStatus
{
    /// <summary>
    /// The service gave no state for this account: it listed it in ErrorList (its ResultCode says why, 70107 for an
    /// account that does not exist), or answered a state this module does not know (ResultInfo says which).
    /// </summary>
    Unknown,

    /// <summary>Logged in, with the app in the foreground.</summary>
    Online,

    /// <summary>Logged in on a device whose app is in the background, where it still receives offline pushes.</summary>
    PushOnline,

    /// <summary>Not logged in.</summary>
    Offline,
}

/// <summary>One platform an account is logged in on, from Get-TencentImOnlineStatus -Detail.</summary>
public sealed class OnlinePlatformStatus
{
    internal OnlinePlatformStatus(string platform, string status)
    {
        Platform = platform;
        Status = status;
    }

    /// <summary>The platform as the service names it, such as iPhone, Android, Web or Windows.</summary>
    public string Platform { get; }

    /// <summary>The account's state on that platform as the service gives it: Online, PushOnline, or another text.</summary>
    public string Status { get; }

    /// <summary>"Platform: Status", as Format-List shows the Detail of a result.</summary>
    public override string ToString() => $"{Platform}: {Status}";
}

/// <summary>The answer for one UserID from Get-TencentImOnlineStatus.</summary>
public sealed class OnlineStatusResult
{
    internal OnlineStatusResult(string userId, OnlineStatus status, int resultCode, string resultInfo, IReadOnlyList<OnlinePlatformStatus>? detail)
    {
        UserID = userId;
        StatusValue = status;
        ResultCode = resultCode;
        ResultInfo = resultInfo;
        Detail = detail == null ? null : new List<OnlinePlatformStatus>(detail).ToArray();
    }

    /// <summary>The UserID queried, trimmed of surrounding whitespace.</summary>
    public string UserID { get; }

    /// <summary>
    /// Online, PushOnline or Offline as the service says; Unknown when it gave no state (ResultCode and ResultInfo
    /// say why). Text, not the enum, so that ConvertTo-Json and Export-Csv write the name.
    /// </summary>
    public string Status => StatusValue switch
    {
        OnlineStatus.Online => nameof(OnlineStatus.Online),
        OnlineStatus.PushOnline => nameof(OnlineStatus.PushOnline),
        OnlineStatus.Offline => nameof(OnlineStatus.Offline),
        _ => nameof(OnlineStatus.Unknown),
    };

    /// <summary>The service's per-account code: 0 when the state was answered, 70107 when the account does not exist.</summary>
    public int ResultCode { get; }

    /// <summary>Why the state is Unknown; empty otherwise.</summary>
    public string ResultInfo { get; }

    /// <summary>
    /// With -Detail, each platform the account is logged in on and its state there (empty when none); without
    /// -Detail, null.
    /// </summary>
    public OnlinePlatformStatus[]? Detail { get; }

    /// <summary>The state as the enum, for the module's own code and tests.</summary>
    internal OnlineStatus StatusValue { get; }

    /// <summary>The UserID and its state.</summary>
    public override string ToString() => $"{UserID}: {Status}";
}
