namespace TencentIm.Emulator.Commands;

/// <summary>
/// An account the emulator holds now, as Get-TencentImEmulatorAccount lists it: its UserID and the profile fields an
/// import gave it (null when never given). Fields the emulator adds later show as extra properties.
/// </summary>
public sealed class EmulatorAccount
{
    internal EmulatorAccount(string userId, string? nick, string? faceUrl)
    {
        UserID = userId;
        Nick = nick;
        FaceUrl = faceUrl;
    }

    /// <summary>The account's UserID.</summary>
    public string UserID { get; }

    /// <summary>The nickname an import gave it, or null.</summary>
    public string? Nick { get; }

    /// <summary>The portrait URL an import gave it, or null.</summary>
    public string? FaceUrl { get; }

    /// <summary>The UserID.</summary>
    public override string ToString() => UserID;
}
