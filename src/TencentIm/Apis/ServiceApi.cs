using System;
using System.Collections.Generic;

namespace TencentIm.Apis;

/// <summary>
/// One REST API of the service as the module uses it: its path, how many items one call takes, the service's
/// documented frequency limit, and whether sending it again after an attempt that got no answer is safe
/// (docs/service-api.md §3 and §3b).
/// </summary>
internal sealed class ServiceApi
{
    /// <summary>The calls per second for an API the table does not list: the lowest limit of any account API.</summary>
    public const int DefaultCallsPerSecond = 100;

    public static readonly ServiceApi AccountCheck = new ServiceApi("im_open_login_svc/account_check", 100, 100, true);
    public static readonly ServiceApi AccountImport = new ServiceApi("im_open_login_svc/account_import", 1, 200, true);
    public static readonly ServiceApi MultiAccountImport = new ServiceApi("im_open_login_svc/multiaccount_import", 100, 100, true);
    public static readonly ServiceApi AccountDelete = new ServiceApi("im_open_login_svc/account_delete", 100, 100, true);
    public static readonly ServiceApi Kick = new ServiceApi("im_open_login_svc/kick", 1, 200, true);
    public static readonly ServiceApi QueryOnlineStatus = new ServiceApi("openim/query_online_status", 500, 200, true);

    private static readonly Dictionary<string, ServiceApi> ByPath = new Dictionary<string, ServiceApi>(StringComparer.Ordinal);

    static ServiceApi()
    {
        foreach (ServiceApi api in All)
        {
            ByPath.Add(api.Path, api);
        }
    }

    private ServiceApi(string path, int maxItemsPerCall, int callsPerSecond, bool isIdempotent)
    {
        Path = path;
        MaxItemsPerCall = maxItemsPerCall;
        CallsPerSecond = callsPerSecond;
        IsIdempotent = isIdempotent;
    }

    /// <summary>Every API the module knows, in the order of docs/service-api.md §3.</summary>
    public static IReadOnlyList<ServiceApi> All { get; } = new[] { AccountCheck, AccountImport, MultiAccountImport, AccountDelete, Kick, QueryOnlineStatus };

    /// <summary>"service/command", as it follows /v4/ in the URL.</summary>
    public string Path { get; }

    /// <summary>The most items (UserIDs, accounts) one call may carry; more answers 70402.</summary>
    public int MaxItemsPerCall { get; }

    /// <summary>The service's frequency limit for the app, calls per second.</summary>
    public int CallsPerSecond { get; }

    /// <summary>
    /// Whether a second call with the same body has the same effect as one (reads, imports, deletes, kick), so that
    /// an attempt that got no answer may be sent again.
    /// </summary>
    public bool IsIdempotent { get; }

    /// <summary>The documented limit of <paramref name="path"/>, or <see cref="DefaultCallsPerSecond"/>.</summary>
    public static int CallsPerSecondOf(string path) => ByPath.TryGetValue(path, out ServiceApi? api) ? api.CallsPerSecond : DefaultCallsPerSecond;

    /// <summary>The API with this path, or null.</summary>
    public static ServiceApi? Find(string path) => ByPath.TryGetValue(path, out ServiceApi? api) ? api : null;

    /// <summary>The path.</summary>
    public override string ToString() => Path;
}
