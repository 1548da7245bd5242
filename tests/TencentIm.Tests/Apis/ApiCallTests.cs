using System;
using System.Management.Automation;
using System.Text.Json;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Engine;
using Xunit;

namespace TencentIm.Tests.Apis;

/// <summary>How Invoke-TencentImApi's operation reads an answer: which codes are the call's own, and the error of one.</summary>
public class ApiCallTests
{
    [Theory]
    [InlineData(70402, true)]
    [InlineData(60003, true)]
    [InlineData(60015, true)]
    [InlineData(20003, true)]
    [InlineData(40003, true)]
    [InlineData(10010, true)]
    [InlineData(70500, false)]
    [InlineData(60007, false)]
    [InlineData(70001, false)]
    [InlineData(70009, false)]
    [InlineData(60009, false)]
    [InlineData(71000, false)]
    public void OnlyCodesAboutTheCallItself_AreAnswersOfTheCall(int code, bool expected)
    {
        Assert.Equal(expected, ApiCallOperation.IsAnswerOfTheCall(code, default));
    }

    [Theory]
    [InlineData("Object", typeof(PSObject))]
    [InlineData("Hashtable", typeof(System.Collections.Specialized.OrderedDictionary))]
    [InlineData("Raw", typeof(string))]
    public void ACodeTheCatalogueDoesNotKnow_IsServiceErrorAndTheCode_WithTheAnswerAsTarget(string formName, Type targetType)
    {
        var form = (ApiAnswerForm)Enum.Parse(typeof(ApiAnswerForm), formName);
        using ImRestClient client = TestClients.New(new Uri("http://127.0.0.1:9/"), "k", new ClientSettings());
        var operation = new ApiCallOperation(client, ServiceApi.ForPath("group_open_http_svc/get_group_info"), form, idempotent: true);
        JsonElement root = JsonDocument.Parse("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":10010,\"ErrorInfo\":\"group not found\",\"GroupInfo\":[]}").RootElement.Clone();

        ItemOutcome<object> outcome = operation.ToOutcome(new ApiCallAnswer("1", root, 10010, "group not found"));

        ItemFailure failure = outcome.Failure!;
        Assert.Equal("ServiceError10010", failure.ErrorId);
        Assert.IsType(targetType, failure.Target);
        var e = Assert.IsType<TencentImRequestException>(failure.Exception);
        Assert.Equal((10010, "group not found"), (e.ErrorCode, e.ErrorInfo));
        Assert.StartsWith("group_open_http_svc/get_group_info failed with ErrorCode 10010: 'group not found'.", failure.Message);
    }
}
