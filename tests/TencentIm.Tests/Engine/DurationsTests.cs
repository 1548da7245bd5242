using System;
using TencentIm.Engine;
using Xunit;

namespace TencentIm.Tests.Engine;

public class DurationsTests
{
    [Theory]
    [InlineData(0.2, "less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(8, "8 seconds")]
    [InlineData(59.6, "60 seconds")]
    [InlineData(119, "119 seconds")]
    [InlineData(120, "2 minutes")]
    [InlineData(12 * 60 + 10, "12 minutes")]
    [InlineData(29 * 60 + 59, "30 minutes")]
    [InlineData(119 * 60, "119 minutes")]
    [InlineData(2 * 3600, "2 hours")]
    [InlineData(3 * 3600 - 1, "3 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(48 * 3600, "2 days")]
    [InlineData(180 * 86400, "180 days")]
    public void Describe_SaysTheDurationInTheUnitThatFits(double seconds, string expected)
    {
        Assert.Equal(expected, Durations.Describe(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Describe_SaysHowLong_WhateverTheSign()
    {
        Assert.Equal("8 seconds", Durations.Describe(TimeSpan.FromSeconds(-8)));
    }
}
