using System;
using System.Collections.Generic;

namespace TencentIm.Emulator;

/// <summary>The ways the emulator can misbehave on purpose (see <see cref="EmulatorOptions.FaultRate"/>).</summary>
public enum FaultKind
{
    /// <summary>ErrorCode 70169, "Server timeout" (transient).</summary>
    ServerTimeout70169,

    /// <summary>ErrorCode 70202, "Server timeout" (transient).</summary>
    ServerTimeout70202,

    /// <summary>ErrorCode 70500, "Internal server error" (transient).</summary>
    InternalError70500,

    /// <summary>HTTP 502 from the gateway, no JSON.</summary>
    Http502,

    /// <summary>HTTP 503 from the gateway, no JSON.</summary>
    Http503,

    /// <summary>HTTP 200 whose JSON is cut in half; the response itself completes normally.</summary>
    Truncated,

    /// <summary>Headers and half the body are sent, then the connection is aborted.</summary>
    Drop,

    /// <summary>No answer for <see cref="EmulatorOptions.SlowResponseMs"/>, then a 70169 server timeout.</summary>
    Slow,

    /// <summary>
    /// The API runs (its changes stay), then the headers and half of its answer are sent and the connection is
    /// aborted: a request that took effect but whose answer was lost, as when a connection breaks on the way back.
    /// </summary>
    DropAfter,
}

/// <summary>The command-line and stats names of <see cref="FaultKind"/>: "70169", "http502", "drop", "drop-after", …</summary>
public static class FaultKindNames
{
    private static readonly string[] Names = { "70169", "70202", "70500", "http502", "http503", "truncated", "drop", "slow", "drop-after" };

    /// <summary>Every kind, the default of <see cref="EmulatorOptions.FaultKinds"/>.</summary>
    public static IReadOnlyList<FaultKind> All { get; } = (FaultKind[])Enum.GetValues(typeof(FaultKind));

    /// <summary>The kind's name as the command line and <c>GET /emulator/stats</c> spell it.</summary>
    public static string Name(FaultKind kind) => Names[(int)kind];

    /// <summary>Parses a name such as "http502" (case-sensitive).</summary>
    public static bool TryParse(string name, out FaultKind kind)
    {
        int index = Array.IndexOf(Names, name);
        kind = (FaultKind)Math.Max(index, 0);
        return index >= 0;
    }
}
