using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace TencentIm.Signing;

/// <summary>
/// An IM app's secret key, held as the UTF-8 bytes that are its HMAC key. It never becomes a .NET string, so it
/// cannot reach output, a log line, an exception message or <see cref="ToString"/>; <see cref="Dispose"/> wipes it.
/// </summary>
public sealed class SecretKey : IDisposable
{
    private readonly byte[] _bytes;
    private bool _disposed;

    private SecretKey(byte[] bytes)
    {
        _bytes = bytes;
    }

    /// <summary>
    /// Takes the key from a SecureString. The key is the text shown in the IM console; its UTF-8 bytes are the
    /// HMAC key as they are (a 64-hex-digit key is not hex-decoded: docs/service-api.md §2).
    /// </summary>
    /// <exception cref="ArgumentException">The SecureString is empty.</exception>
    public static SecretKey FromSecureString(SecureString secureKey)
    {
        if (secureKey is null)
        {
            throw new ArgumentNullException(nameof(secureKey));
        }

        if (secureKey.Length == 0)
        {
            throw new ArgumentException("The secret key is empty.", nameof(secureKey));
        }

        IntPtr unmanaged = IntPtr.Zero;
        char[] chars = new char[secureKey.Length];
        try
        {
            unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secureKey);
            Marshal.Copy(unmanaged, chars, 0, chars.Length);
            return new SecretKey(TrimmedUtf8(chars));
        }
        finally
        {
            Array.Clear(chars, 0, chars.Length);
            if (unmanaged != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            }
        }
    }

    /// <summary>For callers whose key is already a string (TENCENTIM_SECRETKEY, the emulator's options, test vectors).</summary>
    internal static SecretKey FromString(string key) => new SecretKey(Encoding.UTF8.GetBytes(key.Trim()));

    internal byte[] ComputeHmacSha256(byte[] content)
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(SecretKey), "The secret key was wiped when its connection was closed.");
        }

        using var hmac = new HMACSHA256(_bytes);
        return hmac.ComputeHash(content);
    }

    /// <summary>Wipes the key from memory.</summary>
    public void Dispose()
    {
        _disposed = true;
        Array.Clear(_bytes, 0, _bytes.Length);
    }

    /// <summary>Never the key: a fixed placeholder.</summary>
    public override string ToString() => "SecretKey (hidden)";

    // A key pasted from the console often carries a trailing newline or space; no key has them on purpose.
    private static byte[] TrimmedUtf8(char[] chars)
    {
        int start = 0, end = chars.Length;
        while (start < end && char.IsWhiteSpace(chars[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(chars[end - 1]))
        {
            end--;
        }

        if (start == end)
        {
            throw new ArgumentException("The secret key is blank.");
        }

        return Encoding.UTF8.GetBytes(chars, start, end - start);
    }
}
