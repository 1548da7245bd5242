using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using System.Text;
using TencentIm.Client;
using TencentIm.Connections;
using TencentIm.Signing;

namespace TencentIm.Commands
{
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

        /// <summary>
        /// <para type="description">The app's SDKAppID, as the IM console shows it (for example 1400000001). Default: the TENCENTIM_SDKAPPID environment variable.</para>
        /// </summary>
        [Parameter(Position = 0, ParameterSetName = EnvironmentSet)]
        [Parameter(Position = 0, ParameterSetName = SecretKeySet)]
        [Parameter(Position = 0, ParameterSetName = UserSigSet)]
        [ValidateRange(1, uint.MaxValue)]
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
        /// <para type="description">A UserSig signed elsewhere for -Identifier, for machines that must not hold the key. It cannot be renewed: connect again before it expires. Text or SecureString.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = UserSigSet)]
        [ValidateNotNull]
        [SecureStringTransformation]
        public SecureString? UserSig { get; set; }

        /// <summary>
        /// <para type="description">The app admin account that signs the requests. Default: the TENCENTIM_IDENTIFIER environment variable, else administrator.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Identifier { get; set; } = "administrator";

        /// <summary>
        /// <para type="description">The data centre of the app: China, Singapore, Seoul, Frankfurt, SiliconValley or Jakarta. Calling the wrong one fails with error 60026. Default: the TENCENTIM_ENDPOINT or TENCENTIM_REGION environment variable, else China.</para>
        /// </summary>
        [Parameter]
        [RegionTransformation]
        public TencentImRegion Region { get; set; } = TencentImRegion.China;

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
        /// </summary>
        [Parameter]
        [ValidateRange(1, 1_000_000)]
        public int MaxRequestsPerSecond { get; set; }

        /// <summary>
        /// <para type="description">Seconds one attempt of a request may take before it counts as failed and is retried, 1 to 3600. Default: 30.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int RequestTimeoutSec { get; set; } = 30;

        /// <summary>
        /// <para type="description">Retries after a passing failure (timeouts, 70169, 70202, 70500, 600xx busy codes, HTTP 5xx, 408, 429, dropped connections, cut-off answers), 0 to 20. Default: 4, so five attempts in all, waiting 200 ms × 2^n ±20 % in between, at most 10 s each. A 60007 answer (over the frequency limit) is not a failed attempt and does not count: it proves the request did not run, so the request is retried after about 200 ms, ahead of requests not yet tried, for as long as -RetryTimeLimitSec allows. Configuration errors are never retried.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaximumRetryCount { get; set; } = 4;

        /// <summary>
        /// <para type="description">Seconds after a request's first attempt was sent (its wait for a turn under the rate limit does not count) past which it is not retried any more, 0 to 3600. Default: 120. It is the only bound on retries after 60007 (over the frequency limit), which do not count against -MaximumRetryCount.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int RetryTimeLimitSec { get; set; } = 120;

        /// <summary>
        /// <para type="description">Lifetime in seconds of the UserSigs signed from the key, 300 to 15552000 (180 days). Default: 86400 (one day). They are renewed before they expire.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(300, 15_552_000)]
        public int UserSigLifetimeSec { get; set; } = 86400;

        /// <summary>
        /// <para type="description">Also returns the connection, to pass with -Connection to other cmdlets.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Builds the connection, tests it, and makes it the session's.</summary>
        protected override void EndProcessing()
        {
            Identifier = Bound(nameof(Identifier)) ? Identifier : FromEnvironment(IdentifierVariable) ?? Identifier;
            Uri endpoint = ResolveEndpoint(out TencentImRegion? region);
            var settings = new ClientSettings
            {
                MaxRequestsPerSecond = MyInvocation.BoundParameters.ContainsKey(nameof(MaxRequestsPerSecond)) ? MaxRequestsPerSecond : (int?)null,
                RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSec),
                MaxAttempts = MaximumRetryCount + 1,
                RetryBudget = TimeSpan.FromSeconds(RetryTimeLimitSec),
                UserSigLifetime = TimeSpan.FromSeconds(UserSigLifetimeSec),
            };
            IUserSigSource userSigs = CreateUserSigSource(settings, out uint sdkAppId);
            var connection = new TencentImConnection(new ImRestClient(endpoint, sdkAppId, Identifier, userSigs, settings), region);

