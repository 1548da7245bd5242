using System;
using System.Management.Automation;
using System.Security;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Connections;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Connects to a Tencent Cloud IM app, so that later TencentIm cmdlets need no parameters.</para>
/// <para type="description">Connect-TencentIm keeps a connection to one IM app for this PowerShell session (runspace): its SDKAppID, an app admin identifier, the data centre's endpoint, and the means to sign requests, either the app's secret key (UserSigs are then signed here and renewed before they expire) or one UserSig signed elsewhere. It proves the settings at once with one cheap call (account_check of the identifier itself) and stops with one error that names the cause and the fix: wrong key, identifier not an app admin, unknown SDKAppID, wrong data centre, endpoint unreachable. The secret key is held as bytes, never as text, and is wiped by Disconnect-TencentIm. Connecting again makes the new connection current; an earlier one kept from -PassThru stays usable until it is disconnected.</para>
/// <para type="description">For unattended runs every setting can come from the environment instead: TENCENTIM_SDKAPPID, TENCENTIM_SECRETKEY, TENCENTIM_IDENTIFIER, and TENCENTIM_REGION or TENCENTIM_ENDPOINT (the endpoint wins when both are set). A parameter given explicitly always wins over its variable; Connect-TencentIm with no parameters takes them all from the environment.</para>
/// </summary>
/// <example>
///   <code>Connect-TencentIm -SdkAppId 1400000001 -SecretKey (Read-Host -AsSecureString 'Secret key') -Region Singapore</code>
///   <para>Connects to app 1400000001 in the Singapore data centre as 'administrator', asking for the key without echoing it.</para>
/// </example>
/// <example>
///   <code>Connect-TencentIm -Credential (Get-Secret TencentIm) -Region Frankfurt -Identifier ops_admin</code>
///   <para>Takes the SDKAppID (user name) and key (password) from a SecretManagement vault.</para>
/// </example>
/// <example>
///   <code>$env:TENCENTIM_SDKAPPID = '1400000001'; $env:TENCENTIM_REGION = 'Singapore'; Connect-TencentIm -SecretKey (Read-Host -AsSecureString 'Secret key')</code>
///   <para>Takes the SDKAppID and region from the environment, as a CI job or an Azure Automation runbook sets them, and the key from a parameter, which would win over TENCENTIM_SECRETKEY.</para>
/// </example>
/// <example>
///   <code>$emu = Start-TencentImEmulator -Account alice; Connect-TencentIm -Emulator $emu; 'alice' | Test-TencentImAccount; Stop-TencentImEmulator $emu</code>
///   <para>Connects to a local emulator (module TencentIm.Emulator) with its SDKAppID, admin and key, as a Pester test does.</para>
/// </example>
/// <example>
///   <code>$sgp = Connect-TencentIm -SdkAppId 1400000001 -SecretKey (Read-Host -AsSecureString 'Secret key') -Region Singapore -PassThru; Get-Content users.txt | Test-TencentImAccount -Connection $sgp</code>
///   <para>Keeps a connection in a variable and passes it with -Connection, as scripts that work with several apps do.</para>
/// </example>
[Cmdlet(VerbsCommunications.Connect, "TencentIm", DefaultParameterSetName = EnvironmentSet)]
[OutputType(typeof(TencentImConnection))]
public sealed class ConnectTencentImCommand : TencentImCmdlet
{
    private const string EnvironmentSet = "Environment";
    private const string SecretKeySet = "SecretKey";
    private const string CredentialSet = "Credential";
    private const string UserSigSet = "UserSig";
    private const string EmulatorSet = "Emulator";

    /// <summary>
    /// <para type="description">The app's SDKAppID, as the IM console shows it (for example 1400000001). Default: the TENCENTIM_SDKAPPID environment variable.</para>
    /// </summary>
    [Parameter(Position = 0, ParameterSetName = EnvironmentSet)]
    [Parameter(Position = 0, ParameterSetName = SecretKeySet)]
    [Parameter(Position = 0, ParameterSetName = UserSigSet)]
    [ValidateRange(1, uint.MaxValue)]
    [SdkAppIdTransformation]
    public uint SdkAppId { get; set; }

