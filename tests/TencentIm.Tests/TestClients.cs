using System;
using System.Net.Http;
using TencentIm.Client;
using TencentIm.Signing;

namespace TencentIm.Tests;

/// <summary>An ImRestClient for SDKAppID 1400000001 as administrator, signing with a given key: what client-level tests need.</summary>
internal static class TestClients
{
    /// <summary>Retries without waits to speak of: 1 to 2 ms each.</summary>
    public static ClientSettings FastRetries(int maxAttempts) => new()
    {
        MaxAttempts = maxAttempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(2),
    };

    public static ImRestClient New(Uri baseUri, string key, ClientSettings settings, HttpMessageHandler? handler = null) =>
        new(baseUri, 1400000001, "administrator",
            new SigningUserSigSource(SecretKey.FromString(key), 1400000001, "administrator", TimeSpan.FromHours(1), SystemClock.Instance),
            settings, handler);
}
