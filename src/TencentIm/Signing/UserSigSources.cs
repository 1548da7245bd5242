using System;

namespace TencentIm.Signing;

/// <summary>Where a connection's UserSigs come from: signed here from the key, or one given pre-signed.</summary>
internal interface IUserSigSource : IDisposable
{
    /// <summary>A UserSig valid now; renewed first when close to expiry (safe to call from many threads).</summary>
    string Current();

    /// <summary>
    /// The service said <paramref name="rejected"/> expired (70001/70052): sign a new one. False when this source
    /// cannot renew (a pre-signed UserSig), so the caller stops instead of retrying.
    /// </summary>
    bool TryRenew(string rejected);

    /// <summary>When the current UserSig expires, if known.</summary>
    DateTimeOffset? ExpiresOn { get; }

    /// <summary>"SecretKey" or "UserSig": how the connection authenticates, for display.</summary>
    string Method { get; }
}

/// <summary>Signs UserSigs from the app's key and renews them before they expire.</summary>
internal sealed class SigningUserSigSource : IUserSigSource
{
    private readonly SecretKey _key;
    private readonly uint _sdkAppId;
    private readonly string _identifier;
    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _renewBefore;
    private readonly IClock _clock;
    private readonly object _gate = new object();
    private volatile Signed? _current;

    public SigningUserSigSource(SecretKey key, uint sdkAppId, string identifier, TimeSpan lifetime, IClock clock)
    {
        _key = key;
        _sdkAppId = sdkAppId;
        _identifier = identifier;
        _lifetime = lifetime;
        _clock = clock;
        // Renew with a quarter of the lifetime left, at most ten minutes early: requests in flight and clock skew
        // between this machine and the service must not meet an expired UserSig.
        _renewBefore = TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 4, TimeSpan.FromMinutes(10).Ticks));
    }

    public string Method => "SecretKey";

    public DateTimeOffset? ExpiresOn => _current?.ExpiresOn;

    public string Current()
    {
        Signed? current = _current;
        if (current != null && _clock.UtcNow < current.ExpiresOn - _renewBefore)
        {
            return current.UserSig;
        }

        lock (_gate)
        {
            current = _current;
            if (current == null || _clock.UtcNow >= current.ExpiresOn - _renewBefore)
            {
                current = Sign();
            }

            return current.UserSig;
        }
    }

    public bool TryRenew(string rejected)
    {
        lock (_gate)
        {
            // Another request may already have renewed it; sign only if the rejected one is still current.
            if (_current == null || ReferenceEquals(_current.UserSig, rejected) || _current.UserSig == rejected)
            {
                Sign();
            }
        }

        return true;
    }

    public void Dispose() => _key.Dispose();

    /// <summary>The app this source signs for.</summary>
    public uint SdkAppId => _sdkAppId;

    /// <summary>Signs a UserSig for any account of the app (New-TencentImUserSig), from the connection's key.</summary>
    public string SignFor(string identifier, DateTimeOffset issuedAt, TimeSpan lifetime) =>
        UserSigSigner.Sign(_key, _sdkAppId, identifier, issuedAt, lifetime);

    /// <summary>Whether the connection's key made this UserSig (Test-TencentImUserSig).</summary>
    public bool IsSignedWithThisKey(UserSigDocument document) => UserSigSigner.IsSignatureValid(document, _key);

    private Signed Sign()
    {
        DateTimeOffset now = _clock.UtcNow;
        var signed = new Signed(UserSigSigner.Sign(_key, _sdkAppId, _identifier, now, _lifetime), now + _lifetime);
        _current = signed;
        return signed;
    }

    private sealed class Signed
    {
        public Signed(string userSig, DateTimeOffset expiresOn)
        {
            UserSig = userSig;
            ExpiresOn = expiresOn;
        }

        public string UserSig { get; }

        public DateTimeOffset ExpiresOn { get; }
    }
}

/// <summary>A UserSig signed elsewhere, for machines that must not hold the key. It cannot be renewed.</summary>
internal sealed class PresignedUserSigSource : IUserSigSource
{
    private string? _userSig;

    public PresignedUserSigSource(string userSig)
    {
        _userSig = userSig;
        try
        {
            ExpiresOn = UserSigSigner.Decode(userSig).ExpiresOn;
        }
        catch (FormatException)
        {
            // Not decodable here: the service will say why (70003), and the connection test reports it.
            ExpiresOn = null;
        }
    }

    public string Method => "UserSig";

    public DateTimeOffset? ExpiresOn { get; }

    public string Current() => _userSig ?? throw new ObjectDisposedException(nameof(PresignedUserSigSource), "The connection was closed.");

    public bool TryRenew(string rejected) => false;

    public void Dispose() => _userSig = null;
}
