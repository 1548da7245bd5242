using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace TencentIm.Emulator;

/// <summary>One platform an account is logged in on, and its state there.</summary>
internal sealed record PlatformState(string Platform, string Status);

/// <summary>
/// Who is logged in, on which platforms, and whose UserSigs a kick has revoked: the state query_online_status reads
/// and kick changes (docs/service-api.md §3). An account not listed is Offline.
/// </summary>
internal sealed class SessionStore
{
    public const string Online = "Online";
    public const string PushOnline = "PushOnline";
    public const string Offline = "Offline";

    private static readonly PlatformState[] NoPlatforms = Array.Empty<PlatformState>();

    private readonly ConcurrentDictionary<string, (string Status, PlatformState[] Platforms)> _states =
        new ConcurrentDictionary<string, (string, PlatformState[])>(StringComparer.Ordinal);

    // Per identifier, the Unix second of its last kick: a UserSig issued before it no longer works.
    private readonly ConcurrentDictionary<string, long> _kickedAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Whether the text is one of the three states the service answers (case-sensitive, as it writes them).</summary>
    public static bool IsStatus(string status) => status is Online or PushOnline or Offline;

    /// <summary>Sets an account's state; Offline forgets its platforms.</summary>
    public void SetStatus(string userId, string status, IReadOnlyList<PlatformState> platforms)
    {
        if (status == Offline)
        {
            _states.TryRemove(userId, out _);
            return;
        }

        _states[userId] = (status, new List<PlatformState>(platforms).ToArray());
    }

    /// <summary>The account's state and platforms; Offline with none when it was never set.</summary>
    public (string Status, IReadOnlyList<PlatformState> Platforms) StatusOf(string userId) =>
        _states.TryGetValue(userId, out var state) ? (state.Status, state.Platforms) : (Offline, NoPlatforms);

    /// <summary>Logs the account out and revokes every UserSig issued for it before <paramref name="now"/>'s second.</summary>
    public void Kick(string userId, DateTimeOffset now)
    {
        _states.TryRemove(userId, out _);
        _kickedAt[userId] = now.ToUnixTimeSeconds();
    }

    /// <summary>
    /// Whether a UserSig of <paramref name="identifier"/> issued at <paramref name="issuedAt"/> (TLS.time, Unix
    /// seconds) was revoked by a kick: issued in an earlier second than the last kick. One issued in the kick's own
    /// second still works, so that a client that signs anew right after kicking its own identifier is let in.
    /// </summary>
    public bool IsRevoked(string identifier, long issuedAt) =>
        _kickedAt.TryGetValue(identifier, out long kickedAt) && issuedAt < kickedAt;

    /// <summary>
    /// Reads "u1" or "u1=iPhone:PushOnline+Web" (the --online and --push-online form): the UserID and its platforms,
    /// each "Platform" (in <paramref name="status"/>) or "Platform:Status". The platforms follow the last '='.
    /// </summary>
    /// <exception cref="ArgumentException">A platform's state is not Online, PushOnline or Offline.</exception>
    public static (string UserId, PlatformState[] Platforms) ParseSeed(string entry, string status)
    {
        int equals = entry.LastIndexOf('=');
        if (equals <= 0)
        {
            return (entry, NoPlatforms);
        }

        return (entry.Substring(0, equals), ParsePlatforms(entry.Substring(equals + 1), '+', status));
    }

    /// <summary>Reads "iPhone:PushOnline,Web" (with <paramref name="separator"/> between platforms).</summary>
    /// <exception cref="ArgumentException">A platform's name is empty, or its state is not Online, PushOnline or Offline.</exception>
    public static PlatformState[] ParsePlatforms(string text, char separator, string status)
    {
        var platforms = new List<PlatformState>();
        foreach (string part in text.Split(separator))
        {
            string platform = part.Trim();
            if (platform.Length == 0)
            {
                continue;
            }

            string platformStatus = status;
            int colon = platform.LastIndexOf(':');
            if (colon >= 0)
            {
                platformStatus = platform.Substring(colon + 1);
                platform = platform.Substring(0, colon);
            }

            if (platform.Length == 0 || !IsStatus(platformStatus))
            {
                throw new ArgumentException($"'{part}' is not Platform or Platform:Status with Status one of {Online}, {PushOnline}, {Offline}.");
            }

            platforms.Add(new PlatformState(platform, platformStatus));
        }

        return platforms.ToArray();
    }
}
