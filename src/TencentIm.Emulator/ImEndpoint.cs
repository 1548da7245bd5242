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
    private readonly int _latencyMs;
    private readonly int _slowResponseMs;

    /// <param name="handlers">A handler for every API of <see cref="EmulatedApis.All"/>.</param>
    public ImEndpoint(ImRequestGate gate, IEnumerable<KeyValuePair<EmulatedApi, ApiHandler>> handlers, ApiRateLimits rateLimits, FaultInjector faults,
        StatsCounters stats, EmulatorClock clock, int latencyMs, int slowResponseMs)
    {
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
        bool known = EmulatedApis.TryParsePath(request.Path.Value ?? "", out EmulatedApi api);
        if (known)
        {
            _stats.CountRequest(api);
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            await ImResponses.WriteFailureAsync(context, ServiceErrors.HttpParseError, "the REST API takes POST only");
            return;
        }

        if (!known)
        {
            await ImResponses.WriteFailureAsync(context, ServiceErrors.InvalidRequestUri, null);
            return;
        }

        GateVerdict verdict = _gate.Check(request.QueryString.Value);
        if (!verdict.Passed)
        {
            await ImResponses.WriteFailureAsync(context, verdict.ErrorCode, verdict.Detail);
            return;
        }

        byte[] body = await ReadBodyAsync(request.BodyReader, context.RequestAborted);

        if (!_rateLimits.TryAdmit(api, _clock.UtcNow))
        {
            _stats.CountThrottled();
            await ImResponses.WriteFailureAsync(context, ServiceErrors.FrequencyLimit, null);
            return;
        }

        RequestFate fate = _faults.Roll(api, body);
        int delayMs = _latencyMs + fate.JitterMs;
        if (delayMs > 0)
        {
            await Task.Delay(delayMs, context.RequestAborted);
        }

        if (fate.Fault is FaultKind fault)
        {
            _stats.CountFault(fault);
            if (fault == FaultKind.DropAfter)
            {
                // The API runs and its changes stay; only its answer is lost on the way back.
                var buffer = new ArrayBufferWriter<byte>();
                using (var bufferWriter = new Utf8JsonWriter(buffer, ImResponses.WriterOptions))
                {
                    Dispatch(_handlers[api.Index], body, bufferWriter);
                }

                await InjectedFaults.DropMidAnswerAsync(context, buffer.WrittenSpan.ToArray());
                return;
            }

            await InjectedFaults.AnswerAsync(context, fault, _slowResponseMs);
            return;
        }

        Utf8JsonWriter writer = ImResponses.Begin(context);
        Dispatch(_handlers[api.Index], body, writer);
        await ImResponses.FlushAsync(context, writer);
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
