using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using TencentIm.Emulator.Commands;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

/// <summary>
/// Every -SdkAppId (a uint) refuses a value that is not an SDKAppID without repeating it: the secret key typed in
/// its place (Connect-TencentIm $key binds it to -SdkAppId, position 0) must not come back in PowerShell's
/// "Cannot convert value" message, $Error or a transcript. A number or a string of digits still binds.
/// </summary>
public class SdkAppIdBindingTests
{
    private const string KeyLike = "k-5c2e1f0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d";

    private const string Secure = "(ConvertTo-SecureString 'sdkappid-binding-key' -AsPlainText -Force)";

    private static ScriptRun RunWithEmulatorCmdlet(string script)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Start-TencentImEmulator", typeof(StartTencentImEmulatorCommand), null));
        using Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        return CmdletHost.Run(runspace, script);
    }

    [Theory]
    [InlineData("Connect-TencentIm '{0}' -SecretKey " + Secure + " -SkipConnectionTest")]
    [InlineData("Connect-TencentIm -SdkAppId '{0}' -SecretKey " + Secure + " -SkipConnectionTest")]
    [InlineData("New-TencentImUserSig -SdkAppId '{0}' -SecretKey " + Secure + " -Identifier administrator")]
    [InlineData("Test-TencentImUserSig -UserSig " + Secure + " -SdkAppId '{0}'")]
    public void AValueThatIsNotAnSdkAppId_IsRefusedWithoutBeingRepeated(string command)
    {
        using Runspace runspace = CmdletHost.OpenRunspace();

        ScriptRun run = CmdletHost.Run(runspace, string.Format(System.Globalization.CultureInfo.InvariantCulture, command, KeyLike));

        ErrorRecord error = Assert.Single(run.Errors);
        Assert.StartsWith("ParameterArgumentTransformationError", error.FullyQualifiedErrorId);
        Assert.DoesNotContain(KeyLike, run.ErrorText);
        Assert.Contains("is not an SDKAppID", error.Exception.Message);
        Assert.Contains($"{KeyLike.Length} characters long", error.Exception.Message);
    }

    [Theory]
    [InlineData("Start-TencentImEmulator -SdkAppId '{0}'")]
    [InlineData("Start-TencentImEmulator -ForeignSdkAppId 1400000002, '{0}'")]
    public void TheEmulatorsSdkAppIds_RefuseAValueThatIsNotAnSdkAppIdWithoutRepeatingIt(string command)
    {
        ScriptRun run = RunWithEmulatorCmdlet(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, KeyLike));

        ErrorRecord error = Assert.Single(run.Errors);
        Assert.StartsWith("ParameterArgumentTransformationError", error.FullyQualifiedErrorId);
        Assert.DoesNotContain(KeyLike, run.ErrorText);
        Assert.Contains("is not an SDKAppID", error.Exception.Message);
    }

    [Theory]
    [InlineData("1400000001")]
    [InlineData("'1400000001'")]
    [InlineData("' 1400000001 '")]
    [InlineData("1400000001L")]
    [InlineData("([uint32]1400000001)")]
    public void ANumberOrAStringOfDigits_StillBinds(string value)
    {
        using Runspace runspace = CmdletHost.OpenRunspace();

        ScriptRun run = CmdletHost.Run(runspace, $"(Connect-TencentIm {value} -SecretKey {Secure} -SkipConnectionTest -PassThru).SdkAppId");

        Assert.Empty(run.Errors);
        Assert.Equal(1400000001u, Assert.Single(run.Output));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("'0'")]
    public void Zero_IsLeftToValidateRange_WhichNamesTheRange(string value)
    {
        using Runspace runspace = CmdletHost.OpenRunspace();

        ScriptRun run = CmdletHost.Run(runspace, $"Connect-TencentIm {value} -SecretKey {Secure} -SkipConnectionTest");

        Assert.StartsWith("ParameterArgumentValidationError", Assert.Single(run.Errors).FullyQualifiedErrorId);
    }
}
