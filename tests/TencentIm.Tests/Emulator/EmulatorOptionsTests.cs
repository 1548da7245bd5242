using System;
using System.Linq;
using System.Text.RegularExpressions;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>The command line: every option as a --kebab-case flag, and --help listing them.</summary>
public class EmulatorOptionsTests
{
    [Fact]
    public void Parse_ReadsEveryFlag()
    {
        EmulatorOptions o = EmulatorOptions.Parse(new[]
        {
            "--port", "5000", "--sdkappid", "1400000123", "--secret-key", "k3y", "--admins", "administrator,ops",
            "--accounts", "a,b", "--accounts-file", "samples/accounts.txt", "--foreign-sdkappids", "20000001,20000002",
            "--failing-accounts", "flaky", "--deny-delete", "--deny-delete-per-item", "--now", "1764115200", "--rate-limit", "account_check=50,account_delete=7",
            "--rate-limit-counts-rejected", "--latency-ms", "20", "--latency-jitter-ms", "5", "--fault-rate", "0.2", "--fault-kinds", "70169,http502,drop,drop-after",
            "--slow-response-ms", "1000", "--seed", "42", "--exit-on-stdin-close",
        });

        Assert.Equal(5000, o.Port);
        Assert.Equal(1400000123u, o.SdkAppId);
        Assert.Equal("k3y", o.SecretKey);
        Assert.Equal(new[] { "administrator", "ops" }, o.Admins);
        Assert.Equal(new[] { "a", "b" }, o.Accounts);
        Assert.Equal("samples/accounts.txt", o.AccountsFile);
        Assert.Equal(new[] { 20000001u, 20000002u }, o.ForeignSdkAppIds);
        Assert.Equal(new[] { "flaky" }, o.FailingAccounts);
        Assert.True(o.DenyDelete);
        Assert.True(o.DenyDeletePerItem);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764115200), o.TimeProvider.GetUtcNow());
        Assert.Equal(2, o.RateLimits.Count);
        Assert.Equal(50, o.RateLimits["account_check"]);
        Assert.Equal(7, o.RateLimits["account_delete"]);
        Assert.True(o.RateLimitCountsRejected);
        Assert.Equal(20, o.LatencyMs);
        Assert.Equal(5, o.LatencyJitterMs);
        Assert.Equal(0.2, o.FaultRate);
        Assert.Equal(new[] { FaultKind.ServerTimeout70169, FaultKind.Http502, FaultKind.Drop, FaultKind.DropAfter }, o.FaultKinds);
        Assert.Equal(1000, o.SlowResponseMs);
        Assert.Equal(42, o.Seed);
        Assert.True(o.ExitOnStdinClose);
    }

    [Fact]
    public void Parse_WithNoArguments_GivesTheDefaults()
    {
        EmulatorOptions o = EmulatorOptions.Parse(Array.Empty<string>());

        Assert.Equal(0, o.Port);
        Assert.Equal(1400000001u, o.SdkAppId);
        Assert.Equal("emulator-secret-key-0123456789abcdef", o.SecretKey);
        Assert.Equal(new[] { "administrator" }, o.Admins);
        Assert.Same(TimeProvider.System, o.TimeProvider);
        Assert.Empty(o.RateLimits);
        Assert.False(o.RateLimitCountsRejected);
        Assert.Equal(0, o.FaultRate);
        Assert.Equal(FaultKindNames.All, o.FaultKinds);
        Assert.Equal(30000, o.SlowResponseMs);
        Assert.False(o.DenyDelete);
        Assert.False(o.DenyDeletePerItem);
    }

    [Fact]
    public void Parse_AcceptsNameEqualsValue()
    {
        EmulatorOptions o = EmulatorOptions.Parse(new[] { "--port=8080", "--fault-rate=0.5" });

        Assert.Equal(8080, o.Port);
        Assert.Equal(0.5, o.FaultRate);
    }

    [Fact]
    public void Parse_RateLimitWithoutApiNames_LimitsEveryApi()
    {
        EmulatorOptions o = EmulatorOptions.Parse(new[] { "--rate-limit", "100" });

        Assert.Equal(new[] { "account_check", "account_delete", "account_import", "kick", "multiaccount_import", "portrait_get", "portrait_set", "query_online_status", "sendmsg" },
            o.RateLimits.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(o.RateLimits.Values, v => Assert.Equal(100, v));
    }

    [Fact]
    public void Parse_ServiceRateLimits_AppliesTheFactSheetTable()
    {
        EmulatorOptions o = EmulatorOptions.Parse(new[] { "--service-rate-limits" });

        Assert.Equal(100, o.RateLimits["account_check"]);
        Assert.Equal(200, o.RateLimits["account_import"]);
        Assert.Equal(100, o.RateLimits["multiaccount_import"]);
        Assert.Equal(100, o.RateLimits["account_delete"]);
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("--port", "http")]
    [InlineData("--port")]
    [InlineData("--fault-rate", "1.5")]
    [InlineData("--fault-kinds", "70169,teapot")]
    [InlineData("--rate-limit", "account_chek=5")]
    [InlineData("--rate-limit", "0")]
    [InlineData("--sdkappid", "-1")]
    public void Parse_RejectsABadCommandLine(params string[] args)
    {
        Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse(args));
    }

    [Fact]
    public void Usage_ListsEveryFlagThatParseAccepts()
    {
        string[] flags = Regex.Matches(EmulatorOptions.Usage, @"--[a-z-]+").Select(m => m.Value).Distinct().ToArray();

        Assert.Subset(flags.ToHashSet(), new[]
        {
            "--port", "--sdkappid", "--secret-key", "--admins", "--accounts", "--accounts-file", "--foreign-sdkappids",
            "--failing-accounts", "--deny-delete", "--deny-delete-per-item", "--online", "--push-online", "--now", "--rate-limit", "--service-rate-limits", "--rate-limit-counts-rejected", "--latency-ms",
            "--latency-jitter-ms", "--fault-rate", "--fault-kinds", "--slow-response-ms", "--seed", "--exit-on-stdin-close", "--help",
        }.ToHashSet());
        foreach (string flag in flags.Where(f => f != "--help"))
        {
            // "1" may be a bad value for some flags (or a stray argument after a switch); the flag itself must be known.
            Exception? e = Record.Exception(() => EmulatorOptions.Parse(new[] { flag, "1" }));
            Assert.DoesNotContain($"Unknown option '{flag}'", e?.Message ?? "");
        }
    }
}
