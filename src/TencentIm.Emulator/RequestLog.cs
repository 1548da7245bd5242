using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace TencentIm.Emulator;

/// <summary>
/// One request the emulator received on /v4/ (any path, known API or not), as <c>GET /emulator/requests</c> lists it.
/// The query keeps every parameter but the UserSig, whose value is replaced by "&lt;redacted&gt;", as it is wherever it
/// appears in the path or the body: the log never holds a whole UserSig that came in the query.
/// </summary>
internal sealed record RecordedRequest(
    long Sequence, DateTimeOffset Time, string Method, string Path, string Query, string Body, int HttpStatus, int? ErrorCode, string? Fault)
{
    /// <summary>The API as the options and stats name it: the path's last segment (account_check).</summary>
    public string Api
    {
        get
        {
            int slash = Path.LastIndexOf('/');
            return slash >= 0 ? Path.Substring(slash + 1) : Path;
        }
    }

    /// <summary>"service/command" after /v4/ (im_open_login_svc/account_check), or the whole path for another URL.</summary>
    public string ApiPath => Path.StartsWith("/v4/", StringComparison.Ordinal) ? Path.Substring(4) : Path;

    /// <summary>Whether <paramref name="api"/> names this request's API: its command (account_check) or its service/command.</summary>
    public bool IsApi(string api) =>
        string.Equals(api, Api, StringComparison.Ordinal) || string.Equals(api, ApiPath, StringComparison.Ordinal);

    internal void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("Sequence", Sequence);
        writer.WriteString("Time", Time);
        writer.WriteString("Method", Method);
        writer.WriteString("Api", Api);
        writer.WriteString("Path", ApiPath);
        writer.WriteString("Query", Query);
        writer.WritePropertyName("Body");
        if (IsJson(Body))
        {
            writer.WriteRawValue(Body, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(Body);
        }

        writer.WriteNumber("HttpStatus", HttpStatus);
        if (ErrorCode is int code)
        {
            writer.WriteNumber("ErrorCode", code);
        }
        else
        {
            writer.WriteNull("ErrorCode");
        }

        writer.WriteString("Fault", Fault);
        writer.WriteEndObject();
    }

    private static bool IsJson(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        try
        {
            using (JsonDocument.Parse(text))
            {
                return true;
            }
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The query string without its leading '?', with the value of every usersig-like parameter (usersig, UserSig,
    /// user_sig, usersig2: any name that holds "usersig" once '_' and '-' are left out, in any case) replaced, and
    /// those values (raw and URL-escaped, when at least 8 characters long) replaced in the path and the body too.
    /// </summary>
    public static (string Path, string Query, string Body) Redact(string path, string? queryString, string body)
    {
        string query = (queryString ?? "").TrimStart('?');
        if (query.Length == 0)
        {
            return (path, "", body);
        }

        var secrets = new List<string>();
        var redacted = new StringBuilder(query.Length);
        foreach (string pair in query.Split('&'))
        {
            if (redacted.Length > 0)
            {
                redacted.Append('&');
            }

            int equals = pair.IndexOf('=');
            string name = equals >= 0 ? pair.Substring(0, equals) : pair;
            if (IsUserSigName(Unescape(name)))
            {
                redacted.Append(name).Append("=<redacted>");
                string value = equals >= 0 ? pair.Substring(equals + 1) : "";
                foreach (string secret in new[] { value, Unescape(value), Uri.EscapeDataString(Unescape(value)) })
                {
                    if (secret.Length >= 8 && !secrets.Contains(secret))
                    {
                        secrets.Add(secret);
                    }
                }
            }
            else
            {
                redacted.Append(pair);
            }
        }

        // Longest first, so that an escaped form is not left half-replaced by a shorter one inside it.
        secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        foreach (string secret in secrets)
        {
            path = path.Replace(secret, "<redacted>");
            body = body.Replace(secret, "<redacted>");
        }

        return (path, redacted.ToString(), body);
    }

    private static bool IsUserSigName(string name) =>
        name.Replace("_", "").Replace("-", "").IndexOf("usersig", StringComparison.OrdinalIgnoreCase) >= 0;

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}

/// <summary>
/// The last <see cref="Capacity"/> requests, oldest first: a bounded ring, so that a long run cannot grow the
/// emulator without end. A capacity of 0 turns recording off (the benchmark does, to measure the client alone).
/// </summary>
internal sealed class RequestLog
{
    private readonly Queue<RecordedRequest> _requests = new Queue<RecordedRequest>();
    private readonly object _lock = new object();
    private long _sequence;

    public RequestLog(int capacity)
    {
        if (capacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "The request log's size cannot be negative.");
        }

        Capacity = capacity;
    }

    public int Capacity { get; }

    public bool IsEnabled => Capacity > 0;

    public void Add(DateTimeOffset time, string method, string path, string? queryString, ReadOnlySpan<byte> body, int httpStatus, int? errorCode, string? fault)
    {
        if (!IsEnabled)
        {
            return;
        }

        var (redactedPath, query, text) = RecordedRequest.Redact(path, queryString, Encoding.UTF8.GetString(body));
        lock (_lock)
        {
            _requests.Enqueue(new RecordedRequest(++_sequence, time, method, redactedPath, query, text, httpStatus, errorCode, fault));
            while (_requests.Count > Capacity)
            {
                _requests.Dequeue();
            }
        }
    }

    /// <summary>The recorded requests, oldest first; only those of <paramref name="api"/> when it is given, and of those the last <paramref name="last"/>.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot(string? api = null, int last = int.MaxValue)
    {
        lock (_lock)
        {
            var list = new List<RecordedRequest>(_requests.Count);
            foreach (RecordedRequest request in _requests)
            {
                if (string.IsNullOrEmpty(api) || request.IsApi(api!))
                {
                    list.Add(request);
                }
            }

            if (list.Count > last)
            {
                list.RemoveRange(0, list.Count - last);
            }

            return list;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _requests.Clear();
            _sequence = 0;
        }
    }
}
