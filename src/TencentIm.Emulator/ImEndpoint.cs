using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace TencentIm.Emulator;

/// <summary>
/// One REST call, start to finish: the gate (URL, query, UserSig, admin), the frequency limit, latency, an injected
/// fault, then the API itself. Failures are HTTP 200 with a JSON body, as the service gives them.
/// </summary>
internal sealed class ImEndpoint
{
    private readonly ImRequestGate _gate;
    private readonly ApiHandler[] _handlers;
    private readonly ApiRateLimits _rateLimits;
    private readonly FaultInjector _faults;
    private readonly StatsCounters _stats;
    private readonly EmulatorClock _clock;
    private readonly int _slowResponseMs;
    private readonly RequestLog _log;
    private int _latencyMs;

    /// <param name="handlers">A handler for every API of <see cref="EmulatedApis.All"/>.</param>
    public ImEndpoint(ImRequestGate gate, IEnumerable<KeyValuePair<EmulatedApi, ApiHandler>> handlers, ApiRateLimits rateLimits, FaultInjector faults,
        StatsCounters stats, EmulatorClock clock, int latencyMs, int slowResponseMs, RequestLog? log = null)
    {
        _log = log ?? new RequestLog(0);
        _gate = gate;
        _handlers = new ApiHandler[EmulatedApis.All.Count];
        foreach (var (api, handler) in handlers)
        {
            _handlers[api.Index] = handler;
        }

        foreach (EmulatedApi api in EmulatedApis.All)
        {
            if (_handlers[api.Index] is null)
            {
                throw new ArgumentException($"No handler for {api.Path}.", nameof(handlers));
            }
        }
        _rateLimits = rateLimits;
        _faults = faults;
        _stats = stats;
        _clock = clock;
        _latencyMs = latencyMs;
        _slowResponseMs = slowResponseMs;
    }

    /// <summary>The fixed delay before every answer, milliseconds; POST /emulator/faults changes it.</summary>
    public int LatencyMs
    {
        get => Volatile.Read(ref _latencyMs);
        set => Volatile.Write(ref _latencyMs, value >= 0 ? value : throw new ArgumentException("The latency cannot be negative.", nameof(value)));
    }

    /// <summary>The fault dice, for POST /emulator/faults.</summary>
    public FaultInjector Faults => _faults;

