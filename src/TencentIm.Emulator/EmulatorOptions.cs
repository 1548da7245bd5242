using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace TencentIm.Emulator;

/// <summary>How the emulator behaves: the app it pretends to host, its accounts, and its bad days (all off by default).</summary>
public sealed class EmulatorOptions
{
    /// <summary>The service's documented frequency limits (docs/service-api.md §3), which <c>--service-rate-limits</c> applies.</summary>
    public static IReadOnlyDictionary<string, int> ServiceRateLimits { get; } =
        EmulatedApis.All.ToDictionary(api => api.Command, api => api.ServiceRateLimit, StringComparer.Ordinal);

    /// <summary>The TCP port on 127.0.0.1; 0 picks a free one (read it from <see cref="RunningEmulator.BaseUri"/>).</summary>
    public int Port { get; set; }

    /// <summary>The one app this emulator hosts.</summary>
    public uint SdkAppId { get; set; } = 1400000001;

    /// <summary>The app's secret key, as the console shows it. Never printed.</summary>
    public string SecretKey { get; set; } = "emulator-secret-key-0123456789abcdef";

    /// <summary>The app admins: the only identifiers allowed to call the REST API (others get 70403).</summary>
    public IList<string> Admins { get; set; } = new List<string> { "administrator" };

    /// <summary>UserIDs imported when the emulator starts.</summary>
    public IList<string> Accounts { get; set; } = new List<string>();

    /// <summary>A file of UserIDs to import at start, one a line; blank lines are skipped.</summary>
    public string? AccountsFile { get; set; }

    /// <summary>SDKAppIDs that live in another data centre: requests naming them get 60026.</summary>
    public IList<uint> ForeignSdkAppIds { get; set; } = new List<uint>();

    /// <summary>
    /// UserIDs whose account_check item always answers a per-account ResultCode, to exercise per-account failures:
    /// "u1" answers 70500 (internal error), "u1=70107" answers the code after '='.
    /// </summary>
    public IList<string> FailingAccounts { get; set; } = new List<string>();

    /// <summary>UserIDs whose first account_check item answers 70500 and every later one the real status.</summary>
    public IList<string> FlakyAccounts { get; set; } = new List<string>();

    /// <summary>Whether account_delete answers 71000 (not enabled for this app), as on non-trial editions.</summary>
    public bool DenyDelete { get; set; }

    /// <summary>
    /// Whether account_delete answers OK with ResultCode 71000 for every account instead: the other way the docs can be
    /// read, where 71000 comes per account like 70107.
    /// </summary>
    public bool DenyDeletePerItem { get; set; }

    /// <summary>
    /// Accounts logged in (Online) at start: "u1", or "u1=iPhone:PushOnline+Web" with the platforms that
    /// query_online_status's Detail lists (a platform without ":State" has the account's state). Each must be an account.
    /// </summary>
    public IList<string> OnlineAccounts { get; set; } = new List<string>();

    /// <summary>Accounts logged in with the app in the background (PushOnline) at start, in the form of <see cref="OnlineAccounts"/>.</summary>
    public IList<string> PushOnlineAccounts { get; set; } = new List<string>();

    /// <summary>
    /// A trial edition: a deleted UserID may be imported again at once. Otherwise, as on other editions, importing a
    /// UserID deleted less than 3 months ago answers 70399 (docs/service-api.md §3).
    /// </summary>
    public bool Trial { get; set; }

    /// <summary>The most accounts the app's edition holds: importing a new one beyond it answers 70398; null for no limit.</summary>
    public int? AccountLimit { get; set; }