    /// <summary>
    /// <para type="description">The app's secret key (IM console > your app > Basic Information), as a SecureString. UserSigs are signed from it here and renewed before they expire. Without this, -Credential or -UserSig, the key comes from the TENCENTIM_SECRETKEY environment variable.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SecretKeySet)]
    [ValidateNotNull]
    public SecureString? SecretKey { get; set; }

    /// <summary>
    /// <para type="description">The SDKAppID as user name and the secret key as password: what a SecretManagement vault returns (Get-Secret).</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// <para type="description">A UserSig signed elsewhere for -Identifier, for machines that must not hold the key. Text or SecureString. It is checked before any request: a UserSig for another app or identifier, an expired one, or one issued more than a minute ahead of this machine's clock (the clocks differ: sync them) stops Connect-TencentIm with an error that says so. It cannot be renewed: connect again before it expires (a warning says when less than an hour is left). Its lifetime was fixed when it was signed, so -UserSigLifetimeSec is refused with it.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = UserSigSet)]
    [ValidateNotNull]
    [SecureStringTransformation]
    public SecureString? UserSig { get; set; }

    /// <summary>
    /// <para type="description">A local emulator, as Start-TencentImEmulator (module TencentIm.Emulator) returns it: connects to its endpoint as its admin, with its SDKAppID and secret key, so that a test never copies a key around. An object that is not such a handle, or an emulator that has stopped, is an error that says so (NotAnEmulator, EmulatorStopped).</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = EmulatorSet)]
    [ValidateNotNull]
    public PSObject? Emulator { get; set; }

    /// <summary>
    /// <para type="description">The app admin account that signs the requests, 1 to 32 bytes in UTF-8; whitespace around it is trimmed, as around UserIDs. Default: the TENCENTIM_IDENTIFIER environment variable, else administrator.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public string Identifier { get; set; } = ConnectionRequest.DefaultIdentifier;

    /// <summary>
    /// <para type="description">The data centre of the app: China, Singapore, Seoul, Frankfurt, SiliconValley or Jakarta. Calling the wrong one fails with error 60026. Default: the TENCENTIM_ENDPOINT or TENCENTIM_REGION environment variable, else China.</para>
    /// </summary>
    [Parameter]
    [RegionTransformation]
    public TencentImRegion Region { get; set; } = ConnectionRequest.DefaultRegion;

    /// <summary>
    /// <para type="description">A base URI to call instead of a region's, such as a proxy or the local emulator. https only; http is accepted for loopback hosts (127.0.0.1, localhost).</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// <para type="description">Does not call the service to prove the settings, for setting up offline. Errors then show on the first call.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter SkipConnectionTest { get; set; }

    /// <summary>
    /// <para type="description">The most calls per second to start for each API, counted in any 1.02-second window, replacing the documented limits (account_check 100, account_import 200, …). Raise it for a raised quota or the emulator. A smaller quota (another job shares the app's quota, or the app's tier is lower) needs no setting: when the service answers 60007 (over the limit), the module counts the calls the service admitted in that second and goes on at that rate, holds it 5 seconds (not after a cut of less than a tenth from this limit, or to less than half), then tries a little more (a step that doubles every half second) until the next 60007, so that a run at any quota from 1 to 100 calls/s converges within a few seconds to what the service admits. Lower it to leave part of the quota to other automation from the start.</para>
    /// <para type="default">each API's documented limit (account_check 100, account_import 200, …)</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int MaxRequestsPerSecond { get; set; }

    /// <summary>
    /// <para type="description">Seconds one attempt of a request may take before it counts as failed and is retried, 1 to 3600. Default: 30.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int RequestTimeoutSec { get; set; } = ConnectionRequest.DefaultRequestTimeoutSec;

