using System;
using System.Management.Automation;
using System.Security;
using TencentIm.Client;

namespace TencentIm.Connections;

/// <summary>
/// What Connect-TencentIm was given, as plain values for <see cref="ConnectionFactory"/>: a nullable member is null
/// when its parameter was not given, so that the factory can tell "not given" (take the environment variable or
/// the default) from a value. At most one of <see cref="SecretKey"/>, <see cref="Credential"/> and
/// <see cref="UserSig"/> is set (they are in different parameter sets); none means the key comes from
/// TENCENTIM_SECRETKEY.
/// </summary>
internal sealed class ConnectionRequest
{
    /// <summary>The app admin account when neither -Identifier nor TENCENTIM_IDENTIFIER names one.</summary>
    public const string DefaultIdentifier = "administrator";

    /// <summary>The data centre when no region or endpoint is given by parameter or variable.</summary>
    public const TencentImRegion DefaultRegion = TencentImRegion.China;

    /// <summary>-RequestTimeoutSec when not given.</summary>
    public const int DefaultRequestTimeoutSec = 30;

    /// <summary>-MaximumRetryCount when not given.</summary>
    public const int DefaultMaximumRetryCount = 4;

    /// <summary>-RetryTimeLimitSec when not given.</summary>
    public const int DefaultRetryTimeLimitSec = 120;

    /// <summary>-UserSigLifetimeSec when not given: one day.</summary>
    public const int DefaultUserSigLifetimeSec = 86400;

    /// <summary>-Emulator: a handle from Start-TencentImEmulator, read by <see cref="EmulatorHandle.Apply"/>; or null.</summary>
    public object? Emulator { get; set; }

    /// <summary>-SdkAppId, or null: TENCENTIM_SDKAPPID (not used with <see cref="Credential"/>, whose user name is the SDKAppID).</summary>
    public uint? SdkAppId { get; set; }

    /// <summary>-SecretKey, or null.</summary>
    public SecureString? SecretKey { get; set; }

    /// <summary>-Credential (SDKAppID as user name, the key as password), or null.</summary>
    public PSCredential? Credential { get; set; }

    /// <summary>-UserSig (pre-signed), or null.</summary>
    public SecureString? UserSig { get; set; }

    /// <summary>-Identifier, or null: TENCENTIM_IDENTIFIER, else <see cref="DefaultIdentifier"/>.</summary>
    public string? Identifier { get; set; }

    /// <summary>-Region, or null: TENCENTIM_ENDPOINT, else TENCENTIM_REGION, else <see cref="DefaultRegion"/>.</summary>
    public TencentImRegion? Region { get; set; }

    /// <summary>-Endpoint, or null.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>-MaxRequestsPerSecond, or null: each API's documented limit.</summary>
    public int? MaxRequestsPerSecond { get; set; }

    /// <summary>-RequestTimeoutSec.</summary>
    public int RequestTimeoutSec { get; set; } = DefaultRequestTimeoutSec;

    /// <summary>-MaximumRetryCount.</summary>
    public int MaximumRetryCount { get; set; } = DefaultMaximumRetryCount;

    /// <summary>-RetryTimeLimitSec.</summary>
    public int RetryTimeLimitSec { get; set; } = DefaultRetryTimeLimitSec;

    /// <summary>-UserSigLifetimeSec, or null: <see cref="DefaultUserSigLifetimeSec"/> (and no conflict with <see cref="UserSig"/>).</summary>
    public int? UserSigLifetimeSec { get; set; }

    /// <summary>-Proxy, or null.</summary>
    public Uri? Proxy { get; set; }

    /// <summary>-ProxyCredential, or null.</summary>
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>-ProxyUseDefaultCredentials.</summary>
    public bool ProxyUseDefaultCredentials { get; set; }

    /// <summary>-NoProxy.</summary>
    public bool NoProxy { get; set; }
}
