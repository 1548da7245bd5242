using System;
using TencentIm.Client;
using Xunit;

namespace TencentIm.Tests.Client;

public class BackoffTests
{
    private static readonly ClientSettings Settings = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(200), RetryMaxDelay = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(3, 800)]
    [InlineData(6, 6400)]
    public void Next_DoublesFromTheBase_WithoutJitterAtTheMidpoint(int attempt, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), new Backoff(Settings, () => 0.5).Next(attempt));
    }

    [Fact]
    public void Next_JittersByTwentyPercentEitherWay()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(160), new Backoff(Settings, () => 0.0).Next(1));
        Assert.Equal(TimeSpan.FromMilliseconds(240), new Backoff(Settings, () => 1.0).Next(1));
    }

    [Fact]
    public void Next_NeverExceedsTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), new Backoff(Settings, () => 1.0).Next(60));
    }
}
