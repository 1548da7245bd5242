using System;
using System.Management.Automation;
using System.Text;
using TencentIm.Engine;

namespace TencentIm.Commands;

/// <summary>
/// Reads a profile field (Nick, FaceUrl) of an account to import: from the input object the UserID came from (a
/// CSV row's column, a hashtable's key, any case), else from the cmdlet's parameter. Blank means "not given", so
/// the field is not sent: an empty cell of a CSV file is a row without that field, not an error.
/// </summary>
internal static class ProfileFieldInput
{
    /// <summary>The service's limit on Nick and FaceUrl, in UTF-8 bytes (docs/service-api.md §3).</summary>
    public const int MaxUtf8Bytes = 500;

    /// <summary>
    /// The field's value to send (trimmed; null when not given or blank), or false with a failure when it cannot be
    /// sent: not text, or longer than <see cref="MaxUtf8Bytes"/>.
    /// </summary>
    /// <param name="field">The field's name: Nick or FaceUrl; it begins the ErrorIds (NickTooLong, NickNotText).</param>
    /// <param name="userId">The account's UserID, for messages.</param>
    /// <param name="source">The input object the UserID was read from; null when it was text or typed as an argument.</param>
    /// <param name="parameter">The cmdlet's parameter of the same name, used when <paramref name="source"/> has no such field.</param>
    /// <param name="value">The value to send, or null.</param>
    /// <param name="failure">Why the account is not sent.</param>
    public static bool TryRead(string field, string userId, object? source, string? parameter, out string? value, out ItemFailure? failure)
    {
        value = null;
        failure = null;
        object? given = parameter;
        string name = "";
        object? item = source is PSObject wrapped ? wrapped.BaseObject : source;
        if (source != null && UserIdInput.TryGetMember(source, item!, field, out name, out object? found))
        {
            given = found is PSObject p ? p.BaseObject : found;
        }

        string? text;
        if (given == null || given is DBNull)
        {
            return true;
        }
        else if (given is string s)
        {
            text = s;
        }
        else if (!UserIdInput.TryReadScalar(given, out text))
        {
            failure = new ItemFailure(userId, field + "NotText", ErrorCategory.InvalidArgument,
                $"The {name} of the input object for UserID '{userId}' is a {given.GetType().FullName}, not text, so nothing was sent for this account. Give the {field} as text.",
                target: source);
            return false;
        }

        text = text!.Trim();
        if (text.Length == 0)
        {
            return true;
        }

        // Cheap check first: a UTF-8 character is at most 3 bytes per UTF-16 unit.
        if (text.Length * 3 > MaxUtf8Bytes)
        {
            int bytes = Encoding.UTF8.GetByteCount(text);
            if (bytes > MaxUtf8Bytes)
            {
                failure = new ItemFailure(userId, field + "TooLong", ErrorCategory.InvalidArgument,
                    $"The {field} given for UserID '{userId}' is {bytes} bytes long in UTF-8; the service allows at most {MaxUtf8Bytes}. Nothing was sent for this account: shorten the {field} or leave it out, and import it again.",
                    target: source);
                return false;
            }
        }

        value = text;
        return true;
    }
}
