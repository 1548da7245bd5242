using System;
using System.Management.Automation;
using System.Text;

namespace TencentIm.Engine;

/// <summary>
/// What the module checks of a UserID before sending it. Sources disagree on the allowed characters (docs/service-api.md
/// §3: the signers say letters, digits, '_' and '-'; a client-error page says printable ASCII), so only the
/// length rule they agree on is enforced here, and the service judges characters.
/// </summary>
internal static class UserIdRules
{
    /// <summary>The service's limit on a UserID, in UTF-8 bytes.</summary>
    public const int MaxUtf8Bytes = 32;

    /// <summary>
    /// The hygiene of every UserID from the input: trimmed, skipped when blank and <paramref name="skipBlank"/> (a
    /// blank line of text), and checked.
    /// </summary>
    /// <param name="value">The UserID as given.</param>
    /// <param name="skipBlank">Skip it silently when blank: a blank line of piped text.</param>
    /// <param name="source">The input object it was read from (a CSV row), the target of its error.</param>
    /// <param name="failure">Why it is not sent, when it is invalid.</param>
    /// <returns>The trimmed UserID to send, or null when it is skipped or invalid.</returns>
    public static string? Accept(string? value, bool skipBlank, object? source, out ItemFailure? failure)
    {
        string userId = Trim(value);
        failure = null;
        if (userId.Length == 0 && skipBlank)
        {
            return null;
        }

        ItemFailure? invalid = Validate(userId);
        if (invalid == null)
        {
            return userId;
        }

        invalid = invalid.WithConsequence("It was not sent.");
        failure = source == null ? invalid : invalid.WithTarget(source);
        return null;
    }

    /// <summary>
    /// A failure for a UserID that must not be sent, or null when it may. The message says what is wrong, not what
    /// became of it: each caller adds that (<see cref="ItemFailure.WithConsequence"/>).
    /// </summary>
    public static ItemFailure? Validate(string userId)
    {
        if (userId.Length == 0)
        {
            return new ItemFailure(userId, "EmptyUserId", ErrorCategory.InvalidArgument,
                "A UserID is empty (an empty value, or an input object whose UserID, Identifier or Id is empty). Fill it in or leave it out; every UserID has 1 to 32 bytes.");
        }

        // A line break inside one value is several lines of text read as one (Get-Content -Raw), never a UserID.
        if (userId.IndexOfAny(LineBreaks) >= 0)
        {
            return new ItemFailure(userId, "UserIdHasLineBreak", ErrorCategory.InvalidArgument,
                $"The UserID '{Shorten(userId).Replace("\r", "\\r").Replace("\n", "\\n")}' contains a line break, so it is several lines of text, not one UserID. If you read a file with Get-Content -Raw, drop -Raw so that each line is one UserID; if it came from a CSV cell or a property, fix that value.");
        }

        // A lone surrogate (text cut in the middle of a character) cannot be sent: UTF-8 would turn it into U+FFFD, a
        // UserID the service would answer for but that is not the one given.
        if (HasLoneSurrogate(userId))
        {
            return new ItemFailure(userId, "UserIdNotValidText", ErrorCategory.InvalidArgument,
                $"The UserID '{Shorten(userId)}' holds half of a character (a lone UTF-16 surrogate), as text cut in the middle of a character does, so it cannot be sent as written. Fix the text it came from.");
        }

        // Cheap check first: a UTF-8 character is at most 3 bytes per UTF-16 unit.
        if (userId.Length * 3 > MaxUtf8Bytes)
        {
            int bytes = Encoding.UTF8.GetByteCount(userId);
            if (bytes > MaxUtf8Bytes)
            {
                return new ItemFailure(userId, "UserIdTooLong", ErrorCategory.InvalidArgument,
                    $"The UserID '{Shorten(userId)}' is {bytes} bytes long in UTF-8; the service allows at most {MaxUtf8Bytes}.");
            }
        }

        return null;
    }

    private static readonly char[] LineBreaks = { '\r', '\n' };

    // Invisible characters that String.Trim keeps: a byte order mark left by joined files, and zero-width spaces
    // copied from web pages. Around a UserID they are never meant.
    private static readonly char[] Invisible = { '\uFEFF', '\u200B' };

    /// <summary>Trims whitespace and the invisible characters around a UserID.</summary>
    public static string Trim(string? value)
    {
        string text = value?.Trim() ?? "";
        while (text.Length > 0 && (Array.IndexOf(Invisible, text[0]) >= 0 || Array.IndexOf(Invisible, text[text.Length - 1]) >= 0))
        {
            text = text.Trim(Invisible).Trim();
        }

        return text;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Shorten(string userId) => userId.Length <= 64 ? userId : userId.Substring(0, 61) + "...";
}
