using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;
using TencentIm.Emulator;
using TencentIm.Engine;
using TencentIm.Signing;

namespace TencentIm.Tests.Resilience;

/// <summary>Runs the real client and engine against an in-process emulator and collects every outcome.</summary>
internal static class EmulatorRun
{
    public const string Key = "resilience-test-key";

    /// <summary>UserIDs u0..u(n-1); every third one is imported in the emulator.</summary>
    public static (string[] Ids, HashSet<string> Imported) Population(int n)
    {
        string[] ids = Enumerable.Range(0, n).Select(i => "u" + i).ToArray();
        return (ids, ids.Where((_, i) => i % 3 == 0).ToHashSet(StringComparer.Ordinal));
    }

    public static ImRestClient Client(RunningEmulator emulator, ClientSettings settings, IClock? clock = null) =>
        new(emulator.BaseUri, 1400000001, "administrator",
            new SigningUserSigSource(SecretKey.FromString(Key), 1400000001, "administrator", settings.UserSigLifetime, clock ?? SystemClock.Instance),
            settings);

    public static List<ItemOutcome<AccountCheckResult>> Check(ImRestClient client, IEnumerable<string> ids, int throttleLimit = 32, CancellationToken ct = default)
    {
        var outcomes = new List<ItemOutcome<AccountCheckResult>>();
        using var engine = new OrderedBatchEngine<string, AccountCheckItem, AccountCheckResult>(new AccountCheckOperation(client), outcomes.Add, null, 100, throttleLimit, ct);
        foreach (string id in ids)
        {
            engine.Submit(id);
        }

        engine.Complete();
        return outcomes;
    }

    public static EmulatorOptions Options(IEnumerable<string> imported) => new()
    {
        SecretKey = Key,
        Accounts = imported.ToList(),
    };
}
