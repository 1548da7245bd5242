using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;

namespace TencentIm.Emulator;

/// <summary>
/// What an import says beyond the UserID; kept so that a re-import can update it, as the service does. Null means
/// "not given": an import that leaves a field out keeps the value the account has.
/// </summary>
internal sealed record AccountProfile(string? Nick, string? FaceUrl)
{
    public static readonly AccountProfile None = new AccountProfile(null, null);

    /// <summary>This profile's fields, and <paramref name="old"/>'s where this one gives none.</summary>
    public AccountProfile Over(AccountProfile old) => new AccountProfile(Nick ?? old.Nick, FaceUrl ?? old.FaceUrl);
}

/// <summary>What an import did: imported (or updated), or refused with a per-account code.</summary>
internal enum ImportOutcome
{
    Imported,

    /// <summary>70399: deleted less than 3 months ago, on an edition that is not a trial.</summary>
    DeletedRecently,

    /// <summary>70398: a new account would take the app past its edition's account limit.</summary>
    AccountLimitReached,
}

/// <summary>
/// The app's accounts, in memory. UserIDs compare ordinally (they are case-sensitive: docs/service-api.md §3). Reads
/// are lock-free; imports and deletes take one lock so that "deleted, so not importable", the account count and
/// "imported" never disagree.
/// </summary>
internal sealed class AccountStore
{
    /// <summary>A deleted UserID cannot be imported again for 3 months (docs/service-api.md §3, 70399).</summary>
    public static readonly TimeSpan ReimportBlockedFor = TimeSpan.FromDays(90);

    /// <summary>UserIDs are at most 32 bytes (docs/service-api.md §3); sources disagree on the characters, so any are taken.</summary>
    public const int MaxUserIdBytes = 32;

    private readonly ConcurrentDictionary<string, AccountProfile> _imported = new ConcurrentDictionary<string, AccountProfile>(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _deletedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
    private readonly object _writeLock = new object();
    private readonly bool _trial;
    private readonly int? _accountLimit;
    private int _count;

    /// <param name="trial">A trial edition: a deleted UserID may be imported again at once (docs/service-api.md §3).</param>
    /// <param name="accountLimit">The most accounts the app's edition holds (70398 beyond it); null for no limit.</param>
    public AccountStore(bool trial = false, int? accountLimit = null)
    {
        _trial = trial;
        _accountLimit = accountLimit;
    }

    public static bool IsValidUserId(string userId) =>
        userId.Length > 0 && userId.Length <= MaxUserIdBytes && Encoding.UTF8.GetByteCount(userId) <= MaxUserIdBytes;

    public bool IsImported(string userId) => _imported.ContainsKey(userId);

    /// <summary>
    /// Imports an account, or updates the fields <paramref name="profile"/> gives of one that exists. Refused (70399)
    /// if it was deleted less than 3 months before <paramref name="now"/> and the app is not a trial, or (70398) if a
    /// new account would pass the account limit.
    /// </summary>
    public ImportOutcome TryImport(string userId, AccountProfile profile, DateTimeOffset now)
    {
        lock (_writeLock)
        {
            if (_imported.TryGetValue(userId, out AccountProfile? old))
            {
                _imported[userId] = profile.Over(old);
                return ImportOutcome.Imported;
            }

            if (_deletedAt.TryGetValue(userId, out DateTimeOffset deletedAt))
            {
                if (!_trial && now - deletedAt < ReimportBlockedFor)
                {
                    return ImportOutcome.DeletedRecently;
                }
            }

            if (_accountLimit is int limit && _count >= limit)
            {
                return ImportOutcome.AccountLimitReached;
            }

            _deletedAt.Remove(userId);
            _imported[userId] = profile;
            _count++;
            return ImportOutcome.Imported;
        }
    }

    /// <summary>The profile of an imported account, or null if it does not exist.</summary>
    public AccountProfile? ProfileOf(string userId) => _imported.TryGetValue(userId, out AccountProfile? profile) ? profile : null;

    /// <summary>Sets the fields <paramref name="profile"/> gives of an existing account (profile/portrait_set); false if it does not exist.</summary>
    public bool TrySetProfile(string userId, AccountProfile profile)
    {
        lock (_writeLock)
        {
            if (!_imported.TryGetValue(userId, out AccountProfile? old))
            {
                return false;
            }

            _imported[userId] = profile.Over(old);
            return true;
        }
    }

    /// <summary>Deletes an account; false (70107) if it does not exist.</summary>
    public bool TryDelete(string userId, DateTimeOffset now)
    {
        lock (_writeLock)
        {
            if (!_imported.TryRemove(userId, out _))
            {
                return false;
            }

            _count--;
            _deletedAt[userId] = now;
            return true;
        }
    }

    /// <summary>The imported UserIDs, sorted ordinally so that snapshots compare easily.</summary>
    public IReadOnlyCollection<string> Snapshot()
    {
        var userIds = new List<string>(_imported.Keys);
        userIds.Sort(StringComparer.Ordinal);
        return userIds.AsReadOnly();
    }

    /// <summary>The imported accounts with their profiles, sorted ordinally by UserID.</summary>
    public IReadOnlyList<KeyValuePair<string, AccountProfile>> Profiles()
    {
        var accounts = new List<KeyValuePair<string, AccountProfile>>(_imported);
        accounts.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return accounts.AsReadOnly();
    }
}