    /// <summary>The clock's base; the emulator adds the offset that <see cref="RunningEmulator.AdvanceClock"/> moves.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Calls per second admitted per API (by API name, e.g. "account_check"); an API not named is unlimited.</summary>
    public IDictionary<string, int> RateLimits { get; set; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>
    /// Whether a call rejected with 60007 counts against the quota, as an admitted one does. The service's docs do not
    /// say; by default it does not (a rejected call uses up no quota).
    /// </summary>
    public bool RateLimitCountsRejected { get; set; }

    /// <summary>Fixed delay before every answer, milliseconds.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Uniform extra delay of 0..LatencyJitterMs milliseconds, derived from <see cref="Seed"/>.</summary>
    public int LatencyJitterMs { get; set; }

    /// <summary>The share of admitted requests (0..1) that meet a fault from <see cref="FaultKinds"/>.</summary>
    public double FaultRate { get; set; }

    /// <summary>The faults to choose from, uniformly; all of them by default.</summary>
    public IList<FaultKind> FaultKinds { get; set; } = new List<FaultKind>(FaultKindNames.All);

    /// <summary>How long a <see cref="FaultKind.Slow"/> request waits before it answers.</summary>
    public int SlowResponseMs { get; set; } = 30000;

    /// <summary>Makes faults and jitter replayable: the same seed and the same request bodies meet the same faults.</summary>
    public long Seed { get; set; }

    /// <summary>
    /// Serve https with a self-signed certificate made in memory at start (for 127.0.0.1 and localhost), which no
    /// client trusts: lets tests see how a client reports a certificate it cannot validate.
    /// </summary>
    public bool HttpsSelfSigned { get; set; }

    /// <summary>
    /// How many of the last requests <c>GET /emulator/requests</c> keeps (time, API, body, answer code; the UserSig
    /// redacted); 0 records none, which the benchmark uses so that the log costs it nothing.
    /// </summary>
    public int RequestLogSize { get; set; } = DefaultRequestLogSize;

    /// <summary>The default of <see cref="RequestLogSize"/>.</summary>
    public const int DefaultRequestLogSize = 10000;

    /// <summary>Command line only: stop when standard input closes, so that a dead test harness leaves no orphan.</summary>
    public bool ExitOnStdinClose { get; set; }

    /// <summary>The command-line help.</summary>
    public static string Usage { get; } = string.Join(Environment.NewLine, new[]
    {
        "TencentIm.Emulator: a local stand-in for the Tencent Cloud IM REST API on 127.0.0.1: the account APIs,",
        "profile/portrait_get and portrait_set (Nick, FaceUrl) and openim/sendmsg; any other API answers 60009.",
        "",
        "Options (defaults in brackets):",
        "  --port N                       TCP port on 127.0.0.1 [0 = a free port]",
        "  --sdkappid N                   the app's SDKAppID [1400000001]",
        "  --secret-key KEY               the app's secret key [a fixed emulator key]; never printed",
        "  --admins a,b                   app admin identifiers [administrator]",
        "  --accounts u1,u2               UserIDs imported at start",
        "  --accounts-file PATH           UserIDs imported at start, one a line",
        "  --foreign-sdkappids N,M        SDKAppIDs of another data centre: answer 60026",
        "  --failing-accounts u1,u2=CODE  UserIDs whose account_check item answers 70500 (or CODE)",
        "  --flaky-accounts u1,u2         UserIDs whose first account_check item answers 70500",
        "  --deny-delete                  account_delete answers 71000",
        "  --deny-delete-per-item         account_delete answers OK with ResultCode 71000 for each account",
        "  --online u1,u2=iPhone:PushOnline+Web",
        "                                 accounts Online at start, optionally with their platforms",
        "                                 (Platform or Platform:State, joined by +) for IsNeedDetail",
        "  --push-online u3,u4=Android    accounts PushOnline at start, in the same form",
        "  --trial                        a trial edition: a deleted UserID imports again at once (else",
        "                                 70399 for 3 months of the emulator's clock)",
        "  --account-limit N              importing a new account beyond N accounts answers 70398",
        "  --now UNIXSECONDS              pin the clock (it does not tick; POST /emulator/clock moves it)",
        "  --rate-limit N | api=N,...     calls per second per API, over it answer 60007",
        "  --service-rate-limits          the service's limits: account_check 100, account_import 200,",
        "                                 multiaccount_import 100, account_delete 100, kick 200,",
        "                                 query_online_status 200, portrait_get 200, portrait_set 200,",
        "                                 sendmsg 200",
        "  --rate-limit-counts-rejected   a call answered 60007 counts against the limit too",
        "  --latency-ms N                 fixed delay before every answer [0]",
        "  --latency-jitter-ms N          extra uniform delay 0..N [0]",
        "  --fault-rate R                 share 0..1 of requests that meet a fault [0]",
        "  --fault-kinds k1,k2            from 70169,70202,70500,http502,http503,truncated,drop,slow,",
        "                                 drop-after [all]; 'drop' cuts the answer off before the API",
        "                                 runs, 'drop-after' after it ran (its changes stay)",
        "  --slow-response-ms N           how long a 'slow' fault waits [30000]",
        "  --seed N                       makes faults and jitter replayable [0]",
        "  --https-self-signed            serve https with a self-signed certificate made at start, which",
        "                                 no client trusts (to test certificate errors); the address is",
        "                                 then https://127.0.0.1:PORT/",
        "  --request-log-size N           keep the last N requests for GET /emulator/requests [10000];",
        "                                 0 records none",
        "  --exit-on-stdin-close          stop when standard input closes",
        "  --help                         this text",
        "",
        "Test hooks (no UserSig): GET /emulator/stats, GET /emulator/accounts (UserIDs),",
        "  GET /emulator/accounts?detail=1 (UserID, Nick, FaceUrl each), POST /emulator/clock?advanceSeconds=N,",
        "  POST /emulator/rate-limit?api=account_check&callsPerSecond=N (a new limit from now on),",
        "  POST /emulator/online-status?userId=u1&status=Online|PushOnline|Offline[&platforms=iPhone:PushOnline,Web]",
        "  POST /emulator/clock?now=UNIXSECONDS (moves the clock forward to that time),",
        "  GET /emulator/requests[?api=account_check][&last=N] (the recorded requests, oldest first; UserSig redacted),",
        "  POST /emulator/faults?rate=0.1&kinds=http503,70500&latencyMs=N (any of them; from the next request on),",
        "  GET /emulator/faults (the rate, kinds and latency now),",
        "  POST /emulator/reset (back to the seeded state: accounts, online status, clock, limits, faults, counters, log)",
        "The secret key can come from the TENCENTIM_EMULATOR_SECRET_KEY environment variable instead of --secret-key,",
        "which keeps it off the command line that other users of the machine can see.",
        "(GET /emulator/stats counts TCP connections too: a client that refuses the certificate opens one per attempt.)",
    });

    /// <summary>Reads the command line; <c>--name value</c> and <c>--name=value</c> both work.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value; the message says which.</exception>
    public static EmulatorOptions Parse(string[] args)
    {
        var options = new EmulatorOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string name = arg;
            string? inlineValue = null;
            int equals = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg.Substring(0, equals);
                inlineValue = arg.Substring(equals + 1);
            }

            string Value()
            {
                if (inlineValue != null)
                {
                    return inlineValue;
                }

                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{name} needs a value.");
                }

                return args[++i];
            }

