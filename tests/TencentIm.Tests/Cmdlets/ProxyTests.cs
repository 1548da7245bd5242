using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using TencentIm.Connections;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

/// <summary>
/// Connect-TencentIm -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials and -NoProxy: the real cmdlets in a runspace,
/// the emulator in-process, and a forwarding proxy on 127.0.0.1 that counts what went through it.
/// </summary>
public class ProxyTests
{
    internal const string Key = "proxy-test-secret-key-3c1f7a";
    internal const string ProxyUser = "bob";
    internal const string ProxyPassword = "proxy-pw-do-not-print-9f3c";

    internal static string ConnectScript(Uri endpoint, string more) =>
        $"Connect-TencentIm -SdkAppId 1400000001 -SecretKey (ConvertTo-SecureString '{Key}' -AsPlainText -Force) -Endpoint '{endpoint}' {more}";

    internal static string Credential(string password = ProxyPassword) =>
        $"(New-Object PSCredential '{ProxyUser}', (ConvertTo-SecureString '{password}' -AsPlainText -Force))";

    internal static Task<RunningEmulator> StartEmulatorAsync() =>
        EmulatorServer.StartAsync(new EmulatorOptions { SecretKey = Key, Accounts = { "alice", "bob" } });

    /// <summary>All a user could see: every run's -Verbose, -Debug and errors, and the connection, its text and its properties.</summary>
    internal static string EverythingShown(TencentImConnection connection, params ScriptRun[] runs) =>
        string.Join("\n", runs.SelectMany(run => run.Verbose.Concat(run.Debug).Append(run.ErrorText))) + "\n" + connection + "\n" +
        string.Join("\n", typeof(TencentImConnection).GetProperties().Select(p => p.GetValue(connection)?.ToString()));

    [Fact]
    public async Task Proxy_CarriesTheConnectionTestAndLaterCalls_AndTheConnectionSaysSo()
    {
        await using RunningEmulator emulator = await StartEmulatorAsync();
        await using ForwardingProxy proxy = ForwardingProxy.Start();
        using Runspace runspace = CmdletHost.OpenRunspace();

        ScriptRun connect = CmdletHost.Run(runspace, ConnectScript(emulator.BaseUri, $"-Proxy '{proxy.Uri}' -PassThru"));
        Assert.Empty(connect.Errors);
        int afterConnect = proxy.Forwarded;
        ScriptRun check = CmdletHost.Run(runspace, "Test-TencentImAccount alice, carol");

        Assert.Empty(check.Errors);
        Assert.Equal(1, afterConnect);
        Assert.Equal(2, proxy.Forwarded);
        Assert.Equal(emulator.Stats.TotalRequests, proxy.Forwarded);
        Assert.All(proxy.RequestLines, line => Assert.StartsWith($"POST {emulator.BaseUri}v4/im_open_login_svc/account_check?", line));
        Assert.Equal(new[] { "Imported", "NotImported" }, check.Output.Cast<AccountCheckResult>().Select(r => r.AccountStatus.ToString()));
        var connection = Assert.IsType<TencentImConnection>(Assert.Single(connect.Output));
        Assert.Equal(proxy.Uri.AbsoluteUri, connection.Proxy);
    }

    [Fact]
    public async Task ProxyCredential_AnswersTheProxysChallenge_AndVerboseNamesTheProxyAndUser()
    {
        await using RunningEmulator emulator = await StartEmulatorAsync();
        await using ForwardingProxy proxy = ForwardingProxy.Start(ProxyUser, ProxyPassword);
        using Runspace runspace = CmdletHost.OpenRunspace();

        ScriptRun connect = CmdletHost.Run(runspace, ConnectScript(emulator.BaseUri, $"-Proxy '{proxy.Uri}' -ProxyCredential {Credential()} -Verbose"));
        ScriptRun check = CmdletHost.Run(runspace, "Test-TencentImAccount alice");

        Assert.Empty(connect.Errors);
        Assert.Empty(check.Errors);
        Assert.Equal(2, proxy.Forwarded);
        Assert.Equal("Imported", Assert.IsType<AccountCheckResult>(Assert.Single(check.Output)).AccountStatus.ToString());
        Assert.Contains(connect.Verbose, line => line.Contains($"Proxy: {proxy.Uri}") && line.Contains($"'{ProxyUser}'"));
    }

