using System;
using System.Management.Automation;

namespace TencentIm.Connections;

/// <summary>
/// A setting <see cref="ConnectionFactory"/> cannot use (a missing or malformed environment variable, parameters
/// that exclude each other, a pre-signed UserSig the service would refuse): everything the cmdlet's terminating
/// error carries. The message says what is wrong and what to do, and holds neither a key nor a whole UserSig.
/// </summary>
internal sealed class ConnectionSettingsException : Exception
{
    public ConnectionSettingsException(string errorId, string message, object? target, ErrorCategory category = ErrorCategory.InvalidArgument)
        : base(message)
    {
        ErrorId = errorId;
        Target = target;
        Category = category;
    }

    /// <summary>The ErrorId, such as SdkAppIdMissing or UserSigExpired.</summary>
    public string ErrorId { get; }

    /// <summary>InvalidArgument for settings; AuthenticationError for a pre-signed UserSig the service would refuse.</summary>
    public ErrorCategory Category { get; }

    /// <summary>The error's target object: the offending value when it can be shown, else null.</summary>
    public object? Target { get; }
}
