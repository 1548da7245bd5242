using System;
using System.Web;
using TencentIm.Apis;
using TencentIm.Client;
using Xunit;

namespace TencentIm.Tests.Client;

public class RequestUriTests
{
    [Fact]
    public void Build_HasThePathAndAllFiveQueryParameters()
    {
        Uri uri = RequestUri.Build(new Uri("https://adminapisgp.im.qcloud.com/"), ServiceApi.AccountCheck.Path, 1400000001, "administrator", "eJx*abc-def_", 4294967295);

        Assert.Equal("/v4/im_open_login_svc/account_check", uri.AbsolutePath);
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal("1400000001", query["sdkappid"]);
        Assert.Equal("administrator", query["identifier"]);
        Assert.Equal("eJx*abc-def_", query["usersig"]);
        Assert.Equal("4294967295", query["random"]);
        Assert.Equal("json", query["contenttype"]);
        Assert.Equal(5, query.Count);
    }

    [Fact]
    public void Build_EscapesAnIdentifierWithReservedCharacters()
    {
        Uri uri = RequestUri.Build(new Uri("https://x.example/"), "svc/cmd", 1, "ops&admin=1", "sig", 1);

        Assert.Equal("ops&admin=1", HttpUtility.ParseQueryString(uri.Query)["identifier"]);
    }

    [Fact]
    public void Build_KeepsABasePath()
    {
        Uri uri = RequestUri.Build(new Uri("https://proxy.example/im/"), "svc/cmd", 1, "a", "sig", 1);

        Assert.Equal("/im/v4/svc/cmd", uri.AbsolutePath);
    }

    [Fact]
    public void Redacted_HidesTheUserSig()
    {
        string redacted = RequestUri.Redacted(new Uri("https://x.example/"), "svc/cmd", 1, "a", 7);

        Assert.Contains("usersig=%3Credacted%3E", redacted);
        Assert.Contains("random=7", redacted);
    }
}
