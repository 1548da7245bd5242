using System;
using System.Linq;
using System.Threading.Tasks;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Signing;

public class UserSigSourceTests
{
    private sealed class FakeClock : IClock
    {
        public DateTimeOffset UtcNow { get; set; } = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    }

    [Fact]
    public void Current_ReusesTheUserSig_UntilCloseToExpiry_ThenSignsANewOne()
    {
        var clock = new FakeClock();
        using var source = new SigningUserSigSource(SecretKey.FromString("k"), 1, "admin", TimeSpan.FromHours(24), clock);

        string first = source.Current();
        clock.UtcNow += TimeSpan.FromHours(23);
        Assert.Same(first, source.Current());

        clock.UtcNow += TimeSpan.FromMinutes(51); // 9 minutes left: inside the 10-minute renewal margin
        string renewed = source.Current();

        Assert.NotEqual(first, renewed);
        Assert.Equal(clock.UtcNow.ToUnixTimeSeconds(), UserSigSigner.Decode(renewed).Time);
        Assert.Equal(clock.UtcNow + TimeSpan.FromHours(24), source.ExpiresOn);
    }

    [Fact]
    public void Current_SignsOnce_WhenManyThreadsAskTogether()
    {
        var clock = new FakeClock();
        using var source = new SigningUserSigSource(SecretKey.FromString("k"), 1, "admin", TimeSpan.FromHours(1), clock);

        string[] sigs = Enumerable.Range(0, 64).AsParallel().Select(_ => source.Current()).ToArray();

        // The same string object every time: one signature, cached (signing anew would give an equal but new string).
        Assert.All(sigs, s => Assert.Same(sigs[0], s));
    }

    [Fact]
    public void TryRenew_SignsANewUserSig_OnlyIfTheRejectedOneIsStillCurrent()
    {
        var clock = new FakeClock();
        using var source = new SigningUserSigSource(SecretKey.FromString("k"), 1, "admin", TimeSpan.FromHours(1), clock);
        string first = source.Current();
        clock.UtcNow += TimeSpan.FromSeconds(1);

        source.TryRenew(first);
        string second = source.Current();
        source.TryRenew(first); // a late report of the old one must not renew again
        Assert.NotEqual(first, second);
        Assert.Same(second, source.Current());
    }

    [Fact]
    public void Presigned_CannotRenew_AndReadsItsExpiry()
    {
        var v = (UserSigVector)UserSigVector.All().First()[0];
        using var source = new PresignedUserSigSource(v.UserSig);

        Assert.False(source.TryRenew(v.UserSig));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(v.Time + v.Expire), source.ExpiresOn);
        Assert.Equal(v.UserSig, source.Current());
    }
}
