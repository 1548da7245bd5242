using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TencentIm.Tests;

/// <summary>
/// A fake endpoint on 127.0.0.1, as a misconfigured proxy, a gateway or a hostile server would be, that echoes the
/// request URL (and with it the UserSig) in its answer: in the IM envelope's ErrorInfo, in a 404 HTML page, in a 200
/// plain-text body, or in a 200 envelope that succeeds. Every form is there at once: the URL as sent (the UserSig
/// URL-encoded), the UserSig decoded, and the UserSig with '*' JSON-escaped. It records the UserSigs it saw.
/// </summary>
public sealed class EchoingEndpoint : IAsyncDisposable
{
    public enum Echo
    {
        ErrorInfo,
        NotFoundHtml,
        PlainText,
        SuccessfulAnswer,
    }

    private readonly WebApplication _app;

    private EchoingEndpoint(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Every UserSig received, decoded.</summary>
    public ConcurrentQueue<string> UserSigs { get; } = new();

    public static async Task<EchoingEndpoint> StartAsync(Echo echo)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        builder.Logging.SetMinimumLevel(LogLevel.None);
        WebApplication app = builder.Build();
        var endpoint = new EchoingEndpoint(app);
        app.Run(context => endpoint.AnswerAsync(context, echo));
        await app.StartAsync();
        endpoint.BaseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        return endpoint;
    }

    /// <summary>The forms in which a UserSig could be echoed: as sent in the URL, decoded, JSON-escaped.</summary>
    public static string[] FormsOf(string userSig) =>
        new[] { userSig, Uri.EscapeDataString(userSig), userSig.Replace("*", "\\u002A", StringComparison.Ordinal) }.Distinct().ToArray();

    private async Task AnswerAsync(HttpContext context, Echo echo)
    {
        string userSig = context.Request.Query["usersig"].ToString();
        UserSigs.Enqueue(userSig);
        string url = context.Request.Path + context.Request.QueryString;
        string echoed = $"{url} {userSig} {userSig.Replace("*", "\\u002A", StringComparison.Ordinal)}";
        switch (echo)
        {
            case Echo.ErrorInfo:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync($"{{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70003,\"ErrorInfo\":\"bad request {echoed}\"}}");
                break;
            case Echo.NotFoundHtml:
                context.Response.StatusCode = 404;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync($"<html><body><h1>Not Found</h1><p>The requested URL {echoed} was not found on this server.</p></body></html>");
                break;
            case Echo.PlainText:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync($"Request {echoed} received");
                break;
            default:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync($"{{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"ResultItem\":[{{\"UserID\":\"administrator\",\"AccountStatus\":\"Imported\"}}],\"Echo\":\"{echoed}\"}}");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
