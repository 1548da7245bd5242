using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>
/// The emulator's account state that imports meet (docs/service-api.md §3): profiles (Nick, FaceUrl) shown by
/// GET /emulator/accounts?detail=1, 70399 for a UserID deleted less than 3 months ago unless --trial, and 70398 once
/// --account-limit accounts exist.
/// </summary>
public class AccountImportStateTests
{
    private static async Task<EmulatorTestClient> StartAsync(params string[] args) =>
        await EmulatorTestClient.StartAsync(EmulatorOptions.Parse(args));

    private static async Task<JsonElement> AccountDetailsAsync(EmulatorTestClient client)
    {
        string text = await client.Http.GetStringAsync("emulator/accounts?detail=1");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Task<ImAnswer> DeleteAsync(EmulatorTestClient client, params string[] userIds) =>
        client.PostAsync("account_delete", EmulatorTestClient.ItemsBody("DeleteItem", userIds));

    private static string[] FailAccounts(ImAnswer answer) =>
        answer.Json.GetProperty("FailAccounts").EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task AccountsHookWithDetail_ListsEachAccountWithItsNickAndFaceUrl_AndWithoutDetail_StillUserIdStrings()
    {
        await using var client = await StartAsync("--accounts", "seeded");
        await client.PostAsync("multiaccount_import",
            """{"AccountList":[{"UserID":"u1","Nick":"One","FaceUrl":"https://example.com/1.png"},{"UserID":"u2","Nick":"Two"}]}""");
        await client.PostAsync("account_import", """{"UserID":"u3","FaceUrl":"https://example.com/3.png"}""");

        JsonElement details = await AccountDetailsAsync(client);
        string plain = await client.Http.GetStringAsync("emulator/accounts");

        Assert.Equal(JsonValueKind.Array, details.ValueKind);
        Assert.Equal(
            new[] { ("seeded", (string?)null, (string?)null), ("u1", "One", "https://example.com/1.png"), ("u2", "Two", null), ("u3", null, "https://example.com/3.png") },
            details.EnumerateArray().Select(a => (a.GetProperty("UserID").GetString()!, a.GetProperty("Nick").GetString(), a.GetProperty("FaceUrl").GetString())));
        Assert.Equal("""["seeded","u1","u2","u3"]""", plain);
    }

    [Fact]
    public async Task ImportingAnExistingAccount_UpdatesTheFieldsSent_AndKeepsTheOthers()
    {
        await using var client = await StartAsync();
        await client.PostAsync("account_import", """{"UserID":"u1","Nick":"Old","FaceUrl":"https://example.com/old.png"}""");

        ImAnswer again = await client.PostAsync("multiaccount_import", """{"AccountList":[{"UserID":"u1","Nick":"New"}]}""");
        ImAnswer plain = await client.PostAsync("multiaccount_import", """{"Accounts":["u1"]}""");

        Assert.Equal(0, again.ErrorCode);
        Assert.Empty(FailAccounts(again));
        Assert.Equal(0, plain.ErrorCode);
        JsonElement account = (await AccountDetailsAsync(client)).EnumerateArray().Single();
        Assert.Equal(("New", "https://example.com/old.png"), (account.GetProperty("Nick").GetString(), account.GetProperty("FaceUrl").GetString()));
    }

    [Fact]
    public async Task NotTrial_AccountImportOfAUserIdDeletedEarlier_Answers70399WithAnErrorInfoThatSaysSo()
    {
        await using var client = await StartAsync("--accounts", "erin");
        await DeleteAsync(client, "erin");

        ImAnswer answer = await client.PostAsync("account_import", """{"UserID":"erin"}""");

        Assert.Equal(70399, answer.ErrorCode);
        Assert.Contains("deleted less than 3 months ago", answer.ErrorInfo);
    }

    [Fact]
    public async Task Trial_AUserIdDeletedEarlier_IsImportedAgainAtOnce_ByBothImportApis()
    {
        await using var client = await StartAsync("--trial", "--accounts", "erin,gus");
        await DeleteAsync(client, "erin", "gus");

        ImAnswer single = await client.PostAsync("account_import", """{"UserID":"erin","Nick":"Erin"}""");
        ImAnswer multi = await client.PostAsync("multiaccount_import", """{"AccountList":[{"UserID":"gus"}]}""");

        Assert.Equal(0, single.ErrorCode);
        Assert.Equal(0, multi.ErrorCode);
        Assert.Empty(FailAccounts(multi));
        Assert.Equal(new[] { "erin", "gus" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task AccountLimit_AccountImportOfANewAccountBeyondIt_Answers70398_WhileAnExistingOneIsStillUpdated()
    {
        await using var client = await StartAsync("--account-limit", "2", "--accounts", "a1");
        ImAnswer second = await client.PostAsync("account_import", """{"UserID":"a2"}""");

        ImAnswer third = await client.PostAsync("account_import", """{"UserID":"a3"}""");
        ImAnswer update = await client.PostAsync("account_import", """{"UserID":"a1","Nick":"First"}""");

        Assert.Equal(0, second.ErrorCode);
        Assert.Equal(70398, third.ErrorCode);
        Assert.Equal("FAIL", third.ActionStatus);
        Assert.Contains("limit", third.ErrorInfo);
        Assert.Equal(0, update.ErrorCode);
        Assert.Equal(new[] { "a1", "a2" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task AccountLimit_MultiaccountImport_ImportsUpToTheLimit_AndListsTheRestInFailAccounts()
    {
        await using var client = await StartAsync("--account-limit", "3", "--accounts", "a1");

        ImAnswer answer = await client.PostAsync("multiaccount_import", """{"AccountList":[{"UserID":"a1"},{"UserID":"b1"},{"UserID":"b2"},{"UserID":"b3"},{"UserID":"b4"}]}""");

        Assert.Equal(0, answer.ErrorCode);
        Assert.Equal(new[] { "b3", "b4" }, FailAccounts(answer));
        Assert.Equal(new[] { "a1", "b1", "b2" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task AccountLimit_ADeleteMakesRoomForANewAccount()
    {
        await using var client = await StartAsync("--account-limit", "1", "--trial", "--accounts", "a1");
        await DeleteAsync(client, "a1");

        ImAnswer answer = await client.PostAsync("account_import", """{"UserID":"b1"}""");

        Assert.Equal(0, answer.ErrorCode);
        Assert.Equal(new[] { "b1" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public void Parse_ReadsTrialAndAccountLimit_AndUsageListsThem()
    {
        EmulatorOptions o = EmulatorOptions.Parse(new[] { "--trial", "--account-limit", "500" });

        Assert.True(o.Trial);
        Assert.Equal(500, o.AccountLimit);
        Assert.Contains("--trial", EmulatorOptions.Usage);
        Assert.Contains("--account-limit N", EmulatorOptions.Usage);
        Assert.Contains("/emulator/accounts?detail=1", EmulatorOptions.Usage);
    }

    [Fact]
    public void Parse_WithNoArguments_IsNotTrialAndHasNoAccountLimit()
    {
        EmulatorOptions o = EmulatorOptions.Parse(Array.Empty<string>());

        Assert.False(o.Trial);
        Assert.Null(o.AccountLimit);
    }

    [Fact]
    public async Task TrialWithDenyDelete_IsRefusedAtStart_SinceTrialEditionsMayDelete()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => EmulatorServer.StartAsync(EmulatorOptions.Parse(new[] { "--trial", "--deny-delete" })));

        Assert.Contains("--trial", e.Message);
        Assert.Contains("--deny-delete", e.Message);
    }

    [Fact]
    public async Task AccountLimitBelowTheInitialAccounts_IsRefusedAtStart()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => EmulatorServer.StartAsync(EmulatorOptions.Parse(new[] { "--account-limit", "1", "--accounts", "a,b" })));

        Assert.Contains("--account-limit 1", e.Message);
        Assert.Contains("2 initial accounts", e.Message);
    }
}
