using System.Management.Automation;
using TencentIm.Connections;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Shows the session's current Tencent IM connection.</para>
/// <para type="description">Get-TencentImConnection returns the connection that Connect-TencentIm made current in this PowerShell session (runspace): its SDKAppID, admin identifier, endpoint and how it authenticates (Format-List also shows the region and when its UserSig expires). It never shows the secret key or a whole UserSig. It writes nothing when there is no connection, so that a script can test for one with if (Get-TencentImConnection).</para>
/// </summary>
/// <example>
///   <code>Get-TencentImConnection</code>
///   <para>Shows the current connection as a table.</para>
/// </example>
/// <example>
///   <code>if (-not (Get-TencentImConnection)) { Connect-TencentIm }</code>
///   <para>Connects from the TENCENTIM_* environment variables unless the session is already connected.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "TencentImConnection")]
[OutputType(typeof(TencentImConnection))]
public sealed class GetTencentImConnectionCommand : TencentImCmdlet
{
    /// <summary>Writes the current connection, if there is one.</summary>
    protected override void EndProcessing()
    {
        TencentImConnection? connection = SessionConnections.Get();
        if (connection != null)
        {
            WriteObject(connection);
        }
    }
}
