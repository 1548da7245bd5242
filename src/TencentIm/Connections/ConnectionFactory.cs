using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using System.Text;
using TencentIm.Client;
using TencentIm.Commands;
using TencentIm.Engine;
using TencentIm.Signing;

namespace TencentIm.Connections;

/// <summary>
/// Makes a connection from what Connect-TencentIm was given (<see cref="ConnectionRequest"/>) and the TENCENTIM_*
/// environment variables: the SDKAppID, the key or pre-signed UserSig, the identifier, the endpoint or region, the
/// proxy and the client settings. A parameter given always wins over its variable; TENCENTIM_ENDPOINT wins over
/// TENCENTIM_REGION. A setting it cannot use stops it with a <see cref="ConnectionSettingsException"/> before any
/// request; it sends none itself (the connection test is the cmdlet's).
/// </summary>
/// <remarks>
/// The environment and the clock are injected, so that tests drive every rule without PowerShell and without
/// touching the process's environment. Checks run in a fixed order (identifier, endpoint, proxy, SDKAppID, key or
/// UserSig), so that a request with several faults reports the same one every time.
/// </remarks>
internal sealed class ConnectionFactory
{
    public const string SdkAppIdVariable = "TENCENTIM_SDKAPPID";
    public const string SecretKeyVariable = "TENCENTIM_SECRETKEY";
    public const string IdentifierVariable = "TENCENTIM_IDENTIFIER";
    public const string RegionVariable = "TENCENTIM_REGION";
    public const string EndpointVariable = "TENCENTIM_ENDPOINT";

    private readonly Func<string, string?> _environment;
    private readonly IClock _clock;

    /// <param name="environment">Reads an environment variable: its value, or null when it is not set.</param>
    /// <param name="clock">The clock that pre-signed UserSigs are checked against and UserSigs are signed by.</param>
    public ConnectionFactory(Func<string, string?> environment, IClock clock)
    {
        _environment = environment;
        _clock = clock;
    }

    /// <summary>The factory of this process: its environment variables and the system clock.</summary>
    public static ConnectionFactory ForThisProcess { get; } = new ConnectionFactory(Environment.GetEnvironmentVariable, SystemClock.Instance);

    /// <summary>
    /// The connection <paramref name="request"/> and the environment describe, not yet tested. The caller owns it
    /// (Dispose wipes the key).
    /// </summary>
    /// <param name="request">The parameters given.</param>
    /// <param name="warn">Receives each warning (a pre-signed UserSig that expires soon or comes from a clock ahead), as it is found.</param>
    /// <exception cref="ConnectionSettingsException">A setting cannot be used; nothing was sent.</exception>
    public TencentImConnection Create(ConnectionRequest request, Action<string> warn)
    {
        if (request.Emulator != null)
        {
            EmulatorHandle.Apply(request.Emulator, request);
        }

        string identifier = ResolveIdentifier(request);
        Uri endpoint = ResolveEndpoint(request, out TencentImRegion? region);
        var settings = new ClientSettings
        {
            MaxRequestsPerSecond = request.MaxRequestsPerSecond,
            RequestTimeout = TimeSpan.FromSeconds(request.RequestTimeoutSec),
            MaxAttempts = request.MaximumRetryCount + 1,
            RetryBudget = TimeSpan.FromSeconds(request.RetryTimeLimitSec),
            UserSigLifetime = TimeSpan.FromSeconds(request.UserSigLifetimeSec ?? ConnectionRequest.DefaultUserSigLifetimeSec),
            Proxy = ResolveProxy(request, endpoint),
        };
        IUserSigSource userSigs = CreateUserSigSource(request, identifier, settings.UserSigLifetime, warn, out uint sdkAppId);
        return new TencentImConnection(new ImRestClient(endpoint, sdkAppId, identifier, userSigs, settings), region);
    }

