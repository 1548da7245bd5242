using System;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace TencentIm.Emulator;

/// <summary>
/// How each <see cref="FaultKind"/> looks on the wire. None of them but <see cref="FaultKind.DropAfter"/> touches an
/// account: a faulted request is answered here instead of by the API; a drop-after one is answered by the API, and
/// its answer is cut off here (<see cref="DropMidAnswerAsync"/>).
/// </summary>
internal static class InjectedFaults
{
    // What a successful answer starts like; truncated and dropped answers are cut from it, so that a client sees the
    // beginning of a plausible success and must still reject it.
    private static readonly byte[] PlausibleAnswer = Encoding.UTF8.GetBytes(
        "{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"ResultItem\":[]}");

    private static readonly TimeSpan DropPause = TimeSpan.FromMilliseconds(250);

    /// <summary>The ErrorCode a fault answers with, or null for one that answers no JSON (gateway errors, cut answers).</summary>
    public static int? ErrorCodeOf(FaultKind fault) => fault switch
    {
        FaultKind.ServerTimeout70169 or FaultKind.Slow => ServiceErrors.ServerTimeout,
        FaultKind.ServerTimeout70202 => ServiceErrors.ServerTimeout2,
        FaultKind.InternalError70500 => ServiceErrors.InternalError,
        _ => null,
    };

    public static async Task AnswerAsync(HttpContext context, FaultKind fault, int slowResponseMs)
    {
        HttpResponse response = context.Response;
        switch (fault)
        {
            case FaultKind.ServerTimeout70169:
                await ImResponses.WriteFailureAsync(context, ServiceErrors.ServerTimeout);
                break;
            case FaultKind.ServerTimeout70202:
                await ImResponses.WriteFailureAsync(context, ServiceErrors.ServerTimeout2);
                break;
            case FaultKind.InternalError70500:
                await ImResponses.WriteFailureAsync(context, ServiceErrors.InternalError);
                break;
            case FaultKind.Http502:
                await GatewayErrorAsync(response, StatusCodes.Status502BadGateway, "502 Bad Gateway");
                break;
            case FaultKind.Http503:
                await GatewayErrorAsync(response, StatusCodes.Status503ServiceUnavailable, "503 Service Temporarily Unavailable");
                break;
            case FaultKind.Truncated:
                // A complete HTTP response whose Content-Length covers only half the JSON.
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json";
                response.ContentLength = PlausibleAnswer.Length / 2;
                await response.Body.WriteAsync(PlausibleAnswer.AsMemory(0, PlausibleAnswer.Length / 2), context.RequestAborted);
                break;
            case FaultKind.Drop:
                await DropMidAnswerAsync(context, PlausibleAnswer);
                break;
            case FaultKind.Slow:
                // The service sits on the request, then gives up with a server timeout. A client that stops
                // waiting aborts the request, which ends the delay (and this request's work) at once.
                await Task.Delay(slowResponseMs, context.RequestAborted);
                await ImResponses.WriteFailureAsync(context, ServiceErrors.ServerTimeout);
                break;
            default:
                // DropAfter needs the API's answer: ImEndpoint runs the API and calls DropMidAnswerAsync itself.
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "This fault is not answered in place of the API.");
        }
    }

    /// <summary>
    /// Promises the whole <paramref name="answer"/>, sends half, then cuts the connection. Kestrel's flush only hands
    /// the bytes to the transport, and an abort resets the socket, which discards what the client has not read yet:
    /// the pause lets the headers and the half body reach the client first.
    /// </summary>
    public static async Task DropMidAnswerAsync(HttpContext context, byte[] answer)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = answer.Length;
        await response.Body.WriteAsync(answer.AsMemory(0, answer.Length / 2), context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        await Task.Delay(DropPause, context.RequestAborted);
        context.Abort();
    }

    private static async Task GatewayErrorAsync(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/html";
        await response.WriteAsync("<html><body><center><h1>" + text + "</h1></center></body></html>", response.HttpContext.RequestAborted);
    }
}
