using System;
using System.Runtime.InteropServices;
using System.Security;

namespace TencentIm.Commands;

/// <summary>Between SecureString and text, for the few places that must (a UserSig is sent as text).</summary>
internal static class SecureStrings
{
    public static SecureString FromText(string text)
    {
        var secure = new SecureString();
        foreach (char c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>The text, trimmed; the unmanaged copy is zeroed at once.</summary>
    public static string ToTrimmedText(SecureString secure)
    {
        IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return Marshal.PtrToStringUni(unmanaged, secure.Length).Trim();
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
        }
    }
}
