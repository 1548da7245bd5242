using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using TencentIm.Commands;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// <para type="synopsis">Starts a local emulator of the Tencent IM REST API on 127.0.0.1, for testing runbooks with Pester.</para>
/// <para type="description">Start-TencentImEmulator runs the emulator that ships in this module (an ASP.NET Core app in its server folder) with dotnet, on a free loopback port, and returns once it answers, with a handle: Endpoint, SdkAppId, Identifier, SecretKey (a fresh random key per start, as a SecureString), and the process's Id, StartTime and HasExited. The emulator gets none of this process's TENCENTIM_* environment variables (TENCENTIM_SECRETKEY among them). Pass the handle to Connect-TencentIm -Emulator, and to Get-TencentImEmulatorAccount, Get-TencentImEmulatorRequest, Set-TencentImEmulator, Reset-TencentImEmulator and Stop-TencentImEmulator. The emulator listens on 127.0.0.1 only and stops when this PowerShell process exits, even if Stop-TencentImEmulator is never called.</para>
/// <para type="description">Every behaviour a test needs is a parameter: the accounts it starts with (-Account, -AccountFile), the app (-SdkAppId, -Admin, -Trial, -AccountLimit), frequency limits (-RateLimit, -ServiceRateLimits), latency and faults that replay with a seed (-LatencyMs, -FaultRate, -FaultKind, -Seed), a pinned clock (-Now), who is logged in (-Online, -PushOnline) and accounts that fail (-FailingAccount, -FlakyAccount). Get-Help about_TencentIm_Emulator lists the emulator's options and hooks.</para>
/// <para type="description">It needs the .NET 10 ASP.NET Core Runtime (Microsoft.AspNetCore.App 10.x); without it, or without dotnet, it stops with the error AspNetCoreRuntimeMissing or DotnetNotFound, which says what to install (https://dotnet.microsoft.com/download/dotnet/10.0). It finds dotnet through TENCENTIM_EMULATOR_DOTNET, else DOTNET_HOST_PATH, DOTNET_ROOT, then PATH.</para>
/// </summary>
/// <example>
///   <code>$emu = Start-TencentImEmulator -Account alice, bob; Connect-TencentIm -Emulator $emu; 'alice', 'carol' | Test-TencentImAccount; Stop-TencentImEmulator $emu</code>
///   <para>Starts an emulator with two accounts, connects to it, checks two UserIDs (alice Imported, carol NotImported) and stops it.</para>
/// </example>
/// <example>
///   <code>$emu = Start-TencentImEmulator -AccountFile ./accounts.txt -FaultRate 0.1 -FaultKind 70500, http503 -Seed 42 -ServiceRateLimits; Stop-TencentImEmulator $emu</code>
///   <para>Seeds the accounts from a file (one UserID a line), answers one request in ten with a 70500 or an HTTP 503, the same ones on every run with the same requests (seed 42), and enforces the service's documented frequency limits (60007 beyond them).</para>
/// </example>
/// <example>
///   <code>$emu = Start-TencentImEmulator -Account alice, bob -Online 'alice=iPhone:PushOnline+Web' -Now '2026-01-01T00:00:00Z' -RateLimit @{ account_check = 5 }; Stop-TencentImEmulator $emu</code>
///   <para>alice is logged in on two platforms, the emulator's clock stands still at a fixed time (Set-TencentImEmulator moves it), and account_check admits 5 calls a second.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Start, "TencentImEmulator")]
[OutputType(typeof(TencentImEmulator))]
public sealed class StartTencentImEmulatorCommand : EmulatorCmdlet
{
    /// <summary><para type="description">UserIDs imported when the emulator starts. Default: none.</para></summary>
    [Parameter(Position = 0)]
    [ValidateNotNull]
    public string[]? Account { get; set; }

    /// <summary><para type="description">A file of UserIDs to import at start, one a line (blank lines are skipped), besides -Account. Default: none.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AccountFile { get; set; }