    public async Task HandleAsync(HttpContext context)
    {
        _stats.Enter();
        try
        {
            await HandleCoreAsync(context);
        }
        catch (Exception e) when ((e is OperationCanceledException or IOException) && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away while we read, waited or wrote: nothing is left to answer, and no work is left
            // running. Not worth a log line: clients that time out do this all the time.
        }
        finally
        {
            _stats.Exit();
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        DateTimeOffset arrived = _clock.UtcNow;
        bool known = EmulatedApis.TryParsePath(request.Path.Value ?? "", out EmulatedApi api);
        if (known)
        {
            _stats.CountRequest(api);
        }

        // Read first, whatever the answer, so that the request log holds the body of a refused request too.
        byte[] body = HttpMethods.IsPost(request.Method) ? await ReadBodyAsync(request.BodyReader, context.RequestAborted) : Array.Empty<byte>();
        var outcome = new Outcome(StatusCodes.Status200OK, null, null);
        try
        {
            outcome = await AnswerAsync(context, known, api, body);
        }
        finally
        {
            // A request the client abandoned is recorded too, without an answer (it got none).
            if (context.RequestAborted.IsCancellationRequested && outcome.Fault is null)
            {
                outcome = new Outcome(0, null, null);
            }

            _log.Add(arrived, request.Method, request.Path.Value ?? "", request.QueryString.Value, body, outcome.HttpStatus, outcome.ErrorCode, outcome.Fault);
        }
    }

    /// <summary>What the client was answered, for the request log: HTTP status, ErrorCode (null when none) and fault.</summary>
    private readonly record struct Outcome(int HttpStatus, int? ErrorCode, string? Fault);

    private async Task<Outcome> AnswerAsync(HttpContext context, bool known, EmulatedApi api, byte[] body)
    {
        HttpRequest request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return await FailAsync(context, ServiceErrors.HttpParseError, "the REST API takes POST only");
        }

        if (!known)
        {
            return await FailAsync(context, ServiceErrors.InvalidRequestUri, null);
        }

        GateVerdict verdict = _gate.Check(request.QueryString.Value);
        if (!verdict.Passed)
        {
            return await FailAsync(context, verdict.ErrorCode, verdict.Detail);
        }

        if (!_rateLimits.TryAdmit(api, _clock.UtcNow))
        {
            _stats.CountThrottled();
            return await FailAsync(context, ServiceErrors.FrequencyLimit, null);
        }

        RequestFate fate = _faults.Roll(api, body);
        int delayMs = LatencyMs + fate.JitterMs;
        if (delayMs > 0)
        {
            await Task.Delay(delayMs, context.RequestAborted);
        }

        if (fate.Fault is FaultKind fault)
        {
            _stats.CountFault(fault);
            string faultName = FaultKindNames.Name(fault);
            if (fault == FaultKind.DropAfter)
            {
                // The API runs and its changes stay; only its answer is lost on the way back.
                var buffer = new ArrayBufferWriter<byte>();
                using (var bufferWriter = new Utf8JsonWriter(buffer, ImResponses.WriterOptions))
                {
                    Dispatch(_handlers[api.Index], body, bufferWriter);
                }

                await InjectedFaults.DropMidAnswerAsync(context, buffer.WrittenSpan.ToArray());
                return new Outcome(StatusCodes.Status200OK, null, faultName);
            }

            await InjectedFaults.AnswerAsync(context, fault, _slowResponseMs);
            return new Outcome(context.Response.StatusCode, InjectedFaults.ErrorCodeOf(fault), faultName);
        }

        if (!_log.IsEnabled)
        {
            Utf8JsonWriter writer = ImResponses.Begin(context);
            Dispatch(_handlers[api.Index], body, writer);
            await ImResponses.FlushAsync(context, writer);
            return new Outcome(StatusCodes.Status200OK, null, null);
        }

        // Recorded: the answer goes through a buffer, to read its ErrorCode for the log.
        var answer = new ArrayBufferWriter<byte>();
        using (var answerWriter = new Utf8JsonWriter(answer, ImResponses.WriterOptions))
        {
            Dispatch(_handlers[api.Index], body, answerWriter);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.BodyWriter.WriteAsync(answer.WrittenMemory, context.RequestAborted);
        return new Outcome(StatusCodes.Status200OK, ReadErrorCode(answer.WrittenSpan), null);
    }

    private static async Task<Outcome> FailAsync(HttpContext context, int code, string? detail)
    {
        await ImResponses.WriteFailureAsync(context, code, detail);
        return new Outcome(StatusCodes.Status200OK, code, null);
    }

    /// <summary>The top-level ErrorCode of an answer the emulator wrote, or null when it has none.</summary>
    private static int? ReadErrorCode(ReadOnlySpan<byte> answer)
    {
        var reader = new Utf8JsonReader(answer);
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("ErrorCode"))
            {
                return reader.Read() && reader.TryGetInt32(out int code) ? code : null;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs an API's handler on the body: a body that is not JSON answers 60003, one that is not an object 70402, and
    /// a handler that refuses the whole request (before writing anything) answers its code.
    /// </summary>
    private static void Dispatch(ApiHandler handler, ReadOnlyMemory<byte> body, Utf8JsonWriter writer)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            ImResponses.WriteFailure(writer, ServiceErrors.InvalidJson, null);
            return;
        }

        using (document)
        {
            try
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new ImRequestException(ServiceErrors.InvalidParameters, "the body must be a JSON object");
                }

                handler(document.RootElement, writer);
            }
            catch (ImRequestException e)
            {
                ImResponses.WriteFailure(writer, e.ErrorCode, e.Detail);
            }
        }
    }

    private static async Task<byte[]> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        // Kestrel's MaxRequestBodySize bounds the buffer; a request over it fails inside ReadAsync.
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
            {
                byte[] body = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return body;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
