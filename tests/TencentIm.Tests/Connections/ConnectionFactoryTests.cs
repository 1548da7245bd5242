using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using TencentIm.Client;
using TencentIm.Commands;
using TencentIm.Connections;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Connections;

/// <summary>
/// How Connect-TencentIm's settings become a connection, without PowerShell: a fake environment (never the
/// process's), a fixed clock, and the ErrorId, category, message and target of each setting it refuses.
/// </summary>
public class ConnectionFactoryTests
{
    private const uint App = 1400000001;
    private const string ParameterKey = "key-from-the-parameter";
    private const string VariableKey = "key-from-the-variable";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = new();

    private sealed class FixedClock : IClock
    {
        public DateTimeOffset UtcNow => Now;
    }

    private TencentImConnection Create(ConnectionRequest request) =>
        new ConnectionFactory(name => _environment.TryGetValue(name, out string? value) ? value : null, new FixedClock()).Create(request, _warnings.Add);

    private ConnectionSettingsException Refused(ConnectionRequest request) =>
        Assert.Throws<ConnectionSettingsException>(() => Create(request).Dispose());

    /// <summary>Refused as an invalid argument with <paramref name="errorId"/> and <paramref name="target"/>.</summary>
    private ConnectionSettingsException RefusedAsArgument(ConnectionRequest request, string errorId, object? target)
    {
        ConnectionSettingsException e = Refused(request);
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, e.Category);
        Assert.Equal(target, e.Target);
        return e;
    }

    private static SecureString Secure(string text) => SecureStrings.FromText(text);

    private static ConnectionRequest WithKey() => new() { SdkAppId = App, SecretKey = Secure(ParameterKey) };

    private static string Presigned(DateTimeOffset issuedAt, TimeSpan lifetime, string identifier = "administrator", uint sdkAppId = App)
    {
        using var key = SecretKey.FromString("presigned-key");
        return UserSigSigner.Sign(key, sdkAppId, identifier, issuedAt, lifetime);
    }

    private static ConnectionRequest WithUserSig(string userSig) => new() { SdkAppId = App, UserSig = Secure(userSig) };

    private static bool SignedWith(TencentImConnection connection, string key)
    {
        using SecretKey secretKey = SecretKey.FromString(key);
        return UserSigSigner.IsSignatureValid(UserSigSigner.Decode(connection.Client.UserSigs.Current()), secretKey);
    }

    private void SetVariable(string name, string? value)
    {
        if (value != null)
        {
            _environment[name] = value;
        }
    }

    // ---- Which value wins ----

    [Fact]
    public void SdkAppIdParameter_WinsOverTheVariable()
    {
        _environment[ConnectionFactory.SdkAppIdVariable] = "1400000002";

        using TencentImConnection connection = Create(WithKey());

        Assert.Equal(App, connection.SdkAppId);
    }

    [Fact]
    public void SdkAppId_ComesFromTheVariable_Trimmed_WhenNotGiven()
    {
        _environment[ConnectionFactory.SdkAppIdVariable] = " 1400000003\n";

        using TencentImConnection connection = Create(new ConnectionRequest { SecretKey = Secure(ParameterKey) });

        Assert.Equal(1400000003u, connection.SdkAppId);
    }

    [Fact]
    public void SecretKeyParameter_WinsOverTheVariable()
    {
        _environment[ConnectionFactory.SecretKeyVariable] = VariableKey;

        using TencentImConnection connection = Create(WithKey());

        Assert.True(SignedWith(connection, ParameterKey));
        Assert.False(SignedWith(connection, VariableKey));
    }

    [Fact]
    public void Credential_WinsOverBothVariables_ItsUserNameIsTheSdkAppId_ItsPasswordTheKey()
    {
        _environment[ConnectionFactory.SdkAppIdVariable] = "1400000002";
        _environment[ConnectionFactory.SecretKeyVariable] = VariableKey;

        using TencentImConnection connection = Create(new ConnectionRequest { Credential = new PSCredential("1400000005", Secure(ParameterKey)) });

        Assert.Equal(1400000005u, connection.SdkAppId);
        Assert.True(SignedWith(connection, ParameterKey));
    }

    [Fact]
    public void UserSigParameter_WinsOverTheKeyVariable()
    {
        _environment[ConnectionFactory.SecretKeyVariable] = VariableKey;
        string userSig = Presigned(Now, TimeSpan.FromDays(1));

        using TencentImConnection connection = Create(WithUserSig(userSig));

        Assert.Equal("UserSig", connection.AuthenticationMethod);
        Assert.Equal(userSig, connection.Client.UserSigs.Current());
    }

    [Fact]
    public void SecretKey_ComesFromTheVariable_WhenNoKeyParameterIsGiven()
    {
        _environment[ConnectionFactory.SdkAppIdVariable] = "1400000001";
        _environment[ConnectionFactory.SecretKeyVariable] = VariableKey + "\r\n";

        using TencentImConnection connection = Create(new ConnectionRequest());

        Assert.Equal("SecretKey", connection.AuthenticationMethod);
        Assert.True(SignedWith(connection, VariableKey));
    }

    [Fact]
    public void IdentifierParameter_WinsOverTheVariable()
    {
        _environment[ConnectionFactory.IdentifierVariable] = "alice";
        ConnectionRequest request = WithKey();
        request.Identifier = "ops";

        using TencentImConnection connection = Create(request);

        Assert.Equal("ops", connection.Identifier);
        Assert.Equal("ops", UserSigSigner.Decode(connection.Client.UserSigs.Current()).Identifier);
    }

    [Fact]
    public void Identifier_ComesFromTheVariable_Trimmed_WhenNotGiven()
    {
        _environment[ConnectionFactory.IdentifierVariable] = " ops\n";

        using TencentImConnection connection = Create(WithKey());

        Assert.Equal("ops", connection.Identifier);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  \t")]
    public void Identifier_IsAdministrator_WhenNeitherTheParameterNorTheVariableNamesOne(string? variable)
    {
        SetVariable(ConnectionFactory.IdentifierVariable, variable);

        using TencentImConnection connection = Create(WithKey());

        Assert.Equal("administrator", connection.Identifier);
    }

    [Fact]
    public void EndpointVariable_WinsOverTheRegionVariable()
    {
        _environment[ConnectionFactory.EndpointVariable] = " https://im.example.com/base ";
        _environment[ConnectionFactory.RegionVariable] = "Seoul";

        using TencentImConnection connection = Create(WithKey());

        Assert.Equal(new Uri("https://im.example.com/base/"), connection.Endpoint);
        Assert.Null(connection.RegionValue);
    }

    [Fact]
    public void RegionVariable_GivesThatRegionsEndpoint_InAnyLetterCase()
    {
        _environment[ConnectionFactory.RegionVariable] = " seoul ";

        using TencentImConnection connection = Create(WithKey());

        Assert.Equal(TencentImRegion.Seoul, connection.RegionValue);
        Assert.Equal(new Uri("https://adminapikr.im.qcloud.com/"), connection.Endpoint);
    }

    [Fact]
    public void RegionParameter_WinsOverBothVariables()
    {
        _environment[ConnectionFactory.EndpointVariable] = "https://im.example.com/";
        _environment[ConnectionFactory.RegionVariable] = "Seoul";
        ConnectionRequest request = WithKey();
        request.Region = TencentImRegion.Frankfurt;

        using TencentImConnection connection = Create(request);

        Assert.Equal(TencentImRegion.Frankfurt, connection.RegionValue);
        Assert.Equal(new Uri("https://adminapiger.im.qcloud.com/"), connection.Endpoint);
    }

    [Fact]
    public void EndpointParameter_WinsOverBothVariables()
    {
        _environment[ConnectionFactory.EndpointVariable] = "https://im.example.com/";
        _environment[ConnectionFactory.RegionVariable] = "Seoul";
        ConnectionRequest request = WithKey();
        request.Endpoint = new Uri("http://127.0.0.1:5000");

        using TencentImConnection connection = Create(request);

        Assert.Equal(new Uri("http://127.0.0.1:5000/"), connection.Endpoint);
        Assert.Null(connection.RegionValue);
    }

    [Fact]
    public void WithoutRegionOrEndpoint_ByParameterOrVariable_TheRegionIsChina()
    {
        using TencentImConnection connection = Create(WithKey());

        Assert.Equal(TencentImRegion.China, connection.RegionValue);
        Assert.Equal(new Uri("https://console.tim.qq.com/"), connection.Endpoint);
    }

    // ---- Client settings and proxy ----

    [Fact]
    public void ClientSettings_HaveTheDefaults_WhenNothingIsGiven()
    {
        using TencentImConnection connection = Create(WithKey());

        ClientSettings settings = connection.Client.Settings;
        Assert.Null(settings.MaxRequestsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.RequestTimeout);
        Assert.Equal(5, settings.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(120), settings.RetryBudget);
        Assert.Equal(TimeSpan.FromDays(1), settings.UserSigLifetime);
        Assert.Equal(ProxyMode.System, settings.Proxy.Mode);
    }

    [Fact]
    public void ClientSettings_FollowTheParameters_RetriesCountingTheFirstAttemptToo()
    {
        ConnectionRequest request = WithKey();
        request.MaxRequestsPerSecond = 12;
        request.RequestTimeoutSec = 5;
        request.MaximumRetryCount = 0;
        request.RetryTimeLimitSec = 7;
        request.UserSigLifetimeSec = 600;

        using TencentImConnection connection = Create(request);

        ClientSettings settings = connection.Client.Settings;
        Assert.Equal(12, settings.MaxRequestsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.RequestTimeout);
        Assert.Equal(1, settings.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.RetryBudget);
        Assert.Equal(TimeSpan.FromSeconds(600), settings.UserSigLifetime);
    }

    [Fact]
    public void UserSigs_AreSignedAtTheInjectedClocksTime_ForTheirLifetime()
    {
        ConnectionRequest request = WithKey();
        request.UserSigLifetimeSec = 600;

        using TencentImConnection connection = Create(request);

        UserSigDocument document = UserSigSigner.Decode(connection.Client.UserSigs.Current());
        Assert.Equal(Now, document.IssuedOn);
        Assert.Equal(Now.AddSeconds(600), document.ExpiresOn);
    }

    [Fact]
    public void NoProxy_SendsDirectly()
    {
        ConnectionRequest request = WithKey();
        request.NoProxy = true;

        using TencentImConnection connection = Create(request);

        Assert.Equal(ProxyMode.None, connection.Client.Settings.Proxy.Mode);
        Assert.Equal("None", connection.Proxy);
    }

    [Fact]
    public void Proxy_WithCredential_IsUsedAsGiven_ShownWithoutItsPath()
    {
        ConnectionRequest request = WithKey();
        request.Proxy = new Uri("http://proxy.example.com:8080/some/path");
        request.ProxyCredential = new PSCredential("proxy-user", Secure("proxy-password"));

        using TencentImConnection connection = Create(request);

        ProxySettings proxy = connection.Client.Settings.Proxy;
        Assert.Equal(ProxyMode.Explicit, proxy.Mode);
        Assert.Equal(new Uri("http://proxy.example.com:8080/"), proxy.Address);
        Assert.Equal("proxy-user", proxy.Credential!.UserName);
        Assert.False(proxy.UseDefaultCredentials);
    }

    // ---- Settings refused: SDKAppID and key ----

    [Theory]
    [InlineData(null)]
    [InlineData(" \n")]
    public void SdkAppIdMissing_WhenNeitherTheParameterNorTheVariableGivesOne(string? variable)
    {
        SetVariable(ConnectionFactory.SdkAppIdVariable, variable);

        ConnectionSettingsException e = RefusedAsArgument(new ConnectionRequest { SecretKey = Secure(ParameterKey) }, "SdkAppIdMissing", null);

        Assert.Equal("No SDKAppID: pass -SdkAppId, or set the TENCENTIM_SDKAPPID environment variable.", e.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-1400000001")]
    [InlineData("14000000010")]
    [InlineData("1400000001x")]
    public void InvalidSdkAppIdVariable_NamesTheVariableAndItsLength_NotItsValue(string variable)
    {
        _environment[ConnectionFactory.SdkAppIdVariable] = variable;

        ConnectionSettingsException e = RefusedAsArgument(new ConnectionRequest { SecretKey = Secure(ParameterKey) }, "InvalidSdkAppIdVariable", ConnectionFactory.SdkAppIdVariable);

        Assert.StartsWith($"TENCENTIM_SDKAPPID is not an SDKAppID: its value, {variable.Length} characters long, is not a whole number from 1 to 4294967295.", e.Message);
        Assert.DoesNotContain($"'{variable}'", e.Message);
    }

    /// <summary>A key set in the wrong variable (or any other secret) never shows in the error its variable causes.</summary>
    [Theory]
    [InlineData(ConnectionFactory.SdkAppIdVariable, "k-5c2e1f0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d", "InvalidSdkAppIdVariable")]
    [InlineData(ConnectionFactory.RegionVariable, "k-5c2e1f0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d", "InvalidRegionVariable")]
    [InlineData(ConnectionFactory.EndpointVariable, "k-5c2e1f0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d", "InvalidEndpointVariable")]
    [InlineData(ConnectionFactory.IdentifierVariable, "k-5c2e1f0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d", "IdentifierTooLong")]
    [InlineData(ConnectionFactory.EndpointVariable, "https://admin:k-5c2e1f0d9a8b7c6d5e4f3a2b1c0d9e8f@im.example.com/", "InvalidEndpoint")]
    public void ASecretInAVariable_IsNeverShown_NotInTheMessageNorInTheTarget(string variable, string value, string errorId)
    {
        _environment[variable] = value;
        ConnectionRequest request = variable == ConnectionFactory.SdkAppIdVariable ? new ConnectionRequest { SecretKey = Secure(ParameterKey) } : WithKey();

        ConnectionSettingsException e = Refused(request);

        Assert.Equal(errorId, e.ErrorId);
        string secret = value.Contains('@') ? "k-5c2e1f0d9a8b7c6d5e4f3a2b1c0d9e8f" : value;
        Assert.DoesNotContain(secret, e.Message);
        Assert.DoesNotContain(secret, e.Target?.ToString() ?? "");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void SecretKeyMissing_WhenNoKeyParameterAndNoKeyVariable(string? variable)
    {
        _environment[ConnectionFactory.SdkAppIdVariable] = "1400000001";
        SetVariable(ConnectionFactory.SecretKeyVariable, variable);

        ConnectionSettingsException e = RefusedAsArgument(new ConnectionRequest(), "SecretKeyMissing", null);

        Assert.Equal("No secret key: pass -SecretKey, -Credential or -UserSig, or set the TENCENTIM_SECRETKEY environment variable.", e.Message);
    }

    [Fact]
    public void SecretKeyEmpty_WhenTheKeyVariableIsSetButBlank_AsForABlankParameter()
    {
        _environment[ConnectionFactory.SdkAppIdVariable] = "1400000001";
        SetVariable(ConnectionFactory.SecretKeyVariable, " \r\n");

        ConnectionSettingsException e = RefusedAsArgument(new ConnectionRequest(), "SecretKeyEmpty", null);

        Assert.StartsWith("TENCENTIM_SECRETKEY is set, but blank.", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \t ")]
    public void SecretKeyEmpty_ForAnEmptyOrBlankSecretKey_NamingTheParameter(string key)
    {
        ConnectionSettingsException e = RefusedAsArgument(new ConnectionRequest { SdkAppId = App, SecretKey = Secure(key) }, "SecretKeyEmpty", null);

        Assert.StartsWith("-SecretKey: the secret key is empty.", e.Message);
    }

    [Fact]
    public void SecretKeyEmpty_ForACredentialWithAnEmptyPassword_NamingTheParameter()
    {
        var request = new ConnectionRequest { Credential = new PSCredential("1400000001", Secure("")) };

        ConnectionSettingsException e = RefusedAsArgument(request, "SecretKeyEmpty", null);

        Assert.StartsWith("-Credential: the secret key is empty.", e.Message);
    }

    [Theory]
    [InlineData("my-im-app")]
    [InlineData("1400000001 ")]
    [InlineData("+1400000001")]
    [InlineData("k-5c2e1f0d9a8b7c6d5e4f3a2b1c0d9e8f")]
    public void CredentialUserNameNotSdkAppId_SaysItsLength_NotTheUserName_WhichMayBeTheKeyInTheWrongField(string userName)
    {
        var request = new ConnectionRequest { Credential = new PSCredential(userName, Secure(ParameterKey)) };

        ConnectionSettingsException e = RefusedAsArgument(request, "CredentialUserNameNotSdkAppId", null);

        Assert.StartsWith($"-Credential: the user name, {userName.Length} characters long, is not an SDKAppID (a whole number from 1 to 4294967295); it is not shown", e.Message);
        Assert.DoesNotContain(userName, e.Message);
    }

    // ---- Settings refused: endpoint and region ----

    [Fact]
    public void RegionAndEndpoint_WhenBothParametersAreGiven()
    {
        ConnectionRequest request = WithKey();
        request.Region = TencentImRegion.Singapore;
        request.Endpoint = new Uri("https://im.example.com/");

        ConnectionSettingsException e = RefusedAsArgument(request, "RegionAndEndpoint", null);

        Assert.Equal("Pass -Region or -Endpoint, not both: -Endpoint replaces the region's address.", e.Message);
    }

    [Fact]
    public void InvalidEndpointVariable_WhenItIsNotAnAbsoluteUri_EvenWithAGoodRegionVariable()
    {
        _environment[ConnectionFactory.EndpointVariable] = "adminapisgp.im.qcloud.com";
        _environment[ConnectionFactory.RegionVariable] = "Singapore";

        ConnectionSettingsException e = RefusedAsArgument(WithKey(), "InvalidEndpointVariable", ConnectionFactory.EndpointVariable);

        Assert.StartsWith("TENCENTIM_ENDPOINT is not an absolute URI (its value, 25 characters long, is not shown, in case it is a secret).", e.Message);
    }

    [Fact]
    public void InvalidRegionVariable_ListsTheRegions()
    {
        _environment[ConnectionFactory.RegionVariable] = "Mars";

        ConnectionSettingsException e = RefusedAsArgument(WithKey(), "InvalidRegionVariable", ConnectionFactory.RegionVariable);

        Assert.Equal("TENCENTIM_REGION is not a region (its value, 4 characters long, is not shown, in case it is a secret). Set it to one of: China, Singapore, Seoul, Frankfurt, SiliconValley, Jakarta.", e.Message);
    }

    [Fact]
    public void InvalidEndpoint_FromTheParameter_NamesTheParameter_AndTargetsTheEndpointWithoutItsQuery()
    {
        ConnectionRequest request = WithKey();
        request.Endpoint = new Uri("https://im.example.com/base?x=1");

        ConnectionSettingsException e = RefusedAsArgument(request, "InvalidEndpoint", "https://im.example.com/base");

        Assert.StartsWith("-Endpoint: The endpoint must be a base URI without a query or fragment", e.Message);
    }

    [Fact]
    public void InvalidEndpoint_FromTheVariable_NamesTheVariable()
    {
        _environment[ConnectionFactory.EndpointVariable] = "http://im.example.com/";

        ConnectionSettingsException e = RefusedAsArgument(WithKey(), "InvalidEndpoint", "http://im.example.com/");

        Assert.StartsWith("TENCENTIM_ENDPOINT: The endpoint 'http://im.example.com' must use https", e.Message);
    }

    // ---- Settings refused: identifier ----

    [Fact]
    public void IdentifierEmpty_WhenTheParameterIsBlank()
    {
        ConnectionRequest request = WithKey();
        request.Identifier = "   ";

        ConnectionSettingsException e = RefusedAsArgument(request, "IdentifierEmpty", null);

        Assert.Equal("-Identifier is blank. Pass the app admin account, such as administrator.", e.Message);
    }

    [Fact]
    public void IdentifierTooLong_CountsUtf8Bytes_NotCharacters()
    {
        string identifier = new string('管', 11); // 11 characters, 33 bytes in UTF-8
        ConnectionRequest request = WithKey();
        request.Identifier = identifier;

        ConnectionSettingsException e = RefusedAsArgument(request, "IdentifierTooLong", identifier);

        Assert.StartsWith("-Identifier is 33 bytes long in UTF-8; an account ID has at most 32.", e.Message);
    }

    [Fact]
    public void IdentifierTooLong_FromTheVariable_NamesTheVariable_AndTargetsTheVariable_NotItsValue()
    {
        string identifier = new string('a', 33);
        _environment[ConnectionFactory.IdentifierVariable] = " " + identifier + " ";

        ConnectionSettingsException e = RefusedAsArgument(WithKey(), "IdentifierTooLong", ConnectionFactory.IdentifierVariable);

        Assert.StartsWith("TENCENTIM_IDENTIFIER is 33 bytes long in UTF-8;", e.Message);
    }

    [Fact]
    public void AnIdentifierOf32Bytes_IsAccepted()
    {
        ConnectionRequest request = WithKey();
        request.Identifier = new string('a', 32);

        using TencentImConnection connection = Create(request);

        Assert.Equal(new string('a', 32), connection.Identifier);
    }

    // ---- Pre-signed UserSig ----

    [Fact]
    public void UserSigLifetimeWithUserSig_TargetsTheLifetimeGiven()
    {
        ConnectionRequest request = WithUserSig(Presigned(Now, TimeSpan.FromDays(1)));
        request.UserSigLifetimeSec = 3600;

        ConnectionSettingsException e = RefusedAsArgument(request, "UserSigLifetimeWithUserSig", 3600);

        Assert.StartsWith("-UserSigLifetimeSec applies to UserSigs signed from a key", e.Message);
    }

    [Fact]
    public void UserSigMalformed_IsAnAuthenticationError_WithNoTarget()
    {
        ConnectionSettingsException e = Refused(WithUserSig("not-a-usersig"));

        Assert.Equal("UserSigMalformed", e.ErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, e.Category);
        Assert.Null(e.Target);
        Assert.StartsWith("-UserSig: this is not a TLSSigAPIv2 UserSig.", e.Message);
    }

    [Fact]
    public void UserSigSdkAppIdMismatch_TargetsTheDecodedUserSig()
    {
        ConnectionSettingsException e = Refused(WithUserSig(Presigned(Now, TimeSpan.FromDays(1), sdkAppId: 1400000002)));

        Assert.Equal("UserSigSdkAppIdMismatch", e.ErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, e.Category);
        Assert.Equal(1400000002u, Assert.IsType<UserSigDocument>(e.Target).SdkAppId);
        Assert.Equal("-UserSig was signed for SDKAppID 1400000002, not 1400000001. Sign it for the app you connect to.", e.Message);
    }

    [Fact]
    public void UserSigIdentifierMismatch_ChecksAgainstTheResolvedIdentifier()
    {
        _environment[ConnectionFactory.IdentifierVariable] = "ops";

        ConnectionSettingsException e = Refused(WithUserSig(Presigned(Now, TimeSpan.FromDays(1), identifier: "administrator")));

        Assert.Equal("UserSigIdentifierMismatch", e.ErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, e.Category);
        Assert.Equal("administrator", Assert.IsType<UserSigDocument>(e.Target).Identifier);
        Assert.StartsWith("-UserSig was signed for identifier 'administrator', not 'ops'.", e.Message);
    }

    [Fact]
    public void UserSigIssuedInFuture_ByMoreThanAMinuteOfTheInjectedClock()
    {
        ConnectionSettingsException e = Refused(WithUserSig(Presigned(Now.AddSeconds(61), TimeSpan.FromDays(1))));

        Assert.Equal("UserSigIssuedInFuture", e.ErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, e.Category);
        Assert.Equal(Now.AddSeconds(61), Assert.IsType<UserSigDocument>(e.Target).IssuedOn);
        Assert.Contains("61 seconds ahead of this machine's clock (2027-01-15 08:00:00Z)", e.Message);
    }

    [Fact]
    public void UserSigExpired_ByTheInjectedClock()
    {
        ConnectionSettingsException e = Refused(WithUserSig(Presigned(Now.AddDays(-2), TimeSpan.FromDays(1))));

        Assert.Equal("UserSigExpired", e.ErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, e.Category);
        Assert.IsType<UserSigDocument>(e.Target);
        Assert.StartsWith("-UserSig expired at 2027-01-14 08:00:00Z, 24 hours ago.", e.Message);
    }

    [Fact]
    public void AUserSigThatExpiresWithinTheHour_Connects_WithOneWarningThroughTheCallback()
    {
        using TencentImConnection connection = Create(WithUserSig(Presigned(Now.AddMinutes(-30), TimeSpan.FromHours(1))));

        string warning = Assert.Single(_warnings);
        Assert.StartsWith("-UserSig expires at 2027-01-15 08:30:00Z, in 30 minutes;", warning);
        Assert.Equal(Now.AddMinutes(30), connection.UserSigExpiresOn);
    }

    [Fact]
    public void AFreshUserSig_Connects_WithoutWarnings()
    {
        using TencentImConnection connection = Create(WithUserSig(Presigned(Now, TimeSpan.FromDays(1))));

        Assert.Empty(_warnings);
        Assert.Equal("UserSig", connection.AuthenticationMethod);
    }

    // ---- Settings refused: proxy ----

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public void ProxyConflict_WhenNoProxyComesWithAnyOtherProxyParameter(bool proxy, bool credential, bool useDefault)
    {
        ConnectionRequest request = WithKey();
        request.NoProxy = true;
        request.Proxy = proxy ? new Uri("http://proxy.example.com:8080/") : null;
        request.ProxyCredential = credential ? new PSCredential("proxy-user", Secure("proxy-password")) : null;
        request.ProxyUseDefaultCredentials = useDefault;

        ConnectionSettingsException e = RefusedAsArgument(request, "ProxyConflict", null);

        Assert.StartsWith("-NoProxy sends requests directly", e.Message);
    }

    [Fact]
    public void ProxyCredentialConflict_WhenBothKindsOfProxyCredentialsAreGiven()
    {
        ConnectionRequest request = WithKey();
        request.Proxy = new Uri("http://proxy.example.com:8080/");
        request.ProxyCredential = new PSCredential("proxy-user", Secure("proxy-password"));
        request.ProxyUseDefaultCredentials = true;

        ConnectionSettingsException e = RefusedAsArgument(request, "ProxyCredentialConflict", null);

        Assert.StartsWith("Pass -ProxyCredential or -ProxyUseDefaultCredentials, not both", e.Message);
    }

    [Theory]
    [InlineData(true, "-ProxyCredential needs -Proxy.")]
    [InlineData(false, "-ProxyUseDefaultCredentials needs -Proxy.")]
    public void ProxyCredentialWithoutProxy_NamesTheParameterGiven(bool credential, string expectedStart)
    {
        ConnectionRequest request = WithKey();
        request.ProxyCredential = credential ? new PSCredential("proxy-user", Secure("proxy-password")) : null;
        request.ProxyUseDefaultCredentials = !credential;

        ConnectionSettingsException e = RefusedAsArgument(request, "ProxyCredentialWithoutProxy", null);

        Assert.StartsWith(expectedStart, e.Message);
    }

    [Fact]
    public void InvalidProxy_WhenTheProxyIsNotAnAbsoluteUri()
    {
        ConnectionRequest request = WithKey();
        request.Proxy = new Uri("proxy.example.com", UriKind.Relative);

        ConnectionSettingsException e = RefusedAsArgument(request, "InvalidProxy", null);

        Assert.StartsWith("-Proxy is not an absolute URI.", e.Message);
    }

    [Fact]
    public void ProxyAddressHasCredentials_TargetsTheAddressWithoutThem_AndNeverShowsThePassword()
    {
        ConnectionRequest request = WithKey();
        request.Proxy = new Uri("http://proxy-user:proxy-password@proxy.example.com:8080/");

        ConnectionSettingsException e = RefusedAsArgument(request, "ProxyAddressHasCredentials", "http://proxy.example.com:8080/");

        Assert.DoesNotContain("proxy-password", e.Message);
    }

    [Fact]
    public void ProxySchemeNotSupported_ForASchemeNoProxyHas()
    {
        ConnectionRequest request = WithKey();
        request.Proxy = new Uri("ftp://proxy.example.com/");

        ConnectionSettingsException e = RefusedAsArgument(request, "ProxySchemeNotSupported", null);

        Assert.StartsWith("-Proxy: 'ftp' is not a proxy scheme", e.Message);
    }

    [Fact]
    public void ProxyNotLocalForHttpEndpoint_WhenALoopbackHttpEndpointWouldGoThroughARemoteProxy()
    {
        ConnectionRequest request = WithKey();
        request.Endpoint = new Uri("http://127.0.0.1:5000/");
        request.Proxy = new Uri("http://proxy.example.com:8080/");

        ConnectionSettingsException e = RefusedAsArgument(request, "ProxyNotLocalForHttpEndpoint", "http://proxy.example.com:8080/");

        Assert.StartsWith("-Proxy http://proxy.example.com:8080/ is not on this machine", e.Message);
    }

    // ---- Order ----

    [Fact]
    public void FaultsAreReportedInAFixedOrder_Identifier_Endpoint_Proxy_SdkAppId_Key()
    {
        var request = new ConnectionRequest
        {
            Identifier = " ",
            Region = TencentImRegion.Seoul,
            Endpoint = new Uri("https://im.example.com/"),
            NoProxy = true,
            ProxyUseDefaultCredentials = true,
        };

        Assert.Equal("IdentifierEmpty", Refused(request).ErrorId);
        request.Identifier = "administrator";
        Assert.Equal("RegionAndEndpoint", Refused(request).ErrorId);
        request.Endpoint = null;
        Assert.Equal("ProxyConflict", Refused(request).ErrorId);
        request.ProxyUseDefaultCredentials = false;
        Assert.Equal("SdkAppIdMissing", Refused(request).ErrorId);
        request.SdkAppId = App;
        Assert.Equal("SecretKeyMissing", Refused(request).ErrorId);
    }
}
