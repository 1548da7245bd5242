using System.Management.Automation;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// <para type="synopsis">Puts an emulator back in the state it started in, between tests.</para>
/// <para type="description">Reset-TencentImEmulator (the test hook POST /emulator/reset) puts back everything Start-TencentImEmulator seeded and forgets everything since: the accounts (imports, profiles and deletions undone), who is logged in (and kicks), the clock, the rate limits and their windows, the fault rate, kinds, latency and dice (so a seeded run replays from the start), flaky accounts, the counters and the request log. It is much faster than a new emulator, so a BeforeEach block can call it. The SecretKey and the Endpoint stay.</para>
/// </summary>
/// <example>
///   <code>$emu = Start-TencentImEmulator -Account alice; Connect-TencentIm -Emulator $emu; 'bob' | Import-TencentImAccount | Out-Null; Reset-TencentImEmulator $emu; (Get-TencentImEmulatorAccount $emu).UserID; Stop-TencentImEmulator $emu</code>
///   <para>Imports bob, resets, and lists alice only.</para>
/// </example>
/// <example>
///   <code>$emu = Start-TencentImEmulator -FaultRate 0.2 -Seed 3; Set-TencentImEmulator $emu -FaultRate 0; $emu | Reset-TencentImEmulator; Stop-TencentImEmulator $emu</code>
///   <para>Turns faults off for a while; the reset brings back the fault rate of 0.2 and the dice of seed 3 from their start. In Pester, BeforeEach { Reset-TencentImEmulator $emu } gives each test the same seeded emulator.</para>
/// </example>
[Cmdlet(VerbsCommon.Reset, "TencentImEmulator", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class ResetTencentImEmulatorCommand : EmulatorHandleCmdlet
{
    /// <summary>Resets each emulator given.</summary>
    protected override void ProcessRecord()
    {
        if (ShouldProcess(Emulator!.ToString(), "Reset to the seeded state"))
        {
            Run(() => Emulator.Post("emulator/reset", CancelToken));
        }
    }
}
