using System;
using System.Collections.Generic;
using System.Linq;
using TencentIm.Signing;

namespace TencentIm.Emulator;

/// <summary>
/// Everything a run of requests changes, seeded from the options: the accounts, who is logged in, the clock, the
/// rate-limit windows, the fault dice and the API handlers over them. <c>POST /emulator/reset</c> swaps in a freshly
/// seeded one, which is how "back to the seeded state" cannot forget a piece of state.
/// </summary>
internal sealed class EmulatorState
{
    private EmulatorState(EmulatorClock clock, AccountStore store, SessionStore sessions, ApiRateLimits rateLimits, MessageLog messages, ImEndpoint endpoint)
    {
        Clock = clock;
        Messages = messages;
        Store = store;
        Sessions = sessions;
        RateLimits = rateLimits;
        Endpoint = endpoint;
    }

    public EmulatorClock Clock { get; }

    public AccountStore Store { get; }

    public SessionStore Sessions { get; }

    public ApiRateLimits RateLimits { get; }

    /// <summary>The messages openim/sendmsg accepted since the seed.</summary>
    public MessageLog Messages { get; }

    public ImEndpoint Endpoint { get; }

    /// <summary>
    /// Seeds a state from validated options and the initial accounts, read once at start (an accounts file may be
    /// gone by the time of a reset: Start-TencentImEmulator deletes its temporary one).
    /// </summary>
    /// <exception cref="ArgumentException">An initial UserID is invalid, too many for the account limit, or an online seed is no account.</exception>
    public static EmulatorState Seed(EmulatorOptions options, IReadOnlyList<string> initialAccounts, SecretKey key, StatsCounters stats, RequestLog log)
    {
        var clock = new EmulatorClock(options.TimeProvider);
        var store = new AccountStore(options.Trial, options.AccountLimit);
        var initial = new HashSet<string>(StringComparer.Ordinal);
        foreach (string userId in initialAccounts)
        {
            if (!AccountStore.IsValidUserId(userId))
            {
                throw new ArgumentException($"The initial account '{userId}' is not a valid UserID (1 to 32 bytes).");
            }

            initial.Add(userId);
        }

        if (initial.Count > options.AccountLimit)
        {
            throw new ArgumentException($"--account-limit {options.AccountLimit} is below the {initial.Count} initial accounts.");
        }

        foreach (string userId in initial)
        {
            store.TryImport(userId, AccountProfile.None, clock.UtcNow);
        }

        var sessions = new SessionStore();
        SeedSessions(sessions, store, options.OnlineAccounts, SessionStore.Online);
        SeedSessions(sessions, store, options.PushOnlineAccounts, SessionStore.PushOnline);

        var rateLimits = new ApiRateLimits(options.RateLimits, options.RateLimitCountsRejected);
        var messages = new MessageLog();
        var endpoint = new ImEndpoint(
            new ImRequestGate(options.SdkAppId, key, options.ForeignSdkAppIds, options.Admins, clock, sessions),
            new AccountApis(store, options.FailingAccounts, options.FlakyAccounts, options.DenyDelete, clock, options.DenyDeletePerItem).Handlers()
                .Concat(new SessionApis(store, sessions, clock).Handlers())
                .Concat(new ProfileMessageApis(store, clock, messages).Handlers()),
            rateLimits,
            new FaultInjector(options.Seed, options.FaultRate, options.FaultKinds, options.LatencyJitterMs),
            stats,
            clock,
            options.LatencyMs,
            options.SlowResponseMs,
            log);
        return new EmulatorState(clock, store, sessions, rateLimits, messages, endpoint);
    }

    /// <summary>Sets the state of each "u1" or "u1=Platform:State+…" entry; every one must be an account.</summary>
    private static void SeedSessions(SessionStore sessions, AccountStore store, IEnumerable<string> entries, string status)
    {
        foreach (string entry in entries)
        {
            var (userId, platforms) = SessionStore.ParseSeed(entry, status);
            if (!store.IsImported(userId))
            {
                throw new ArgumentException($"'{userId}' is to be {status} at start, but it is not one of the emulator's accounts: add it to --accounts.");
            }

            sessions.SetStatus(userId, status, platforms);
        }
    }
}
