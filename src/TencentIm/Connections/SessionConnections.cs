using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace TencentIm.Connections;

/// <summary>
/// The current connection of each runspace. A runspace is PowerShell's unit of session state, so a connection
/// made in one (a ForEach-Object -Parallel block, a job) is not silently shared with another: pass -Connection.
/// </summary>
internal static class SessionConnections
{
    private static readonly ConditionalWeakTable<Runspace, Holder> Current = new ConditionalWeakTable<Runspace, Holder>();

    public static TencentImConnection? Get()
    {
        Runspace? runspace = Runspace.DefaultRunspace;
        return runspace != null && Current.TryGetValue(runspace, out Holder holder) ? holder.Connection : null;
    }

    /// <summary>
    /// Makes <paramref name="connection"/> current. The one it replaces stays open: a script may still hold it
    /// (Connect-TencentIm -PassThru) to work with several apps; Disconnect-TencentIm closes it.
    /// </summary>
    public static void Set(TencentImConnection? connection)
    {
        Current.GetValue(Runspace.DefaultRunspace, _ => new Holder()).Connection = connection;
    }

    private sealed class Holder
    {
        public TencentImConnection? Connection { get; set; }
    }
}
