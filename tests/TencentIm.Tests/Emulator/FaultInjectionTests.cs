using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>The service's bad days: injected faults, latency, and their replayability under a seed.</summary>
public class FaultInjectionTests
{
    private static readonly FaultKind[] ErrorCodeKinds = { FaultKind.ServerTimeout70169, FaultKind.ServerTimeout70202, FaultKind.InternalError70500 };

    private static EmulatorOptions Faulty(long seed, double rate, params FaultKind[] kinds) =>
        new EmulatorOptions { Seed = seed, FaultRate = rate, FaultKinds = kinds.ToList() };

    private static string[] DistinctBodies(int count) =>
        Enumerable.Range(0, count).Select(i => EmulatorTestClient.CheckBody(new[] { "user" + i, "other" + i })).ToArray();

    private static async Task<int[]> SendInOrderAsync(EmulatorTestClient client, string[] bodies)
    {
        string query = client.ValidQuery();
        var codes = new int[bodies.Length];
        for (int i = 0; i < bodies.Length; i++)
        {
            codes[i] = (await client.PostAsync("account_check", bodies[i], query)).ErrorCode;
        }

        return codes;
    }

    [Fact]
    public async Task SameSeed_SameBodies_MeetTheSameFaults_EvenWhenSentConcurrently()
    {
        string[] bodies = DistinctBodies(60);
        int[] inOrder;
        await using (var first = await EmulatorTestClient.StartAsync(Faulty(42, 0.5, ErrorCodeKinds)))
        {
            inOrder = await SendInOrderAsync(first, bodies);
        }

        int[] concurrent;
        await using (var second = await EmulatorTestClient.StartAsync(Faulty(42, 0.5, ErrorCodeKinds)))
        {
            string query = second.ValidQuery();
            ImAnswer[] answers = await Task.WhenAll(bodies.Reverse().Select(b => second.PostAsync("account_check", b, query)));
            concurrent = answers.Reverse().Select(a => a.ErrorCode).ToArray();
        }

        Assert.Equal(inOrder, concurrent);
        Assert.Contains(0, inOrder);
        Assert.Contains(inOrder, code => code != 0);
        Assert.All(inOrder.Where(c => c != 0), c => Assert.Contains(c, new[] { 70169, 70202, 70500 }));
    }

    [Fact]
    public async Task SameSeed_RepeatedBody_MeetsTheSameSequenceOfFaults()
    {
        string[] sameBodyThirtyTimes = Enumerable.Repeat(EmulatorTestClient.CheckBody(new[] { "alice" }), 30).ToArray();
        int[] first, second;
        await using (var client = await EmulatorTestClient.StartAsync(Faulty(7, 0.5, ErrorCodeKinds)))
        {
            first = await SendInOrderAsync(client, sameBodyThirtyTimes);
        }

        await using (var client = await EmulatorTestClient.StartAsync(Faulty(7, 0.5, ErrorCodeKinds)))
        {
            second = await SendInOrderAsync(client, sameBodyThirtyTimes);
        }

        Assert.Equal(first, second);

        // The count of earlier sightings is part of the dice: a retried body does not meet the same fault forever.
        Assert.True(first.Distinct().Count() > 1);
    }

    [Fact]
    public async Task DifferentSeed_MeetsDifferentFaults()
    {
        string[] bodies = DistinctBodies(60);
        int[] seed1, seed2;
        await using (var client = await EmulatorTestClient.StartAsync(Faulty(1, 0.5, ErrorCodeKinds)))
        {
            seed1 = await SendInOrderAsync(client, bodies);
        }

        await using (var client = await EmulatorTestClient.StartAsync(Faulty(2, 0.5, ErrorCodeKinds)))
        {
            seed2 = await SendInOrderAsync(client, bodies);
        }

        Assert.NotEqual(seed1, seed2);
    }

    [Fact]
    public async Task FaultRate_IsRoughlyTheShareOfFaultedRequests()
    {
        await using var client = await EmulatorTestClient.StartAsync(Faulty(3, 0.2, FaultKind.InternalError70500));

        int[] codes = await SendInOrderAsync(client, DistinctBodies(500));

        // Deterministic for this seed; the bounds only say the rate means what it says.
        int faulted = codes.Count(c => c == 70500);
        Assert.InRange(faulted, 70, 130);
        Assert.Equal(faulted, client.Emulator.Stats.Faults["70500"]);
    }

