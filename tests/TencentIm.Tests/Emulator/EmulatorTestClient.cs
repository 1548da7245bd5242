using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using TencentIm.Emulator;
using TencentIm.Signing;

namespace TencentIm.Tests.Emulator;

/// <summary>An HTTP answer from the emulator; <see cref="Json"/> is default when the body is not JSON.</summary>
internal sealed record ImAnswer(HttpStatusCode Status, string Body, JsonElement Json)
{
    public int ErrorCode => Json.GetProperty("ErrorCode").GetInt32();

    public string ActionStatus => Json.GetProperty("ActionStatus").GetString()!;

    public string ErrorInfo => Json.GetProperty("ErrorInfo").GetString()!;
}

/// <summary>
/// An emulator started in-process on a free port, and an HttpClient that calls it the way a client would:
/// POST /v4/im_open_login_svc/{command} with the five query parameters and a UserSig signed for the emulator's clock.
/// </summary>
internal sealed class EmulatorTestClient : IAsyncDisposable
{
    public const string Admin = "administrator";

    private EmulatorTestClient(EmulatorOptions options, RunningEmulator emulator)
    {
        Options = options;
        Emulator = emulator;
        Http = new HttpClient { BaseAddress = emulator.BaseUri };
    }

    public EmulatorOptions Options { get; }

    public RunningEmulator Emulator { get; }

    public HttpClient Http { get; }

    public static async Task<EmulatorTestClient> StartAsync(EmulatorOptions? options = null)
    {
        options ??= new EmulatorOptions();
        return new EmulatorTestClient(options, await EmulatorServer.StartAsync(options));
    }

    /// <summary>A UserSig issued now by the emulator's clock, valid for a day unless told otherwise.</summary>
    public string Sign(string identifier = Admin, uint? sdkAppId = null, string? key = null, TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null)
    {
        using SecretKey secret = SecretKey.FromString(key ?? Options.SecretKey);
        return UserSigSigner.Sign(secret, sdkAppId ?? Options.SdkAppId, identifier, issuedAt ?? Emulator.Now, lifetime ?? TimeSpan.FromDays(1));
    }

    /// <summary>The five query parameters as a client sends them, for an admin UserSig signed now.</summary>
    public string ValidQuery(string identifier = Admin, string? userSig = null) =>
        $"sdkappid={Options.SdkAppId}&identifier={Uri.EscapeDataString(identifier)}&usersig={Uri.EscapeDataString(userSig ?? Sign(identifier))}&random=4294967295&contenttype=json";

    public Task<ImAnswer> PostAsync(string command, string body, string? query = null) =>
        SendAsync(HttpMethod.Post, "v4/im_open_login_svc/" + command + "?" + (query ?? ValidQuery()), body);

    public async Task<ImAnswer> SendAsync(HttpMethod method, string relativeUrl, string? body)
    {
        using var request = new HttpRequestMessage(method, relativeUrl);
        if (body != null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        JsonElement json = default;
        try
        {
            json = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            // Left default: the caller asserts on Status or Body (gateway errors, truncated answers).
        }

        return new ImAnswer(response.StatusCode, text, json);
    }

    public Task<ImAnswer> CheckAsync(params string[] userIds) => PostAsync("account_check", CheckBody(userIds));

    public static string CheckBody(IEnumerable<string> userIds) => ItemsBody("CheckItem", userIds);

    public static string ItemsBody(string arrayName, IEnumerable<string> userIds)
    {
        var items = new List<object>();
        foreach (string userId in userIds)
        {
            items.Add(new Dictionary<string, string> { ["UserID"] = userId });
        }

        return JsonSerializer.Serialize(new Dictionary<string, object> { [arrayName] = items });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}
