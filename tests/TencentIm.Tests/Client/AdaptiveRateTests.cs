using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace TencentIm.Tests.Client;

/// <summary>
/// The client with its defaults (100 calls/s, 32 requests in flight, 5 attempts, 120 s retry time limit) against a
/// simulated service whose quota it is not told (<see cref="SimulatedService"/>), in virtual time: the rate limiter
/// must find the quota and hold near it, and no request may fail on the way.
/// </summary>
public class AdaptiveRateTests
{
    private readonly ITestOutputHelper _output;

    public AdaptiveRateTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<int, bool> QuotasAndReadings()
    {
        var data = new TheoryData<int, bool>();
        foreach (int quota in new[] { 1, 2, 5, 7, 10, 15, 50, 100 })
        {
            data.Add(quota, false);
            data.Add(quota, true);
        }

        return data;
    }

    private void Report(string what, SimulatedService service, params (double From, double To)[] spans)
    {
        foreach (var (from, to) in spans)
        {
            _output.WriteLine($"{what}: {from}-{to} s: {service.AdmittedPerSecond(from, to):0.0} admitted/s, {service.RejectedBetween(from, to)} rejected");
        }

        _output.WriteLine($"{what}: {service.Admitted.Count} admitted, {service.Rejected.Count} rejected in all");
    }

    [Theory]
    [MemberData(nameof(QuotasAndReadings))]
    public void AQuotaTheClientIsNotTold_EveryRequestIsAnswered_AndAfterFiveSecondsItGetsEightyPercentOfTheQuota(int quota, bool rejectedCallsCount)
    {
        var clock = new VirtualClock();
        var service = new SimulatedService(clock, quota, rejectedCallsCount);
        // Thirty seconds of the quota's work: the client is still busy when the measured span ends at 25 s.
        var client = new SimulatedClient(clock, service, requests: 30 * quota, seed: quota);

        clock.Run(client.Workers(clock));

        Report($"quota {quota}", service, (0, 5), (5, 25));
        Assert.Empty(client.Failures);
        Assert.Equal(30 * quota, client.Answered);
        double rate = service.AdmittedPerSecond(5, 25);
        Assert.True(rate >= 0.8 * quota, $"{rate:0.0} calls/s admitted from 5 to 25 s, under 80 % of {quota}");
        // At a steady quota only the probes are refused: about one per 5-second hold, never bursts.
        Assert.True(service.RejectedBetween(5, 25) <= 8, $"{service.RejectedBetween(5, 25)} calls refused from 5 to 25 s");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AtTheDocumentedQuota_CallsThatBunchUpOnTheWay_CostLittle(bool rejectedCallsCount)
    {
        var clock = new VirtualClock();
        // Up to 60 ms of jitter on the way, three times the window's 2 % margin: some calls meet the previous
        // window's late ones at the service and are refused, though the client keeps to 100 per 1.02 s.
        var service = new SimulatedService(clock, 100, rejectedCallsCount) { MaxJitter = TimeSpan.FromMilliseconds(60) };
        var client = new SimulatedClient(clock, service, requests: 3000, seed: 100);

        clock.Run(client.Workers(clock));

        Report("quota 100, 60 ms jitter", service, (0, 25));
        Assert.Empty(client.Failures);
        Assert.True(service.Rejected.Count > 0, "no call was refused: the test did not exercise strays");
        Assert.True(service.AdmittedPerSecond(0, 25) >= 95, $"{service.AdmittedPerSecond(0, 25):0.0} calls/s admitted at a quota of 100");
    }

    [Theory]
    [InlineData(10, false)]
    [InlineData(10, true)]
    [InlineData(100, false)]
    public void AServiceThatStallsNowAndThen_CostsLittle(int quota, bool rejectedCallsCount)
    {
        var clock = new VirtualClock();
        // Every 3.3 s the service stops for 50 ms (a busy host): a window's calls are counted late, bunched up, and
        // meet the next window's calls, which are refused though the client kept to the quota.
        var service = new SimulatedService(clock, quota, rejectedCallsCount)
        {
            StallEvery = TimeSpan.FromMilliseconds(3300),
            StallFor = TimeSpan.FromMilliseconds(50),
        };
        var client = new SimulatedClient(clock, service, requests: 30 * quota, seed: 33);

        clock.Run(client.Workers(clock));

        Report($"quota {quota}, stalls", service, (0, 5), (5, 25));
        Assert.Empty(client.Failures);
        Assert.True(service.Rejected.Count > 0, "no call was refused: the test did not exercise the stalls");
        Assert.True(service.AdmittedPerSecond(5, 25) >= 0.9 * quota, $"{service.AdmittedPerSecond(5, 25):0.0} calls/s admitted at a quota of {quota}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AQuotaThatChangesMidRun_100Then5Then50_IsFollowedDownAndBackUp(bool rejectedCallsCount)
    {
        var clock = new VirtualClock();
        var service = new SimulatedService(clock, 100, rejectedCallsCount);
        clock.At(10, () => service.Quota = 5);
        clock.At(30, () => service.Quota = 50);
        // 100/s for 10 s, 5/s for 20 s, 50/s for 20 s, and some more: the client is busy to the end.
        var client = new SimulatedClient(clock, service, requests: 1000 + 100 + 1000 + 200, seed: 3);

        clock.Run(client.Workers(clock));

        Report("100/5/50", service, (2, 10), (10, 15), (15, 30), (30, 40), (40, 50));
        Assert.Empty(client.Failures);
        Assert.Equal(2300, client.Answered);
        Assert.True(service.AdmittedPerSecond(2, 10) >= 80, $"{service.AdmittedPerSecond(2, 10):0.0}/s at a quota of 100");
        Assert.True(service.AdmittedPerSecond(15, 30) >= 4, $"{service.AdmittedPerSecond(15, 30):0.0}/s at a quota of 5, from 5 s after it fell");
        Assert.True(service.RejectedBetween(15, 30) <= 6, $"{service.RejectedBetween(15, 30)} calls refused at a steady quota of 5");
        Assert.True(service.AdmittedPerSecond(40, 50) >= 40, $"{service.AdmittedPerSecond(40, 50):0.0}/s at a quota of 50, from 10 s after it rose");
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(10, false)]
    [InlineData(10, true)]
    [InlineData(50, false)]
    [InlineData(50, true)]
    public void TwoClientsSharingOneQuota_BothAnswerEveryRequest_AndTogetherGetEightyPercentOfIt(int quota, bool rejectedCallsCount)
    {
        var clock = new VirtualClock();
        var service = new SimulatedService(clock, quota, rejectedCallsCount);
        var first = new SimulatedClient(clock, service, requests: 15 * quota, seed: 1);
        var second = new SimulatedClient(clock, service, requests: 15 * quota, seed: 2);

        clock.Run(first.Workers(clock).Concat(second.Workers(clock)));

        Report($"two clients, quota {quota}", service, (0, 5), (5, 20));
        _output.WriteLine($"finished at {first.Finished:0.0} s and {second.Finished:0.0} s");
        Assert.Empty(first.Failures);
        Assert.Empty(second.Failures);
        Assert.Equal(15 * quota, first.Answered);
        Assert.Equal(15 * quota, second.Answered);
        double rate = service.AdmittedPerSecond(5, 20);
        Assert.True(rate >= 0.8 * quota, $"{rate:0.0} calls/s admitted from 5 to 20 s, under 80 % of {quota}");
        Assert.True(service.RejectedBetween(5, 20) <= 12, $"{service.RejectedBetween(5, 20)} calls refused from 5 to 20 s");
    }
}
