using System;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace TencentIm.Emulator;

/// <summary>
/// /emulator/… endpoints for tests and the benchmark, which run the emulator as a process: stats, accounts, clock,
/// rate limits, online status.
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
            string? text = context.Request.Query["advanceSeconds"];
            if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) || seconds > 1e9)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("advanceSeconds must be a non-negative number of seconds");
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
        else if (path == "/emulator/rate-limit" && HttpMethods.IsPost(method))
        {
            string api = context.Request.Query["api"].ToString();
            string? text = context.Request.Query["callsPerSecond"];
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int callsPerSecond) || callsPerSecond < 1)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("callsPerSecond must be a whole number, at least 1");
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
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(e.Message);
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