            if (!SkipConnectionTest)
            {
                try
                {
                    var attempts = new AttemptLog();
                    try
                    {
                        Await(ct => connection.Client.CheckAccountsAsync(new[] { Identifier }, attempts, ct));
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
                    ThrowTerminatingError(ConnectionTestFailed(e, connection));
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

        /// <summary>Collects the connection test's attempts, to write them from the pipeline thread afterwards.</summary>
        private sealed class AttemptLog : IRequestObserver
        {
            private readonly System.Collections.Concurrent.ConcurrentQueue<RequestAttempt> _attempts = new System.Collections.Concurrent.ConcurrentQueue<RequestAttempt>();

            public void OnAttempt(RequestAttempt attempt) => _attempts.Enqueue(attempt);

            public System.Collections.Generic.IEnumerable<RequestAttempt> Drain()
            {
                while (_attempts.TryDequeue(out RequestAttempt? attempt))
                {
                    yield return attempt;
                }
            }
        }

        private const string SdkAppIdVariable = "TENCENTIM_SDKAPPID";
        private const string SecretKeyVariable = "TENCENTIM_SECRETKEY";
        private const string IdentifierVariable = "TENCENTIM_IDENTIFIER";
        private const string RegionVariable = "TENCENTIM_REGION";
        private const string EndpointVariable = "TENCENTIM_ENDPOINT";

        private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        private static string? FromEnvironment(string variable)
        {
            string? value = Environment.GetEnvironmentVariable(variable);
            return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }

        /// <summary>-Endpoint, else -Region, else TENCENTIM_ENDPOINT, else TENCENTIM_REGION, else China.</summary>
        private Uri ResolveEndpoint(out TencentImRegion? region)
        {
            if (Bound(nameof(Endpoint)) && Bound(nameof(Region)))
            {
                ThrowParameterError("RegionAndEndpoint", "Pass -Region or -Endpoint, not both: -Endpoint replaces the region's address.", null);
            }

            Uri? endpoint = Endpoint;
            string source = "-Endpoint";
            region = Region;
            if (!Bound(nameof(Endpoint)) && !Bound(nameof(Region)))
            {
                string? fromVariable = FromEnvironment(EndpointVariable);
                if (fromVariable != null)
                {
                    source = EndpointVariable;
                    if (!Uri.TryCreate(fromVariable, UriKind.Absolute, out endpoint))
                    {
                        ThrowParameterError("InvalidEndpointVariable",
                            $"{EndpointVariable} is '{fromVariable}', which is not an absolute URI. Set it to a base URI such as https://adminapisgp.im.qcloud.com/, or remove it and set {RegionVariable}.", fromVariable);
                    }
                }
                else if (FromEnvironment(RegionVariable) is string regionName)
                {
                    if (!ServiceEndpoints.TryParseRegion(regionName, out TencentImRegion parsed))
                    {
                        ThrowParameterError("InvalidRegionVariable",
                            $"{RegionVariable} is '{regionName}', which is not a region. Set it to one of: {ServiceEndpoints.RegionNames}.", regionName);
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
                ThrowParameterError("InvalidEndpoint", source + ": " + e.Message, endpoint.IsAbsoluteUri ? endpoint.GetLeftPart(UriPartial.Path) : null);
                throw;
            }
        }

        /// <summary>-SdkAppId, else TENCENTIM_SDKAPPID; a terminating error naming both when neither is usable.</summary>
        private uint ResolveSdkAppId()
        {
            if (Bound(nameof(SdkAppId)))
            {
                return SdkAppId;
            }

            string? fromVariable = FromEnvironment(SdkAppIdVariable);
            if (fromVariable == null)
            {
                ThrowParameterError("SdkAppIdMissing", $"No SDKAppID: pass -SdkAppId, or set the {SdkAppIdVariable} environment variable.", null);
            }

            if (!uint.TryParse(fromVariable, NumberStyles.None, CultureInfo.InvariantCulture, out uint sdkAppId) || sdkAppId == 0)
            {
                ThrowParameterError("InvalidSdkAppIdVariable", $"{SdkAppIdVariable} is '{fromVariable}', which is not an SDKAppID. Set it to the digits the IM console shows, such as 1400000001.", fromVariable);
            }

            return sdkAppId;
        }

        private IUserSigSource CreateUserSigSource(ClientSettings settings, out uint sdkAppId)
        {
            switch (ParameterSetName)
            {
                case CredentialSet:
                    if (!uint.TryParse(Credential!.UserName, NumberStyles.None, CultureInfo.InvariantCulture, out sdkAppId))
                    {
                        ThrowParameterError("CredentialUserNameNotSdkAppId",
                            $"-Credential: the user name '{Credential.UserName}' is not an SDKAppID. Store the credential with the SDKAppID (digits only) as user name and the secret key as password.",
                            Credential.UserName);
                    }

                    return new SigningUserSigSource(KeyFrom(Credential.Password, "-Credential"), sdkAppId, Identifier, settings.UserSigLifetime, SystemClock.Instance);

                case UserSigSet:
                    sdkAppId = ResolveSdkAppId();
                    var presigned = new PresignedUserSigSource(SecureStrings.ToTrimmedText(UserSig!));
                    CheckPresigned(presigned, sdkAppId);
                    return presigned;

                case SecretKeySet:
                    sdkAppId = ResolveSdkAppId();
                    return new SigningUserSigSource(KeyFrom(SecretKey!, "-SecretKey"), sdkAppId, Identifier, settings.UserSigLifetime, SystemClock.Instance);

                default:
                    sdkAppId = ResolveSdkAppId();
                    string? key = Environment.GetEnvironmentVariable(SecretKeyVariable);
                    if (string.IsNullOrWhiteSpace(key))
                    {
                        ThrowParameterError("SecretKeyMissing",
                            $"No secret key: pass -SecretKey, -Credential or -UserSig, or set the {SecretKeyVariable} environment variable.", null);
                    }

                    return new SigningUserSigSource(Signing.SecretKey.FromString(key!), sdkAppId, Identifier, settings.UserSigLifetime, SystemClock.Instance);
            }
        }

        private Signing.SecretKey KeyFrom(SecureString secure, string parameter)
        {
            try
            {
                return Signing.SecretKey.FromSecureString(secure);
            }
            catch (ArgumentException)
            {
                ThrowParameterError("SecretKeyEmpty", $"{parameter}: the secret key is empty. Copy it from the IM console (your app > Basic Information).", null);
                throw;
            }
        }

        /// <summary>Catches a UserSig for another app or identifier here, before the service answers 70013/70014.</summary>
        private void CheckPresigned(PresignedUserSigSource presigned, uint sdkAppId)
        {
            UserSigDocument document;
            try
            {
                document = UserSigSigner.Decode(presigned.Current());
            }
            catch (FormatException e)
            {
                ThrowParameterError("UserSigMalformed", "-UserSig: this is not a TLSSigAPIv2 UserSig. " + e.Message, null);
                return;
            }

            if (document.SdkAppId != sdkAppId)
            {
                ThrowParameterError("UserSigSdkAppIdMismatch",
                    $"-UserSig was signed for SDKAppID {document.SdkAppId}, not {sdkAppId}. Sign it for the app you connect to.", null);
            }

            if (!string.Equals(document.Identifier, Identifier, StringComparison.Ordinal))
            {
                ThrowParameterError("UserSigIdentifierMismatch",
                    $"-UserSig was signed for identifier '{document.Identifier}', not '{Identifier}'. Pass -Identifier '{document.Identifier}' or sign it for '{Identifier}'.", null);
            }

            TimeSpan left = document.ExpiresOn - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                ThrowParameterError("UserSigExpired", $"-UserSig expired at {document.ExpiresOn:u}. Sign a new one, or connect with -SecretKey.", null);
            }

            if (left < TimeSpan.FromHours(1))
            {
                WriteWarning($"-UserSig expires at {document.ExpiresOn:u}, in {left.TotalMinutes:0} minutes; calls after that fail. Sign one with a longer lifetime, or connect with -SecretKey.");
            }
        }

        private ErrorRecord ConnectionTestFailed(TencentImRequestException e, TencentImConnection connection)
        {
            string fix;
            string errorId;
            switch (e.Kind)
            {
                case RequestFailureKind.ServiceError:
                    return ToErrorRecord(e, "ConnectionTest", connection);
                case RequestFailureKind.Unreachable:
                    errorId = "EndpointUnreachable";
                    fix = "Check -Region or -Endpoint, this machine's network and any proxy (HTTPS_PROXY), then connect again.";
                    break;
                case RequestFailureKind.Timeout:
                    errorId = "EndpointTimeout";
                    fix = "Check -Region or -Endpoint and this machine's network, then connect again.";
                    break;
                default:
                    errorId = "EndpointNotTencentIm";
                    fix = "Check that -Endpoint is the Tencent IM REST API (or a proxy that passes it through unchanged).";
                    break;
            }

            string message = $"Connect-TencentIm could not prove the connection to SDKAppID {connection.SdkAppId}: {e.Message} {fix}";
            return new ErrorRecord(e, "ConnectionTest" + errorId, e.Category, connection)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = fix },
            };
        }

        private void ThrowParameterError(string errorId, string message, object? target) =>
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target));
    }
}
