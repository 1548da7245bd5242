using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// <para type="synopsis">Lists the requests an emulator received: when, which API, the body as an object, and the answer's code.</para>
/// <para type="description">Get-TencentImEmulatorRequest asks the emulator (its test hook GET /emulator/requests, on loopback, with no UserSig) for the requests it received since it started or was reset, oldest first: Sequence, Time (by the emulator's clock), Api (account_check, multiaccount_import, …), Path, Query (the value of every usersig-like parameter replaced by &lt;redacted&gt;, as it is wherever the same value appears in the path or the body), Body (an object, as ConvertFrom-Json gives it), HttpStatus, ErrorCode (what the client was answered; null for a gateway error or a cut-off answer) and Fault (the fault injected, if any). It keeps the last 10000 requests unless Start-TencentImEmulator -RequestLogSize says otherwise. A test asserts with it on what a runbook sent, not only on what it printed.</para>
/// </summary>
/// <example>
///   <code>$emu = Start-TencentImEmulator; Connect-TencentIm -Emulator $emu; 'alice', 'bob' | Test-TencentImAccount | Out-Null; (Get-TencentImEmulatorRequest -Emulator $emu -Api account_check)[-1].Body.CheckItem.UserID; Stop-TencentImEmulator $emu</code>
///   <para>Shows the UserIDs of the last account_check request: Connect-TencentIm's own check of the admin came first, then alice and bob in one request.</para>
/// </example>
/// <example>
///   <code>$emu = Start-TencentImEmulator -FaultRate 0.2 -FaultKind 70500 -Seed 7; Connect-TencentIm -Emulator $emu -SkipConnectionTest; 1..300 | ForEach-Object { "user$_" } | Test-TencentImAccount -BatchSize 10 | Out-Null; $emu | Get-TencentImEmulatorRequest | Group-Object ErrorCode -NoElement; Stop-TencentImEmulator $emu</code>
///   <para>Counts the answers by code: 30 requests of 10 UserIDs each answered 0, and the 70500s injected in about one request in five, each retried (with seed 7: four).</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "TencentImEmulatorRequest")]
[OutputType(typeof(EmulatorRequest))]
public sealed class GetTencentImEmulatorRequestCommand : EmulatorHandleCmdlet
{
    /// <summary><para type="description">Only the requests of this API: its name (multiaccount_import) or its path after /v4/ (im_open_login_svc/multiaccount_import). Default: every request.</para></summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Api { get; set; }

    /// <summary><para type="description">Only the last this many requests (of -Api's, when given), chosen by the emulator: fast on a full log. Default: every request.</para></summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    /// <summary>Writes the requests.</summary>
    protected override void ProcessRecord()
    {
        Run(() =>
        {
            string query = (Api is null ? "" : "&api=" + Uri.EscapeDataString(Api)) + (Last is int last ? "&last=" + last.ToString(CultureInfo.InvariantCulture) : "");
            string path = "emulator/requests" + (query.Length > 0 ? "?" + query.Substring(1) : "");
            using JsonDocument document = JsonDocument.Parse(Emulator!.Get(path, CancelToken));
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                JsonElement errorCode = item.GetProperty("ErrorCode");
                JsonElement fault = item.GetProperty("Fault");
                WriteObject(new EmulatorRequest(
                    item.GetProperty("Sequence").GetInt64(),
                    item.GetProperty("Time").GetDateTimeOffset(),
                    item.GetProperty("Method").GetString() ?? "",
                    item.GetProperty("Api").GetString() ?? "",
                    item.GetProperty("Path").GetString() ?? "",
                    item.GetProperty("Query").GetString() ?? "",
                    item.GetProperty("Body").Clone(),
                    item.GetProperty("HttpStatus").GetInt32(),
                    errorCode.ValueKind == JsonValueKind.Number ? errorCode.GetInt32() : (int?)null,
                    fault.ValueKind == JsonValueKind.String ? fault.GetString() : null));
            }
        });
    }
}
