using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace TencentIm.Emulator;

/// <summary>
/// Answers one request of an API: reads the body's root object and writes a whole JSON answer, OK or FAIL with
/// per-item results. Throws <see cref="ImRequestException"/> to refuse the whole request before writing anything.
/// </summary>
internal delegate void ApiHandler(JsonElement root, Utf8JsonWriter writer);

/// <summary>One REST API the emulator serves: where it sits in the URL and the service's documented frequency limit.</summary>
internal sealed class EmulatedApi
{
    public EmulatedApi(int index, string service, string command, int serviceRateLimit, int maxItemsPerCall)
    {
        Index = index;
        Service = service;
        Command = command;
        ServiceRateLimit = serviceRateLimit;
        MaxItemsPerCall = maxItemsPerCall;
    }

    /// <summary>The API's place in <see cref="EmulatedApis.All"/>: it indexes per-API tables (stats, limits, handlers).</summary>
    public int Index { get; }

    public string Service { get; }

    /// <summary>The command, which also names the API in options, hooks and stats (account_check).</summary>
    public string Command { get; }

    /// <summary>"service/command", as it follows /v4/ in the URL.</summary>
    public string Path => Service + "/" + Command;

    /// <summary>The service's documented calls per second for the app (docs/service-api.md §3), for --service-rate-limits.</summary>
    public int ServiceRateLimit { get; }

    /// <summary>The most items (UserIDs, accounts) one call takes; more answers 70402.</summary>
    public int MaxItemsPerCall { get; }

    public override string ToString() => Path;
}

/// <summary>
/// The APIs the emulator serves, the one table that URL parsing, options, limits, stats and handlers share. A request
/// for any other /v4/{service}/{command} is answered as the service answers an unknown API; adding an API is one
/// line here and one handler (see <see cref="AccountApis.Handlers"/>, <see cref="SessionApis.Handlers"/> and
/// <see cref="ProfileMessageApis.Handlers"/>).
/// </summary>
internal static class EmulatedApis
{
    public const string LoginService = "im_open_login_svc";
    public const string OpenImService = "openim";
    public const string ProfileService = "profile";

    public static readonly EmulatedApi AccountCheck = new(0, LoginService, "account_check", 100, 100);
    public static readonly EmulatedApi AccountImport = new(1, LoginService, "account_import", 200, 1);
    public static readonly EmulatedApi MultiAccountImport = new(2, LoginService, "multiaccount_import", 100, 100);
    public static readonly EmulatedApi AccountDelete = new(3, LoginService, "account_delete", 100, 100);
    public static readonly EmulatedApi Kick = new(4, LoginService, "kick", 200, 1);
    public static readonly EmulatedApi QueryOnlineStatus = new(5, OpenImService, "query_online_status", 200, 500);
    public static readonly EmulatedApi PortraitGet = new(6, ProfileService, "portrait_get", 200, 100);
    public static readonly EmulatedApi PortraitSet = new(7, ProfileService, "portrait_set", 200, 1);
    public static readonly EmulatedApi SendMsg = new(8, OpenImService, "sendmsg", 200, 1);

    /// <summary>Every emulated API, in index order.</summary>
    public static IReadOnlyList<EmulatedApi> All { get; } = new[]
    {
        AccountCheck, AccountImport, MultiAccountImport, AccountDelete, Kick, QueryOnlineStatus, PortraitGet, PortraitSet, SendMsg,
    };

    /// <summary>The API names (commands), for messages that list them.</summary>
    public static string NameList => string.Join(", ", All.Select(a => a.Command));

    /// <summary>The API named by its command (account_check) or its path (im_open_login_svc/account_check).</summary>
    public static bool TryFind(string name, out EmulatedApi api)
    {
        foreach (EmulatedApi candidate in All)
        {
            if (string.Equals(candidate.Command, name, StringComparison.Ordinal) || string.Equals(candidate.Path, name, StringComparison.Ordinal))
            {
                api = candidate;
                return true;
            }
        }

        api = AccountCheck;
        return false;
    }

    /// <summary>Resolves "/v4/{service}/{command}"; names are case-sensitive like the service's.</summary>
    public static bool TryParsePath(string urlPath, out EmulatedApi api)
    {
        api = AccountCheck;
        const string Prefix = "/v4/";
        if (!urlPath.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> path = urlPath.AsSpan(Prefix.Length);
        foreach (EmulatedApi candidate in All)
        {
            if (path.Length == candidate.Service.Length + 1 + candidate.Command.Length
                && path.StartsWith(candidate.Service, StringComparison.Ordinal)
                && path[candidate.Service.Length] == '/'
                && path.EndsWith(candidate.Command, StringComparison.Ordinal))
            {
                api = candidate;
                return true;
            }
        }

        return false;
    }
}
