using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>The four account APIs: happy paths, answer shapes and per-account results (docs/service-api.md §3).</summary>
public class AccountApiTests
{
    [Fact]
    public async Task AccountCheck_AnswersOneItemPerCheckItemInRequestOrder()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice", "carol" } });

        ImAnswer answer = await client.CheckAsync("bob", "alice", "carol", "alice");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("OK", answer.ActionStatus);
        Assert.Equal(0, answer.ErrorCode);
        Assert.Equal("", answer.ErrorInfo);
        JsonElement[] items = answer.Json.GetProperty("ResultItem").EnumerateArray().ToArray();
        Assert.Equal(new[] { "bob", "alice", "carol", "alice" }, items.Select(i => i.GetProperty("UserID").GetString()));
        Assert.Equal(new[] { "NotImported", "Imported", "Imported", "Imported" }, items.Select(i => i.GetProperty("AccountStatus").GetString()));
        Assert.All(items, i => Assert.Equal(0, i.GetProperty("ResultCode").GetInt32()));
        Assert.All(items, i => Assert.Equal("", i.GetProperty("ResultInfo").GetString()));
    }

    [Fact]
    public async Task AccountCheck_ComparesUserIdsCaseSensitively()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "Alice" } });

        ImAnswer answer = await client.CheckAsync("Alice", "alice");

        JsonElement[] items = answer.Json.GetProperty("ResultItem").EnumerateArray().ToArray();
        Assert.Equal("Imported", items[0].GetProperty("AccountStatus").GetString());
        Assert.Equal("NotImported", items[1].GetProperty("AccountStatus").GetString());
    }

    [Fact]
    public async Task AccountCheck_SeedsAccountsFromTheAccountsFile()
    {
        string file = System.IO.Path.GetTempFileName();
        try
        {
            await System.IO.File.WriteAllTextAsync(file, "from-file-1\r\n\r\n  \nfrom-file-2\n");
            await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "inline" }, AccountsFile = file });

            Assert.Equal(new[] { "from-file-1", "from-file-2", "inline" }, client.Emulator.ImportedAccounts);
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }

    [Fact]
    public async Task AccountCheck_AcceptsExactly100Items()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        ImAnswer answer = await client.CheckAsync(Enumerable.Range(0, 100).Select(i => "user" + i).ToArray());

        Assert.Equal(0, answer.ErrorCode);
        Assert.Equal(100, answer.Json.GetProperty("ResultItem").GetArrayLength());
    }

    [Fact]
    public async Task AccountCheck_UserIdOver32Bytes_FailsThatItemWith70402AndAnswersTheOthers()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice" } });
        string tooLong = new string('x', 33);

        ImAnswer answer = await client.CheckAsync("alice", tooLong);

        Assert.Equal(0, answer.ErrorCode);
        JsonElement[] items = answer.Json.GetProperty("ResultItem").EnumerateArray().ToArray();
        Assert.Equal("Imported", items[0].GetProperty("AccountStatus").GetString());
        Assert.Equal(tooLong, items[1].GetProperty("UserID").GetString());
        Assert.Equal(70402, items[1].GetProperty("ResultCode").GetInt32());
        Assert.NotEqual("", items[1].GetProperty("ResultInfo").GetString());
    }

    [Fact]
    public async Task AccountCheck_UserIdOf11ChineseCharacters_Is33BytesAndFailsWith70402()
    {
        await using var client = await EmulatorTestClient.StartAsync();
        string elevenChinese = new string('用', 11);

        ImAnswer answer = await client.CheckAsync(elevenChinese, new string('用', 10));

        JsonElement[] items = answer.Json.GetProperty("ResultItem").EnumerateArray().ToArray();
        Assert.Equal(70402, items[0].GetProperty("ResultCode").GetInt32());
        Assert.Equal(0, items[1].GetProperty("ResultCode").GetInt32());
        Assert.Equal(new string('用', 10), items[1].GetProperty("UserID").GetString());
    }

    [Fact]
    public async Task AccountCheck_EmptyUserId_FailsThatItemWith70402()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        ImAnswer answer = await client.CheckAsync("", "bob");

        JsonElement[] items = answer.Json.GetProperty("ResultItem").EnumerateArray().ToArray();
        Assert.Equal(70402, items[0].GetProperty("ResultCode").GetInt32());
        Assert.Equal(0, items[1].GetProperty("ResultCode").GetInt32());
    }

    [Fact]
    public async Task AccountCheck_FailingAccount_Answers70500ForThatItemOnly()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "flaky", "alice" }, FailingAccounts = { "flaky" } });

        ImAnswer answer = await client.CheckAsync("alice", "flaky");

        Assert.Equal(0, answer.ErrorCode);
        JsonElement[] items = answer.Json.GetProperty("ResultItem").EnumerateArray().ToArray();
        Assert.Equal(0, items[0].GetProperty("ResultCode").GetInt32());
        Assert.Equal(70500, items[1].GetProperty("ResultCode").GetInt32());
        Assert.Equal("Internal server error. Try again later.", items[1].GetProperty("ResultInfo").GetString());
        Assert.False(items[1].TryGetProperty("AccountStatus", out _));
    }

    [Fact]
    public async Task AccountImport_ImportsTheAccount()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        ImAnswer answer = await client.PostAsync("account_import", """{"UserID":"dave","Nick":"Dave","FaceUrl":"https://example.com/d.png"}""");

        Assert.Equal("""{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}""", answer.Body);
        Assert.Equal(new[] { "dave" }, client.Emulator.ImportedAccounts);
        ImAnswer check = await client.CheckAsync("dave");
        Assert.Equal("Imported", check.Json.GetProperty("ResultItem")[0].GetProperty("AccountStatus").GetString());
    }

    [Fact]
    public async Task AccountImport_NickOver500Bytes_Answers70402()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        ImAnswer answer = await client.PostAsync("account_import", $$"""{"UserID":"dave","Nick":"{{new string('n', 501)}}"}""");

        Assert.Equal(70402, answer.ErrorCode);
        Assert.Empty(client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task AccountImport_FaceUrlOver500Bytes_Answers70402()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        ImAnswer answer = await client.PostAsync("account_import", $$"""{"UserID":"dave","FaceUrl":"{{new string('f', 501)}}"}""");

        Assert.Equal(70402, answer.ErrorCode);
    }

    [Fact]
    public async Task AccountImport_UserIdOver32Bytes_Answers70402()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        ImAnswer answer = await client.PostAsync("account_import", $$"""{"UserID":"{{new string('u', 33)}}"}""");

        Assert.Equal(70402, answer.ErrorCode);
    }

    [Fact]
    public async Task AccountImport_MissingUserId_Answers70402()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        ImAnswer answer = await client.PostAsync("account_import", """{"Nick":"Dave"}""");

        Assert.Equal(70402, answer.ErrorCode);
    }

    [Fact]
    public async Task AccountImport_UserIdNotAString_Answers60015()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        ImAnswer answer = await client.PostAsync("account_import", """{"UserID":42}""");

        Assert.Equal(60015, answer.ErrorCode);
    }

    [Fact]
    public async Task AccountImport_OfAUserIdDeletedEarlier_Answers70399()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "erin" } });
        await client.PostAsync("account_delete", EmulatorTestClient.ItemsBody("DeleteItem", new[] { "erin" }));

        ImAnswer answer = await client.PostAsync("account_import", """{"UserID":"erin"}""");

        Assert.Equal("FAIL", answer.ActionStatus);
        Assert.Equal(70399, answer.ErrorCode);
        Assert.Empty(client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task AccountImport_OfAUserIdDeletedMoreThan3MonthsAgo_Succeeds()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "erin" } });
        await client.PostAsync("account_delete", EmulatorTestClient.ItemsBody("DeleteItem", new[] { "erin" }));
        client.Emulator.AdvanceClock(TimeSpan.FromDays(91));

        ImAnswer answer = await client.PostAsync("account_import", """{"UserID":"erin"}""");

        Assert.Equal(0, answer.ErrorCode);
        Assert.Equal(new[] { "erin" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task MultiaccountImport_AccountsForm_ImportsAndReportsInvalidIdsInFailAccounts()
    {
        await using var client = await EmulatorTestClient.StartAsync();
        string tooLong = new string('z', 33);

        ImAnswer answer = await client.PostAsync("multiaccount_import", $$"""{"Accounts":["u1","{{tooLong}}","u2",""]}""");

        Assert.Equal(0, answer.ErrorCode);
        Assert.Equal("OK", answer.ActionStatus);
        Assert.Equal(new[] { tooLong, "" }, answer.Json.GetProperty("FailAccounts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new[] { "u1", "u2" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task MultiaccountImport_AccountListForm_ImportsWithProfiles()
    {
        await using var client = await EmulatorTestClient.StartAsync();

        ImAnswer answer = await client.PostAsync("multiaccount_import",
            $$"""{"AccountList":[{"UserID":"u1","Nick":"One","FaceUrl":"https://example.com/1.png"},{"UserID":"u2"},{"UserID":"u3","Nick":"{{new string('n', 501)}}"}]}""");

        Assert.Equal(0, answer.ErrorCode);
        Assert.Equal(new[] { "u3" }, answer.Json.GetProperty("FailAccounts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new[] { "u1", "u2" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task MultiaccountImport_OfAUserIdDeletedEarlier_ListsItInFailAccounts()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "gone" } });
        await client.PostAsync("account_delete", EmulatorTestClient.ItemsBody("DeleteItem", new[] { "gone" }));

        ImAnswer answer = await client.PostAsync("multiaccount_import", """{"Accounts":["gone","new"]}""");

        Assert.Equal(new[] { "gone" }, answer.Json.GetProperty("FailAccounts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new[] { "new" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task MultiaccountImport_101Accounts_Answers70402AndImportsNothing()
    {
        await using var client = await EmulatorTestClient.StartAsync();
        string ids = string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"u{i}\""));

        ImAnswer answer = await client.PostAsync("multiaccount_import", "{\"Accounts\":[" + ids + "]}");

        Assert.Equal(70402, answer.ErrorCode);
        Assert.Empty(client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task AccountDelete_DeletesExistingAccountsAndAnswers70107ForMissingOnes()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice", "bob" } });

        ImAnswer answer = await client.PostAsync("account_delete", EmulatorTestClient.ItemsBody("DeleteItem", new[] { "alice", "nobody" }));

        Assert.Equal(0, answer.ErrorCode);
        JsonElement[] items = answer.Json.GetProperty("ResultItem").EnumerateArray().ToArray();
        Assert.Equal("alice", items[0].GetProperty("UserID").GetString());
        Assert.Equal(0, items[0].GetProperty("ResultCode").GetInt32());
        Assert.Equal("", items[0].GetProperty("ResultInfo").GetString());
        Assert.Equal("nobody", items[1].GetProperty("UserID").GetString());
        Assert.Equal(70107, items[1].GetProperty("ResultCode").GetInt32());
        Assert.NotEqual("", items[1].GetProperty("ResultInfo").GetString());
        Assert.Equal(new[] { "bob" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task AccountDelete_WhenDenied_Answers71000AndDeletesNothing()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice" }, DenyDelete = true });

        ImAnswer answer = await client.PostAsync("account_delete", EmulatorTestClient.ItemsBody("DeleteItem", new[] { "alice" }));

        Assert.Equal(71000, answer.ErrorCode);
        Assert.Equal(new[] { "alice" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task AccountDelete_WhenDeniedPerItem_AnswersOkWith71000ForEachAccountAndDeletesNothing()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice" }, DenyDeletePerItem = true });

        ImAnswer answer = await client.PostAsync("account_delete", EmulatorTestClient.ItemsBody("DeleteItem", new[] { "alice", "nobody" }));

        Assert.Equal(0, answer.ErrorCode);
        JsonElement[] items = answer.Json.GetProperty("ResultItem").EnumerateArray().ToArray();
        Assert.Equal(new[] { "alice", "nobody" }, items.Select(i => i.GetProperty("UserID").GetString()));
        Assert.All(items, i => Assert.Equal(71000, i.GetProperty("ResultCode").GetInt32()));
        Assert.Equal(new[] { "alice" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task AccountDelete_RecordsTheTime_SoThatAReimportIsRefusedFor90Days_AndTakenAfter()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "alice" } });

        await client.PostAsync("account_delete", EmulatorTestClient.ItemsBody("DeleteItem", new[] { "alice" }));
        client.Emulator.AdvanceClock(TimeSpan.FromDays(89));
        ImAnswer tooSoon = await client.PostAsync("account_import", """{"UserID":"alice"}""");
        client.Emulator.AdvanceClock(TimeSpan.FromDays(1));
        ImAnswer later = await client.PostAsync("account_import", """{"UserID":"alice"}""");

        Assert.Equal(70399, tooSoon.ErrorCode);
        Assert.Equal(0, later.ErrorCode);
        Assert.Equal(new[] { "alice" }, client.Emulator.ImportedAccounts);
    }

    [Fact]
    public async Task AccountDelete_101Items_Answers70402AndDeletesNothing()
    {
        await using var client = await EmulatorTestClient.StartAsync(new EmulatorOptions { Accounts = { "u0" } });

        ImAnswer answer = await client.PostAsync("account_delete", EmulatorTestClient.ItemsBody("DeleteItem", Enumerable.Range(0, 101).Select(i => "u" + i)));

        Assert.Equal(70402, answer.ErrorCode);
        Assert.Equal(new[] { "u0" }, client.Emulator.ImportedAccounts);
    }
}
