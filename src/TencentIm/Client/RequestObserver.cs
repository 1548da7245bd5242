using System;

namespace TencentIm.Client;

/// <summary>What one attempt of a request did, for -Verbose and -Debug. It holds no UserSig.</summary>
internal sealed class RequestAttempt
{
    public RequestAttempt(string api, int items, int attempt)
    {
        Api = api;
        Items = items;
        Attempt = attempt;
    }

    public string Api { get; }

    public int Items { get; }

    public int Attempt { get; }

    /// <summary>The request URI with the UserSig replaced by &lt;redacted&gt;.</summary>
    public string RedactedUri { get; set; } = "";

    public string RequestBody { get; set; } = "";

    public string ResponseBody { get; set; } = "";

    public TimeSpan Latency { get; set; }

    /// <summary>OK, or what failed: the service's ErrorCode and ErrorInfo, an HTTP status, a timeout, …</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The service's ErrorCode, 0 if none.</summary>
    public int ErrorCode { get; set; }

    /// <summary>
    /// Over the frequency limit (60007): the request did not run, so this try does not count as an attempt and
    /// the next one carries the same number.
    /// </summary>
    public bool NotCounted { get; set; }

    /// <summary>The wait before the next attempt, or null when this was the last.</summary>
    public TimeSpan? RetryIn { get; set; }

    /// <summary>
    /// The -Verbose line, one sentence: API, item count, attempt, outcome (with any ErrorCode), latency, whether it
    /// counted as an attempt, retry.
    /// </summary>
    public string ToVerboseLine()
    {
        string shortApi = Api.Substring(Api.LastIndexOf('/') + 1);
        string notCounted = NotCounted ? "; over the frequency limit, so not counted as an attempt" : "";
        string retry = RetryIn.HasValue ? $"; retrying in {RetryIn.Value.TotalMilliseconds:0} ms" : "";
        string outcome = Outcome.TrimEnd().TrimEnd('.');
        return $"{shortApi}: {Items} item(s), attempt {Attempt}, {outcome} in {Latency.TotalMilliseconds:0} ms{notCounted}{retry}.";
    }

    /// <summary>The -Debug text: the redacted URI and both bodies.</summary>
    public string ToDebugText() => $"POST {RedactedUri}{Environment.NewLine}Request body: {RequestBody}{Environment.NewLine}Response body: {ResponseBody}";
}

/// <summary>Receives each attempt as it ends, on whatever thread ran it; implementations queue, never write.</summary>
internal interface IRequestObserver
{
    void OnAttempt(RequestAttempt attempt);
}
