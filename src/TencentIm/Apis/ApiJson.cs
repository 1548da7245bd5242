using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace TencentIm.Apis;

/// <summary>
/// The JSON of Invoke-TencentImApi: a request body from what a script holds (a hashtable, an ordered dictionary, a
/// PSObject, a JSON string), and an answer as a PSCustomObject or a hashtable. Whole numbers stay exact at any size:
/// an Int32, Int64, UInt64 or BigInteger as the value needs, never a double that would round a 64-bit MsgSeq or
/// MsgKey part (doubles hold only 53 bits).
/// </summary>
internal static class ApiJson
{
    /// <summary>How deep a body may nest before it is taken for a cycle (a hashtable that holds itself).</summary>
    internal const int MaxDepth = 64;

    private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
    {
        // Chinese nicknames and emoji go as UTF-8, as the service's own samples write them, not as \u escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The UTF-8 JSON body for <paramref name="input"/>, or null with <paramref name="problem"/> saying why it cannot
    /// be one: a body is one JSON object. A string is taken as JSON text and sent as it is (after checking that it
    /// is an object), so its numbers are never re-read; anything else is written from its keys or properties.
    /// </summary>
    public static byte[]? ToBody(object? input, out string? problem)
    {
        problem = null;
        object? value = Unwrap(input);
        if (value == null)
        {
            problem = "The body is null; give a hashtable, a PSObject or a JSON object, or leave -Body out for an API that takes no parameters ({} is sent).";
            return null;
        }

        if (value is string text)
        {
            return FromJsonText(text, out problem);
        }

        if (!IsObjectLike(value))
        {
            problem = $"The body is {TypeName(value)}, not an object: give a hashtable, an ordered dictionary, a PSObject or a JSON object text.";
            return null;
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            try
            {
                Write(writer, value, 0, "");
            }
            catch (BodyException e)
            {
                problem = e.Message;
                return null;
            }
            catch (Exception e) when (!(e is PipelineStoppedException || e is OperationCanceledException))
            {
                // A dictionary or list whose enumeration throws: the body cannot be written, the others go on.
                problem = $"The body could not be read ({e.Message.TrimEnd('.')}): give hashtables, lists and plain values.";
                return null;
            }
        }

        return stream.ToArray();
    }

    private static byte[]? FromJsonText(string text, out string? problem)
    {
        problem = null;
        byte[] bytes = new UTF8Encoding(false).GetBytes(text);
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"The body is JSON text whose value is {Article(document.RootElement.ValueKind)}, not an object: the service takes one JSON object ({{...}}).";
                return null;
            }
        }
        catch (JsonException e)
        {
            problem = $"The body is a string that is not valid JSON ({e.Message.TrimEnd('.')}): give a JSON object text, a hashtable or a PSObject.";
            return null;
        }

        return bytes;
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static object? Unwrap(object? value)
    {
        while (value is PSObject pso && !(pso.BaseObject is PSCustomObject))
        {
            value = pso.BaseObject;
        }

        return value;
    }

    private static bool IsObjectLike(object value) =>
        value is IDictionary || value is PSObject || !(value is IEnumerable || IsScalar(value));

    private static bool IsScalar(object value) =>
        value is string || value is char || value is bool || value is Enum || value is BigInteger || value is DateTime || value is DateTimeOffset
        || value is Guid || value is Uri || value is SwitchParameter || value is TimeSpan || value.GetType().IsPrimitive || value is decimal;

    private static string TypeName(object value) => value is IEnumerable ? "a list of values" : "of type " + value.GetType().Name;

    private static void Write(Utf8JsonWriter writer, object? input, int depth, string path)
    {
        if (depth > MaxDepth)
        {
            throw new BodyException($"The body nests more than {MaxDepth} levels deep at '{path}' (does it hold itself?): JSON bodies of the service are a few levels deep.");
        }

        object? value = Unwrap(input);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case SwitchParameter sw:
                writer.WriteBooleanValue(sw.IsPresent);
                return;
            case Enum e:
                // As ConvertTo-Json writes an enum: its number.
                writer.WriteRawValue(System.Convert.ToDecimal(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                return;
            case BigInteger big:
                writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture));
                return;
            case double d:
                WriteFloat(writer, d, path);
                return;
            case float f:
                WriteFloat(writer, f, path);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case DateTime dt:
                writer.WriteStringValue(dt.ToString("o", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto.ToString("o", CultureInfo.InvariantCulture));
                return;
            case Guid or Uri or TimeSpan:
                writer.WriteStringValue(System.Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    string key = System.Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? "";
                    writer.WritePropertyName(key);
                    Write(writer, entry.Value, depth + 1, Join(path, key));
                }

                writer.WriteEndObject();
                return;
            case PSObject custom:
                WriteProperties(writer, custom, depth, path);
                return;
            case IEnumerable list:
                writer.WriteStartArray();
                int index = 0;
                foreach (object? item in list)
                {
                    Write(writer, item, depth + 1, path + "[" + index++ + "]");
                }

                writer.WriteEndArray();
                return;
        }

        if (value.GetType().IsPrimitive)
        {
            // Every whole-number type, written from its invariant digits: exact at any size.
            writer.WriteRawValue(System.Convert.ToString(value, CultureInfo.InvariantCulture)!);
            return;
        }

        string? refused = Refusal(value);
        if (refused != null)
        {
            throw new BodyException($"{Where(path)} is {refused}");
        }

        WriteProperties(writer, PSObject.AsPSObject(value), depth, path);
    }