    /// <summary><para type="description">The app admin identifiers, the only ones allowed to call the REST API (others get 70403); the first is the handle's Identifier. Default: administrator.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Admin { get; set; } = { "administrator" };

    /// <summary><para type="description">The SDKAppID of the app the emulator hosts. Default: 1400000001.</para></summary>
    [Parameter]
    [ValidateRange(1, uint.MaxValue)]
    [SdkAppIdTransformation]
    public uint SdkAppId { get; set; } = 1400000001;

    /// <summary><para type="description">The app's secret key, for a test that signs UserSigs itself. Default: a fresh random key per start (the handle's SecretKey).</para></summary>
    [Parameter]
    [ValidateNotNull]
    public SecureString? SecretKey { get; set; }

    /// <summary><para type="description">A trial edition: a deleted UserID can be imported again at once. Default: off, as on other editions, where importing a UserID deleted less than 3 months ago (by the emulator's clock) answers 70399.</para></summary>
    [Parameter]
    public SwitchParameter Trial { get; set; }

    /// <summary><para type="description">The most accounts the app holds: importing a new account beyond it answers 70398. Default: no limit.</para></summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int AccountLimit { get; set; } = -1;

    /// <summary><para type="description">Calls per second admitted per API, as a hashtable such as @{ account_check = 5; multiaccount_import = 10 }; calls beyond it answer 60007. Default: no limit, or the service's with -ServiceRateLimits.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? RateLimit { get; set; }

    /// <summary><para type="description">Enforces the service's documented frequency limits (account_check 100 calls/s, account_import 200, …); -RateLimit overrides single APIs. Default: off.</para></summary>
    [Parameter]
    public SwitchParameter ServiceRateLimits { get; set; }

    /// <summary><para type="description">A call refused with 60007 counts against the quota, as an admitted one does (the service's docs do not say which). Default: off.</para></summary>
    [Parameter]
    public SwitchParameter RateLimitCountsRejected { get; set; }

    /// <summary><para type="description">A fixed delay before every answer, in milliseconds. Default: none.</para></summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int LatencyMs { get; set; }

    /// <summary><para type="description">A random extra delay of 0 to this many milliseconds per answer, which replays with -Seed. Default: none.</para></summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int LatencyJitterMs { get; set; }

    /// <summary><para type="description">The share of requests (0 to 1) that meet a fault from -FaultKind. Which requests fault depends on -Seed and the request bodies only, so the same run meets the same faults, even with requests in parallel. Default: none.</para></summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double FaultRate { get; set; }

    /// <summary><para type="description">The faults to choose from: 70169, 70202, 70500 (server errors), http502, http503 (gateway errors), truncated (half a JSON answer), drop (the connection breaks mid-answer), slow (no answer for -SlowResponseMs, then 70169), drop-after (the API runs, then its answer is lost). Default: all of them but slow, which must be asked for by name (a slow fault holds a request for -SlowResponseMs, 30 seconds by default). The emulator app run by hand (dotnet TencentIm.Emulator.dll) includes slow when --fault-kinds is not given.</para></summary>
    [Parameter]
    [ValidateSet("70169", "70202", "70500", "http502", "http503", "truncated", "drop", "slow", "drop-after")]
    public string[]? FaultKind { get; set; }

    /// <summary><para type="description">How long a 'slow' fault waits before it answers, in milliseconds. Default: 30000.</para></summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int SlowResponseMs { get; set; } = 30000;

    /// <summary><para type="description">The seed of the fault and jitter dice: the same seed and the same requests meet the same faults. Default: seed 0.</para></summary>
    [Parameter]
    public long Seed { get; set; }

    /// <summary><para type="description">Pins the emulator's clock at this time; it does not tick, and Set-TencentImEmulator -Now or -AdvanceBy moves it (to expire UserSigs, age deletions, slide rate-limit windows). Default: the clock follows this machine's.</para></summary>
    [Parameter]
    public DateTimeOffset? Now { get; set; }

