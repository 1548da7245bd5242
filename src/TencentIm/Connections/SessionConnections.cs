using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace TencentIm.Connections
{
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

        /// <summary>Makes <paramref name="connection"/> current and closes the one it replaces.</summary>
        public static void Set(TencentImConnection? connection)
        {
            Holder holder = Current.GetValue(Runspace.DefaultRunspace, _ => new Holder());
            TencentImConnection? previous = holder.Connection;
            holder.Connection = connection;
            if (previous != null && !ReferenceEquals(previous, connection))
            {
                previous.Dispose();
            }
        }

        private sealed class Holder
        {
            public TencentImConnection? Connection { get; set; }
        }
    }
}
