using System;

namespace TencentIm.Emulator;

/// <summary>The account APIs the emulator serves (fact sheet §3); the value indexes per-API tables.</summary>
internal enum ImCommand
{
    AccountCheck,
    AccountImport,
    MultiAccountImport,
    AccountDelete,
}

internal static class ImCommands
{
    public const string LoginService = "im_open_login_svc";

    public static readonly string[] Names = { "account_check", "account_import", "multiaccount_import", "account_delete" };

    public static int Count => Names.Length;

    public static string Name(ImCommand command) => Names[(int)command];

    public static bool TryParseName(string name, out ImCommand command)
    {
        int index = Array.IndexOf(Names, name);
        command = (ImCommand)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Resolves "/v4/{service}/{command}"; names are case-sensitive like the service's.</summary>
    public static bool TryParsePath(string path, out ImCommand command)
    {
        command = default;
        const string Prefix = "/v4/" + LoginService + "/";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> name = path.AsSpan(Prefix.Length);
        for (int i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                command = (ImCommand)i;
                return true;
            }
        }

        return false;
    }
}