    /// <summary>"The body" or "The body's value at 'path'", to start a sentence about a value that cannot go.</summary>
    private static string Where(string path) => path.Length == 0 ? "The body" : $"The body's value at '{path}'";

    /// <summary>
    /// Why a value that is none of the JSON forms (a plain value, a dictionary, a list, a PSCustomObject) must not be
    /// written from its properties, or null for a plain object that may (a class instance: its public properties).
    /// These objects have no sensible JSON: their properties describe the object, not a value the service takes
    /// (a [type] or a script block), some getters throw (an IPv4 address's ScopeId), and a secret must not leave.
    /// </summary>
    private static string? Refusal(object value) => value switch
    {
        Type type => $"a type ([{type.FullName}]), not a value: give a value, such as [datetime]::UtcNow or ([DateTimeOffset]::UtcNow).ToUnixTimeSeconds().",
        ScriptBlock => "a script block, not a value: run it (& { ... }) and give its result, or give the text it holds.",
        Delegate => "a delegate (a method), not a value: give the value the API takes.",
        System.Security.SecureString => "a SecureString, which is never written into a body: give the text the API needs.",
        PSCredential => "a credential (PSCredential), which is never written into a body: give the user name or the text the API needs.",
        FileSystemInfo => "a file or directory object, not a value: give its name or path (.FullName), or its content (Get-Content).",
        System.Diagnostics.Process => "a process object, not a value: give the property the API needs, such as its Id or Name.",
        System.Net.IPAddress => "an IP address object, not a value: give it as text ($ip.ToString()).",
        Stream => "a stream, not a value: give its content as text.",
        _ => null,
    };

    private static void WriteProperties(Utf8JsonWriter writer, PSObject value, int depth, string path)
    {
        writer.WriteStartObject();
        foreach (PSPropertyInfo property in value.Properties)
        {
            if (!property.IsGettable)
            {
                continue;
            }

            string at = Join(path, property.Name);
            object? propertyValue;
            try
            {
                propertyValue = property.Value;
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                string said = (e.InnerException ?? e).Message.TrimEnd('.');
                throw new BodyException($"{Where(at)} could not be read ({said}): give a value that can be read, or leave that property out.");
            }

            writer.WritePropertyName(property.Name);
            Write(writer, propertyValue, depth + 1, at);
        }

        writer.WriteEndObject();
    }

    /// <summary>A body that cannot be written as JSON, with the sentence that says where and why.</summary>
    private sealed class BodyException : Exception
    {
        public BodyException(string message)
            : base(message)
        {
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, double d, string path)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            throw new BodyException($"{Where(path)} is {d}, which JSON cannot carry.");
        }

        writer.WriteNumberValue(d);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>The answer as PSCustomObjects (objects), object[] (arrays) and exact numbers.</summary>
    public static object? ToPSObject(JsonElement element) => Convert(element, asHashtable: false);

    /// <summary>The answer as ordered dictionaries (the answer's field order) whose keys compare as JSON's do (case-sensitive), object[] and exact numbers.</summary>
    public static object? ToHashtable(JsonElement element) => Convert(element, asHashtable: true);

    private static object? Convert(JsonElement element, bool asHashtable)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (asHashtable)
                {
                    // Ordered, so that the answer's fields keep the service's order, as a PSCustomObject's do.
                    var table = new OrderedDictionary(StringComparer.Ordinal);
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        table[property.Name] = Convert(property.Value, true);
                    }

                    return table;
                }

                var result = new PSObject();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    // A repeated name keeps its last value, as ConvertFrom-Json does.
                    if (result.Properties[property.Name] != null)
                    {
                        result.Properties.Remove(property.Name);
                    }

                    result.Properties.Add(new PSNoteProperty(property.Name, Convert(property.Value, false)));
                }

                return result;
            case JsonValueKind.Array:
                var items = new List<object?>(element.GetArrayLength());
                foreach (JsonElement item in element.EnumerateArray())
                {
                    items.Add(Convert(item, asHashtable));
                }

                return items.ToArray();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return Number(element);
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>
    /// A JSON number as the narrowest exact type: Int32, Int64, UInt64 or BigInteger for a whole number written
    /// without a fraction or exponent; a double otherwise (as ConvertFrom-Json reads it).
    /// </summary>
    internal static object Number(JsonElement element)
    {
        string raw = element.GetRawText();
        bool whole = raw.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;
        if (whole)
        {
            if (element.TryGetInt32(out int i))
            {
                return i;
            }

            if (element.TryGetInt64(out long l))
            {
                return l;
            }

            if (element.TryGetUInt64(out ulong u))
            {
                return u;
            }

            return BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        return element.GetDouble();
    }
}
