using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using TencentIm.Emulator;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>The emulator as scripts and the benchmark run it: a process that prints one line and serves.</summary>
public class EmulatorProcessTests
{
    // Bounds on waiting for a process that misbehaves; a healthy one answers in well under a second.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TencentIm.Emulator.dll"));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static async Task<Uri> ReadBaseUriAsync(Process process)
    {
        string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(Patience);
        Match match = Regex.Match(line ?? "", @"^TencentIm\.Emulator listening on (http://127\.0\.0\.1:\d+/)$");
        Assert.True(match.Success, $"first line: '{line}'");
        return new Uri(match.Groups[1].Value);
    }

    [Fact]
    public async Task Process_PrintsOneListeningLine_Serves_AndExitsWhenStdinCloses()
    {
        const string Key = "process-test-key-do-not-print-me";
        using Process process = Start("--port", "0", "--accounts", "alice,bob", "--secret-key", Key, "--exit-on-stdin-close");
        try
        {
            Uri baseUri = await ReadBaseUriAsync(process);
            using var http = new HttpClient { BaseAddress = baseUri };
            using var key = SecretKey.FromString(Key);
            string userSig = UserSigSigner.Sign(key, 1400000001, "administrator", DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

            string accounts = await http.GetStringAsync("emulator/accounts");
            using HttpResponseMessage check = await http.PostAsync(
                $"v4/im_open_login_svc/account_check?sdkappid=1400000001&identifier=administrator&usersig={userSig}&random=1&contenttype=json",
                new StringContent("""{"CheckItem":[{"UserID":"alice"},{"UserID":"carol"}]}"""));
            JsonElement answer = JsonDocument.Parse(await check.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal("""["alice","bob"]""", accounts);
            Assert.Equal("Imported", answer.GetProperty("ResultItem")[0].GetProperty("AccountStatus").GetString());
            Assert.Equal("NotImported", answer.GetProperty("ResultItem")[1].GetProperty("AccountStatus").GetString());

            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(Patience);

            Assert.Equal(0, process.ExitCode);
            string restOfStdout = await process.StandardOutput.ReadToEndAsync();
            string stderr = await process.StandardError.ReadToEndAsync();
            Assert.Equal("", restOfStdout);
            Assert.DoesNotContain(Key, stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Process_WithNow_AcceptsTheOfficialSignersExpiredUserSig()
    {
        // Vector 1 of tests/TestData: administrator in 1400000001, issued at 1764115200 for a day.
        const string Key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
        const string UserSig = "eJw1yl0LgjAYBeD-8t4WuulaMegiyoJI6MPAuhts1mtpsq0lRP890Dp35znnDdnmEHhtQEAUEBh2HZWuHRbYsVQV1midke5hfgerbrJpUIGgjPSh-eKw0iDomDNKRxEhveq2QaNBTDj7k8ULCBjknlxXybxe6FeZJWtehFt2fN7j-By3ezpb7mx4KkmZ*nQKny*oRjOF";
        using Process process = Start("--port", "0", "--secret-key", Key, "--now", "1764115200", "--exit-on-stdin-close");
        try
        {
            Uri baseUri = await ReadBaseUriAsync(process);
            using var http = new HttpClient { BaseAddress = baseUri };

            using HttpResponseMessage check = await http.PostAsync(
                $"v4/im_open_login_svc/account_check?sdkappid=1400000001&identifier=administrator&usersig={UserSig}&random=7&contenttype=json",
                new StringContent("""{"CheckItem":[{"UserID":"alice"}]}"""));
            JsonElement answer = JsonDocument.Parse(await check.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal(0, answer.GetProperty("ErrorCode").GetInt32());
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(Patience);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Process_Help_ListsTheOptionsAndExits()
    {
        using Process process = Start("--help");

        string stdout = await process.StandardOutput.ReadToEndAsync().WaitAsync(Patience);
        await process.WaitForExitAsync().WaitAsync(Patience);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(EmulatorOptions.Usage.TrimEnd(), stdout.TrimEnd());
    }

    [Fact]
    public async Task Process_BadOption_ExitsWith2AndSaysWhy()
    {
        using Process process = Start("--port", "many");

        string stderr = await process.StandardError.ReadToEndAsync().WaitAsync(Patience);
        await process.WaitForExitAsync().WaitAsync(Patience);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--port", stderr);
    }
}
