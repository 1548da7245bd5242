using System.Collections.Generic;
using System.Management.Automation;
using System.Text.Json;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// <para type="synopsis">Lists the accounts an emulator holds now, with their profile fields.</para>
/// <para type="description">Get-TencentImEmulatorAccount asks the emulator (its test hook GET /emulator/accounts, on loopback, with no UserSig) for every account it holds now, sorted by UserID, each with the Nick and FaceUrl an import gave it (null when never given). A test asserts with it on what a runbook changed: accounts imported, deleted, profiles set. -UserId lists only the accounts named (those that exist).</para>
/// </summary>
/// <example>
///   <code>$emu = Start-TencentImEmulator -Account alice, bob; Get-TencentImEmulatorAccount -Emulator $emu; Stop-TencentImEmulator $emu</code>
///   <para>Lists alice and bob.</para>
/// </example>
/// <example>
///   <code>$emu = Start-TencentImEmulator -Account alice; Connect-TencentIm -Emulator $emu; [pscustomobject]@{ UserID = 'dan'; Nick = 'Dan' } | Import-TencentImAccount; ($emu | Get-TencentImEmulatorAccount -UserId dan).Nick; Stop-TencentImEmulator $emu</code>
///   <para>Imports an account and reads back the Nick the emulator stored: Dan.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "TencentImEmulatorAccount")]
[OutputType(typeof(EmulatorAccount))]
public sealed class GetTencentImEmulatorAccountCommand : EmulatorHandleCmdlet
{
    private static readonly HashSet<string> KnownFields = new HashSet<string> { "UserID", "Nick", "FaceUrl" };

    /// <summary><para type="description">Only these UserIDs (case-sensitive, as the service compares them). Default: every account.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? UserId { get; set; }

    /// <summary>Writes the accounts.</summary>
    protected override void ProcessRecord()
    {
        Run(() =>
        {
            var wanted = UserId is null ? null : new HashSet<string>(UserId, System.StringComparer.Ordinal);
            foreach (JsonElement item in Parse(Emulator!.Get("emulator/accounts?detail=1", CancelToken)).EnumerateArray())
            {
                string userId = item.GetProperty("UserID").GetString() ?? "";
                if (wanted != null && !wanted.Contains(userId))
                {
                    continue;
                }

                var account = PSObject.AsPSObject(new EmulatorAccount(userId, Text(item, "Nick"), Text(item, "FaceUrl")));
                foreach (JsonProperty field in item.EnumerateObject())
                {
                    if (!KnownFields.Contains(field.Name))
                    {
                        account.Properties.Add(new PSNoteProperty(field.Name, JsonValues.ToPowerShell(field.Value)));
                    }
                }

                WriteObject(account);
            }
        });
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
