using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>The hooks the TencentIm.Emulator module's cmdlets use: the request log, reset, faults and the clock's "now".</summary>
public class RecordingAndResetHookTests
{
    private static async Task<JsonElement> GetJsonAsync(EmulatorTestClient client, string path) =>
        JsonDocument.Parse(await client.Http.GetStringAsync(path)).RootElement.Clone();

    private static async Task<(HttpStatusCode Status, string Text)> PostHookAsync(EmulatorTestClient client, string path)
    {
        using HttpResponseMessage response = await client.Http.PostAsync(path, null);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RequestsHook_RecordsEachRequest_WithItsBodyAsJson_ItsErrorCode_AndTheUserSigRedacted()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice" } });
        string userSig = client.Sign();
        string query = client.ValidQuery(userSig: userSig);

        await client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "alice", "bob" }), query);
        await client.PostAsync("account_check", "{not json", query);
        await client.PostAsync("account_import", """{"UserID":"carol","Nick":"Carol"}""", "sdkappid=1400000001&identifier=administrator&usersig=forged&random=1&contenttype=json");

        JsonElement requests = await GetJsonAsync(client, "emulator/requests");

        Assert.Equal(3, requests.GetArrayLength());
        JsonElement first = requests[0];
        Assert.Equal("account_check", first.GetProperty("Api").GetString());
        Assert.Equal("im_open_login_svc/account_check", first.GetProperty("Path").GetString());
        Assert.Equal("POST", first.GetProperty("Method").GetString());
        Assert.Equal(new[] { "alice", "bob" }, first.GetProperty("Body").GetProperty("CheckItem").EnumerateArray().Select(i => i.GetProperty("UserID").GetString()));
        Assert.Equal(0, first.GetProperty("ErrorCode").GetInt32());
        Assert.Equal(200, first.GetProperty("HttpStatus").GetInt32());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("Fault").ValueKind);
        Assert.Contains("usersig=<redacted>", first.GetProperty("Query").GetString());
        Assert.Contains("sdkappid=1400000001", first.GetProperty("Query").GetString());
        Assert.Equal(1, first.GetProperty("Sequence").GetInt64());
        Assert.InRange(first.GetProperty("Time").GetDateTimeOffset(), client.Emulator.Now.AddMinutes(-1), client.Emulator.Now);

        // A body that is not JSON is kept as text; the answer's code is the one the client got.
        Assert.Equal("{not json", requests[1].GetProperty("Body").GetString());
        Assert.Equal(ServiceErrors.InvalidJson, requests[1].GetProperty("ErrorCode").GetInt32());

        // Refused at the gate (bad UserSig): recorded too, with its body.
        Assert.Equal("Carol", requests[2].GetProperty("Body").GetProperty("Nick").GetString());
        Assert.NotEqual(0, requests[2].GetProperty("ErrorCode").GetInt32());

        string all = requests.GetRawText();
        Assert.DoesNotContain(userSig, all);
        Assert.DoesNotContain(Uri.EscapeDataString(userSig), all);
        Assert.DoesNotContain("forged", all);
    }

    [Fact]
    public async Task RequestsHook_RecordsUnknownApis_AndFiltersByApiName()
    {
        await using var client = await EmulatorTestClient.StartAsync();
        await client.CheckAsync("u1");
        await client.SendAsync(HttpMethod.Post, "v4/profile/no_such_api?" + client.ValidQuery(), """{"To_Account":["u1"]}""");
        await client.CheckAsync("u2");

        JsonElement checks = await GetJsonAsync(client, "emulator/requests?api=account_check");
        JsonElement byPath = await GetJsonAsync(client, "emulator/requests?api=profile/no_such_api");
        JsonElement all = await GetJsonAsync(client, "emulator/requests");

        Assert.Equal(2, checks.GetArrayLength());
        Assert.All(checks.EnumerateArray(), r => Assert.Equal("account_check", r.GetProperty("Api").GetString()));
        Assert.Equal("no_such_api", Assert.Single(byPath.EnumerateArray()).GetProperty("Api").GetString());
        Assert.Equal(ServiceErrors.InvalidRequestUri, byPath[0].GetProperty("ErrorCode").GetInt32());
        Assert.Equal(3, all.GetArrayLength());
    }

    [Fact]
    public async Task RequestLog_KeepsOnlyTheLastN_AndRecordsNothingAtZero()
    {
        await using var bounded = await EmulatorTestClient.StartAsync(new EmulatorOptions { RequestLogSize = 2 });
        await using var off = await EmulatorTestClient.StartAsync(new EmulatorOptions { RequestLogSize = 0 });
        foreach (string id in new[] { "a", "b", "c" })
        {
            await bounded.CheckAsync(id);
            await off.CheckAsync(id);
        }

        JsonElement kept = await GetJsonAsync(bounded, "emulator/requests");

        Assert.Equal(new[] { "b", "c" }, kept.EnumerateArray().Select(r => r.GetProperty("Body").GetProperty("CheckItem")[0].GetProperty("UserID").GetString()));
        Assert.Equal(new long[] { 2, 3 }, kept.EnumerateArray().Select(r => r.GetProperty("Sequence").GetInt64()));
        Assert.Equal(0, (await GetJsonAsync(off, "emulator/requests")).GetArrayLength());
        Assert.Equal(0, (await off.CheckAsync("d")).ErrorCode);
    }

    [Fact]
    public async Task RequestsHook_RecordsAnInjectedFault_WithTheCodeTheClientSaw()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { FaultRate = 1 });
        client.Emulator.SetFaults(kinds: new[] { FaultKind.Http503 });
        await client.CheckAsync("u1");
        client.Emulator.SetFaults(kinds: new[] { FaultKind.InternalError70500 });
        await client.CheckAsync("u2");

        JsonElement requests = await GetJsonAsync(client, "emulator/requests");

        Assert.Equal("http503", requests[0].GetProperty("Fault").GetString());
        Assert.Equal(503, requests[0].GetProperty("HttpStatus").GetInt32());
        Assert.Equal(JsonValueKind.Null, requests[0].GetProperty("ErrorCode").ValueKind);
        Assert.Equal("70500", requests[1].GetProperty("Fault").GetString());
        Assert.Equal(70500, requests[1].GetProperty("ErrorCode").GetInt32());
    }

    [Fact]
    public async Task FaultsHook_ChangesRateKindsAndLatencyMidRun_AndRefusesBadValues()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice" } });
        Assert.Equal(0, (await client.CheckAsync("alice")).ErrorCode);

        var (status, _) = await PostHookAsync(client, "emulator/faults?rate=1&kinds=70500&latencyMs=5");
        ImAnswer faulted = await client.CheckAsync("alice");
        JsonElement settings = await GetJsonAsync(client, "emulator/faults");
        var (badRate, badRateText) = await PostHookAsync(client, "emulator/faults?rate=2");
        var (badKind, badKindText) = await PostHookAsync(client, "emulator/faults?kinds=meteor");
        await PostHookAsync(client, "emulator/faults?rate=0");
        ImAnswer healed = await client.CheckAsync("alice");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(70500, faulted.ErrorCode);
        Assert.Equal(1, settings.GetProperty("FaultRate").GetDouble());
        Assert.Equal(new[] { "70500" }, settings.GetProperty("FaultKinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(5, settings.GetProperty("LatencyMs").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, badRate);
        Assert.Contains("0..1", badRateText);
        Assert.Equal(HttpStatusCode.BadRequest, badKind);
        Assert.Contains("meteor", badKindText);
        Assert.Equal(0, healed.ErrorCode);
        Assert.Equal(5, client.Emulator.LatencyMs);
    }

    [Fact]
    public async Task ResetHook_GoesBackToTheSeededState()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1764115200);
        var options = new EmulatorOptions
        {
            Accounts = { "alice", "bob" },
            OnlineAccounts = { "alice" },
            FlakyAccounts = { "bob" },
            RateLimits = { ["account_check"] = 50 },
            TimeProvider = new PinnedTimeProvider(start),
        };
        await using var client = await EmulatorTestClient.StartAsync(options);
        Assert.Equal(70500, (await client.CheckAsync("bob")).Json.GetProperty("ResultItem")[0].GetProperty("ResultCode").GetInt32());
        await client.PostAsync("account_import", """{"UserID":"carol","Nick":"Carol"}""");
        await client.PostAsync("account_import", """{"UserID":"alice","Nick":"Alice"}""");
        await client.PostAsync("account_delete", """{"DeleteItem":[{"UserID":"bob"}]}""");
        client.Emulator.SetOnlineStatus("alice", "Offline");
        client.Emulator.AdvanceClock(TimeSpan.FromHours(1));
        client.Emulator.SetRateLimit("account_check", 1);
        client.Emulator.SetFaults(rate: 1, latencyMs: 7);

        var (status, _) = await PostHookAsync(client, "emulator/reset");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { "alice", "bob" }, client.Emulator.ImportedAccounts);
        Assert.All(client.Emulator.AccountProfiles, a => Assert.Null(a.Value.Nick));
        Assert.Equal(start, client.Emulator.Now);
        Assert.Equal(0, client.Emulator.FaultRate);
        Assert.Equal(0, client.Emulator.LatencyMs);
        Assert.Equal(0, (await GetJsonAsync(client, "emulator/requests")).GetArrayLength());
        Assert.Equal(0, client.Emulator.Stats.TotalRequests);
        Assert.Equal(0, client.Emulator.Stats.Requests["account_delete"]);

        // Seeded behaviour again: bob flakes once more, alice is online, and the limit is back at 50 a second.
        string query = client.ValidQuery();
        ImAnswer[] checks = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.PostAsync("account_check", EmulatorTestClient.CheckBody(new[] { "alice" }), query)));
        Assert.All(checks, c => Assert.Equal(0, c.ErrorCode));
        Assert.Equal(70500, (await client.CheckAsync("bob")).Json.GetProperty("ResultItem")[0].GetProperty("ResultCode").GetInt32());
        ImAnswer online = await client.SendAsync(HttpMethod.Post, "v4/openim/query_online_status?" + query, """{"To_Account":["alice"]}""");
        Assert.Contains("\"Online\"", online.Body);
        // bob was deleted before the reset; a non-trial app would refuse his import for 3 months, a fresh one does not.
        Assert.Equal(0, (await client.PostAsync("account_import", """{"UserID":"bob"}""")).ErrorCode);
    }

    [Fact]
    public async Task ResetHook_SeedsTheAccountsOfAFile_ThatIsGoneSinceTheStart()
    {
        // Start-TencentImEmulator hands the accounts over in a temporary file, which it deletes once the emulator listens.
        string file = System.IO.Path.GetTempFileName();
        await System.IO.File.WriteAllLinesAsync(file, new[] { "alice", "bob" });
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { AccountsFile = file });
        System.IO.File.Delete(file);
        await client.PostAsync("account_import", """{"UserID":"carol"}""");

        var (status, _) = await PostHookAsync(client, "emulator/reset");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { "alice", "bob" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task ClockHook_Now_MovesTheClockForwardToATime_AndRefusesToGoBack()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1764115200);
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { TimeProvider = new PinnedTimeProvider(start) });

        var (forward, text) = await PostHookAsync(client, "emulator/clock?now=" + (start.ToUnixTimeSeconds() + 3600));
        var (back, backText) = await PostHookAsync(client, "emulator/clock?now=" + start.ToUnixTimeSeconds());

        Assert.Equal(HttpStatusCode.OK, forward);
        Assert.Contains((start.ToUnixTimeSeconds() + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture), text);
        Assert.Equal(start.AddHours(1), client.Emulator.Now);
        Assert.Equal(HttpStatusCode.BadRequest, back);
        Assert.Contains("only moves forward", backText);
        Assert.Equal(start.AddHours(1), client.Emulator.Now);
    }

    [Fact]
    public void RedactQuery_ReplacesTheUserSigWhateverItsCase_AndKeepsTheRest()
    {
        Assert.Equal("sdkappid=1&UserSig=<redacted>&random=2", RecordedRequest.Redact("/v4/x", "?sdkappid=1&UserSig=eJw-secret&random=2", "").Query);
        Assert.Equal("", RecordedRequest.Redact("/v4/x", null, "").Query);
    }

    [Theory]
    [InlineData("emulator/clock?advanceSeconds=x")]
    [InlineData("emulator/clock?now=x")]
    [InlineData("emulator/faults?rate=2")]
    [InlineData("emulator/rate-limit?api=account_check&callsPerSecond=0")]
    [InlineData("emulator/online-status?userId=ghost&status=Online")]
    public async Task Hooks_ARefusal_IsPlainTextWithItsCharset(string path)
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice" } });

        using HttpResponseMessage response = await client.Http.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RequestsHook_RedactsTheUserSig_WhereverItAppears_AndEveryUserSigLikeQueryKey()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice" } });
        string userSig = client.Sign();
        string escaped = Uri.EscapeDataString(userSig);

        await client.SendAsync(HttpMethod.Post, "v4/im_open_login_svc/" + escaped + "?" + client.ValidQuery(userSig: userSig) + "&User_Sig=" + escaped + "&USERSIG2=other-secret-value-0123456789",
            "{\"CheckItem\":[{\"UserID\":\"" + userSig + "\"}]}");

        string log = await client.Http.GetStringAsync("emulator/requests");

        Assert.DoesNotContain(userSig, log);
        Assert.DoesNotContain(escaped, log);
        Assert.DoesNotContain("other-secret-value", log);
        Assert.Contains("sdkappid=1400000001", log);
        Assert.Contains("<redacted>", log);
    }
}