    /// <summary>
    /// The key from a -SecretKey or -Credential SecureString; SecretKeyEmpty, the same in every cmdlet, when it is
    /// empty or blank.
    /// </summary>
    /// <exception cref="ConnectionSettingsException">SecretKeyEmpty.</exception>
    public static SecretKey KeyFrom(SecureString secure, string parameter)
    {
        try
        {
            return SecretKey.FromSecureString(secure);
        }
        catch (ArgumentException)
        {
            throw new ConnectionSettingsException("SecretKeyEmpty",
                $"{parameter}: the secret key is empty. Copy it from the IM console (your app > Basic Information).", null);
        }
    }

    private static ConnectionSettingsException Invalid(string errorId, string message, object? target) =>
        new ConnectionSettingsException(errorId, message, target);

    /// <summary>
    /// Says that a variable's value is left out of a message: any TENCENTIM_* variable may hold the secret key by
    /// mistake (a swapped assignment), and an error is kept in $Error, transcripts and logs.
    /// </summary>
    private static string NotShown(string value) => $"(its value, {value.Length} characters long, is not shown, in case it is a secret)";

    /// <summary>A variable's value, trimmed; null when it is not set or blank.</summary>
    private string? FromEnvironment(string variable)
    {
        string? value = _environment(variable);
        return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }

    /// <summary>
    /// -Identifier, else TENCENTIM_IDENTIFIER, else administrator; trimmed as UserIDs are, and held to the 32-byte
    /// limit of every account ID here, where the service would only say "not an app admin".
    /// </summary>
    private string ResolveIdentifier(ConnectionRequest request)
    {
        string source = request.Identifier != null ? "-Identifier" : IdentifierVariable;
        string identifier = (request.Identifier ?? FromEnvironment(IdentifierVariable) ?? ConnectionRequest.DefaultIdentifier).Trim();
        if (identifier.Length == 0)
        {
            throw Invalid("IdentifierEmpty", $"{source} is blank. Pass the app admin account, such as administrator.", null);
        }

        if (identifier.IndexOfAny(new[] { '\r', '\n' }) >= 0)
        {
            throw Invalid("IdentifierHasLineBreak",
                $"{source} contains a line break, so it is not one account ID. Pass the app admin account as the IM console shows it (your app > App Admin).", null);
        }

        int bytes = Encoding.UTF8.GetByteCount(identifier);
        if (bytes > UserIdRules.MaxUtf8Bytes)
        {
            // A variable's value is never shown: it may be a secret set in the wrong variable.
            throw Invalid("IdentifierTooLong",
                $"{source} is {bytes} bytes long in UTF-8; an account ID has at most {UserIdRules.MaxUtf8Bytes}. Pass the app admin account as the IM console shows it (your app > App Admin).",
                request.Identifier != null ? identifier : IdentifierVariable);
        }

        return identifier;
    }

    /// <summary>-Endpoint, else -Region, else TENCENTIM_ENDPOINT, else TENCENTIM_REGION, else China.</summary>
    private Uri ResolveEndpoint(ConnectionRequest request, out TencentImRegion? region)
    {
        if (request.Endpoint != null && request.Region != null)
        {
            throw Invalid("RegionAndEndpoint", "Pass -Region or -Endpoint, not both: -Endpoint replaces the region's address.", null);
        }

        Uri? endpoint = request.Endpoint;
        string source = "-Endpoint";
        region = request.Region ?? ConnectionRequest.DefaultRegion;
        if (request.Endpoint == null && request.Region == null)
        {
            string? fromVariable = FromEnvironment(EndpointVariable);
            if (fromVariable != null)
            {
                source = EndpointVariable;
                if (!Uri.TryCreate(fromVariable, UriKind.Absolute, out endpoint))
                {
                    throw Invalid("InvalidEndpointVariable",
                        $"{EndpointVariable} is not an absolute URI {NotShown(fromVariable)}. Set it to a base URI such as https://adminapisgp.im.qcloud.com/, or remove it and set {RegionVariable}.", EndpointVariable);
                }
            }
            else if (FromEnvironment(RegionVariable) is string regionName)
            {
                if (!ServiceEndpoints.TryParseRegion(regionName, out TencentImRegion parsed))
                {
                    throw Invalid("InvalidRegionVariable",
                        $"{RegionVariable} is not a region {NotShown(regionName)}. Set it to one of: {ServiceEndpoints.RegionNames}.", RegionVariable);
                }

                region = parsed;
            }
        }

        if (endpoint == null)
        {
            return ServiceEndpoints.ForRegion(region!.Value);
        }

        region = null;
        try
        {
            return ServiceEndpoints.Normalize(endpoint);
        }
        catch (ArgumentException e)
        {
            throw Invalid("InvalidEndpoint", source + ": " + e.Message, endpoint.IsAbsoluteUri ? ServiceEndpoints.WithoutUserInfo(endpoint).GetLeftPart(UriPartial.Path) : null);
        }
    }

