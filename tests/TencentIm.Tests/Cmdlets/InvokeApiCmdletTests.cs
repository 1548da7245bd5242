using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using TencentIm.Client;
using TencentIm.Connections;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

/// <summary>
/// Invoke-TencentImApi hosted in a runspace against the in-process emulator: body forms, output forms, pipeline
/// order under concurrency, error objects with the answer, configuration errors that stop, names of APIs, and no
/// secret in -Verbose or -Debug.
/// </summary>
public class InvokeApiCmdletTests
{
    private const string Key = "invoke-api-cmdlet-key";

    private static readonly string[] Accounts = Enumerable.Range(0, 40).Select(i => "a" + i).Concat(new[] { "alice", "bob" }).ToArray();

    private static Task<RunningEmulator> StartAsync(EmulatorOptions? options = null)
    {
        options ??= new EmulatorOptions();
        options.SecretKey = Key;
        options.Accounts = Accounts.ToList();
        return EmulatorServer.StartAsync(options);
    }

    private static ScriptRun Run(RunningEmulator emulator, string script, string connect = "-SkipConnectionTest") =>
        Run(emulator, script, out _, connect);

    private static ScriptRun Run(RunningEmulator emulator, string script, out TencentImConnection connection, string connect = "-SkipConnectionTest")
    {
        using Runspace runspace = CmdletHost.OpenRunspace();
        connection = CmdletHost.Connect(runspace, emulator.BaseUri, Key, connect);
        return CmdletHost.Run(runspace, script);
    }

    private static string ErrorId(ErrorRecord e) => e.FullyQualifiedErrorId.Split(',')[0];

    private static object? Prop(object o, string name) => o is IDictionary h ? h[name] : ((PSObject)o).Properties[name].Value;

    private const string SetAlice = "@{ From_Account = 'alice'; ProfileItem = @(@{ Tag = 'Tag_Profile_IM_Nick'; Value = 'Alice' }) }";

    private const string GetAlice = "@{ To_Account = @('alice'); TagList = @('Tag_Profile_IM_Nick') }";