    [Theory]
    [InlineData(FaultKind.ServerTimeout70169, 70169, "70169")]
    [InlineData(FaultKind.ServerTimeout70202, 70202, "70202")]
    [InlineData(FaultKind.InternalError70500, 70500, "70500")]
    public async Task ErrorCodeFault_AnswersThatCodeWithHttp200(FaultKind kind, int errorCode, string statsName)
    {
        await using var client = await EmulatorTestClient.StartAsync(Faulty(0, 1, kind));

        ImAnswer answer = await client.CheckAsync("alice");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("FAIL", answer.ActionStatus);
        Assert.Equal(errorCode, answer.ErrorCode);
        Assert.Equal(1, client.Emulator.Stats.Faults[statsName]);
    }

    [Theory]
    [InlineData(FaultKind.Http502, HttpStatusCode.BadGateway)]
    [InlineData(FaultKind.Http503, HttpStatusCode.ServiceUnavailable)]
    public async Task GatewayFault_AnswersThatHttpStatusWithoutJson(FaultKind kind, HttpStatusCode status)
    {
        await using var client = await EmulatorTestClient.StartAsync(Faulty(0, 1, kind));

        ImAnswer answer = await client.CheckAsync("alice");

        Assert.Equal(status, answer.Status);
        Assert.Equal(JsonValueKind.Undefined, answer.Json.ValueKind);
    }

    [Fact]
    public async Task TruncatedFault_CompletesAnHttp200WhoseJsonIsCutInHalf()
    {
        await using var client = await EmulatorTestClient.StartAsync(Faulty(0, 1, FaultKind.Truncated));

        ImAnswer answer = await client.CheckAsync("alice");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("{\"ActionStatus\":\"OK\"", answer.Body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(answer.Body));
        Assert.Equal(1, client.Emulator.Stats.Faults["truncated"]);
    }

    [Fact]
    public async Task DropFault_AbortsTheConnectionMidBody()
    {
        await using var client = await EmulatorTestClient.StartAsync(Faulty(0, 1, FaultKind.Drop));

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => client.CheckAsync("alice"));

