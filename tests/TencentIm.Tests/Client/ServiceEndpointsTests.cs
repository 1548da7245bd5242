using System;
using TencentIm.Client;
using Xunit;

namespace TencentIm.Tests.Client;

public class ServiceEndpointsTests
{
    [Theory]
    [InlineData(TencentImRegion.China, "https://console.tim.qq.com/")]
    [InlineData(TencentImRegion.Singapore, "https://adminapisgp.im.qcloud.com/")]
    [InlineData(TencentImRegion.Seoul, "https://adminapikr.im.qcloud.com/")]
    [InlineData(TencentImRegion.Frankfurt, "https://adminapiger.im.qcloud.com/")]
    [InlineData(TencentImRegion.SiliconValley, "https://adminapiusa.im.qcloud.com/")]
    [InlineData(TencentImRegion.Jakarta, "https://adminapiidn.im.qcloud.com/")]
    public void ForRegion_GivesTheFactSheetDomain(TencentImRegion region, string expected)
    {
        Assert.Equal(new Uri(expected), ServiceEndpoints.ForRegion(region));
    }

    [Theory]
    [InlineData("https://proxy.example.com", "https://proxy.example.com/")]
    [InlineData("https://proxy.example.com/im", "https://proxy.example.com/im/")]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://localhost:5080/", "http://localhost:5080/")]
    [InlineData("http://[::1]:5080/", "http://[::1]:5080/")]
    public void Normalize_AcceptsHttpsAndLoopbackHttp_WithATrailingSlash(string given, string expected)
    {
        Assert.Equal(new Uri(expected), ServiceEndpoints.Normalize(new Uri(given)));
    }

    [Theory]
    [InlineData("http://console.tim.qq.com/")]
    [InlineData("http://10.0.0.5:8080/")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("https://console.tim.qq.com/?sdkappid=1")]
    public void Normalize_RejectsPlainHttpToANetworkHostAndOtherSchemes(string given)
    {
        var e = Assert.Throws<ArgumentException>(() => ServiceEndpoints.Normalize(new Uri(given)));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Normalize_RejectsARelativeUri()
    {
        Assert.Throws<ArgumentException>(() => ServiceEndpoints.Normalize(new Uri("v4/", UriKind.Relative)));
    }
}
