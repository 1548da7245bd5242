using System;
using System.Management.Automation;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Signing;

/// <summary>What Connect-TencentIm -UserSig finds before any request, judged at a fixed moment.</summary>
public class PresignedUserSigCheckTests
{
    private const uint App = 1400000001;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static string Sign(DateTimeOffset issuedAt, TimeSpan lifetime, string identifier = "administrator", uint sdkAppId = App)
    {
        using var key = SecretKey.FromString("presigned-test-key");
        return UserSigSigner.Sign(key, sdkAppId, identifier, issuedAt, lifetime);
    }

    private static PresignedUserSigVerdict Check(string userSig) => UserSigChecks.CheckPresigned(userSig, App, "administrator", Now);

    [Fact]
    public void AValidUserSig_PassesWithoutWarnings()
    {
        PresignedUserSigVerdict verdict = Check(Sign(Now, TimeSpan.FromDays(1)));

        Assert.Null(verdict.Fault);
        Assert.Empty(verdict.Warnings);
        Assert.Equal("administrator", verdict.Document!.Identifier);
    }

    [Fact]
    public void IssuedOneMinuteAhead_IsAllowed_WithAWarningNamingTheClocks()
    {
        PresignedUserSigVerdict verdict = Check(Sign(Now.AddSeconds(60), TimeSpan.FromDays(1)));

        Assert.Null(verdict.Fault);
        string warning = Assert.Single(verdict.Warnings);
        Assert.StartsWith("-UserSig was issued 60 seconds ahead of this machine's clock", warning);
        Assert.Contains("NTP", warning);
    }

    [Fact]
    public void IssuedOneSecondMoreThanAMinuteAhead_Stops_AsUserSigIssuedInFuture_SayingByHowMuchAndTheFix()
    {
        PresignedUserSigVerdict verdict = Check(Sign(Now.AddSeconds(61), TimeSpan.FromDays(1)));

        UserSigFault fault = verdict.Fault!;
        Assert.Equal("UserSigIssuedInFuture", fault.ErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, fault.Category);
        Assert.Same(verdict.Document, fault.Document);
        Assert.StartsWith("-UserSig was issued at 2027-01-15 08:01:01Z, 61 seconds ahead of this machine's clock (2027-01-15 08:00:00Z)", fault.Message);
        Assert.Contains("more than the 60 seconds allowed for clock skew", fault.Message);
        Assert.Contains("Sync the clocks of both machines with NTP", fault.Message);
        Assert.EndsWith("then sign it again.", fault.Message);
    }

    [Fact]
    public void IssuedOneSecondAhead_PassesWithoutAWarning_WholeSecondIssueTimesAccountForIt()
    {
        PresignedUserSigVerdict verdict = Check(Sign(Now.AddSeconds(1), TimeSpan.FromDays(1)));

        Assert.Null(verdict.Fault);
        Assert.Empty(verdict.Warnings);
    }

    [Fact]
    public void EightSecondsLeft_WarnsInSeconds()
    {
        PresignedUserSigVerdict verdict = Check(Sign(Now.AddSeconds(-52), TimeSpan.FromSeconds(60)));

        Assert.Null(verdict.Fault);
        Assert.Equal(
            "-UserSig expires at 2027-01-15 08:00:08Z, in 8 seconds; calls after that fail. Sign one with a longer lifetime, or connect with -SecretKey.",
            Assert.Single(verdict.Warnings));
    }

    [Fact]
    public void AnHourOrMoreLeft_DoesNotWarn_LessDoes()
    {
        Assert.Empty(Check(Sign(Now, TimeSpan.FromHours(1))).Warnings);
        Assert.Contains("in 60 minutes;", Assert.Single(Check(Sign(Now.AddSeconds(-1), TimeSpan.FromHours(1))).Warnings));
    }

    [Fact]
    public void ValidThroughItsLastSecond_ExpiredTheSecondAfter_AsTheServiceJudges()
    {
        Assert.Null(Check(Sign(Now.AddHours(-1), TimeSpan.FromHours(1))).Fault);

        UserSigFault fault = Check(Sign(Now.AddHours(-1).AddSeconds(-1), TimeSpan.FromHours(1))).Fault!;

        Assert.Equal(("UserSigExpired", ErrorCategory.AuthenticationError), (fault.ErrorId, fault.Category));
        Assert.Equal("-UserSig expired at 2027-01-15 07:59:59Z, 1 second ago. Sign a new one, or connect with -SecretKey.", fault.Message);
    }

    [Theory]
    [InlineData(1400000002u, "administrator", "UserSigSdkAppIdMismatch", "-UserSig was signed for SDKAppID 1400000002, not 1400000001.")]
    [InlineData(App, "ops", "UserSigIdentifierMismatch", "-UserSig was signed for identifier 'ops', not 'administrator'.")]
    public void SignedForAnotherAppOrIdentifier_StopsWithTheServicesErrorIdAndCategory(uint sdkAppId, string identifier, string errorId, string start)
    {
        UserSigFault fault = Check(Sign(Now, TimeSpan.FromDays(1), identifier, sdkAppId)).Fault!;

        Assert.Equal((errorId, ErrorCategory.AuthenticationError), (fault.ErrorId, fault.Category));
        Assert.StartsWith(start, fault.Message);
    }

    [Fact]
    public void NotAUserSig_StopsAsUserSigMalformed_WithNothingToTarget()
    {
        PresignedUserSigVerdict verdict = Check("not a usersig");

        Assert.Null(verdict.Document);
        Assert.Equal(("UserSigMalformed", ErrorCategory.AuthenticationError), (verdict.Fault!.ErrorId, verdict.Fault.Category));
        Assert.StartsWith("-UserSig: this is not a TLSSigAPIv2 UserSig.", verdict.Fault.Message);
        Assert.Null(verdict.Fault.Document);
    }
}
