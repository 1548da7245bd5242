using System;
using System.Management.Automation;
using TencentIm.Client;
using TencentIm.Commands;
using Xunit;

namespace TencentIm.Tests.Cmdlets;

public class ArgumentTransformationTests
{
    [Theory]
    [InlineData(3600)]
    [InlineData(3600L)]
    [InlineData(3600.0)]
    [InlineData("3600")]
    public void Lifetime_ReadsNumbersAndDigitStringsAsSeconds(object given)
    {
        Assert.Equal(TimeSpan.FromHours(1), new TimeSpanSecondsTransformationAttribute().Transform(null!, given));
    }

    [Fact]
    public void Lifetime_PassesATimeSpanStringOnForPowerShellToConvert()
    {
        Assert.Equal("7.00:00:00", new TimeSpanSecondsTransformationAttribute().Transform(null!, "7.00:00:00"));
    }

    [Theory]
    [InlineData("Singapore", TencentImRegion.Singapore)]
    [InlineData("siliconvalley", TencentImRegion.SiliconValley)]
    public void Region_TakesOneNameInAnyCase(string given, TencentImRegion expected)
    {
        Assert.Equal(expected, new RegionTransformationAttribute().Transform(null!, given));
    }

    [Theory]
    [InlineData("Singapore,Seoul")]
    [InlineData("3")]
    [InlineData("Mars")]
    public void Region_RejectsListsNumbersAndUnknownNames(string given)
    {
        var e = Assert.Throws<ArgumentTransformationMetadataException>(() => new RegionTransformationAttribute().Transform(null!, given));
        Assert.Contains("Singapore", e.Message);
    }
}