    /// <summary>
    /// <para type="description">Retries after a passing failure (timeouts, 70169, 70202, 70500, 600xx busy codes, HTTP 5xx, 408, 429, dropped connections, cut-off answers), 0 to 20. Default: 4, so five attempts in all, waiting 200 ms × 2^n ±20 % in between, at most 10 s each. A 60007 answer (over the frequency limit) is not a failed attempt and does not count: it proves the request did not run, so the request is retried after about 200 ms, ahead of requests not yet tried, for as long as -RetryTimeLimitSec allows. Configuration errors are never retried.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(0, 20)]
    public int MaximumRetryCount { get; set; } = ConnectionRequest.DefaultMaximumRetryCount;

    /// <summary>
    /// <para type="description">Seconds after a request's first attempt was sent (its wait for a turn under the rate limit does not count) past which it is not retried any more, 0 to 3600. Default: 120. It is the only bound on retries after 60007 (over the frequency limit), which do not count against -MaximumRetryCount.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int RetryTimeLimitSec { get; set; } = ConnectionRequest.DefaultRetryTimeLimitSec;

    /// <summary>
    /// <para type="description">Lifetime in seconds of the UserSigs signed from the key, 300 to 15552000 (180 days). Default: 86400 (one day). They are renewed before they expire. Not with -UserSig, whose lifetime was fixed when it was signed.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(300, 15_552_000)]
    public int UserSigLifetimeSec { get; set; } = ConnectionRequest.DefaultUserSigLifetimeSec;

    /// <summary>
    /// <para type="description">The proxy to send every request through, as Invoke-RestMethod -Proxy takes it: http://host:port/ (on PowerShell 7.4 and later also https://, socks4://, socks4a:// or socks5://). It is used for every endpoint, loopback ones included. Its address must carry no user name or password: pass those with -ProxyCredential. For the local emulator's http:// endpoint the proxy must be on this machine too. Default: the system proxy (on PowerShell 7, the HTTPS_PROXY, HTTP_PROXY and NO_PROXY environment variables on Linux and macOS and the proxy settings on Windows; on Windows PowerShell 5.1, the proxy settings); the connection's Proxy property says which proxy is used.</para>
    /// <para type="default">the system proxy (HTTPS_PROXY, HTTP_PROXY and NO_PROXY on Linux and macOS; the proxy settings on Windows)</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    /// <summary>
    /// <para type="description">The user name and password that the proxy given with -Proxy asks for (HTTP 407). Only with -Proxy, and not with -ProxyUseDefaultCredentials. The password is never shown; -Verbose shows the user name. Default: none.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>
    /// <para type="description">Signs in to the proxy given with -Proxy as the account PowerShell runs as (Windows integrated authentication: Negotiate, NTLM or Kerberos). Only with -Proxy, and not with -ProxyCredential. Default: off.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter ProxyUseDefaultCredentials { get; set; }

    /// <summary>
    /// <para type="description">Sends requests directly, ignoring the system proxy (HTTPS_PROXY and the like). Not with -Proxy, -ProxyCredential or -ProxyUseDefaultCredentials. Default: off, the system proxy is used.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter NoProxy { get; set; }

