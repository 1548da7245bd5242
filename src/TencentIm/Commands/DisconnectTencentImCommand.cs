using System.Management.Automation;
using TencentIm.Connections;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Closes a Tencent IM connection and wipes its secret key from memory.</para>
/// <para type="description">Disconnect-TencentIm closes the session's current connection, or the one given with -Connection: its HTTP connections are closed and its secret key is wiped (a connection made with -UserSig drops its UserSig), so later calls with it fail with ConnectionClosed. Closing the session's current connection also forgets it, so that cmdlets without -Connection ask for Connect-TencentIm again. Without a connection it does nothing.</para>
/// </summary>
/// <example>
///   <code>Disconnect-TencentIm</code>
///   <para>Closes the current connection at the end of a runbook.</para>
/// </example>
/// <example>
///   <code>$sgp = Connect-TencentIm -SdkAppId 1400000001 -SecretKey (Read-Host -AsSecureString 'Secret key') -Region Singapore -PassThru; Disconnect-TencentIm -Connection $sgp</code>
///   <para>Closes a connection kept in a variable.</para>
/// </example>
[Cmdlet(VerbsCommunications.Disconnect, "TencentIm")]
[OutputType(typeof(void))]
public sealed class DisconnectTencentImCommand : TencentImCmdlet
{
    /// <summary>
    /// <para type="description">The connection to close instead of the session's current one. Default: the current one.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    [ConnectionTransformation]
    public TencentImConnection? Connection { get; set; }

    /// <summary>Closes the connection; forgets it if it is the session's.</summary>
    protected override void ProcessRecord()
    {
        TencentImConnection? current = SessionConnections.Get();
        TencentImConnection? target = Connection ?? current;
        if (target == null)
        {
            WriteVerbose("There is no connection to close.");
            return;
        }

        if (ReferenceEquals(target, current))
        {
            SessionConnections.Set(null);
        }

        target.Dispose();
        WriteVerbose($"Closed {target}.");
    }
}
