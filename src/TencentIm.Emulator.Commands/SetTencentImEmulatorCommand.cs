using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// <para type="synopsis">Changes a running emulator mid-test: its clock, who is logged in, faults, latency and rate limits.</para>
/// <para type="description">Set-TencentImEmulator steers an emulator through its test hooks (on loopback, with no UserSig), from the next request on: -Now or -AdvanceBy move its clock forward (UserSigs expire, deletions age, rate-limit windows slide; the clock never goes back: Reset-TencentImEmulator does that); -Online, -PushOnline and -Offline log accounts in and out; -FaultRate, -FaultKind and -LatencyMs change the faults and the delay (the seed's dice stay); -RateLimit sets an API's calls per second, as when another job starts sharing the app's quota. Several can be given at once. Reset-TencentImEmulator undoes them all.</para>
/// <para type="description">All or nothing: it first checks every change (a clock moved back, an account the emulator does not have, a rate limit that is not a whole number of at least 1) and changes nothing when one is wrong. It then makes the changes that only the emulator can refuse (a platform name in -Online, an API name in -RateLimit) before the faults, the latency and the clock, so a refusal there leaves those as they were (the online statuses or limits set before it stay). Every refusal is a terminating error (ClockBackwards, AccountNotInEmulator, InvalidRateLimit, UserIdEmpty, UserIdHasLineBreak, EmulatorHookRefused), which try/catch and Should -Throw see.</para>
/// </summary>
/// <example>
///   <code>$emu = Start-TencentImEmulator -Account alice; Set-TencentImEmulator $emu -AdvanceBy (New-TimeSpan -Days 2); Stop-TencentImEmulator $emu</code>
///   <para>Moves the emulator's clock two days on: a UserSig signed for one day has now expired there (70001).</para>
/// </example>
/// <example>
///   <code>$emu = Start-TencentImEmulator -Account alice, bob; $emu | Set-TencentImEmulator -Online 'alice=iPhone:PushOnline+Web' -FaultRate 0.3 -FaultKind http503 -RateLimit @{ account_check = 2 } -PassThru | Stop-TencentImEmulator</code>
///   <para>Logs alice in on two platforms, makes three requests in ten fail with HTTP 503, and limits account_check to 2 calls a second.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "TencentImEmulator", SupportsShouldProcess = true)]
[OutputType(typeof(TencentImEmulator))]
public sealed class SetTencentImEmulatorCommand : EmulatorHandleCmdlet
{
    /// <summary><para type="description">Moves the emulator's clock forward to this time (an error if it is already later). Default: the clock is not moved.</para></summary>
    [Parameter]
    public DateTimeOffset? Now { get; set; }

    /// <summary><para type="description">Moves the emulator's clock forward by this much. Default: the clock is not moved.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public TimeSpan? AdvanceBy { get; set; }

    /// <summary><para type="description">Logs these accounts in (Online): 'alice', or 'alice=iPhone:PushOnline+Web' with their platforms. Default: none changed.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? Online { get; set; }

    /// <summary><para type="description">Puts these accounts in the background (PushOnline), in the form of -Online. Default: none changed.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? PushOnline { get; set; }

    /// <summary><para type="description">Logs these accounts out (Offline). Default: none changed.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? Offline { get; set; }

    /// <summary><para type="description">The share of requests (0 to 1) that meet a fault from now on; 0 turns faults off. Default: unchanged.</para></summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double? FaultRate { get; set; }

    /// <summary><para type="description">The faults to choose from from now on (70169, 70202, 70500, http502, http503, truncated, drop, slow, drop-after). Default: unchanged.</para></summary>
    [Parameter]
    [ValidateSet("70169", "70202", "70500", "http502", "http503", "truncated", "drop", "slow", "drop-after")]
    public string[]? FaultKind { get; set; }

    /// <summary><para type="description">The fixed delay before every answer from now on, in milliseconds. Default: unchanged.</para></summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? LatencyMs { get; set; }

    /// <summary><para type="description">Calls per second per API from now on, as a hashtable such as @{ account_check = 5 }; the calls of the last second count against the new limit. Default: unchanged.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? RateLimit { get; set; }