            switch (name)
            {
                case "--port": options.Port = ParseInt(name, Value(), 0, 65535); break;
                case "--sdkappid": options.SdkAppId = ParseUInt(name, Value()); break;
                case "--secret-key": options.SecretKey = Value(); break;
                case "--admins": options.Admins = SplitList(Value()); break;
                case "--accounts": options.Accounts = SplitList(Value()); break;
                case "--accounts-file": options.AccountsFile = Value(); break;
                case "--foreign-sdkappids": options.ForeignSdkAppIds = SplitList(Value()).ConvertAll(v => ParseUInt(name, v)); break;
                case "--failing-accounts": options.FailingAccounts = SplitList(Value()); break;
                case "--flaky-accounts": options.FlakyAccounts = SplitList(Value()); break;
                case "--deny-delete": options.DenyDelete = true; break;
                case "--deny-delete-per-item": options.DenyDeletePerItem = true; break;
                case "--online": options.OnlineAccounts = SplitList(Value()); break;
                case "--push-online": options.PushOnlineAccounts = SplitList(Value()); break;
                case "--trial": options.Trial = true; break;
                case "--account-limit": options.AccountLimit = ParseInt(name, Value(), 0, int.MaxValue); break;
                case "--now": options.TimeProvider = new PinnedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(ParseInt(name, Value(), 0, int.MaxValue))); break;
                case "--rate-limit": ParseRateLimits(name, Value(), options.RateLimits); break;
                case "--service-rate-limits":
                    foreach (var limit in ServiceRateLimits)
                    {
                        options.RateLimits[limit.Key] = limit.Value;
                    }