    [Theory]
    [InlineData("Invoke-TencentImApi profile/portrait_set -Body " + SetAlice)]
    [InlineData("Invoke-TencentImApi profile/portrait_set -Body ([ordered]" + SetAlice + ")")]
    [InlineData("Invoke-TencentImApi profile/portrait_set -Body ([pscustomobject]@{ From_Account = 'alice'; ProfileItem = @([pscustomobject]@{ Tag = 'Tag_Profile_IM_Nick'; Value = 'Alice' }) })")]
    [InlineData("Invoke-TencentImApi profile/portrait_set -Body '{\"From_Account\":\"alice\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"Alice\"}]}'")]
    [InlineData(SetAlice + " | Invoke-TencentImApi v4/profile/portrait_set")]
    [InlineData("'{\"From_Account\":\"alice\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"Alice\"}]}' | Invoke-TencentImApi /v4/profile/portrait_set")]
    public async Task EachBodyForm_SetsTheNick(string script)
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, script);

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        object answer = Assert.Single(run.Output);
        Assert.Equal("OK", Prop(answer, "ActionStatus"));
        Assert.Equal(0, Prop(answer, "ErrorCode"));
        Assert.Equal("", Prop(answer, "ErrorInfo"));
        Assert.Equal("Alice", emulator.AccountProfiles.Single(p => p.Key == "alice").Value.Nick);
    }

    [Fact]
    public async Task WithoutABody_TheApiGetsAnEmptyObject()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, "Invoke-TencentImApi profile/portrait_get -Debug");

        // The emulator, as the service, wants To_Account: the call went with {} and was answered.
        Assert.Contains(run.Debug, d => d.Contains("Request body: {}"));
        Assert.Equal("InvalidParameters", ErrorId(Assert.Single(run.Errors)));
        Assert.Equal(1, emulator.Stats.Requests["portrait_get"]);
    }

    [Fact]
    public async Task EachOutputForm_PSCustomObject_Hashtable_Raw()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, $@"
            Invoke-TencentImApi profile/portrait_set -Body {SetAlice} | Out-Null
            Invoke-TencentImApi profile/portrait_get -Body {GetAlice}
            Invoke-TencentImApi profile/portrait_get -Body {GetAlice} -AsHashtable
            Invoke-TencentImApi profile/portrait_get -Body {GetAlice} -Raw");

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        Assert.Equal(3, run.Output.Count);
        Assert.IsType<PSCustomObject>(Assert.IsType<PSObject>(run.Output[0]).BaseObject);
        var item = (PSObject)((object[])Prop(run.Output[0], "UserProfileItem")!)[0];
        Assert.Equal("Alice", ((PSObject)((object[])item.Properties["ProfileItem"].Value)[0]).Properties["Value"].Value);
        var table = Assert.IsType<System.Collections.Specialized.OrderedDictionary>(run.Output[1]);
        Assert.Equal("OK", table["ActionStatus"]);
        Assert.Equal("Alice", ((IDictionary)((object[])((IDictionary)((object[])table["UserProfileItem"]!)[0])["ProfileItem"]!)[0])["Value"]);
        var raw = Assert.IsType<string>(run.Output[2]);
        Assert.StartsWith("{\"ActionStatus\":\"OK\",\"ErrorCode\":0", raw);
        Assert.Contains("\"Value\":\"Alice\"", raw);
    }

    [Fact]
    public async Task SixtyFourBitNumbers_GoAndComeBackExact_InEveryOutputForm()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, @"
            Invoke-TencentImApi profile/portrait_set -Body @{ From_Account = 'alice'; ProfileItem = @(
                @{ Tag = 'Tag_Profile_Custom_U64'; Value = [uint64]::MaxValue }, @{ Tag = 'Tag_Profile_Custom_Odd'; Value = 9007199254740993 }) } | Out-Null
            $get = @{ To_Account = @('alice'); TagList = @('Tag_Profile_Custom_U64', 'Tag_Profile_Custom_Odd') }
            (Invoke-TencentImApi profile/portrait_get -Body $get).UserProfileItem[0].ProfileItem.Value
            (Invoke-TencentImApi profile/portrait_get -Body $get -AsHashtable).UserProfileItem[0].ProfileItem.Value
            Invoke-TencentImApi profile/portrait_get -Body $get -Raw");

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        Assert.Equal(new object[] { ulong.MaxValue, 9007199254740993L, ulong.MaxValue, 9007199254740993L }, run.Output.Take(4).ToArray());
        Assert.Contains("\"Value\":18446744073709551615", (string)run.Output[4]);
        Assert.Contains("\"Value\":9007199254740993", (string)run.Output[4]);
    }

    [Fact]
    public async Task PipedBodies_RunConcurrentlyWithAThrottleLimit_AndComeOutInInputOrder()
    {
        await using RunningEmulator emulator = await StartAsync(new EmulatorOptions { LatencyMs = 5, LatencyJitterMs = 40, Seed = 3 });

        ScriptRun run = Run(emulator,
            "0..39 | ForEach-Object { @{ To_Account = @(\"a$_\"); TagList = @('Tag_Profile_IM_Nick') } } | Invoke-TencentImApi profile/portrait_get -ThrottleLimit 8 | ForEach-Object { $_.UserProfileItem[0].To_Account }");

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => "a" + i), run.Output.Cast<string>());
        Assert.InRange(emulator.Stats.MaxConcurrentRequests, 2, 8);
    }

    [Fact]
    public async Task PipedBodies_ByDefault_RunOneAtATime()
    {
        await using RunningEmulator emulator = await StartAsync(new EmulatorOptions { LatencyMs = 5 });

        ScriptRun run = Run(emulator,
            "0..9 | ForEach-Object { @{ To_Account = @(\"a$_\"); TagList = @('Tag_Profile_IM_Nick') } } | Invoke-TencentImApi profile/portrait_get");

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        Assert.Equal(10, run.Output.Count);
        Assert.Equal(1, emulator.Stats.MaxConcurrentRequests);
    }

    [Fact]
    public async Task AnErrorCode_IsANonTerminatingError_WithCodeInfoAdvice_AndTheWholeAnswerAsTarget()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, @"
            Invoke-TencentImApi profile/portrait_get -Body @{ To_Account = @('ghost', 'nobody'); TagList = @('Tag_Profile_IM_Nick') }
            Invoke-TencentImApi profile/portrait_get -Body @{ To_Account = @('ghost'); TagList = @('Tag_Profile_IM_Nick') } -AsHashtable
            'after'");

        Assert.Equal("after", run.Output.Last());
        Assert.Equal(2, run.Errors.Count);
        ErrorRecord error = run.Errors[0];
        Assert.Equal("ProfileAccountNotFound", ErrorId(error));
        var exception = Assert.IsType<TencentImRequestException>(error.Exception);
        Assert.Equal(40003, exception.ErrorCode);
        Assert.Equal("The requested account does not exist", exception.ErrorInfo);
        Assert.Contains("ErrorCode 40003", error.ErrorDetails.Message);
        Assert.Contains("'The requested account does not exist'", error.ErrorDetails.Message);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails.RecommendedAction));
        // The partial results: every account's own ResultCode, read from the target.
        var answer = Assert.IsType<PSObject>(error.TargetObject);
        Assert.Equal("FAIL", answer.Properties["ActionStatus"].Value);
        var items = (object[])answer.Properties["UserProfileItem"].Value;
        Assert.Equal(new object[] { "ghost", "nobody" }, items.Select(i => ((PSObject)i).Properties["To_Account"].Value));
        Assert.IsType<System.Collections.Specialized.OrderedDictionary>(run.Errors[1].TargetObject);
    }

    [Fact]
    public async Task AnAnswerWithSomeAccountsFailing_IsAResult_TheirCodesInside()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, "(Invoke-TencentImApi profile/portrait_get -Body @{ To_Account = @('alice', 'ghost'); TagList = @('Tag_Profile_IM_Nick') }).UserProfileItem.ResultCode");

        Assert.Empty(run.Errors);
        Assert.Equal(new object[] { 0, 40003 }, run.Output.ToArray());
    }

    [Fact]
    public async Task Sendmsg_AnswersMsgTimeAndMsgKey_AndAMissingRecipientIs20003()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, @"
            $body = { param($to) @{ To_Account = $to; MsgRandom = 1; MsgBody = @(@{ MsgType = 'TIMTextElem'; MsgContent = @{ Text = 'hi' } }) } }
            (& $body 'bob'), (& $body 'ghost'), (& $body 'alice') | Invoke-TencentImApi openim/sendmsg");

        Assert.Equal(2, run.Output.Count);
        Assert.All(run.Output, o => Assert.IsType<long>(Prop(o, "MsgTime") is int i ? (long)i : Prop(o, "MsgTime")));
        Assert.All(run.Output, o => Assert.False(string.IsNullOrEmpty((string?)Prop(o, "MsgKey"))));
        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("MessageAccountNotFound", ErrorId(error));
        Assert.Equal(new[] { "bob", "alice" }, emulator.Messages.Snapshot().Select(m => m.ToAccount));
    }

    [Fact]
    public async Task ABadBody_IsAnInvalidBodyErrorForThatInputOnly_NamingIt_AndTheOthersAreSent()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, $"{GetAlice}, 'not json', 42, '[1]', {GetAlice} | Invoke-TencentImApi profile/portrait_get");

        Assert.Equal(2, run.Output.Count);
        Assert.Equal(3, run.Errors.Count);
        Assert.All(run.Errors, e => Assert.Equal("InvalidBody", ErrorId(e)));
        Assert.All(run.Errors, e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
        Assert.Equal(new object[] { "not json", 42, "[1]" }, run.Errors.Select(e => e.TargetObject is PSObject p ? p.BaseObject : e.TargetObject));
        Assert.Contains("Body 2 for profile/portrait_get was not sent", run.Errors[0].ErrorDetails.Message);
        Assert.Contains("not valid JSON", run.Errors[0].ErrorDetails.Message);
        Assert.Contains("not an object", run.Errors[2].ErrorDetails.Message);
        Assert.Equal(2, emulator.Stats.Requests["portrait_get"]);
    }

    [Theory]
    [InlineData("[datetime]", "X", "type")]
    [InlineData("{ 'x' }", "X", "script block")]
    [InlineData("[ipaddress]'127.0.0.1'", "X", "IP address")]
    [InlineData("[System.IO.FileInfo]'nosuch.txt'", "X", "file")]
    [InlineData("(Get-Process -Id $PID)", "X", "process")]
    [InlineData("(ConvertTo-SecureString 'pa55word' -AsPlainText -Force)", "X", "SecureString")]
    [InlineData("[pscredential]::new('u', (ConvertTo-SecureString 'pa55word' -AsPlainText -Force))", "X", "credential")]
    [InlineData("@{ A = @(1, [datetime]) }", "X.A[1]", "type")]
    [InlineData("([pscustomobject]@{ A = 1 } | Add-Member -MemberType ScriptProperty -Name Bad -Value { throw 'no getter' } -PassThru)", "X.Bad", "no getter")]
    public async Task ABodyWithAValueThatIsNotJson_IsAnInvalidBodyErrorNamingTheInputAndThePath_AndTheOthersAreSent(string value, string path, string said)
    {
        await using RunningEmulator emulator = await StartAsync(new EmulatorOptions { LatencyMs = 5 });

        ScriptRun run = Run(emulator, $@"
            $bad = @{{ To_Account = @('alice'); TagList = @('Tag_Profile_IM_Nick'); X = {value} }}
            {GetAlice}, $bad, {GetAlice}, {GetAlice} | Invoke-TencentImApi profile/portrait_get -ThrottleLimit 2");

        Assert.Equal(3, run.Output.Count);
        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("InvalidBody", ErrorId(error));
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        object? target = error.TargetObject is PSObject p ? p.BaseObject : error.TargetObject;
        Assert.True(target is Hashtable h && h.ContainsKey("X"), "the target is the input hashtable");
        Assert.Contains("Body 2 for profile/portrait_get was not sent", error.ErrorDetails.Message);
        Assert.Contains($"'{path}'", error.ErrorDetails.Message);
        Assert.Contains(said, error.ErrorDetails.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("pa55word", error.ErrorDetails.Message);
        Assert.Equal(3, emulator.Stats.Requests["portrait_get"]);
    }

    [Fact]
    public async Task ABodyThatCannotBeWritten_AmongSendsInFlight_LosesNoOtherOutcome()
    {
        await using RunningEmulator emulator = await StartAsync(new EmulatorOptions { LatencyMs = 5 });

        ScriptRun run = Run(emulator, @"
            1..20 | ForEach-Object {
                $h = @{ From_Account = 'alice'; To_Account = 'bob'; MsgRandom = $_; MsgBody = @(@{ MsgType = 'TIMTextElem'; MsgContent = @{ Text = ""m$_"" } }) }
                if ($_ -eq 10) { $h.X = [datetime] }
                $h
            } | Invoke-TencentImApi openim/sendmsg -ThrottleLimit 4");

        Assert.Equal(19, run.Output.Count);
        Assert.Equal("InvalidBody", ErrorId(Assert.Single(run.Errors)));
        Assert.Equal(19, emulator.Messages.Snapshot().Count);
    }

    [Fact]
    public async Task BlankStrings_AreSkippedSilently_AsTheOtherCmdletsSkipBlankLines()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, "'', '   ', \"`t\", '{\"To_Account\":[\"alice\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}', ' ' | Invoke-TencentImApi profile/portrait_get");

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        Assert.Single(run.Output);
        Assert.Equal(1, emulator.Stats.Requests["portrait_get"]);
    }

    [Fact]
    public async Task ANullBody_IsAnInvalidBodyError_WhoseTargetIsTheNullInput()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, $"{GetAlice}, $null | Invoke-TencentImApi profile/portrait_get");

        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("InvalidBody", ErrorId(error));
        Assert.Null(error.TargetObject);
        Assert.Single(run.Output);
    }

    [Fact]
    public async Task AsHashtable_KeepsTheAnswersFieldOrder()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, $@"
            Invoke-TencentImApi profile/portrait_get -Body {GetAlice} -AsHashtable
            Invoke-TencentImApi profile/portrait_get -Body {GetAlice} -Raw");

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        var table = Assert.IsType<System.Collections.Specialized.OrderedDictionary>(run.Output[0]);
        using var raw = System.Text.Json.JsonDocument.Parse((string)run.Output[1]);
        Assert.Equal(raw.RootElement.EnumerateObject().Select(p => p.Name), table.Keys.Cast<string>());
        var item = Assert.IsType<System.Collections.Specialized.OrderedDictionary>(((object[])table["UserProfileItem"]!)[0]);
        Assert.Equal(new[] { "To_Account", "ProfileItem", "ResultCode", "ResultInfo" }, item.Keys.Cast<string>());
    }

    [Theory]
    [InlineData("-WhatIf")]
    [InlineData("-WhatIf:$true -Confirm:$false")]
    [InlineData("-WhatIf", "$WhatIfPreference = $true;")]
    [InlineData("", "$WhatIfPreference = $true;")]
    public async Task WhatIf_SendsNothing_AndWritesNothing(string switches, string before = "")
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, $@"{before}
            {SetAlice}, {SetAlice} | Invoke-TencentImApi profile/portrait_set {switches}
            Invoke-TencentImApi openim/sendmsg -Body @{{ To_Account = 'bob'; MsgRandom = 1; MsgBody = @(@{{ MsgType = 'TIMTextElem'; MsgContent = @{{ Text = 'x' }} }}) }} {switches}");

        Assert.True(run.Errors.Count == 0, run.ErrorText);
        Assert.Empty(run.Output);
        Assert.Equal(0, emulator.Stats.TotalRequests);
        Assert.Empty(emulator.Messages.Snapshot());
    }

    [Fact]
    public void ConfirmImpact_IsMedium_SoConfirmWorksButTheDefaultPreferenceNeverPrompts()
    {
        var attribute = (CmdletAttribute)Attribute.GetCustomAttribute(typeof(TencentIm.Commands.InvokeTencentImApiCommand), typeof(CmdletAttribute))!;

        Assert.True(attribute.SupportsShouldProcess);
        Assert.Equal(ConfirmImpact.Medium, attribute.ConfirmImpact);
    }

    [Fact]
    public async Task AnApiTheServiceDoesNotKnow_StopsTheCommand_AfterItsFirstCall()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, "@{}, @{}, @{} | Invoke-TencentImApi profile/portrait_gte");

        Assert.Empty(run.Output);
        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("ApiNotFound", ErrorId(error));
        Assert.Contains("does not know the API 'profile/portrait_gte'", error.ErrorDetails.Message);
        Assert.Contains("-Api", error.ErrorDetails.RecommendedAction);
        Assert.Equal(1, emulator.Stats.TotalRequests);
    }

    [Theory]
    [InlineData("profile/nosuch")]
    [InlineData("Profile/Portrait_Get")]
    public async Task AnApiTheServiceDoesNotKnow_SaysNamesAreCaseSensitive_InItsExceptionToo_NotThatItIsABug(string api)
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, $"Invoke-TencentImApi {api} -Body @{{}}");

        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("ApiNotFound", ErrorId(error));
        Assert.Contains("case-sensitive", error.ErrorDetails.Message);
        Assert.Contains("case-sensitive", error.Exception.Message);
        Assert.Contains(api, error.Exception.Message);
        Assert.DoesNotContain("bug", error.Exception.Message);
        Assert.DoesNotContain("bug", error.ErrorDetails.Message);
    }

    [Fact]
    public async Task AWrongKey_StopsTheCommand_AsInTheOtherCmdlets()
    {
        await using RunningEmulator emulator = await StartAsync();
        using Runspace runspace = CmdletHost.OpenRunspace();
        CmdletHost.Connect(runspace, emulator.BaseUri, "a-wrong-key", "-SkipConnectionTest");

        ScriptRun run = CmdletHost.Run(runspace, $"{GetAlice}, {GetAlice} | Invoke-TencentImApi profile/portrait_get");

        Assert.Empty(run.Output);
        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Contains("70009", error.ErrorDetails.Message);
        Assert.Equal(1, emulator.Stats.Requests["portrait_get"]);
    }

    [Theory]
    [InlineData("profile")]
    [InlineData("profile/portrait_get/x")]
    [InlineData("https://console.tim.qq.com/v4/profile/portrait_get")]
    public async Task AnApiNameOfTheWrongShape_IsRefusedBeforeAnythingIsSent(string api)
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, $"Invoke-TencentImApi '{api}' -Body @{{}}");

        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("InvalidApiName", ErrorId(error));
        Assert.Contains("service/command", error.Exception.Message);
        Assert.Equal(0, emulator.Stats.TotalRequests);
    }

    [Fact]
    public async Task AsHashtableWithRaw_IsRefusedBeforeAnythingIsSent()
    {
        await using RunningEmulator emulator = await StartAsync();

        ScriptRun run = Run(emulator, $"Invoke-TencentImApi profile/portrait_get -Body {GetAlice} -AsHashtable -Raw");

        Assert.Equal("AsHashtableWithRaw", ErrorId(Assert.Single(run.Errors)));
        Assert.Equal(0, emulator.Stats.TotalRequests);
    }

    [Fact]
    public void WithoutAConnection_TheCommandStopsWithNotConnected()
    {
        using Runspace runspace = CmdletHost.OpenRunspace();

        ScriptRun run = CmdletHost.Run(runspace, "Invoke-TencentImApi profile/portrait_get -Body @{}");

        Assert.Equal("NotConnected", ErrorId(Assert.Single(run.Errors)));
    }

    [Fact]
    public async Task VerboseAndDebug_ShowTheCalls_ButNeverTheKeyNorTheUserSig()
    {
        await using RunningEmulator emulator = await StartAsync(new EmulatorOptions { FaultRate = 0.5, Seed = 11 });

        ScriptRun run = Run(emulator, $@"
            {GetAlice}, {GetAlice}, {GetAlice}, 'bad' | Invoke-TencentImApi profile/portrait_get -Verbose -Debug
            Invoke-TencentImApi openim/sendmsg -Body @{{ To_Account = 'bob'; MsgRandom = 1; MsgBody = @(@{{ MsgType = 'TIMTextElem'; MsgContent = @{{ Text = 'x' }} }}) }} -Verbose -Debug",
            out TencentImConnection connection);
        string userSig = connection.Client.UserSigs.Current();

        Assert.NotEmpty(run.Verbose);
        Assert.True(run.Debug.Any(d => d.Contains("usersig=")), string.Join("\n", run.Debug));
        string everything = string.Join("\n", run.Verbose.Concat(run.Debug).Append(run.ErrorText)
            .Concat(run.Output.Select(o => PSObject.AsPSObject(o).ToString())));
        Assert.DoesNotContain(Key, everything);
        Assert.DoesNotContain(userSig.Substring(0, 40), everything);
    }
}
