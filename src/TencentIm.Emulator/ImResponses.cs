using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace TencentIm.Emulator;

/// <summary>
/// Writes the service's JSON answers straight into the response pipe: HTTP 200 for every answer, failures included,
/// with ActionStatus, ErrorCode and ErrorInfo first (docs/service-api.md §1).
/// </summary>
internal static class ImResponses
{
    public static readonly JsonEncodedText ActionStatus = JsonEncodedText.Encode("ActionStatus");
    public static readonly JsonEncodedText ErrorCode = JsonEncodedText.Encode("ErrorCode");
    public static readonly JsonEncodedText ErrorInfo = JsonEncodedText.Encode("ErrorInfo");
    public static readonly JsonEncodedText Ok = JsonEncodedText.Encode("OK");
    public static readonly JsonEncodedText Fail = JsonEncodedText.Encode("FAIL");

    // UserIDs may be any text; relaxed escaping writes them as UTF-8 rather than \u escapes, as the service does.
    public static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Starts a 200 JSON answer; the caller writes one object, then awaits <see cref="FlushAsync"/>.</summary>
    public static Utf8JsonWriter Begin(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
    }

    public static ValueTask<FlushResult> FlushAsync(HttpContext context, Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Dispose();
        return context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static void WriteOkHeader(Utf8JsonWriter writer)
    {
        writer.WriteString(ActionStatus, Ok);
        writer.WriteNumber(ErrorCode, 0);
        writer.WriteString(ErrorInfo, "");
    }

    public static void WriteFailure(Utf8JsonWriter writer, int code, string? detail)
    {
        writer.WriteStartObject();
        writer.WriteString(ActionStatus, Fail);
        writer.WriteNumber(ErrorCode, code);
        writer.WriteString(ErrorInfo, ServiceErrors.Info(code, detail));
        writer.WriteEndObject();
    }

    public static ValueTask<FlushResult> WriteFailureAsync(HttpContext context, int code, string? detail = null)
    {
        Utf8JsonWriter writer = Begin(context);
        WriteFailure(writer, code, detail);
        return FlushAsync(context, writer);
    }
}
