using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

/// <summary>
/// Remove-TencentImAccount hosted in a runspace whose host answers the confirmation prompts as a user would: what it
/// asks, what each answer does, and that declining and -WhatIf send nothing.
/// </summary>
public class RemoveAccountConfirmationTests
{
    private const string Key = "remove-account-test-key";

    private static readonly string[] Everyone = { "alice", "bob", "carol", "dave", "erin" };

    private static Task<RunningEmulator> StartAsync(EmulatorOptions? options = null)
    {
        options ??= new EmulatorOptions();
        options.SecretKey = Key;
        options.Accounts = Everyone.ToList();
        return EmulatorServer.StartAsync(options);
    }

    private static (ScriptRun Run, PromptingHost Host) Run(RunningEmulator emulator, string script, params string[] answers)
    {
        var host = new PromptingHost(answers);
        using Runspace runspace = CmdletHost.OpenRunspace(host);
        CmdletHost.Connect(runspace, emulator.BaseUri, Key);
        return (CmdletHost.Run(runspace, script), host);
    }

    private static long DeleteRequests(RunningEmulator emulator) => emulator.Stats.Requests["account_delete"];

    private static List<string> Deleted(ScriptRun run) =>
        run.Output.Cast<AccountDeleteResult>().Where(r => r.Status == "Deleted").Select(r => r.UserID).ToList();

    [Fact]
    public async Task ByDefault_AsksForEachUserId_NamingItTheAppAndThe3MonthRule_AndNoSkipsThatUserId()
    {
        await using RunningEmulator emulator = await StartAsync();

        var (run, host) = Run(emulator, "'alice', 'bob', 'carol' | Remove-TencentImAccount", "Yes", "No", "Yes");

        Assert.Empty(run.Errors);
        Assert.Equal(3, host.Prompts.Count);
        Assert.All(host.Prompts, p => Assert.Equal("Remove-TencentImAccount", p.Caption));
        Assert.Contains("'alice'", host.Prompts[0].Message);
        Assert.Contains("'bob'", host.Prompts[1].Message);
        Assert.All(host.Prompts, p => Assert.Contains("1400000001", p.Message));
        Assert.All(host.Prompts, p => Assert.Contains("cannot be imported again for 3 months", p.Message));
        Assert.All(host.Prompts, p => Assert.Contains("cannot be undone", p.Message));
        // The declined UserID gets no result and no error, and its account is untouched.
        Assert.Equal(new[] { "alice", "carol" }, Deleted(run));
        Assert.Equal(2, run.Output.Count);
        Assert.Equal(new[] { "bob", "dave", "erin" }, emulator.ImportedAccounts);
        Assert.Equal(1, DeleteRequests(emulator));
    }

    [Fact]
    public async Task YesToAll_AtTheFirstPrompt_DeletesEveryLaterUserIdWithoutAskingAgain()
    {
        await using RunningEmulator emulator = await StartAsync();

        var (run, host) = Run(emulator, "'alice', 'bob', 'carol', 'dave', 'erin' | Remove-TencentImAccount", "Yes to All");

        Assert.Empty(run.Errors);
        Assert.Single(host.Prompts);
        Assert.Equal(Everyone, Deleted(run));
        Assert.Empty(emulator.ImportedAccounts);
    }

    [Fact]
    public async Task YesToAll_AfterAYes_StopsFurtherPrompts()
    {
        await using RunningEmulator emulator = await StartAsync();

        var (run, host) = Run(emulator, "Remove-TencentImAccount -UserId alice, bob, carol, dave", "Yes", "Yes to All");

        Assert.Equal(2, host.Prompts.Count);
        Assert.Equal(new[] { "alice", "bob", "carol", "dave" }, Deleted(run));
    }

    [Theory]
    [InlineData("No", "No", "No", "No", "No")]
    [InlineData("No to All")]
    public async Task DecliningEveryUserId_SendsNothing_AndWritesNoResultAndNoError(params string[] answers)
    {
        await using RunningEmulator emulator = await StartAsync();

        var (run, host) = Run(emulator, "'alice', 'bob', 'carol', 'dave', 'erin' | Remove-TencentImAccount", answers);

        Assert.Equal(answers.Length, host.Prompts.Count);
        Assert.Empty(run.Output);
        Assert.Empty(run.Errors);
        Assert.Equal(0, DeleteRequests(emulator));
        Assert.Equal(Everyone, emulator.ImportedAccounts);
    }

    [Theory]
    [InlineData("'alice', 'bob' | Remove-TencentImAccount -WhatIf")]
    [InlineData("'alice', 'bob' | Remove-TencentImAccount -WhatIf -Force")]
    [InlineData("$WhatIfPreference = $true; 'alice', 'bob' | Remove-TencentImAccount -Force")]
    public async Task WhatIf_SaysWhatWouldBeDeleted_AsksNothing_AndSendsNothing(string script)
    {
        await using RunningEmulator emulator = await StartAsync();

        var (run, host) = Run(emulator, script);

        Assert.Empty(host.Prompts);
        Assert.Empty(run.Output);
        Assert.Empty(run.Errors);
        Assert.Contains(host.Lines, l => l.Contains("What if: Deleting the account 'alice' of the Tencent IM app 1400000001."));
        Assert.Contains(host.Lines, l => l.Contains("'bob'"));
        Assert.Equal(0, DeleteRequests(emulator));
        Assert.Equal(Everyone, emulator.ImportedAccounts);
    }

