using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;

namespace TencentIm.Emulator;

/// <summary>What an import says beyond the UserID; kept so that a re-import can update it, as the service does.</summary>
internal sealed record AccountProfile(string? Nick, string? FaceUrl);

/// <summary>
/// The app's accounts, in memory. UserIDs compare ordinally (they are case-sensitive: fact sheet §3). Reads are
/// lock-free; imports and deletes take one lock so that "deleted, so not importable" and "imported" never disagree.
/// </summary>
internal sealed class AccountStore
{
    /// <summary>A deleted UserID cannot be imported again for 3 months (fact sheet §3, 70399).</summary>
    public static readonly TimeSpan ReimportBlockedFor = TimeSpan.FromDays(90);

    /// <summary>UserIDs are at most 32 bytes (fact sheet §3); sources disagree on the characters, so any are taken.</summary>
    public const int MaxUserIdBytes = 32;

    private readonly ConcurrentDictionary<string, AccountProfile> _imported = new ConcurrentDictionary<string, AccountProfile>(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _deletedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
    private readonly object _writeLock = new object();

    public static bool IsValidUserId(string userId) =>
        userId.Length > 0 && userId.Length <= MaxUserIdBytes && Encoding.UTF8.GetByteCount(userId) <= MaxUserIdBytes;

    public bool IsImported(string userId) => _imported.ContainsKey(userId);

    /// <summary>Imports or updates an account; false (70399) if it was deleted less than 3 months before <paramref name="now"/>.</summary>
    public bool TryImport(string userId, AccountProfile profile, DateTimeOffset now)
    {
        lock (_writeLock)
        {
            if (_deletedAt.TryGetValue(userId, out DateTimeOffset deletedAt))
            {
                if (now - deletedAt < ReimportBlockedFor)
                {
                    return false;
                }

                _deletedAt.Remove(userId);
            }

            _imported[userId] = profile;
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
}
