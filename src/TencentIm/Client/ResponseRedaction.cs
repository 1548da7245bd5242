using System.Text;

namespace TencentIm.Client;

/// <summary>
/// Takes the request's UserSig out of what a server answered. The IM service never echoes the request URL, but a
/// misconfigured proxy, a gateway's error page or a fake endpoint may, in ErrorInfo, in an HTML 404 page or in a
/// plain body; whatever is read from an answer reaches error messages, $Error, -Verbose, -Debug and the output, so
/// the UserSig is replaced there by <see cref="Marker"/>. A UserSig uses letters, digits, '*', '-' and '_' (base64
/// with '+', '/', '=' replaced: UserSigSigner.ToUrlSafe); each of its characters is matched as itself, URL-encoded (%2A, also
/// encoded twice: %252A) or JSON-escaped (\u002A), in any mix and case of hex digits, so every way a server could
/// have quoted the URL is caught.
/// </summary>
internal static class ResponseRedaction
{
    /// <summary>What stands in for the UserSig, as in the redacted request URI.</summary>
    public const string Marker = "<redacted>";

    // ISO-8859-1 maps every byte to one char and back: a body in any ASCII-compatible encoding (UTF-8, Latin-1)
    // round-trips unchanged, and the UserSig (ASCII) is found in it.
    private static readonly Encoding Bytewise = Encoding.GetEncoding("iso-8859-1");

    /// <summary><paramref name="text"/> with every occurrence of <paramref name="userSig"/>, in any encoding above, replaced.</summary>
    public static string Redact(string text, string? userSig)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(userSig))
        {
            return text;
        }

        StringBuilder? redacted = null;
        int copied = 0;
        for (int i = 0; i < text.Length; i++)
        {
            int end = MatchAt(text, i, userSig!);
            if (end < 0)
            {
                continue;
            }

            redacted ??= new StringBuilder(text.Length);
            redacted.Append(text, copied, i - copied).Append(Marker);
            copied = end;
            i = end - 1;
        }

        return redacted == null ? text : redacted.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// <paramref name="body"/> with the UserSig replaced; the very same array when it holds none, so that a body is
    /// never altered otherwise.
    /// </summary>
    public static byte[] Redact(byte[] body, string? userSig)
    {
        if (body.Length == 0 || string.IsNullOrEmpty(userSig))
        {
            return body;
        }

        string text = Bytewise.GetString(body);
        string redacted = Redact(text, userSig);
        return ReferenceEquals(text, redacted) ? body : Bytewise.GetBytes(redacted);
    }

    /// <summary>Where a match of <paramref name="userSig"/> starting at <paramref name="start"/> ends; -1 if none starts there.</summary>
    private static int MatchAt(string text, int start, string userSig)
    {
        int j = start;
        foreach (char c in userSig)
        {
            int next = MatchChar(text, j, c);
            if (next < 0)
            {
                return -1;
            }

            j = next;
        }

        return j;
    }

    private static int MatchChar(string text, int j, char c)
    {
        if (j >= text.Length)
        {
            return -1;
        }

        if (text[j] == c)
        {
            return j + 1;
        }

        if (text[j] == '%')
        {
            // %XX, or %25XX: the percent sign itself encoded once more.
            if (Hex(text, j + 1, 2) == c)
            {
                return j + 3;
            }

            if (Hex(text, j + 1, 2) == '%' && Hex(text, j + 3, 2) == c)
            {
                return j + 5;
            }
        }

        if (text[j] == '\\' && j + 1 < text.Length && text[j + 1] == 'u' && Hex(text, j + 2, 4) == c)
        {
            return j + 6;
        }

        return -1;
    }

    /// <summary>The value of <paramref name="digits"/> hex digits at <paramref name="at"/>; -1 if they are not all there.</summary>
    private static int Hex(string text, int at, int digits)
    {
        if (at + digits > text.Length)
        {
            return -1;
        }

        int value = 0;
        for (int k = at; k < at + digits; k++)
        {
            char d = text[k];
            int v = d >= '0' && d <= '9' ? d - '0' : d >= 'a' && d <= 'f' ? d - 'a' + 10 : d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
            if (v < 0)
            {
                return -1;
            }

            value = (value * 16) + v;
        }

        return value;
    }
}
