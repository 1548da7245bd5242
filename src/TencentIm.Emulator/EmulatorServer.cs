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
        var clock = new EmulatorClock(options.TimeProvider);
        var store = new AccountStore(options.Trial, options.AccountLimit);
        var initial = new HashSet<string>(StringComparer.Ordinal);
        foreach (string userId in options.InitialAccounts())
        {
            if (!AccountStore.IsValidUserId(userId))
            {
                throw new ArgumentException($"The initial account '{userId}' is not a valid UserID (1 to 32 bytes).");
            }

            initial.Add(userId);
        }

        if (initial.Count > options.AccountLimit)
        {
            throw new ArgumentException($"--account-limit {options.AccountLimit} is below the {initial.Count} initial accounts.");
        }

        foreach (string userId in initial)
        {
            store.TryImport(userId, AccountProfile.None, clock.UtcNow);
        }

        var sessions = new SessionStore();
        SeedSessions(sessions, store, options.OnlineAccounts, SessionStore.Online);
        SeedSessions(sessions, store, options.PushOnlineAccounts, SessionStore.PushOnline);

        var rateLimits = new ApiRateLimits(options.RateLimits, options.RateLimitCountsRejected);

        var key = SecretKey.FromString(options.SecretKey);
        var stats = new StatsCounters();
        var messages = new MessageLog();
        var endpoint = new ImEndpoint(
            new ImRequestGate(options.SdkAppId, key, options.ForeignSdkAppIds, options.Admins, clock, sessions),
            new AccountApis(store, options.FailingAccounts, options.FlakyAccounts, options.DenyDelete, clock, options.DenyDeletePerItem).Handlers()
                .Concat(new SessionApis(store, sessions, clock).Handlers())
                .Concat(new ProfileMessageApis(store, clock, messages).Handlers()),
            rateLimits,
            new FaultInjector(options.Seed, options.FaultRate, options.FaultKinds, options.LatencyJitterMs),
            stats,
            clock,
            options.LatencyMs,
            options.SlowResponseMs);

        X509Certificate2? certificate = options.HttpsSelfSigned ? SelfSignedCertificate.Create() : null;
        WebApplication app = BuildHost(options.Port, certificate, stats);
        var emulator = new RunningEmulator(app, clock, store, stats, key, rateLimits, certificate, sessions) { Messages = messages };
        var hooks = new TestHooks(emulator);

        // One terminal handler, no routing: the URL space is tiny and this is the hot path.
        app.Run(context => context.Request.Path.StartsWithSegments("/emulator", StringComparison.Ordinal)
            ? hooks.HandleAsync(context)
            : endpoint.HandleAsync(context));

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

    /// <summary>Sets the state of each "u1" or "u1=Platform:State+…" entry; every one must be an account.</summary>
    private static void SeedSessions(SessionStore sessions, AccountStore store, IEnumerable<string> entries, string status)
    {
        foreach (string entry in entries)
        {
            var (userId, platforms) = SessionStore.ParseSeed(entry, status);
            if (!store.IsImported(userId))
            {
                throw new ArgumentException($"'{userId}' is to be {status} at start, but it is not one of the emulator's accounts: add it to --accounts.");
            }

            sessions.SetStatus(userId, status, platforms);
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