    /// <summary>
    /// -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials and -NoProxy, checked as Invoke-RestMethod checks them:
    /// credentials only with -Proxy (to sign in to the system proxy, name it with -Proxy), never both kinds.
    /// </summary>
    private static ProxySettings ResolveProxy(ConnectionRequest request, Uri endpoint)
    {
        bool proxy = request.Proxy != null;
        bool credential = request.ProxyCredential != null;
        bool useDefault = request.ProxyUseDefaultCredentials;
        if (request.NoProxy && (proxy || credential || useDefault))
        {
            throw Invalid("ProxyConflict",
                "-NoProxy sends requests directly, so it goes with neither -Proxy, -ProxyCredential nor -ProxyUseDefaultCredentials. Pass -NoProxy alone, or leave it out to use a proxy.", null);
        }

        if (credential && useDefault)
        {
            throw Invalid("ProxyCredentialConflict",
                "Pass -ProxyCredential or -ProxyUseDefaultCredentials, not both: each says which credentials the proxy gets.", null);
        }

        if ((credential || useDefault) && !proxy)
        {
            throw Invalid("ProxyCredentialWithoutProxy",
                $"{(credential ? "-ProxyCredential" : "-ProxyUseDefaultCredentials")} needs -Proxy. Pass the proxy's address with it; for the system proxy, that is the address the connection's Proxy property shows.", null);
        }

        if (request.NoProxy)
        {
            return ProxySettings.None;
        }

        if (!proxy)
        {
            return ProxySettings.System();
        }

        ProxyProblem? problem = ProxySettings.Check(request.Proxy!, endpoint, ProxySettings.RuntimeSupportsOtherSchemes);
        if (problem != null)
        {
            throw Invalid(problem.ErrorId, problem.Message, problem.Target);
        }

        return ProxySettings.Explicit(request.Proxy!, request.ProxyCredential?.GetNetworkCredential(), useDefault);
    }

    /// <summary>-SdkAppId, else TENCENTIM_SDKAPPID; an error naming both when neither is usable.</summary>
    private uint ResolveSdkAppId(ConnectionRequest request)
    {
        if (request.SdkAppId is uint given)
        {
            return given;
        }

        string? fromVariable = FromEnvironment(SdkAppIdVariable);
        if (fromVariable == null)
        {
            throw Invalid("SdkAppIdMissing", $"No SDKAppID: pass -SdkAppId, or set the {SdkAppIdVariable} environment variable.", null);
        }

        if (!uint.TryParse(fromVariable, NumberStyles.None, CultureInfo.InvariantCulture, out uint sdkAppId) || sdkAppId == 0)
        {
            throw Invalid("InvalidSdkAppIdVariable",
                $"{SdkAppIdVariable} is not an SDKAppID: its value, {fromVariable.Length} characters long, is not a whole number from 1 to {uint.MaxValue}. The value is not shown, in case it is a secret (the secret key set in the wrong variable). Set it to the digits the IM console shows, such as 1400000001.",
                SdkAppIdVariable);
        }

        return sdkAppId;
    }

