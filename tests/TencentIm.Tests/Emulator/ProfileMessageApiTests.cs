using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using TencentIm.Emulator;
using Xunit;

namespace TencentIm.Tests.Emulator;

/// <summary>
/// The emulator's profile/portrait_get, profile/portrait_set and openim/sendmsg, in the shapes of their API pages,
/// and how it answers an API it does not serve.
/// </summary>
public class ProfileMessageApiTests
{
    private static Task<ImAnswer> PostAsync(EmulatorTestClient client, string path, string body) =>
        client.SendAsync(HttpMethod.Post, "v4/" + path + "?" + client.ValidQuery(), body);

    // A pinned clock: a real one can tick over a second between an answer's MsgTime and the assertion's reading.
    private static EmulatorOptions WithAccounts(params string[] accounts) => new EmulatorOptions
    {
        Accounts = accounts.ToList(),
        TimeProvider = new PinnedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_795_000_000)),
    };

    private const string Text = "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}}]";

    [Fact]
    public async Task PortraitSet_ThenGet_AnswersUserProfileItemsWithTheFieldsSet_AndResultCode40003ForAMissingAccount()
    {
        await using EmulatorTestClient client = await EmulatorTestClient.StartAsync(WithAccounts("alice", "bob"));

        ImAnswer set = await PostAsync(client, "profile/portrait_set",
            "{\"From_Account\":\"alice\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"Alice\"},{\"Tag\":\"Tag_Profile_IM_Image\",\"Value\":\"https://example.com/a.png\"}]}");
        ImAnswer get = await PostAsync(client, "profile/portrait_get",
            "{\"To_Account\":[\"alice\",\"ghost\",\"bob\"],\"TagList\":[\"Tag_Profile_IM_Nick\",\"Tag_Profile_IM_Image\"]}");

        Assert.Equal((0, "OK"), (set.ErrorCode, set.ActionStatus));
        Assert.Equal(0, get.ErrorCode);
        JsonElement[] items = get.Json.GetProperty("UserProfileItem").EnumerateArray().ToArray();
        Assert.Equal(new[] { "alice", "ghost", "bob" }, items.Select(i => i.GetProperty("To_Account").GetString()));
        Assert.Equal(new[] { 0, 40003, 0 }, items.Select(i => i.GetProperty("ResultCode").GetInt32()));
        Assert.Equal(new[] { "Tag_Profile_IM_Nick:Alice", "Tag_Profile_IM_Image:https://example.com/a.png" },
            items[0].GetProperty("ProfileItem").EnumerateArray().Select(p => p.GetProperty("Tag").GetString() + ":" + p.GetProperty("Value").GetString()));
        Assert.Empty(items[2].GetProperty("ProfileItem").EnumerateArray());
        Assert.Equal("Alice", client.Emulator.AccountProfiles.Single(p => p.Key == "alice").Value.Nick);
    }

    [Fact]
    public async Task PortraitGet_WhenNoAccountExists_FailsWith40003_AndStillListsThem()
    {
        await using EmulatorTestClient client = await EmulatorTestClient.StartAsync(WithAccounts("alice"));

        ImAnswer get = await PostAsync(client, "profile/portrait_get", "{\"To_Account\":[\"ghost\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}");

        Assert.Equal((40003, "FAIL"), (get.ErrorCode, get.ActionStatus));
        Assert.Equal(40003, get.Json.GetProperty("UserProfileItem")[0].GetProperty("ResultCode").GetInt32());
    }

    [Theory]
    [InlineData("{\"From_Account\":\"ghost\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"x\"}]}", 40003)]
    [InlineData("{\"From_Account\":\"alice\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":5}]}", 40001)]
    [InlineData("{\"From_Account\":\"alice\",\"ProfileItem\":[{\"Tag\":\"Nick\",\"Value\":\"x\"}]}", 40001)]
    [InlineData("{\"From_Account\":\"alice\",\"ProfileItem\":[{\"Value\":\"x\"}]}", 40001)]
    [InlineData("{\"ProfileItem\":[]}", 70402)]
    public async Task PortraitSet_RefusesAMissingAccountOrABadItem_AndChangesNothing(string body, int code)
    {
        await using EmulatorTestClient client = await EmulatorTestClient.StartAsync(WithAccounts("alice"));

        ImAnswer set = await PostAsync(client, "profile/portrait_set", body);

        Assert.Equal((code, "FAIL"), (set.ErrorCode, set.ActionStatus));
        Assert.Null(client.Emulator.AccountProfiles.Single().Value.Nick);
    }

    [Fact]
    public async Task PortraitSet_RefusesANickOver500Bytes_With40601()
    {
        await using EmulatorTestClient client = await EmulatorTestClient.StartAsync(WithAccounts("alice"));

        ImAnswer set = await PostAsync(client, "profile/portrait_set",
            "{\"From_Account\":\"alice\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"" + new string('n', 501) + "\"}]}");

        Assert.Equal(40601, set.ErrorCode);
    }

    [Fact]
    public async Task Sendmsg_KeepsEachAcceptedMessage_AndAnswersMsgTimeAndADistinctMsgKey_EvenForTheSameBody()
    {
        await using EmulatorTestClient client = await EmulatorTestClient.StartAsync(WithAccounts("alice", "bob"));
        string body = "{\"From_Account\":\"alice\",\"To_Account\":\"bob\",\"MsgRandom\":4294967295," + Text + "}";

        ImAnswer first = await PostAsync(client, "openim/sendmsg", body);
        ImAnswer second = await PostAsync(client, "openim/sendmsg", body);

        Assert.Equal((0, 0), (first.ErrorCode, second.ErrorCode));
        Assert.Equal(client.Emulator.Now.ToUnixTimeSeconds(), first.Json.GetProperty("MsgTime").GetInt64());
        Assert.NotEqual(first.Json.GetProperty("MsgKey").GetString(), second.Json.GetProperty("MsgKey").GetString());
        SentMessage[] messages = client.Emulator.Messages.Snapshot().ToArray();
        Assert.Equal(2, messages.Length);
        Assert.All(messages, m => Assert.Equal(("alice", "bob", 4294967295u), (m.FromAccount, m.ToAccount, m.MsgRandom)));
        Assert.Equal(2, client.Emulator.Stats.Requests["sendmsg"]);
    }

    [Theory]
    [InlineData("{\"To_Account\":\"ghost\",\"MsgRandom\":1," + Text + "}", 20003)]
    [InlineData("{\"From_Account\":\"ghost\",\"To_Account\":\"bob\",\"MsgRandom\":1," + Text + "}", 20003)]
    [InlineData("{\"MsgRandom\":1," + Text + "}", 90003)]
    [InlineData("{\"To_Account\":[\"bob\"],\"MsgRandom\":1," + Text + "}", 90003)]
    [InlineData("{\"To_Account\":\"bob\"," + Text + "}", 90005)]
    [InlineData("{\"To_Account\":\"bob\",\"MsgRandom\":-1," + Text + "}", 90005)]
    [InlineData("{\"To_Account\":\"bob\",\"MsgRandom\":\"1\"," + Text + "}", 90005)]
    [InlineData("{\"To_Account\":\"bob\",\"MsgRandom\":true," + Text + "}", 90005)]
    [InlineData("{\"To_Account\":\"bob\",\"MsgRandom\":null," + Text + "}", 90005)]
    [InlineData("{\"To_Account\":\"bob\",\"MsgRandom\":{}," + Text + "}", 90005)]
    [InlineData("{\"To_Account\":\"bob\",\"MsgRandom\":1.5," + Text + "}", 90005)]
    [InlineData("{\"To_Account\":\"bob\",\"MsgRandom\":1,\"MsgBody\":[]}", 90002)]
    [InlineData("{\"To_Account\":\"bob\",\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\"}]}", 90002)]
    public async Task Sendmsg_RefusesAMissingAccountOrAMalformedMessage_AndKeepsNothing(string body, int code)
    {
        await using EmulatorTestClient client = await EmulatorTestClient.StartAsync(WithAccounts("bob"));

        ImAnswer answer = await PostAsync(client, "openim/sendmsg", body);

        Assert.Equal((code, "FAIL"), (answer.ErrorCode, answer.ActionStatus));
        Assert.Empty(client.Emulator.Messages.Snapshot());
    }

    [Theory]
    [InlineData("profile/portrait_get", "{\"To_Account\":\"bob\",\"TagList\":[\"Tag_Profile_IM_Nick\"]}", 60015)]
    [InlineData("profile/portrait_get", "{\"To_Account\":[1],\"TagList\":[\"Tag_Profile_IM_Nick\"]}", 60015)]
    [InlineData("profile/portrait_get", "{\"To_Account\":[null],\"TagList\":[\"Tag_Profile_IM_Nick\"]}", 60015)]
    [InlineData("profile/portrait_get", "{\"To_Account\":[\"bob\"],\"TagList\":{}}", 60015)]
    [InlineData("profile/portrait_get", "{\"To_Account\":[\"bob\"],\"TagList\":[true]}", 60015)]
    [InlineData("profile/portrait_set", "{\"From_Account\":1,\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"B\"}]}", 60015)]
    [InlineData("profile/portrait_set", "{\"From_Account\":\"bob\",\"ProfileItem\":{}}", 60015)]
    [InlineData("profile/portrait_set", "{\"From_Account\":\"bob\",\"ProfileItem\":[1]}", 40001)]
    [InlineData("profile/portrait_set", "{\"From_Account\":\"bob\",\"ProfileItem\":[{\"Tag\":1,\"Value\":\"B\"}]}", 40001)]
    [InlineData("profile/portrait_set", "{\"From_Account\":\"bob\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":{}}]}", 40001)]
    [InlineData("profile/portrait_set", "{\"From_Account\":\"bob\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_Custom_X\",\"Value\":null}]}", 40001)]
    [InlineData("openim/sendmsg", "{\"From_Account\":1,\"To_Account\":\"bob\",\"MsgRandom\":1," + Text + "}", 60015)]
    [InlineData("openim/sendmsg", "{\"To_Account\":\"bob\",\"MsgRandom\":1,\"MsgBody\":{}}", 90002)]
    [InlineData("openim/sendmsg", "{\"To_Account\":\"bob\",\"MsgRandom\":1,\"MsgBody\":[1]}", 90002)]
    [InlineData("openim/sendmsg", "{\"To_Account\":\"bob\",\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":1,\"MsgContent\":{}}]}", 90002)]
    [InlineData("openim/sendmsg", "{\"To_Account\":\"bob\",\"MsgRandom\":1,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":\"hi\"}]}", 90002)]
    public async Task AFieldOfTheWrongJsonType_IsAnsweredWithTheServicesError_NeverAnHttp500(string api, string body, int code)
    {
        await using EmulatorTestClient client = await EmulatorTestClient.StartAsync(WithAccounts("bob"));

        ImAnswer answer = await PostAsync(client, api, body);

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
        Assert.Equal((code, "FAIL"), (answer.ErrorCode, answer.ActionStatus));
        Assert.Empty(client.Emulator.Messages.Snapshot());
    }

    [Fact]
    public async Task AnApiItDoesNotServe_IsAnswered60009_AsAnUnknownRequestUri()
    {
        await using EmulatorTestClient client = await EmulatorTestClient.StartAsync(WithAccounts("bob"));

        ImAnswer answer = await PostAsync(client, "group_open_http_svc/create_group", "{}");

        Assert.Equal((60009, "FAIL"), (answer.ErrorCode, answer.ActionStatus));
    }
}
