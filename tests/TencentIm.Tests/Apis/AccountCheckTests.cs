using System;
using System.Text;
using System.Text.Json;
using TencentIm.Apis;
using Xunit;

namespace TencentIm.Tests.Apis;

public class AccountCheckProtocolTests
{
    [Fact]
    public void WriteRequest_WritesTheCheckItemShapeOfTheApiPage()
    {
        string json = Encoding.UTF8.GetString(AccountCheckProtocol.WriteRequest(new[] { "UserID_1", "UserID_2" }));

        Assert.Equal("{\"CheckItem\":[{\"UserID\":\"UserID_1\"},{\"UserID\":\"UserID_2\"}]}", json);
    }

    [Fact]
    public void WriteRequest_EscapesQuotesAndKeepsNonAsciiReadable()
    {
        string json = Encoding.UTF8.GetString(AccountCheckProtocol.WriteRequest(new[] { "a\"b", "用户" }));

        Assert.Equal("{\"CheckItem\":[{\"UserID\":\"a\\\"b\"},{\"UserID\":\"用户\"}]}", json);
    }

    [Fact]
    public void ReadResultItems_ReadsTheApiPagesExampleAnswer()
    {
        const string answer = "{\"ActionStatus\": \"OK\",\"ErrorCode\": 0,\"ErrorInfo\": \"\",\"ResultItem\": [{\"UserID\": \"UserID_1\",\"ResultCode\": 0,\"ResultInfo\": \"\",\"AccountStatus\": \"Imported\"},{\"UserID\": \"UserID_2\",\"ResultCode\": 0,\"ResultInfo\": \"\",\"AccountStatus\": \"NotImported\"}]}";
        using var document = JsonDocument.Parse(answer);

        var items = AccountCheckProtocol.ReadResultItems(document.RootElement, new[] { "UserID_1", "UserID_2" });

        Assert.Equal(2, items.Count);
        Assert.Equal(("UserID_1", 0, "Imported"), (items[0].UserId, items[0].ResultCode, items[0].AccountStatus));
        Assert.Equal(("UserID_2", 0, "NotImported"), (items[1].UserId, items[1].ResultCode, items[1].AccountStatus));
    }

    [Fact]
    public void ReadResultItems_ReusesTheSentString_WhenTheAnswerIsInRequestOrder_AndReadsOtherOrdersToo()
    {
        string[] sent = { "a", "b" };
        using var document = JsonDocument.Parse("{\"ErrorCode\":0,\"ResultItem\":[{\"UserID\":\"a\",\"AccountStatus\":\"Imported\"},{\"UserID\":\"c\",\"AccountStatus\":\"Odd\"}]}");

        var items = AccountCheckProtocol.ReadResultItems(document.RootElement, sent);

        Assert.Same(sent[0], items[0].UserId);
        Assert.Equal(("c", "Odd"), (items[1].UserId, items[1].AccountStatus));
    }

    [Theory]
    [InlineData("{\"ErrorCode\":0}")]
    [InlineData("{\"ErrorCode\":0,\"ResultItem\":{}}")]
    [InlineData("{\"ErrorCode\":0,\"ResultItem\":[{\"ResultCode\":0}]}")]
    public void ReadResultItems_RejectsAnAnswerOfAnotherShape(string answer)
    {
        using var document = JsonDocument.Parse(answer);
        Assert.Throws<FormatException>(() => AccountCheckProtocol.ReadResultItems(document.RootElement, new[] { "u1" }));
    }
}