        Assert.IsAssignableFrom<System.IO.IOException>(e.InnerException);
        Assert.Equal(1, client.Emulator.Stats.Faults["drop"]);
    }

    [Fact]
    public async Task DropFault_WhenReadingHeadersFirst_FailsWhileReadingTheBody()
    {
        await using var client = await EmulatorTestClient.StartAsync(Faulty(0, 1, FaultKind.Drop));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v4/im_open_login_svc/account_check?" + client.ValidQuery())
        {
            Content = new StringContent(EmulatorTestClient.CheckBody(new[] { "alice" })),
        };

        using HttpResponseMessage response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = new System.IO.StreamReader(await response.Content.ReadAsStreamAsync());
        await Assert.ThrowsAnyAsync<System.IO.IOException>(() => body.ReadToEndAsync());
    }

    [Fact]
    public async Task DropAfterFault_RunsTheApi_ThenAbortsTheConnectionMidBody()
    {
        var options = Faulty(0, 1, FaultKind.DropAfter);
        options.Accounts = new List<string> { "alice", "bob" };
        await using var client = await EmulatorTestClient.StartAsync(options);

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.PostAsync("account_delete", EmulatorTestClient.ItemsBody("DeleteItem", new[] { "alice" })));

        Assert.IsAssignableFrom<System.IO.IOException>(e.InnerException);
        Assert.Equal(new[] { "bob" }, client.Emulator.ImportedAccounts);
        Assert.Equal(1, client.Emulator.Stats.Faults["drop-after"]);
        Assert.Equal(0, client.Emulator.Stats.Faults["drop"]);
    }

    [Fact]
    public async Task DropAfterFault_SendsTheBeginningOfTheApisOwnAnswer()
    {
        var options = Faulty(0, 1, FaultKind.DropAfter);
        options.Accounts = new List<string> { "alice" };
        await using var client = await EmulatorTestClient.StartAsync(options);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v4/im_open_login_svc/account_delete?" + client.ValidQuery())
        {
            Content = new StringContent(EmulatorTestClient.ItemsBody("DeleteItem", new[] { "alice", "somebody-with-a-long-name" })),
        };

        using HttpResponseMessage response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var buffer = new byte[4096];
        var received = new System.IO.MemoryStream();
        await using System.IO.Stream body = await response.Content.ReadAsStreamAsync();
        await Assert.ThrowsAnyAsync<System.IO.IOException>(async () =>
        {
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        });

        string start = System.Text.Encoding.UTF8.GetString(received.ToArray());
        Assert.StartsWith("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"ResultItem\":[{\"ResultCode\":0", start);
        Assert.True(received.Length < response.Content.Headers.ContentLength, "the whole answer arrived");
        Assert.Empty(client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task SlowFault_AnswersAServerTimeoutOnlyAfterSlowResponseMs()
    {
        var options = Faulty(0, 1, FaultKind.Slow);
        options.SlowResponseMs = 300;
        await using var client = await EmulatorTestClient.StartAsync(options);
        var stopwatch = Stopwatch.StartNew();

        ImAnswer answer = await client.CheckAsync("alice");

        Assert.True(stopwatch.ElapsedMilliseconds >= 290, $"answered after {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal(70169, answer.ErrorCode);
        Assert.Equal(1, client.Emulator.Stats.Faults["slow"]);
    }

    [Fact]
    public async Task SlowFault_ClientCancellation_StopsTheRequestsWork()
    {
        var options = Faulty(0, 1, FaultKind.Slow);
        options.SlowResponseMs = 600_000;
        await using var client = await EmulatorTestClient.StartAsync(options);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v4/im_open_login_svc/account_check?" + client.ValidQuery())
        {
            Content = new StringContent(EmulatorTestClient.CheckBody(new[] { "alice" })),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Http.SendAsync(request, giveUp.Token));

        // The delay honours the abort: the request ends long before its ten minutes (the timeout only bounds a failure).
        await client.Emulator.WaitForIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, client.Emulator.Stats.InFlight);
    }

    [Theory]
    [InlineData(FaultKind.ServerTimeout70169)]
    [InlineData(FaultKind.ServerTimeout70202)]
    [InlineData(FaultKind.InternalError70500)]
    [InlineData(FaultKind.Http502)]
    [InlineData(FaultKind.Http503)]
    [InlineData(FaultKind.Truncated)]
    [InlineData(FaultKind.Drop)]
    [InlineData(FaultKind.Slow)]
    public async Task FaultedImport_ChangesNoAccount(FaultKind kind)
    {
        var options = Faulty(0, 1, kind);
        options.SlowResponseMs = 10;
        await using var client = await EmulatorTestClient.StartAsync(options);

        try
        {
            await client.PostAsync("account_import", """{"UserID":"dave"}""");
        }
        catch (HttpRequestException) when (kind == FaultKind.Drop)
        {
        }

        Assert.Empty(client.Emulator.ImportedAccounts);
        Assert.Equal(1, client.Emulator.Stats.Faults[FaultKindNames.Name(kind)]);
    }

    [Fact]
    public async Task Latency_DelaysEveryAnswer()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { LatencyMs = 300 });
        var stopwatch = Stopwatch.StartNew();

        ImAnswer answer = await client.CheckAsync("alice");

        Assert.Equal(0, answer.ErrorCode);
        Assert.True(stopwatch.ElapsedMilliseconds >= 290, $"answered after {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Latency_ClientCancellation_StopsTheRequestsWork()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { LatencyMs = 600_000 });
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v4/im_open_login_svc/account_import?" + client.ValidQuery())
        {
            Content = new StringContent("""{"UserID":"dave"}"""),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Http.SendAsync(request, giveUp.Token));

        await client.Emulator.WaitForIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(client.Emulator.ImportedAccounts);
    }

    [Fact]
    public void Dice_AreAFunctionOfSeedApiBodyAndSighting()
    {
        byte[] a = "{\"CheckItem\":[{\"UserID\":\"a\"}]}"u8.ToArray();
        byte[] b = "{\"CheckItem\":[{\"UserID\":\"b\"}]}"u8.ToArray();
        var first = new FaultInjector(9, 0.5, FaultKindNames.All, 100);
        var second = new FaultInjector(9, 0.5, FaultKindNames.All, 100);

        // Interleaved differently: only each body's own count of sightings matters.
        RequestFate[] firstFates = { first.Roll(EmulatedApis.AccountCheck, a), first.Roll(EmulatedApis.AccountCheck, a), first.Roll(EmulatedApis.AccountCheck, b) };
        RequestFate b0 = second.Roll(EmulatedApis.AccountCheck, b);
        RequestFate a0 = second.Roll(EmulatedApis.AccountCheck, a);
        RequestFate a1 = second.Roll(EmulatedApis.AccountCheck, a);

        Assert.Equal(firstFates, new[] { a0, a1, b0 });
        Assert.All(firstFates, f => Assert.InRange(f.JitterMs, 0, 100));
    }
}
