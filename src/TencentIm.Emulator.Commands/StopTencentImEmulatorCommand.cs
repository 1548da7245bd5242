using System.Management.Automation;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// <para type="synopsis">Stops emulators started by Start-TencentImEmulator.</para>
/// <para type="description">Stop-TencentImEmulator closes the emulator's standard input, on which it exits at once, and waits for its process to end (it kills it after 10 seconds). Stopping an emulator that has already stopped does nothing, so AfterAll blocks can always call it. It takes the handles from the pipeline. An emulator that is never stopped ends with the PowerShell process that started it.</para>
/// </summary>
/// <example>
///   <code>$emu = Start-TencentImEmulator -Account alice; Stop-TencentImEmulator $emu</code>
///   <para>Starts an emulator and stops it.</para>
/// </example>
/// <example>
///   <code>$emulators = 1..2 | ForEach-Object { Start-TencentImEmulator }; $emulators | Stop-TencentImEmulator</code>
///   <para>Stops several emulators from the pipeline.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Stop, "TencentImEmulator", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class StopTencentImEmulatorCommand : EmulatorCmdlet
{
    /// <summary>
    /// <para type="description">The emulators, as Start-TencentImEmulator returned them: one, several (Stop-TencentImEmulator $a, $b), or from the pipeline.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public TencentImEmulator[]? Emulator { get; set; }

    /// <summary>Stops each emulator given.</summary>
    protected override void ProcessRecord()
    {
        foreach (TencentImEmulator emulator in Emulator!)
        {
            if (emulator != null && ShouldProcess(emulator.ToString(), "Stop"))
            {
                emulator.Stop();
            }
        }
    }
}
