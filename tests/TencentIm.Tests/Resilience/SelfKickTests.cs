using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Emulator;
using TencentIm.Signing;
using Xunit;

namespace TencentIm.Tests.Resilience;

/// <summary>
/// Kicking the admin identifier itself revokes the UserSig the connection calls with: the client and the emulator
/// together, as a run of Revoke-TencentImLogin that names the admin meets it.
/// </summary>
public class SelfKickTests
{
    /// <summary>A clock the test moves: the client signs with it.</summary>
    private sealed class MovableClock : IClock
    {
        public DateTimeOffset UtcNow { get; set; }
    }

    [Fact]
    public async Task KickingTheAdminItself_AKeyConnectionSignsANewUserSig_AndGoesOn()
    {
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(EmulatorRun.Options(new[] { "administrator", "alice" }));
        // The connection's UserSig was signed a minute ago, so the kick comes in a later second.
        var clock = new MovableClock { UtcNow = emulator.Now.AddMinutes(-1) };
        using ImRestClient client = EmulatorRun.Client(emulator, new ClientSettings { MaxRequestsPerSecond = 1000 }, clock);
        var kick = new KickOperation(client);

        List<KickAnswer> self = await kick.SendAsync(new[] { "administrator" }, null, CancellationToken.None);
        string revoked = client.UserSigs.Current();
        clock.UtcNow = emulator.Now;
        List<KickAnswer> next = await kick.SendAsync(new[] { "alice" }, null, CancellationToken.None);

        Assert.Equal(0, self.Single().ResultCode);
        Assert.Equal(0, next.Single().ResultCode);
        Assert.NotEqual(revoked, client.UserSigs.Current());
    }

    [Fact]
    public async Task KickingTheAdminItself_WithAPresignedUserSig_StopsTheRunWithUserSigExpired()
    {
        EmulatorOptions options = EmulatorRun.Options(new[] { "administrator", "alice" });
        await using RunningEmulator emulator = await EmulatorServer.StartAsync(options);
        string userSig;
        using (SecretKey key = SecretKey.FromString(options.SecretKey))
        {
            userSig = UserSigSigner.Sign(key, options.SdkAppId, "administrator", emulator.Now.AddMinutes(-1), TimeSpan.FromHours(1));
        }

        using var client = new ImRestClient(emulator.BaseUri, options.SdkAppId, "administrator", new PresignedUserSigSource(userSig),
            new ClientSettings { MaxRequestsPerSecond = 1000 });
        var kick = new KickOperation(client);

        List<KickAnswer> self = await kick.SendAsync(new[] { "administrator" }, null, CancellationToken.None);
        var e = await Assert.ThrowsAsync<TencentImRequestException>(() => kick.SendAsync(new[] { "alice" }, null, CancellationToken.None));

        Assert.Equal(0, self.Single().ResultCode);
        Assert.Equal(70001, e.ErrorCode);
        Assert.Equal(ServiceErrorClass.ExpiredSignature, e.ErrorClass);
        Assert.Contains("Revoke-TencentImLogin", e.Message);
    }
}
