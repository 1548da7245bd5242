using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TencentIm.Signing;

namespace TencentIm.Emulator;

/// <summary>Starts emulators: in-process for xunit tests, or from <c>Program</c> for scripts and the benchmark.</summary>
public static class EmulatorServer
{
    // The service's bodies are small (100 UserIDs is a few KB); anything far bigger is a client bug.
    private const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Binds 127.0.0.1 (port 0 = a free one), seeds the accounts and starts serving.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent, or an initial UserID is invalid.</exception>
    public static async Task<RunningEmulator> StartAsync(EmulatorOptions options, CancellationToken ct = default)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        options.Validate();
        IReadOnlyList<string> initialAccounts = options.InitialAccounts().ToList();
        var key = SecretKey.FromString(options.SecretKey);
        var stats = new StatsCounters();
        var log = new RequestLog(options.RequestLogSize);
        EmulatorState state;
        try
        {
            state = EmulatorState.Seed(options, initialAccounts, key, stats, log);
        }
        catch
        {
            key.Dispose();
            throw;
        }

        X509Certificate2? certificate = options.HttpsSelfSigned ? SelfSignedCertificate.Create() : null;
        WebApplication app = BuildHost(options.Port, certificate, stats);
        var emulator = new RunningEmulator(app, options, initialAccounts, state, stats, log, key, certificate);
        var hooks = new TestHooks(emulator);

        // One terminal handler, no routing: the URL space is tiny and this is the hot path.
        app.Run(context => context.Request.Path.StartsWithSegments("/emulator", StringComparison.Ordinal)
            ? hooks.HandleAsync(context)
            : emulator.State.Endpoint.HandleAsync(context));

        try
        {
            await app.StartAsync(ct);
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            emulator.BaseUri = new Uri(address.TrimEnd('/') + "/");
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    private static WebApplication BuildHost(int port, X509Certificate2? certificate, StatsCounters stats)
    {
        // The empty builder reads no appsettings and no ASPNETCORE_* variables: nothing outside the options can
        // move the emulator off 127.0.0.1 or make it log per request.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;

                // Counted before any TLS: a handshake the client refuses still shows as one connection.
                listen.Use(next => connection =>
                {
                    stats.CountConnection();
                    return next(connection);
                });
                if (certificate != null)
                {
                    listen.UseHttps(certificate);
                }
            });
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });

        // Warnings and errors only, to standard error: stdout carries just the "listening on" line that scripts read,
        // and nothing is logged per request, so the console never limits throughput.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        return builder.Build();
    }
}