                    break;
                case "--rate-limit-counts-rejected": options.RateLimitCountsRejected = true; break;
                case "--latency-ms": options.LatencyMs = ParseInt(name, Value(), 0, int.MaxValue); break;
                case "--latency-jitter-ms": options.LatencyJitterMs = ParseInt(name, Value(), 0, int.MaxValue); break;
                case "--fault-rate": options.FaultRate = ParseRate(name, Value()); break;
                case "--fault-kinds": options.FaultKinds = SplitList(Value()).ConvertAll(v => ParseFaultKind(name, v)); break;
                case "--slow-response-ms": options.SlowResponseMs = ParseInt(name, Value(), 0, int.MaxValue); break;
                case "--seed": options.Seed = ParseLong(name, Value()); break;
                case "--https-self-signed": options.HttpsSelfSigned = true; break;
                case "--request-log-size": options.RequestLogSize = ParseInt(name, Value(), 0, int.MaxValue); break;
                case "--exit-on-stdin-close": options.ExitOnStdinClose = true; break;
                default: throw new ArgumentException($"Unknown option '{name}'. Try --help.");
            }
        }

        return options;
    }

    /// <summary>The initial accounts: <see cref="Accounts"/> then the lines of <see cref="AccountsFile"/>.</summary>
    internal IEnumerable<string> InitialAccounts()
    {
        foreach (string account in Accounts)
        {
            yield return account;
        }

        if (AccountsFile != null)
        {
            foreach (string line in File.ReadLines(AccountsFile))
            {
                // Trimmed: a file written on Windows ends its lines in "\r".
                string userId = line.Trim();
                if (userId.Length > 0)
                {
                    yield return userId;
                }
            }
        }
    }

    /// <summary>Rejects settings the emulator cannot honour, before it binds a port.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(SecretKey))
        {
            throw new ArgumentException("The secret key is empty.");
        }

        if (Port < 0 || Port > 65535)
        {
            throw new ArgumentException("The port must be 0..65535.");
        }

        if (FaultRate < 0 || FaultRate > 1 || double.IsNaN(FaultRate))
        {
            throw new ArgumentException("The fault rate must be 0..1.");
        }

        if (FaultRate > 0 && FaultKinds.Count == 0)
        {
            throw new ArgumentException("A fault rate needs at least one fault kind.");
        }

        if (Trial && DenyDelete)
        {
            throw new ArgumentException("--trial and --deny-delete contradict each other: trial editions may delete accounts.");
        }

        if (AccountLimit < 0)
        {
            throw new ArgumentException("The account limit cannot be negative.");
        }

        if (RequestLogSize < 0)
        {
            throw new ArgumentException("The request log's size cannot be negative.");
        }

        if (LatencyMs < 0 || LatencyJitterMs < 0 || SlowResponseMs < 0)
        {
            throw new ArgumentException("Delays cannot be negative.");
        }

        foreach (string entry in OnlineAccounts)
        {
            SessionStore.ParseSeed(entry, SessionStore.Online);
        }

        foreach (string entry in PushOnlineAccounts)
        {
            SessionStore.ParseSeed(entry, SessionStore.PushOnline);
        }

        foreach (var limit in RateLimits)
        {
            if (!EmulatedApis.TryFind(limit.Key, out _))
            {
                throw new ArgumentException($"No API named '{limit.Key}' to rate-limit; known: {EmulatedApis.NameList}.");
            }

            if (limit.Value < 1)
            {
                throw new ArgumentException($"The rate limit of {limit.Key} must be at least 1 call per second.");
            }
        }
    }

    private static void ParseRateLimits(string name, string value, IDictionary<string, int> limits)
    {
        // "--rate-limit 100" limits every API; "--rate-limit account_check=100,account_import=200" names them.
        if (!value.Contains('='))
        {
            int all = ParseInt(name, value, 1, int.MaxValue);
            foreach (EmulatedApi api in EmulatedApis.All)
            {
                limits[api.Command] = all;
            }

            return;
        }

        foreach (string pair in SplitList(value))
        {
            int equals = pair.IndexOf('=');
            string api = equals > 0 ? pair.Substring(0, equals) : "";
            if (!EmulatedApis.TryFind(api, out _))
            {
                throw new ArgumentException($"{name}: '{pair}' is not api=N with api one of {EmulatedApis.NameList}.");
            }

            limits[api] = ParseInt(name, pair.Substring(equals + 1), 1, int.MaxValue);
        }
    }

    private static List<string> SplitList(string value)
    {
        var items = new List<string>();
        foreach (string item in value.Split(','))
        {
            string trimmed = item.Trim();
            if (trimmed.Length > 0)
            {
                items.Add(trimmed);
            }
        }

        return items;
    }

    private static int ParseInt(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
        {
            throw new ArgumentException($"{name}: '{value}' is not a whole number in {min}..{max}.");
        }

        return n;
    }

    private static uint ParseUInt(string name, string value) =>
        uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint n)
            ? n
            : throw new ArgumentException($"{name}: '{value}' is not a 32-bit unsigned number.");

    private static long ParseLong(string name, string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            ? n
            : throw new ArgumentException($"{name}: '{value}' is not a whole number.");

    private static double ParseRate(string name, string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double rate) && rate >= 0 && rate <= 1
            ? rate
            : throw new ArgumentException($"{name}: '{value}' is not a number in 0..1.");

    private static FaultKind ParseFaultKind(string name, string value) =>
        FaultKindNames.TryParse(value, out FaultKind kind)
            ? kind
            : throw new ArgumentException($"{name}: '{value}' is not one of 70169, 70202, 70500, http502, http503, truncated, drop, slow, drop-after.");
}
