using System;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

/// <summary>
/// Through the cmdlets, an endpoint that echoes the request URL in its answer gets no whole UserSig into an error
/// (message, details, exception, target object: what $Error and Export-Clixml of $Error keep), -Verbose, -Debug or
/// the output: for Connect-TencentIm's connection test, Test-TencentImAccount and Invoke-TencentImApi.
/// </summary>
public class ResponseRedactionCmdletTests
{
    private const string Key = "response-redaction-cmdlet-key";

    private const string ConnectParameters = "-SdkAppId 1400000001 -SecretKey (ConvertTo-SecureString '" + Key + "' -AsPlainText -Force) -MaximumRetryCount 0";

    // Every error as Export-Clixml writes it, so that the target object and the whole exception are searched too.
    private const string SerializedErrors = "; $Error | ForEach-Object { [System.Management.Automation.PSSerializer]::Serialize($_, 6) }";

    public static TheoryData<EchoingEndpoint.Echo, string> Cases()
    {
        var data = new TheoryData<EchoingEndpoint.Echo, string>();
        foreach (EchoingEndpoint.Echo echo in Enum.GetValues<EchoingEndpoint.Echo>())
        {
            data.Add(echo, "Connect");
            data.Add(echo, "Test-TencentImAccount");
            data.Add(echo, "Invoke-TencentImApi");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AnEndpointThatEchoesTheUrl_GetsNoUserSigIntoErrorsVerboseDebugOrOutput(EchoingEndpoint.Echo echo, string command)
    {
        await using EchoingEndpoint endpoint = await EchoingEndpoint.StartAsync(echo);
        string connect = $"Connect-TencentIm {ConnectParameters} -Endpoint '{endpoint.BaseUri}'";
        string script = command switch
        {
            "Connect" => $"try {{ {connect} -Verbose -Debug }} catch {{ }}",
            "Test-TencentImAccount" => $"{connect} -SkipConnectionTest; try {{ Test-TencentImAccount administrator -Verbose -Debug | ConvertTo-Json -Depth 8 -Compress }} catch {{ }}",
            _ => $"{connect} -SkipConnectionTest; try {{ Invoke-TencentImApi im_open_login_svc/account_check -Body @{{ CheckItem = @(@{{ UserID = 'administrator' }}) }} -Verbose -Debug | ConvertTo-Json -Depth 8 -Compress }} catch {{ }}",
        };

        using Runspace runspace = CmdletHost.OpenRunspace();
        ScriptRun run = CmdletHost.Run(runspace, script + SerializedErrors);

        Assert.NotEmpty(endpoint.UserSigs);
        Assert.NotEmpty(run.Debug);
        string everything = string.Join("\n", run.Output.Select(o => o?.ToString()).Concat(run.Verbose).Concat(run.Debug).Append(run.ErrorText));
        foreach (string form in endpoint.UserSigs.Distinct().SelectMany(EchoingEndpoint.FormsOf))
        {
            Assert.DoesNotContain(form, everything, StringComparison.Ordinal);
        }

        if (echo != EchoingEndpoint.Echo.SuccessfulAnswer)
        {
            Assert.NotEmpty(run.Output); // the serialized $Error: there was an error to search
        }
    }
}