    /// <summary><para type="description">Also writes the emulator's handle. Default: off.</para></summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Checks every change given, then applies them: the ones the emulator alone can refuse first, the clock last.</summary>
    protected override void ProcessRecord()
    {
        TencentImEmulator emulator = Emulator!;
        if (!ShouldProcess(emulator.ToString(), "Change the emulator's settings"))
        {
            return;
        }

        Run(() =>
        {
            // Everything that can be checked here is checked before anything changes.
            double? advanceSeconds = ClockChange(emulator);
            var statuses = new List<(string UserId, string Status, string Platforms)>();
            AddStatuses(statuses, Online, "-Online", "Online");
            AddStatuses(statuses, PushOnline, "-PushOnline", "PushOnline");
            AddStatuses(statuses, Offline, "-Offline", "Offline");
            if (statuses.Count > 0)
            {
                var accounts = new HashSet<string>(StringComparer.Ordinal);
                foreach (JsonElement account in Parse(emulator.Get("emulator/accounts", CancelToken)).EnumerateArray())
                {
                    accounts.Add(account.GetString() ?? "");
                }

                foreach (var (userId, _, _) in statuses)
                {
                    if (!accounts.Contains(userId))
                    {
                        throw new EmulatorException("AccountNotInEmulator", ErrorCategory.ObjectNotFound,
                            $"'{userId}' is not one of the emulator's accounts, so nothing was changed. Import it first (Import-TencentImAccount, or -Account of Start-TencentImEmulator).", userId);
                    }
                }
            }

            var limits = new List<string>();
            foreach (DictionaryEntry entry in RateLimit ?? new Hashtable())
            {
                limits.Add("emulator/rate-limit?api=" + Uri.EscapeDataString(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "")
                    + "&callsPerSecond=" + RateLimits.CallsPerSecond(entry).ToString(CultureInfo.InvariantCulture));
            }

            // Then the changes: those only the emulator can refuse (a platform's or an API's name) first.
            foreach (var (userId, status, platforms) in statuses)
            {
                Post(emulator, "emulator/online-status?userId=" + Uri.EscapeDataString(userId) + "&status=" + status
                    + (platforms.Length > 0 ? "&platforms=" + Uri.EscapeDataString(platforms) : ""));
            }

            foreach (string limit in limits)
            {
                Post(emulator, limit);
            }

            if (FaultRate.HasValue || FaultKind != null || LatencyMs.HasValue)
            {
                string query = "";
                if (FaultRate is double rate)
                {
                    query += "&rate=" + rate.ToString("R", CultureInfo.InvariantCulture);
                }

                if (FaultKinds.Normalise(FaultKind) is string[] kinds)
                {
                    query += "&kinds=" + Uri.EscapeDataString(string.Join(",", kinds));
                }

                if (LatencyMs is int latency)
                {
                    query += "&latencyMs=" + latency.ToString(CultureInfo.InvariantCulture);
                }

                Post(emulator, "emulator/faults?" + query.Substring(1));
            }

            if (advanceSeconds is double seconds && seconds > 0)
            {
                Post(emulator, "emulator/clock?advanceSeconds=" + seconds.ToString("R", CultureInfo.InvariantCulture));
            }

            if (PassThru)
            {
                WriteObject(emulator);
            }
        }, terminating: true);
    }

    /// <summary>How far -Now and -AdvanceBy move the clock, in seconds (null: not at all); refuses a move back.</summary>
    private double? ClockChange(TencentImEmulator emulator)
    {
        if (Now is null && AdvanceBy is null)
        {
            return null;
        }

        double seconds = 0;
        if (Now is DateTimeOffset now)
        {
            // Moving by 0 changes nothing and answers the emulator's time.
            DateTimeOffset current = DateTimeOffset.FromUnixTimeSeconds(Parse(emulator.Post("emulator/clock?advanceSeconds=0", CancelToken)).GetProperty("Now").GetInt64());
            if (now < current)
            {
                throw new EmulatorException("ClockBackwards", ErrorCategory.InvalidArgument,
                    string.Format(CultureInfo.InvariantCulture,
                        "-Now is {0:u}, but the emulator's clock is already at {1:u} and only moves forward, so nothing was changed. Pass a later -Now, or Reset-TencentImEmulator to go back to the start.",
                        now.UtcDateTime, current.UtcDateTime), now);
            }

            seconds = Math.Floor((now - current).TotalSeconds);
        }

        if (AdvanceBy is TimeSpan by)
        {
            if (by < TimeSpan.Zero)
            {
                throw new EmulatorException("ClockBackwards", ErrorCategory.InvalidArgument,
                    $"-AdvanceBy is {by}, which would move the emulator's clock back; it only moves forward, so nothing was changed. Use Reset-TencentImEmulator to go back to the start.", by);
            }

            seconds += by.TotalSeconds;
        }

        return seconds;
    }

    /// <summary>"alice=iPhone:PushOnline+Web", as -Online of Start-TencentImEmulator takes it; the hook takes the platforms comma-separated.</summary>
    private static void AddStatuses(List<(string UserId, string Status, string Platforms)> statuses, string[]? entries, string parameter, string status)
    {
        foreach (string entry in entries ?? Array.Empty<string>())
        {
            UserIds.Check(parameter, entry);
            int equals = entry.LastIndexOf('=');
            string userId = equals > 0 ? entry.Substring(0, equals) : entry;
            string platforms = equals > 0 ? entry.Substring(equals + 1).Replace('+', ',') : "";
            statuses.Add((userId, status, platforms));
        }
    }

    private void Post(TencentImEmulator emulator, string relative)
    {
        using JsonDocument ignored = JsonDocument.Parse(emulator.Post(relative, CancelToken));
    }
}
