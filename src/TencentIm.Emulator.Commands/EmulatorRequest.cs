using System;
using System.Text.Json;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// A request the emulator received, as Get-TencentImEmulatorRequest lists it: when, which API, the body as an object,
/// and what the client was answered (ErrorCode, HTTP status, an injected fault). The query string is kept with the
/// UserSig replaced by &lt;redacted&gt;.
/// </summary>
public sealed class EmulatorRequest
{
    private readonly Lazy<object?> _body;

    internal EmulatorRequest(long sequence, DateTimeOffset time, string method, string api, string path, string query, JsonElement body, int httpStatus, int? errorCode, string? fault)
    {
        Sequence = sequence;
        Time = time;
        Method = method;
        Api = api;
        Path = path;
        Query = query;
        // Made into objects when first read: a test that filters 10000 requests by ErrorCode never pays for their bodies.
        _body = new Lazy<object?>(() => JsonValues.ToPowerShell(body));
        HttpStatus = httpStatus;
        ErrorCode = errorCode;
        Fault = fault;
    }

    /// <summary>The request's number since the emulator started or was reset, from 1.</summary>
    public long Sequence { get; }

    /// <summary>When it arrived, by the emulator's clock (which -Now and Set-TencentImEmulator move).</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The HTTP method (the REST API takes POST only).</summary>
    public string Method { get; }

    /// <summary>The API's name, the last part of its path: account_check, multiaccount_import, …</summary>
    public string Api { get; }

    /// <summary>The path after /v4/: im_open_login_svc/account_check.</summary>
    public string Path { get; }

    /// <summary>The query string with the UserSig redacted: sdkappid, identifier, random, contenttype.</summary>
    public string Query { get; }

    /// <summary>The body as an object (as ConvertFrom-Json gives it), or the text when it is not JSON.</summary>
    public object? Body => _body.Value;

    /// <summary>The HTTP status answered; 0 when the client went away before an answer.</summary>
    public int HttpStatus { get; }

    /// <summary>The answer's ErrorCode (0 for OK), or null when the answer had none (a gateway error, a cut-off answer).</summary>
    public int? ErrorCode { get; }

    /// <summary>The fault injected into this request (70169, http503, drop, …), or null.</summary>
    public string? Fault { get; }

    /// <summary>"#3 account_check 0".</summary>
    public override string ToString() => $"#{Sequence} {Api} {(ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Fault ?? "-")}";
}