    /// <summary>
    /// <para type="description">Also returns the connection, to pass with -Connection to other cmdlets.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Builds the connection, tests it, and makes it the session's.</summary>
    protected override void EndProcessing()
    {
        TencentImConnection connection;
        try
        {
            connection = ConnectionFactory.ForThisProcess.Create(BuildRequest(), WriteWarning);
        }
        catch (ConnectionSettingsException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
            throw;
        }

        WriteVerbose(connection.Client.Proxy.VerboseLine);

        if (!SkipConnectionTest)
        {
            try
            {
                var attempts = new AttemptQueue();
                try
                {
                    Await(ct => new AccountCheckOperation(connection.Client).SendAsync(new[] { connection.Identifier }, attempts, ct));
                }
                finally
                {
                    foreach (RequestAttempt attempt in attempts.Drain())
                    {
                        WriteVerbose(attempt.ToVerboseLine());
                        WriteDebug(attempt.ToDebugText());
                    }
                }
            }
            catch (TencentImRequestException e)
            {
                connection.Dispose();
                ThrowTerminatingError(e.IsProxyFailure ? ProxyFailed(e, connection) : ConnectionTestFailed(e, connection));
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            WriteVerbose($"Connected: {connection}.");
        }

        SessionConnections.Set(connection);
        if (PassThru)
        {
            WriteObject(connection);
        }
    }

    /// <summary>The parameters as given: a parameter not given is null, so that its environment variable or default applies.</summary>
    private ConnectionRequest BuildRequest() => new ConnectionRequest
    {
        // The PSObject itself: a [pscustomobject]'s properties live on it, not on its base object.
        Emulator = Emulator,
        SdkAppId = Bound(nameof(SdkAppId)) ? SdkAppId : (uint?)null,
        SecretKey = SecretKey,
        Credential = Credential,
        UserSig = UserSig,
        Identifier = Bound(nameof(Identifier)) ? Identifier : null,
        Region = Bound(nameof(Region)) ? Region : (TencentImRegion?)null,
        Endpoint = Endpoint,
        MaxRequestsPerSecond = Bound(nameof(MaxRequestsPerSecond)) ? MaxRequestsPerSecond : (int?)null,
        RequestTimeoutSec = RequestTimeoutSec,
        MaximumRetryCount = MaximumRetryCount,
        RetryTimeLimitSec = RetryTimeLimitSec,
        UserSigLifetimeSec = Bound(nameof(UserSigLifetimeSec)) ? UserSigLifetimeSec : (int?)null,
        Proxy = Proxy,
        ProxyCredential = ProxyCredential,
        ProxyUseDefaultCredentials = ProxyUseDefaultCredentials.IsPresent,
        NoProxy = NoProxy.IsPresent,
    };

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <summary>The proxy asked for credentials or could not be reached: one error that names the proxy and the fix.</summary>
    private static ErrorRecord ProxyFailed(TencentImRequestException e, TencentImConnection connection)
    {
        ProxyRoute route = connection.Client.Proxy;
        string fix = e.Kind == RequestFailureKind.ProxyAuthenticationRequired ? route.AuthenticationFix : route.UnreachableFix;
        string message = $"Connect-TencentIm could not prove the connection to SDKAppID {connection.SdkAppId}: {e.Message}";
        return new ErrorRecord(e, "ConnectionTest" + e.Kind, e.Category, connection)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = fix },
        };
    }

    /// <summary>
    /// The connection test's error: the service's own error codes and TLS failures keep their ErrorId (with the
    /// prefix ConnectionTest); other failures are told apart by whom they blame. A failure that persisted through
    /// the retries but is transient (5xx, 408, 429, transient codes, timeouts, dropped or cut-off answers) is an
    /// outage: ServiceUnavailable. No connection at all: EndpointUnreachable. An answer that is really not the IM
    /// API (another HTTP status, an HTML page, other JSON): EndpointNotTencentIm.
    /// </summary>
    private static ErrorRecord ConnectionTestFailed(TencentImRequestException e, TencentImConnection connection)
    {
        // One ErrorId, one category, whichever failure led to it (a 502, a 70500 and a cut-off answer are all an outage).
        string errorId;
        ErrorCategory category;
        string lead = "";
        if (e.Kind == RequestFailureKind.Unreachable)
        {
            errorId = "EndpointUnreachable";
            category = ErrorCategory.ConnectionError;
        }
        else if (e.ErrorClass == ServiceErrorClass.Transient)
        {
            errorId = "ServiceUnavailable";
            category = ErrorCategory.ResourceUnavailable;
            lead = "the service, or a gateway on the way, kept failing through every retry: an outage, which says nothing about your settings. The last attempt: ";
        }
        else if (e.Kind == RequestFailureKind.ServiceError || e.Kind == RequestFailureKind.TlsFailure)
        {
            return ToErrorRecord(e, "ConnectionTest", connection);
        }
        else
        {
            errorId = "EndpointNotTencentIm";
            category = ErrorCategory.InvalidResult;
        }

        string message = $"Connect-TencentIm could not prove the connection to SDKAppID {connection.SdkAppId}: {lead}{e.Message}";
        return new ErrorRecord(e, "ConnectionTest" + errorId, category, connection)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = e.Fix },
        };
    }
}