    [Fact]
    public async Task ProxyAsksForCredentials_WithoutProxyCredential_OneErrorNamingTheProxyAndTheParameter_NotRetried()
    {
        await using RunningEmulator emulator = await StartEmulatorAsync();
        await using ForwardingProxy proxy = ForwardingProxy.Start(ProxyUser, ProxyPassword);
        using Runspace runspace = CmdletHost.OpenRunspace();

        ScriptRun connect = CmdletHost.Run(runspace, ConnectScript(emulator.BaseUri, $"-Proxy '{proxy.Uri}'"));

        ErrorRecord error = Assert.Single(connect.Errors);
        Assert.Equal("ConnectionTestProxyAuthenticationRequired,TencentIm.Commands.ConnectTencentImCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains(proxy.Uri.AbsoluteUri, error.ErrorDetails.Message);
        Assert.Contains("-ProxyCredential", error.ErrorDetails.Message);
        Assert.Equal(1, proxy.Refused);
        Assert.Equal(0, proxy.Forwarded);
        Assert.Equal(0, emulator.Stats.TotalRequests);
        Assert.Empty(CmdletHost.Run(runspace, "Get-TencentImConnection").Output);
    }

    [Fact]
    public async Task ProxyRefusesTheCredential_OneErrorNamingTheUser_NotRetried()
    {
        await using RunningEmulator emulator = await StartEmulatorAsync();
        await using ForwardingProxy proxy = ForwardingProxy.Start(ProxyUser, ProxyPassword);
        using Runspace runspace = CmdletHost.OpenRunspace();

        ScriptRun connect = CmdletHost.Run(runspace, ConnectScript(emulator.BaseUri, $"-Proxy '{proxy.Uri}' -ProxyCredential {Credential("wrong-password-1b2e")}"));

        ErrorRecord error = Assert.Single(connect.Errors);
        Assert.Equal("ConnectionTestProxyAuthenticationRequired,TencentIm.Commands.ConnectTencentImCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"'{ProxyUser}'", error.ErrorDetails.Message);
        Assert.Contains("-ProxyCredential", error.ErrorDetails.Message);
        Assert.DoesNotContain("wrong-password-1b2e", connect.ErrorText);
        // The handler sends once without credentials, is challenged, and sends once with them: no retry after that.
        Assert.InRange(proxy.Refused, 1, 2);
        Assert.Equal(0, proxy.Forwarded);
    }

    [Fact]
    public async Task ProxyAsksForCredentials_OnTheTunnelToAnHttpsEndpoint_TheSameError()
    {
        await using ForwardingProxy proxy = ForwardingProxy.Start(ProxyUser, ProxyPassword);
        using Runspace runspace = CmdletHost.OpenRunspace();
        // Nothing listens there: the proxy refuses the CONNECT before the endpoint would matter.
        var endpoint = new Uri("https://127.0.0.1:" + ForwardingProxy.UnusedAddress().Port + "/");

        ScriptRun connect = CmdletHost.Run(runspace, ConnectScript(endpoint, $"-Proxy '{proxy.Uri}'"));

        ErrorRecord error = Assert.Single(connect.Errors);
        Assert.Equal("ConnectionTestProxyAuthenticationRequired,TencentIm.Commands.ConnectTencentImCommand", error.FullyQualifiedErrorId);
        Assert.Contains(proxy.Uri.AbsoluteUri, error.ErrorDetails.Message);
        Assert.Contains("-ProxyCredential", error.ErrorDetails.Message);
        Assert.Equal(1, proxy.Connects);
    }

    [Fact]
    public async Task ProxyAsksForCredentials_LaterInTestTencentImAccount_OneTerminatingErrorNamingTheProxy()
    {
        await using RunningEmulator emulator = await StartEmulatorAsync();
        await using ForwardingProxy proxy = ForwardingProxy.Start(ProxyUser, ProxyPassword);
        using Runspace runspace = CmdletHost.OpenRunspace();
        Assert.Empty(CmdletHost.Run(runspace, ConnectScript(emulator.BaseUri, $"-Proxy '{proxy.Uri}' -SkipConnectionTest")).Errors);

        ScriptRun check = CmdletHost.Run(runspace, "Test-TencentImAccount alice, bob");

        ErrorRecord error = Assert.Single(check.Errors);
        Assert.Equal("ProxyAuthenticationRequired,TencentIm.Commands.TestTencentImAccountCommand", error.FullyQualifiedErrorId);
        Assert.Contains(proxy.Uri.AbsoluteUri, error.Exception.Message);
        Assert.Contains("-ProxyCredential", error.Exception.Message);
        Assert.Equal(1, proxy.Refused);
        Assert.Empty(check.Output);
    }

    [Fact]
    public async Task ProxyUnreachable_TheErrorNamesTheProxy_NotTheEndpoint()
    {
        await using RunningEmulator emulator = await StartEmulatorAsync();
        using Runspace runspace = CmdletHost.OpenRunspace();
        Uri nowhere = ForwardingProxy.UnusedAddress();

        ScriptRun connect = CmdletHost.Run(runspace, ConnectScript(emulator.BaseUri, $"-Proxy '{nowhere}' -MaximumRetryCount 1"));

        ErrorRecord error = Assert.Single(connect.Errors);
        Assert.Equal("ConnectionTestProxyUnreachable,TencentIm.Commands.ConnectTencentImCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains($"could not reach the proxy {nowhere}", error.ErrorDetails.Message);
        Assert.Equal(0, emulator.Stats.TotalRequests);
    }

    [Theory]
    [InlineData("-NoProxy -Proxy http://127.0.0.1:9/", "ProxyConflict")]
    [InlineData("-NoProxy -ProxyUseDefaultCredentials", "ProxyConflict")]
    [InlineData("-Proxy http://127.0.0.1:9/ -ProxyCredential CREDENTIAL -ProxyUseDefaultCredentials", "ProxyCredentialConflict")]
    [InlineData("-ProxyCredential CREDENTIAL", "ProxyCredentialWithoutProxy")]
    [InlineData("-ProxyUseDefaultCredentials", "ProxyCredentialWithoutProxy")]
    [InlineData("-Proxy http://bob:PASSWORD@127.0.0.1:9/", "ProxyAddressHasCredentials")]
    [InlineData("-Proxy ftp://127.0.0.1:9/", "ProxySchemeNotSupported")]
    [InlineData("-Proxy proxy.example:3128", "ProxySchemeNotSupported")]
    [InlineData("-Proxy /relative", "InvalidProxy")]
    [InlineData("-Proxy http://proxy.example:3128/", "ProxyNotLocalForHttpEndpoint")]
    public async Task ContradictoryOrUnusableProxySettings_StopBeforeAnyRequest(string parameters, string errorId)
    {
        await using RunningEmulator emulator = await StartEmulatorAsync();
        using Runspace runspace = CmdletHost.OpenRunspace();
        string more = parameters.Replace("CREDENTIAL", Credential()).Replace("PASSWORD", ProxyPassword);

        ScriptRun connect = CmdletHost.Run(runspace, ConnectScript(emulator.BaseUri, more));

        ErrorRecord error = Assert.Single(connect.Errors);
        Assert.Equal(errorId + ",TencentIm.Commands.ConnectTencentImCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.EndsWith(".", error.Exception.Message);
        Assert.DoesNotContain(ProxyPassword, connect.ErrorText);
        Assert.Equal(0, emulator.Stats.TotalRequests);
    }

    [Fact]
    public async Task NeitherTheProxyPasswordNorTheSecretKey_ShowInTheConnectionVerboseOrErrors()
    {
        await using RunningEmulator emulator = await StartEmulatorAsync();
        await using ForwardingProxy proxy = ForwardingProxy.Start(ProxyUser, ProxyPassword);
        using Runspace runspace = CmdletHost.OpenRunspace();

        ScriptRun good = CmdletHost.Run(runspace,
            ConnectScript(emulator.BaseUri, $"-Proxy '{proxy.Uri}' -ProxyCredential {Credential()} -PassThru -Verbose -Debug") +
            "; Test-TencentImAccount alice -Verbose -Debug");
        ScriptRun wrong = CmdletHost.Run(runspace, ConnectScript(emulator.BaseUri, $"-Proxy '{proxy.Uri}' -ProxyCredential {Credential(ProxyPassword + "x")} -Verbose"));
        ScriptRun inAddress = CmdletHost.Run(runspace, ConnectScript(emulator.BaseUri, $"-Proxy 'http://{ProxyUser}:{ProxyPassword}@127.0.0.1:{proxy.Uri.Port}/' -Verbose"));

        Assert.Empty(good.Errors);
        Assert.Single(wrong.Errors);
        Assert.Single(inAddress.Errors);
        var connection = good.Output.OfType<TencentImConnection>().Single();
        string everything = EverythingShown(connection, good, wrong, inAddress);
        Assert.Contains(proxy.Uri.AbsoluteUri, everything);
        Assert.DoesNotContain(ProxyPassword, everything);
        Assert.DoesNotContain(Key, everything);
    }
}
