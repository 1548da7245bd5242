using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Numerics;
using TencentIm.Connections;
using TencentIm.Engine;

namespace TencentIm.Commands;

/// <summary>
/// Reads UserIDs out of what was bound to -UserId: text and whole numbers as they are, arrays item by item
/// (Get-Content -ReadCount), and other objects by their UserID, Identifier or Id property or key (Import-Csv rows,
/// hashtables, the module's own results). An object with none of them is an error in its place, never its
/// ToString() sent as a UserID; an object whose property is blank is a row the user meant, so it is an
/// EmptyUserId error, where a blank line of text is skipped.
/// </summary>
/// <remarks>
/// The parameter is typed object[] so that PowerShell hands over the input object itself: with string[] it
/// would convert an object without a matching property to text ("@{Account=bob}") before the cmdlet saw it.
/// </remarks>
internal static class UserIdInput
{
    /// <summary>The properties (or hashtable keys) a UserID is read from, in order of preference.</summary>
    internal static readonly string[] PropertyNames = { "UserID", "Identifier", "Id" };

    private const string PropertyList = "UserID, Identifier or Id";

    /// <summary>Hands each UserID in <paramref name="value"/> to <paramref name="sink"/>, in order.</summary>
    /// <param name="value">One element bound to -UserId.</param>
    /// <param name="fromPipeline">Whether it came from the pipeline, where a blank line of text is skipped.</param>
    /// <param name="sink">Receives the UserIDs and the input items that yield none.</param>
    public static void Submit(object? value, bool fromPipeline, IUserIdSink sink)
    {
        object? item = value is PSObject wrapped ? wrapped.BaseObject : value;
        if (item is string line)
        {
            // The hot path: a line of a file (Get-Content) or a typed UserID.
            sink.Add(line, skipBlank: fromPipeline, source: null);
            return;
        }

        if (item == null)
        {
            // $null is an input item, not a blank line of a file: it gets its EmptyUserId error.
            sink.Add(null, skipBlank: false, source: null);
            return;
        }

        if (item is TencentImConnection)
        {
            sink.Reject(new ItemFailure("", "InputObjectIsConnection", ErrorCategory.InvalidArgument,
                "A connection was piped in as input, so nothing was sent for it: pass a connection with -Connection, and pipe UserIDs.",
                target: value));
            return;
        }

        if (TryReadScalar(item, out string? scalar))
        {
            sink.Add(scalar, skipBlank: false, source: null);
            return;
        }

        if (item is IList list && !(item is IDictionary))
        {
            foreach (object? element in list)
            {
                Submit(element, fromPipeline, sink);
            }

            return;
        }

        if (!TryFindUserId(value!, item, out string name, out object? found))
        {
            sink.Reject(new ItemFailure("", "InputObjectHasNoUserId", ErrorCategory.InvalidArgument,
                $"An input object of type {item.GetType().FullName} has no {PropertyList} property ({Describe(value!, item)}), so no UserID was taken from it and nothing was sent for it. Pipe UserIDs as text, or objects with one of those properties: rename a CSV column with Import-Csv -Header, or Select-Object @{{ Name = 'UserID'; Expression = {{ $_.Account }} }}.",
                target: value));
            return;
        }

        object? foundItem = found is PSObject p ? p.BaseObject : found;
        if (foundItem == null || foundItem is string)
        {
            sink.Add((string?)foundItem, skipBlank: false, source: value);
        }
        else if (TryReadScalar(foundItem, out string? text))
        {
            sink.Add(text, skipBlank: false, source: value);
        }
        else
        {
            sink.Reject(new ItemFailure("", "InputObjectUserIdNotText", ErrorCategory.InvalidArgument,
                $"The {name} of an input object is a {foundItem.GetType().FullName}, not a UserID (text or a whole number), so nothing was sent for it.",
                target: value));
        }
    }

    /// <summary>Text for values that are a UserID as they are: characters and whole numbers of any type (never true/false, never a fraction).</summary>
    internal static bool TryReadScalar(object item, out string? text)
    {
        switch (item)
        {
            case char c:
                text = c.ToString();
                return true;
            case int _:
            case long _:
            case uint _:
            case ulong _:
            case short _:
            case ushort _:
            case byte _:
            case sbyte _:
            case BigInteger _:
                text = Convert.ToString(item, CultureInfo.InvariantCulture);
                return true;
            case decimal d when d == decimal.Truncate(d):
                // PowerShell types a literal beyond Int64 as decimal; "7.0" is still the UserID "7".
                text = decimal.Truncate(d).ToString(CultureInfo.InvariantCulture);
                return true;
            case double f when IsWholeAndExact(f):
                text = ((long)f).ToString(CultureInfo.InvariantCulture);
                return true;
            case float f when IsWholeAndExact(f):
                text = ((long)f).ToString(CultureInfo.InvariantCulture);
                return true;
            default:
                text = null;
                return false;
        }
    }

    /// <summary>A whole number that a double holds exactly (below 2^53), so that its digits are the ones meant.</summary>
    private static bool IsWholeAndExact(double value) => Math.Floor(value) == value && Math.Abs(value) < 9007199254740992d;

    private static bool TryFindUserId(object value, object item, out string name, out object? found)
    {
        foreach (string candidate in PropertyNames)
        {
            if (TryGetMember(value, item, candidate, out name, out found))
            {
                return true;
            }
        }

        name = "";
        found = null;
        return false;
    }

    /// <summary>
    /// The value of an input object's property, or a hashtable's key, named <paramref name="candidate"/> in any
    /// case, as PowerShell's own binding by property name finds it.
    /// </summary>
    /// <param name="value">The input object as bound (perhaps wrapped in a PSObject).</param>
    /// <param name="item">The object itself (<paramref name="value"/> unwrapped).</param>
    /// <param name="candidate">The property or key to find.</param>
    /// <param name="name">"property Nick" or "key nick", as the object spells it, for messages.</param>
    /// <param name="found">Its value.</param>
    internal static bool TryGetMember(object value, object item, string candidate, out string name, out object? found)
    {
        if (item is IDictionary dictionary)
        {
            foreach (object key in dictionary.Keys)
            {
                if (key is string k && string.Equals(k, candidate, StringComparison.OrdinalIgnoreCase))
                {
                    name = "key " + k;
                    found = dictionary[key];
                    return true;
                }
            }
        }
        else
        {
            PSPropertyInfo? property = PSObject.AsPSObject(value).Properties[candidate];
            if (property != null)
            {
                name = "property " + property.Name;
                found = property.Value;
                return true;
            }
        }

        name = "";
        found = null;
        return false;
    }

    /// <summary>What the object has instead, so that the user sees which column to rename.</summary>
    private static string Describe(object value, object item)
    {
        const int shown = 8;
        string[] names = item is IDictionary dictionary
            ? dictionary.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? "").ToArray()
            : PSObject.AsPSObject(value).Properties.Select(p => p.Name).ToArray();
        if (names.Length == 0)
        {
            return "it has no properties";
        }

        string list = string.Join(", ", names.Take(shown));
        return (item is IDictionary ? "its keys: " : "its properties: ") + list + (names.Length > shown ? ", …" : "");
    }
}

/// <summary>Receives what <see cref="UserIdInput"/> reads from the input, in input order.</summary>
internal interface IUserIdSink
{
    /// <summary>A UserID as given (not yet trimmed or checked), and the input object it was read from, if any.</summary>
    void Add(string? value, bool skipBlank, object? source);

    /// <summary>An input item that yields no UserID: its error, in its place.</summary>
    void Reject(ItemFailure failure);
}