    /// <summary><para type="description">The TCP port on 127.0.0.1. Default: a free port (read it from the handle's Endpoint).</para></summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary><para type="description">Accounts logged in (Online) at start: 'alice', or 'alice=iPhone:PushOnline+Web' with the platforms Get-TencentImOnlineStatus -Detail lists. Each must be an account. Default: nobody is logged in.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? Online { get; set; }

    /// <summary><para type="description">Accounts logged in with the app in the background (PushOnline) at start, in the form of -Online. Default: none.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? PushOnline { get; set; }

    /// <summary><para type="description">UserIDs whose account_check item always fails: 'carol' answers 70500, 'carol=70107' the code after '='. Default: none.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? FailingAccount { get; set; }

    /// <summary><para type="description">UserIDs whose first account_check item answers 70500 and every later one the real status. Default: none.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? FlakyAccount { get; set; }

    /// <summary><para type="description">account_delete answers 71000 (deleting accounts is not enabled for the app), as on editions other than trial. Default: off.</para></summary>
    [Parameter]
    public SwitchParameter DenyDelete { get; set; }

    /// <summary><para type="description">account_delete answers OK with ResultCode 71000 for each account instead: the other reading of the service's docs. Default: off.</para></summary>
    [Parameter]
    public SwitchParameter DenyDeletePerItem { get; set; }

    /// <summary><para type="description">SDKAppIDs that live in another data centre: requests naming them answer 60026. Default: none.</para></summary>
    [Parameter]
    [ValidateNotNull]
    [SdkAppIdTransformation]
    public uint[]? ForeignSdkAppId { get; set; }

    /// <summary><para type="description">Serves https with a self-signed certificate made at start, which no client trusts: to test how a runbook reports a certificate error. Default: off (http).</para></summary>
    [Parameter]
    public SwitchParameter HttpsSelfSigned { get; set; }

    /// <summary><para type="description">How many of the last requests Get-TencentImEmulatorRequest can list; 0 records none. Default: 10000.</para></summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int RequestLogSize { get; set; } = 10000;

    /// <summary><para type="description">How long to wait for the emulator to answer before giving up, in seconds. Default: 30.</para></summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int StartTimeoutSec { get; set; } = 30;

