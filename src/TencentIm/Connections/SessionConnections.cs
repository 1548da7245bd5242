using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace TencentIm.Connections;

/// <summary>
/// The current connection of each runspace. A runspace is PowerShell's unit of session state, so a connection
/// made in one (a ForEach-Object -Parallel block, a job) is not silently shared with another: pass -Connection.
/// It also remembers every connection made current in a runspace, so that Remove-Module can close them all
/// (<see cref="CloseAll"/>).
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
        Holder holder = Current.GetValue(Runspace.DefaultRunspace, _ => new Holder());
        lock (holder)
        {
            holder.Connection = connection;
            if (connection != null)
            {
                // Weak, so that a connection the script dropped without Disconnect-TencentIm is not kept alive here;
                // closed and collected ones are pruned as new ones come.
                holder.Opened.RemoveAll(w => !w.TryGetTarget(out TencentImConnection? c) || c.IsClosed);
                holder.Opened.Add(new WeakReference<TencentImConnection>(connection));
            }
        }
    }

    /// <summary>
    /// Closes every connection made current in <paramref name="runspace"/>, the current one and those a script kept
    /// with -PassThru (their keys wiped, their requests in flight cancelled, even in another runspace), and forgets
    /// the current one. Remove-Module TencentIm calls it: the session that made the connections is done with them.
    /// </summary>
    public static void CloseAll(Runspace? runspace)
    {
        if (runspace == null || !Current.TryGetValue(runspace, out Holder holder))
        {
            return;
        }

        List<WeakReference<TencentImConnection>> opened;
        lock (holder)
        {
            opened = new List<WeakReference<TencentImConnection>>(holder.Opened);
            holder.Opened.Clear();
            holder.Connection = null;
        }

        foreach (WeakReference<TencentImConnection> reference in opened)
        {
            if (reference.TryGetTarget(out TencentImConnection? connection))
            {
                connection.Dispose();
            }
        }
    }

    private sealed class Holder
    {
        public TencentImConnection? Connection { get; set; }

        public List<WeakReference<TencentImConnection>> Opened { get; } = new List<WeakReference<TencentImConnection>>();
    }
}
