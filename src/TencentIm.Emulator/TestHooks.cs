using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace TencentIm.Emulator;

/// <summary>
/// /emulator/… endpoints for tests, the TencentIm.Emulator module's cmdlets and the benchmark, which run the emulator
/// as a process: stats, accounts, clock, rate limits, online status, the request log, faults and reset.
/// They need no UserSig, so they answer loopback callers only (Kestrel listens on 127.0.0.1 anyway).
/// </summary>
internal sealed class TestHooks
{
    private readonly RunningEmulator _emulator;

    public TestHooks(RunningEmulator emulator)
    {
        _emulator = emulator;
    }

    public async Task HandleAsync(HttpContext context)
    {
        IPAddress? remote = context.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        string path = context.Request.Path.Value ?? "";
        string method = context.Request.Method;
        if (path == "/emulator/stats" && HttpMethods.IsGet(method))
        {
            await WriteJsonAsync(context, writer => _emulator.Stats.WriteJson(writer));
        }
        else if (path == "/emulator/accounts" && HttpMethods.IsGet(method))
        {
            // A JSON array of UserID strings; with ?detail=1 an array of {UserID, Nick, FaceUrl} (null when not given).
            bool detail = context.Request.Query["detail"] == "1";
            await WriteJsonAsync(context, writer =>
            {
                writer.WriteStartArray();
                if (detail)
                {
                    foreach (var account in _emulator.AccountProfiles)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("UserID", account.Key);
                        writer.WriteString("Nick", account.Value.Nick);
                        writer.WriteString("FaceUrl", account.Value.FaceUrl);
                        writer.WriteEndObject();
                    }
                }
                else
                {
                    foreach (string userId in _emulator.ImportedAccounts)
                    {
                        writer.WriteStringValue(userId);
                    }
                }

                writer.WriteEndArray();
            });
        }
        else if (path == "/emulator/clock" && HttpMethods.IsPost(method))
        {
            // ?advanceSeconds=N moves the clock by N seconds; ?now=UNIXSECONDS moves it forward to that time.
            double seconds;
            string? nowText = context.Request.Query["now"];
            if (nowText != null)
            {
                if (!long.TryParse(nowText, NumberStyles.None, CultureInfo.InvariantCulture, out long unix) || unix > 253402300799)
                {
                    await BadRequestAsync(context, "now must be a time in Unix seconds.");
                    return;
                }

                seconds = (DateTimeOffset.FromUnixTimeSeconds(unix) - _emulator.Now).TotalSeconds;
                if (seconds < 0)
                {
                    await BadRequestAsync(context, $"The emulator's clock only moves forward, and it is already past {nowText} (it is {_emulator.Now.ToUnixTimeSeconds()}): pass a later time, or reset the emulator first.");
                    return;
                }
            }
            else if (!double.TryParse(context.Request.Query["advanceSeconds"], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds) || seconds > 1e9)
            {
                await BadRequestAsync(context, "advanceSeconds must be a non-negative number of seconds");
                return;
            }

            _emulator.AdvanceClock(TimeSpan.FromSeconds(seconds));
            await WriteJsonAsync(context, writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("Now", _emulator.Now.ToUnixTimeSeconds());
                writer.WriteEndObject();
            });
        }
        else if (path == "/emulator/requests" && HttpMethods.IsGet(method))
        {
            // ?api=A keeps one API's requests; ?last=N the last N of those.
            string? api = context.Request.Query["api"];
            string? lastText = context.Request.Query["last"];
            int last = int.MaxValue;
            if (lastText != null && (!int.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < 1))
            {
                await BadRequestAsync(context, "last must be a whole number, at least 1.");
                return;
            }

            var requests = _emulator.Requests(string.IsNullOrEmpty(api) ? null : api, last);
            await WriteJsonAsync(context, writer =>
            {
                writer.WriteStartArray();
                foreach (RecordedRequest request in requests)
                {
                    request.WriteJson(writer);
                }

                writer.WriteEndArray();
            });
        }
        else if (path == "/emulator/faults" && (HttpMethods.IsPost(method) || HttpMethods.IsGet(method)))
        {
            if (HttpMethods.IsPost(method) && !await TryChangeAsync(context, () => ChangeFaults(context.Request.Query)))
            {
                return;
            }

            await WriteJsonAsync(context, writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("FaultRate", _emulator.FaultRate);
                writer.WriteStartArray("FaultKinds");
                foreach (FaultKind kind in _emulator.FaultKinds)
                {
                    writer.WriteStringValue(FaultKindNames.Name(kind));
                }

                writer.WriteEndArray();
                writer.WriteNumber("LatencyMs", _emulator.LatencyMs);
                writer.WriteEndObject();
            });
        }
        else if (path == "/emulator/reset" && HttpMethods.IsPost(method))
        {
            _emulator.Reset();
            await WriteJsonAsync(context, writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("Now", _emulator.Now.ToUnixTimeSeconds());
                writer.WriteNumber("Accounts", _emulator.ImportedAccounts.Count);
                writer.WriteEndObject();
            });
        }
        else if (path == "/emulator/rate-limit" && HttpMethods.IsPost(method))
        {
            string api = context.Request.Query["api"].ToString();
            string? text = context.Request.Query["callsPerSecond"];
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int callsPerSecond) || callsPerSecond < 1)
            {
                await BadRequestAsync(context, "callsPerSecond must be a whole number, at least 1");
                return;
            }

            if (!await TryChangeAsync(context, () => _emulator.SetRateLimit(api, callsPerSecond)))
            {
                return;
            }

            await WriteJsonAsync(context, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("Api", api);
                writer.WriteNumber("CallsPerSecond", callsPerSecond);
                writer.WriteEndObject();
            });
        }
        else if (path == "/emulator/online-status" && HttpMethods.IsPost(method))
        {
            string userId = context.Request.Query["userId"].ToString();
            string status = context.Request.Query["status"].ToString();
            if (!await TryChangeAsync(context, () => _emulator.SetOnlineStatus(userId, status, context.Request.Query["platforms"].ToString())))
            {
                return;
            }

            await WriteJsonAsync(context, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("UserID", userId);
                writer.WriteString("Status", status);
                writer.WriteEndObject();
            });
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    /// <summary>?rate=0..1, ?kinds=http503,70500 (empty: none), ?latencyMs=N; a parameter not given keeps its value.</summary>
    private void ChangeFaults(IQueryCollection query)
    {
        double? rate = null;
        if (query.TryGetValue("rate", out var rateText))
        {
            rate = double.TryParse(rateText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double r) && r >= 0 && r <= 1
                ? r
                : throw new ArgumentException($"rate '{rateText}' is not a number in 0..1.");
        }

        List<FaultKind>? kinds = null;
        if (query.TryGetValue("kinds", out var kindsText))
        {
            kinds = new List<FaultKind>();
            foreach (string name in kindsText.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                kinds.Add(FaultKindNames.TryParse(name, out FaultKind kind)
                    ? kind
                    : throw new ArgumentException($"'{name}' is not a fault kind: one of {string.Join(", ", FaultKindNames.All.Select(FaultKindNames.Name))}."));
            }
        }

        int? latency = null;
        if (query.TryGetValue("latencyMs", out var latencyText))
        {
            latency = int.TryParse(latencyText, NumberStyles.None, CultureInfo.InvariantCulture, out int l)
                ? l
                : throw new ArgumentException($"latencyMs '{latencyText}' is not a whole number of milliseconds, 0 or more.");
        }

        _emulator.SetFaults(rate, kinds, latency);
    }

    /// <summary>HTTP 400 with why, as plain text (a refusal carries its Content-Type like every other answer).</summary>
    private static async Task BadRequestAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message);
    }

    /// <summary>Makes a change; if it refuses the arguments, answers 400 with why, and returns false.</summary>
    private static async Task<bool> TryChangeAsync(HttpContext context, Action change)
    {
        try
        {
            change();
            return true;
        }
        catch (ArgumentException e)
        {
            await BadRequestAsync(context, e.Message);
            return false;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, ImResponses.WriterOptions))
        {
            write(writer);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