    [Theory]
    [InlineData("'alice', 'bob' | Remove-TencentImAccount -Force")]
    [InlineData("'alice', 'bob' | Remove-TencentImAccount -Confirm:$false")]
    [InlineData("$ConfirmPreference = 'None'; 'alice', 'bob' | Remove-TencentImAccount")]
    public async Task ForceOrConfirmFalse_DeletesWithoutAsking(string script)
    {
        await using RunningEmulator emulator = await StartAsync();

        var (run, host) = Run(emulator, script);

        Assert.Empty(host.Prompts);
        Assert.Empty(run.Errors);
        Assert.Equal(new[] { "alice", "bob" }, Deleted(run));
        Assert.Equal(new[] { "carol", "dave", "erin" }, emulator.ImportedAccounts);
    }

    [Fact]
    public async Task ForceWithAnExplicitConfirm_StillAsks()
    {
        await using RunningEmulator emulator = await StartAsync();

        var (run, host) = Run(emulator, "'alice', 'bob' | Remove-TencentImAccount -Force -Confirm", "No", "Yes");

        Assert.Equal(2, host.Prompts.Count);
        Assert.Equal(new[] { "bob" }, Deleted(run));
    }
}

/// <summary>Remove-TencentImAccount against an emulator that loses the answer of a delete it has done.</summary>
public class RemoveAccountRetryTests
{
    private const string Key = "remove-account-retry-key";

    /// <summary>
    /// A seed under which the first account_delete of exactly <paramref name="userIds"/> meets a drop-after fault (the
    /// delete runs, its answer is cut off) and the second meets none: found by asking the emulator's own dice, which
    /// depend only on the seed, the API and the body.
    /// </summary>
    private static long SeedDroppingOnlyTheFirstAttempt(params string[] userIds)
    {
        byte[] body = AccountDeleteProtocol.WriteRequest(userIds);
        for (long seed = 0; seed < 10_000; seed++)
        {
            var dice = new FaultInjector(seed, 0.5, new[] { FaultKind.DropAfter }, 0);
            if (dice.Roll(EmulatedApis.AccountDelete, body).Fault == FaultKind.DropAfter && dice.Roll(EmulatedApis.AccountDelete, body).Fault == null)
            {
                return seed;
            }
        }

        throw new InvalidOperationException("No seed found.");
    }

    [Fact]
    public async Task A70107ToTheRetryOfADeleteWhoseAnswerWasLost_IsReportedDeleted_AndVerboseSaysSo()
    {
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            SecretKey = Key,
            Accounts = { "alice", "bob", "keep" },
            FaultRate = 0.5,
            FaultKinds = new List<FaultKind> { FaultKind.DropAfter },
            Seed = SeedDroppingOnlyTheFirstAttempt("alice", "bob", "ghost"),
        });
        using Runspace runspace = CmdletHost.OpenRunspace();
        CmdletHost.Connect(runspace, emulator.BaseUri, Key);

        ScriptRun run = CmdletHost.Run(runspace, "'alice', 'bob', 'ghost' | Remove-TencentImAccount -Force -Verbose");

        Assert.Empty(run.Errors);
        var results = run.Output.Cast<AccountDeleteResult>().ToList();
        Assert.Equal(new[] { "alice", "bob", "ghost" }, results.Select(r => r.UserID));
        // Every UserID of the retried request heard 70107: the first attempt deleted alice and bob; ghost never
        // existed, and the answers cannot tell them apart.
        Assert.All(results, r => Assert.Equal(("Deleted", 70107), (r.Status, r.ResultCode)));
        Assert.Equal(new[] { "keep" }, emulator.ImportedAccounts);
        Assert.Equal(2, emulator.Stats.Requests["account_delete"]);
        Assert.Equal(1, emulator.Stats.Faults["drop-after"]);
        foreach (string userId in new[] { "alice", "bob", "ghost" })
        {
            Assert.Contains(run.Verbose, v => v.StartsWith($"UserID '{userId}': im_open_login_svc/account_delete answered 70107", StringComparison.Ordinal)
                && v.Contains("was taken as Deleted", StringComparison.Ordinal));
        }

        // The note follows the attempt lines that show the lost answer and the retry.
        Assert.Contains(run.Verbose, v => v.StartsWith("account_delete: 3 item(s), attempt 1, ConnectionLost", StringComparison.Ordinal));
        Assert.Contains(run.Verbose, v => v.StartsWith("account_delete: 3 item(s), attempt 2, OK", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutALostAnswer_A70107IsNotFound_AndNoNoteIsWritten()
    {
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(new EmulatorOptions { SecretKey = Key, Accounts = { "alice" } });
        using Runspace runspace = CmdletHost.OpenRunspace();
        CmdletHost.Connect(runspace, emulator.BaseUri, Key);

        ScriptRun run = CmdletHost.Run(runspace, "'alice', 'ghost' | Remove-TencentImAccount -Force -Verbose");

        Assert.Empty(run.Errors);
        Assert.Equal(new[] { "Deleted", "NotFound" }, run.Output.Cast<AccountDeleteResult>().Select(r => r.Status));
        Assert.DoesNotContain(run.Verbose, v => v.Contains("taken as Deleted", StringComparison.Ordinal));
    }
}
