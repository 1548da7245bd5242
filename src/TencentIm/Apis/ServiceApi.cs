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
    /// <summary>
    /// The calls per second for an API the table does not list: half the limit most API pages give (200 calls/s), so
    /// that an API with a lower limit the table does not know yet meets 60007 less often (docs/service-api.md §3b).
    /// </summary>
    public const int DefaultCallsPerSecond = 100;

    /// <summary>The items per call of an API the table does not list: the engine sends one body per call anyway.</summary>
    private const int UnknownItemsPerCall = 1;

    public static readonly ServiceApi AccountCheck = new ServiceApi("im_open_login_svc/account_check", 100, 100, true);
    public static readonly ServiceApi AccountImport = new ServiceApi("im_open_login_svc/account_import", 1, 200, true);
    public static readonly ServiceApi MultiAccountImport = new ServiceApi("im_open_login_svc/multiaccount_import", 100, 100, true);
    public static readonly ServiceApi AccountDelete = new ServiceApi("im_open_login_svc/account_delete", 100, 100, true);
    public static readonly ServiceApi Kick = new ServiceApi("im_open_login_svc/kick", 1, 200, true);
    public static readonly ServiceApi QueryOnlineStatus = new ServiceApi("openim/query_online_status", 500, 200, true);

    // Other families, for Invoke-TencentImApi (docs/service-api.md §3b). Idempotent: reads, imports, deletes, and
    // writes that set a value (a second call leaves the same state). Not idempotent: whatever sends, creates or adds,
    // where a second call can deliver a second message or make a second group. Items per call as §3b gives them; 1
    // where it gives none (Invoke-TencentImApi sends one body per call and does not use it).
    public static readonly ServiceApi PortraitGet = new ServiceApi("profile/portrait_get", 100, 200, true);
    public static readonly ServiceApi PortraitSet = new ServiceApi("profile/portrait_set", 1, 200, true);
    public static readonly ServiceApi SendMsg = new ServiceApi("openim/sendmsg", 1, 200, false);
    public static readonly ServiceApi BatchSendMsg = new ServiceApi("openim/batchsendmsg", 500, 200, false);
    public static readonly ServiceApi AdminGetRoamMsg = new ServiceApi("openim/admin_getroammsg", 1, 200, true);
    public static readonly ServiceApi AdminMsgWithdraw = new ServiceApi("openim/admin_msgwithdraw", 1, 200, true);
    public static readonly ServiceApi ImportMsg = new ServiceApi("openim/importmsg", 1, 200, false);
    public static readonly ServiceApi CreateGroup = new ServiceApi("group_open_http_svc/create_group", 100, 200, false);
    public static readonly ServiceApi GetGroupInfo = new ServiceApi("group_open_http_svc/get_group_info", 1, 200, true);
    public static readonly ServiceApi GetGroupMemberInfo = new ServiceApi("group_open_http_svc/get_group_member_info", 1, 200, true);
    public static readonly ServiceApi ModifyGroupBaseInfo = new ServiceApi("group_open_http_svc/modify_group_base_info", 1, 200, true);
    public static readonly ServiceApi AddGroupMember = new ServiceApi("group_open_http_svc/add_group_member", 300, 200, false);
    public static readonly ServiceApi DeleteGroupMember = new ServiceApi("group_open_http_svc/delete_group_member", 1, 200, true);
    public static readonly ServiceApi DestroyGroup = new ServiceApi("group_open_http_svc/destroy_group", 1, 200, true);
    public static readonly ServiceApi GetJoinedGroupList = new ServiceApi("group_open_http_svc/get_joined_group_list", 1, 200, true);
    public static readonly ServiceApi SendGroupMsg = new ServiceApi("group_open_http_svc/send_group_msg", 1, 200, false);
    public static readonly ServiceApi SendGroupSystemNotification = new ServiceApi("group_open_http_svc/send_group_system_notification", 1, 200, false);
    public static readonly ServiceApi FriendAdd = new ServiceApi("sns/friend_add", 1, 200, false);
    public static readonly ServiceApi FriendImport = new ServiceApi("sns/friend_import", 1, 200, true);
    public static readonly ServiceApi FriendDelete = new ServiceApi("sns/friend_delete", 1, 200, true);
    public static readonly ServiceApi FriendGet = new ServiceApi("sns/friend_get", 1, 200, true);
    public static readonly ServiceApi FriendCheck = new ServiceApi("sns/friend_check", 1, 200, true);
    public static readonly ServiceApi SetNoSpeaking = new ServiceApi("openconfigsvr/setnospeaking", 1, 200, true);
    public static readonly ServiceApi GetNoSpeaking = new ServiceApi("openconfigsvr/getnospeaking", 1, 200, true);

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
    public static IReadOnlyList<ServiceApi> All { get; } = new[]
    {
        AccountCheck, AccountImport, MultiAccountImport, AccountDelete, Kick, QueryOnlineStatus,
        PortraitGet, PortraitSet, SendMsg, BatchSendMsg, AdminGetRoamMsg, AdminMsgWithdraw, ImportMsg,
        CreateGroup, GetGroupInfo, GetGroupMemberInfo, ModifyGroupBaseInfo, AddGroupMember, DeleteGroupMember, DestroyGroup,
        GetJoinedGroupList, SendGroupMsg, SendGroupSystemNotification,
        FriendAdd, FriendImport, FriendDelete, FriendGet, FriendCheck, SetNoSpeaking, GetNoSpeaking,
    };

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

    /// <summary>
    /// The API with this path, or one the table does not list: <see cref="DefaultCallsPerSecond"/>, one item per
    /// call, and not idempotent (an attempt that got no answer is not sent again, since nothing says it is safe).
    /// </summary>
    public static ServiceApi ForPath(string path) => Find(path) ?? new ServiceApi(path, UnknownItemsPerCall, DefaultCallsPerSecond, false);

    /// <summary>Whether the table marks <paramref name="path"/> idempotent; false for an API it does not list.</summary>
    public static bool IsIdempotentPath(string path) => Find(path)?.IsIdempotent ?? false;

    /// <summary>
    /// Reads an API name as a user types it: "service/command", with or without a leading "v4/" or "/v4/" (and
    /// surrounding white space). Null when it is not of that shape: two names of letters, digits and underscores.
    /// </summary>
    public static string? NormalizePath(string? name)
    {
        string path = (name ?? "").Trim();
        if (path.StartsWith("/", StringComparison.Ordinal))
        {
            path = path.Substring(1);
        }

        if (path.StartsWith("v4/", StringComparison.Ordinal))
        {
            path = path.Substring(3);
        }

        int slash = path.IndexOf('/');
        return slash > 0 && slash < path.Length - 1 && path.IndexOf('/', slash + 1) < 0 && IsName(path, 0, slash) && IsName(path, slash + 1, path.Length)
            ? path
            : null;
    }

    private static bool IsName(string text, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            char c = text[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The path.</summary>
    public override string ToString() => Path;
}