    /// <summary>-Credential, else -UserSig, else -SecretKey, else TENCENTIM_SECRETKEY; and the SDKAppID that goes with it.</summary>
    private IUserSigSource CreateUserSigSource(ConnectionRequest request, string identifier, TimeSpan lifetime, Action<string> warn, out uint sdkAppId)
    {
        if (request.Credential is PSCredential credential)
        {
            if (!uint.TryParse(credential.UserName, NumberStyles.None, CultureInfo.InvariantCulture, out sdkAppId))
            {
                // The user name is never shown: with the fields swapped, it is the secret key.
                throw Invalid("CredentialUserNameNotSdkAppId",
                    $"-Credential: the user name, {credential.UserName?.Length ?? 0} characters long, is not an SDKAppID (a whole number from 1 to {uint.MaxValue}); it is not shown, in case it is the secret key. Store the credential with the SDKAppID (digits only) as user name and the secret key as password.",
                    null);
            }

            return new SigningUserSigSource(KeyFrom(credential.Password, "-Credential"), sdkAppId, identifier, lifetime, _clock);
        }

        sdkAppId = ResolveSdkAppId(request);
        if (request.UserSig is SecureString userSig)
        {
            var presigned = new PresignedUserSigSource(SecureStrings.ToTrimmedText(userSig));
            CheckPresigned(request, presigned, sdkAppId, identifier, warn);
            return presigned;
        }

        if (request.SecretKey is SecureString secretKey)
        {
            return new SigningUserSigSource(KeyFrom(secretKey, "-SecretKey"), sdkAppId, identifier, lifetime, _clock);
        }

        string? key = _environment(SecretKeyVariable);
        if (key == null || key.Length == 0)
        {
            throw Invalid("SecretKeyMissing",
                $"No secret key: pass -SecretKey, -Credential or -UserSig, or set the {SecretKeyVariable} environment variable.", null);
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            // Set, but to nothing usable: the same fault as an empty -SecretKey, with the same ErrorId.
            throw Invalid("SecretKeyEmpty",
                $"{SecretKeyVariable} is set, but blank. Set it to the app's secret key (IM console > your app > Basic Information).", null);
        }

        return new SigningUserSigSource(SecretKey.FromString(key!), sdkAppId, identifier, lifetime, _clock);
    }

    /// <summary>
    /// Catches here, before any request, what the service would refuse a pre-signed UserSig for (70003, 70013,
    /// 70014, 70001, or an issue time ahead of this machine's clock), and -UserSigLifetimeSec, which a UserSig
    /// signed elsewhere cannot honour.
    /// </summary>
    private void CheckPresigned(ConnectionRequest request, PresignedUserSigSource presigned, uint sdkAppId, string identifier, Action<string> warn)
    {
        if (request.UserSigLifetimeSec is int lifetimeSec)
        {
            throw Invalid("UserSigLifetimeWithUserSig",
                "-UserSigLifetimeSec applies to UserSigs signed from a key (-SecretKey, -Credential or TENCENTIM_SECRETKEY); the lifetime of a -UserSig was fixed when it was signed. Remove -UserSigLifetimeSec, or sign the UserSig with the lifetime you want (New-TencentImUserSig -Lifetime).",
                lifetimeSec);
        }

        PresignedUserSigVerdict verdict = UserSigChecks.CheckPresigned(presigned.Current(), sdkAppId, identifier, _clock.UtcNow);
        if (verdict.Fault is UserSigFault fault)
        {
            throw new ConnectionSettingsException(fault.ErrorId, fault.Message, fault.Document, fault.Category);
        }

        foreach (string warning in verdict.Warnings)
        {
            warn(warning);
        }
    }
}