    /// <summary>Starts the emulator and writes its handle.</summary>
    protected override void EndProcessing()
    {
        Run(() =>
        {
            Validate();
            string dotnet = DotnetHost.Find(Environment.GetEnvironmentVariable, File.Exists);
            SecureString key = SecretKey?.Copy() ?? SecureText.NewRandomKey();
            if (!key.IsReadOnly())
            {
                key.MakeReadOnly();
            }

            string? accountsFile = WriteAccountsFile();
            try
            {
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Running {0} {1} on 127.0.0.1, port {2} (the secret key goes through the environment, not the command line).",
                    dotnet, EmulatorLauncher.ServerPath, Port == 0 ? "chosen by the system" : Port.ToString(CultureInfo.InvariantCulture)));
                TencentImEmulator emulator = EmulatorLauncher.Start(dotnet, EmulatorLauncher.ServerPath, Port, Arguments(accountsFile), key, SdkAppId, Admin,
                    TimeSpan.FromSeconds(StartTimeoutSec), CancelToken);
                WriteVerbose($"The emulator listens on {emulator.Endpoint}, port {emulator.Endpoint.Port} (process {emulator.Id}).");
                WriteObject(emulator);
            }
            finally
            {
                if (accountsFile != null)
                {
                    File.Delete(accountsFile);
                }
            }
        }, terminating: true);
    }

    /// <summary>Refuses what the emulator would misread: a UserID with a line break or empty, a failing account's code that is not a whole non-zero number.</summary>
    private void Validate()
    {
        foreach (var (parameter, values) in new[] { ("-Account", Account), ("-Online", Online), ("-PushOnline", PushOnline), ("-FailingAccount", FailingAccount), ("-FlakyAccount", FlakyAccount) })
        {
            foreach (string value in values ?? Array.Empty<string>())
            {
                UserIds.Check(parameter, value);
            }
        }

        // The emulator's clock counts whole seconds from 1970 in 32 bits.
        if (Now is DateTimeOffset now && (now < DateTimeOffset.FromUnixTimeSeconds(0) || now > DateTimeOffset.FromUnixTimeSeconds(int.MaxValue)))
        {
            throw new EmulatorException("InvalidNow", ErrorCategory.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, "-Now is {0:u}, outside the times the emulator's clock can show ({1:u} to {2:u}). Pass a time in that range.",
                    now.UtcDateTime, DateTimeOffset.FromUnixTimeSeconds(0).UtcDateTime, DateTimeOffset.FromUnixTimeSeconds(int.MaxValue).UtcDateTime), now);
        }

        foreach (string entry in FailingAccount ?? Array.Empty<string>())
        {
            int equals = entry.LastIndexOf('=');
            if (equals >= 0 && (!int.TryParse(entry.Substring(equals + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code) || code == 0))
            {
                throw new EmulatorException("InvalidFailingAccount", ErrorCategory.InvalidArgument,
                    $"The -FailingAccount entry '{entry}' has the code '{entry.Substring(equals + 1)}', which is not a whole number other than 0. Pass 'carol' (70500) or 'carol=70107'.", entry);
            }
        }
    }

    /// <summary>-Account and the lines of -AccountFile in one temporary file (a long list would not fit a command line); null when neither is given.</summary>
    private string? WriteAccountsFile()
    {
        if (Account is null && AccountFile is null)
        {
            return null;
        }

        var lines = new List<string>(Account ?? Array.Empty<string>());
        if (AccountFile != null)
        {
            string path = GetUnresolvedProviderPathFromPSPath(AccountFile);
            if (Directory.Exists(path))
            {
                throw new EmulatorException("AccountFileIsDirectory", ErrorCategory.InvalidArgument,
                    $"-AccountFile '{path}' is a directory. Pass a file of UserIDs, one a line.", AccountFile);
            }

            if (!File.Exists(path))
            {
                throw new EmulatorException("AccountFileNotFound", ErrorCategory.ObjectNotFound,
                    $"The account file '{path}' does not exist. Pass a file of UserIDs, one a line.", AccountFile);
            }

            lines.AddRange(File.ReadAllLines(path));
        }

        string file = Path.Combine(Path.GetTempPath(), "tencentim-emulator-accounts-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllLines(file, lines);
        return file;
    }

    /// <summary>The emulator's command-line options for the parameters given (the key goes through the environment).</summary>
    private IEnumerable<string> Arguments(string? accountsFile)
    {
        var args = new List<string> { "--sdkappid", SdkAppId.ToString(CultureInfo.InvariantCulture), "--admins", string.Join(",", Admin) };
        void AddList(string option, IEnumerable<string>? values)
        {
            if (values != null && values.Any())
            {
                args.Add(option);
                args.Add(string.Join(",", values));
            }
        }

        void AddNumber(string option, long value, bool when)
        {
            if (when)
            {
                args.Add(option);
                args.Add(value.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (accountsFile != null)
        {
            args.Add("--accounts-file");
            args.Add(accountsFile);
        }

        AddList("--online", Online);
        AddList("--push-online", PushOnline);
        AddList("--failing-accounts", FailingAccount);
        AddList("--flaky-accounts", FlakyAccount);
        AddList("--foreign-sdkappids", ForeignSdkAppId?.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        AddList("--fault-kinds", FaultKinds.Normalise(FaultKind) ?? FaultKinds.Default);
        foreach (var (option, on) in new[]
        {
            ("--trial", Trial.IsPresent), ("--deny-delete", DenyDelete.IsPresent), ("--deny-delete-per-item", DenyDeletePerItem.IsPresent),
            ("--https-self-signed", HttpsSelfSigned.IsPresent), ("--service-rate-limits", ServiceRateLimits.IsPresent),
            ("--rate-limit-counts-rejected", RateLimitCountsRejected.IsPresent),
        })
        {
            if (on)
            {
                args.Add(option);
            }
        }

        if (RateLimit != null && RateLimit.Count > 0)
        {
            args.Add("--rate-limit");
            args.Add(RateLimits.Format(RateLimit));
        }

        AddNumber("--account-limit", AccountLimit, AccountLimit >= 0);
        AddNumber("--latency-ms", LatencyMs, LatencyMs > 0);
        AddNumber("--latency-jitter-ms", LatencyJitterMs, LatencyJitterMs > 0);
        AddNumber("--slow-response-ms", SlowResponseMs, true);
        AddNumber("--seed", Seed, Seed != 0);
        AddNumber("--request-log-size", RequestLogSize, true);
        if (FaultRate > 0)
        {
            args.Add("--fault-rate");
            args.Add(FaultRate.ToString("R", CultureInfo.InvariantCulture));
        }

        if (Now is DateTimeOffset now)
        {
            AddNumber("--now", now.ToUnixTimeSeconds(), true);
        }

        return args;
    }
}

/// <summary>-FaultKind as the emulator spells it.</summary>
internal static class FaultKinds
{
    /// <summary>Every kind but slow: what Start-TencentImEmulator chooses from when -FaultKind is not given.</summary>
    public static readonly string[] Default = { "70169", "70202", "70500", "http502", "http503", "truncated", "drop", "drop-after" };

    /// <summary>The kinds in lower case (ValidateSet takes HTTP502, the emulator only http502); null stays null.</summary>
    public static string[]? Normalise(string[]? kinds) => kinds?.Select(kind => kind.ToLowerInvariant()).ToArray();
}

/// <summary>UserIDs given to the cmdlets, checked before the emulator sees them.</summary>
internal static class UserIds
{
    /// <summary>Refuses an empty UserID or one with a line break (the emulator reads its accounts one a line).</summary>
    /// <exception cref="EmulatorException">UserIdEmpty or UserIdHasLineBreak.</exception>
    public static void Check(string parameter, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new EmulatorException("UserIdEmpty", ErrorCategory.InvalidArgument,
                $"{parameter} has an empty UserID. Remove it, or pass a UserID.", value);
        }

        if (value.IndexOfAny(new[] { '\r', '\n' }) >= 0)
        {
            throw new EmulatorException("UserIdHasLineBreak", ErrorCategory.InvalidArgument,
                $"{parameter} has the UserID '{value.Replace("\r", "\\r").Replace("\n", "\\n")}', which has a line break. Pass each UserID as its own entry.", value);
        }
    }
}

/// <summary>-RateLimit's hashtable as the emulator's "api=N,api=N".</summary>
internal static class RateLimits
{
    /// <exception cref="EmulatorException">A value that is not a whole number of at least 1.</exception>
    public static string Format(IDictionary limits)
    {
        var pairs = new List<string>();
        foreach (DictionaryEntry entry in limits)
        {
            pairs.Add(entry.Key + "=" + CallsPerSecond(entry).ToString(CultureInfo.InvariantCulture));
        }

        return string.Join(",", pairs);
    }

    /// <summary>The calls per second of one entry.</summary>
    public static int CallsPerSecond(DictionaryEntry entry)
    {
        try
        {
            int n = LanguagePrimitives.ConvertTo<int>(entry.Value);
            if (n >= 1)
            {
                return n;
            }
        }
        catch (PSInvalidCastException)
        {
        }

        throw new EmulatorException("InvalidRateLimit", ErrorCategory.InvalidArgument,
            $"The rate limit of {entry.Key} is '{entry.Value}', which is not a whole number of calls per second of at least 1. Pass a hashtable such as @{{ account_check = 5 }}.", entry.Value);
    }
}
