using System;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Tasks;
using TencentIm.Emulator;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>--https-self-signed: https on 127.0.0.1 with a certificate made at start, which no client trusts.</summary>
public class HttpsSelfSignedTests
{
    [Fact]
    public void Parse_ReadsTheFlag_AndItIsOffByDefault()
    {
        Assert.True(EmulatorOptions.Parse(new[] { "--https-self-signed" }).HttpsSelfSigned);
        Assert.False(EmulatorOptions.Parse(Array.Empty<string>()).HttpsSelfSigned);
        Assert.Contains("--https-self-signed", EmulatorOptions.Usage);
    }

    [Fact]
    public async Task ServesHttps_WithASelfSignedCertificateFor127001_AndCountsEveryConnection()
    {
        const string Key = "https-test-key";
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(new EmulatorOptions { SecretKey = Key, HttpsSelfSigned = true, Accounts = { "alice" } });
        X509Certificate2? seen = null;
        SslPolicyErrors errors = SslPolicyErrors.None;
        using var handler = new HttpClientHandler
        {
            // Looks at the certificate and accepts it, as a test must; the client under test never does this.
            ServerCertificateCustomValidationCallback = (_, certificate, _, policyErrors) =>
            {
                seen = new X509Certificate2(certificate!);
                errors = policyErrors;
                return true;
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = emulator.BaseUri };
        using var key = SecretKey.FromString(Key);
        string userSig = UserSigSigner.Sign(key, 1400000001, "administrator", emulator.Now, TimeSpan.FromHours(1));

        using HttpResponseMessage response = await http.PostAsync(
            $"v4/im_open_login_svc/account_check?sdkappid=1400000001&identifier=administrator&usersig={Uri.EscapeDataString(userSig)}&random=1&contenttype=json",
            new StringContent("""{"CheckItem":[{"UserID":"alice"}]}"""));
        JsonElement answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal($"https://127.0.0.1:{emulator.BaseUri.Port}/", emulator.BaseUri.ToString());
        Assert.Equal("Imported", answer.GetProperty("ResultItem")[0].GetProperty("AccountStatus").GetString());
        Assert.NotNull(seen);
        Assert.Equal(seen!.Subject, seen.Issuer);
        Assert.True(errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors), $"policy errors: {errors}");
        Assert.False(errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch), "the certificate should name 127.0.0.1");
        Assert.Equal(1, emulator.Stats.Connections);
        seen.Dispose();
    }
}
