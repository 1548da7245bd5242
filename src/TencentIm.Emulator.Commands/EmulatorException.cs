using System;
using System.Management.Automation;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// Why the emulator cannot start or a hook cannot be used: everything the cmdlet's error record carries. The message
/// says what happened and what to do, and never holds the secret key.
/// </summary>
internal sealed class EmulatorException : Exception
{
    public EmulatorException(string errorId, ErrorCategory category, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    public object? Target { get; }

    public ErrorRecord ToErrorRecord() => new ErrorRecord(this, ErrorId, Category, Target);
}
