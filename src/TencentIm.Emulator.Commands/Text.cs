using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace TencentIm.Emulator.Commands;

/// <summary>The last few KB of a text stream (the emulator's standard error): enough to say why it stopped.</summary>
internal sealed class TextTail
{
    private const int KeptChars = 8192;
    private readonly StringBuilder _text = new StringBuilder();

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            _text.AppendLine(line);
            if (_text.Length > KeptChars)
            {
                _text.Remove(0, _text.Length - KeptChars);
            }
        }
    }
}

/// <summary>A process command line from separate arguments (ProcessStartInfo.ArgumentList is not in netstandard2.0).</summary>
internal static class CommandLine
{
    /// <summary>
    /// Quotes each argument the way the Windows C runtime and .NET's own parser (on every OS) split them back:
    /// https://learn.microsoft.com/cpp/c-language/parsing-c-command-line-arguments.
    /// </summary>
    public static string Join(IEnumerable<string> arguments)
    {
        var line = new StringBuilder();
        foreach (string argument in arguments)
        {
            if (line.Length > 0)
            {
                line.Append(' ');
            }

            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
            {
                line.Append(argument);
                continue;
            }

            line.Append('"');
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }

                // Backslashes before a quote are doubled, and the quote escaped; elsewhere they are literal.
                line.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes);
                backslashes = 0;
                line.Append(c);
            }

            line.Append('\\', backslashes * 2).Append('"');
        }

        return line.ToString();
    }
}

/// <summary>SecureString helpers: a random key, a copy, and the text when it must leave this process.</summary>
internal static class SecureText
{
    /// <summary>A fresh random secret key: 64 hex digits, the length of the IM console's keys.</summary>
    public static SecureString NewRandomKey()
    {
        var bytes = new byte[32];
        using (var random = System.Security.Cryptography.RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        var key = new SecureString();
        foreach (byte b in bytes)
        {
            key.AppendChar("0123456789abcdef"[b >> 4]);
            key.AppendChar("0123456789abcdef"[b & 0xF]);
        }

        Array.Clear(bytes, 0, bytes.Length);
        key.MakeReadOnly();
        return key;
    }

    /// <summary>The text, for the emulator's environment only.</summary>
    public static string Reveal(SecureString secure)
    {
        IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return Marshal.PtrToStringUni(pointer) ?? "";
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
