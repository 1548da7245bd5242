using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace TencentIm.Emulator;

/// <summary>What the dice said about one request: its fault (if any) and its latency jitter.</summary>
internal readonly record struct RequestFate(FaultKind? Fault, int JitterMs);

/// <summary>
/// Decides each request's fault and jitter so that a run can be replayed even when a client sends concurrently.
/// A shared sequential Random would hand out outcomes in arrival order, which changes from run to run; instead each
/// request's outcome is a hash of (seed, API, body bytes, how many times this same body was seen before). The same
/// client run therefore meets the same faults; two identical bodies racing each other can only swap identical fates.
/// </summary>
internal sealed class FaultInjector
{
    private const ulong Fnv1aOffset = 14695981039346656037UL;
    private const ulong Fnv1aPrime = 1099511628211UL;

    private readonly long _seed;
    private readonly int _jitterMs;

    // The rate and the kinds, changed together by POST /emulator/faults while requests roll against them.
    private volatile FaultOdds _odds;

    // How many times each (API, body) was seen. It grows with the number of distinct bodies, and exists only when
    // faults or jitter are on.
    private readonly ConcurrentDictionary<ulong, int> _seen = new ConcurrentDictionary<ulong, int>();

    public FaultInjector(long seed, double faultRate, IEnumerable<FaultKind> kinds, int jitterMs)
    {
        _seed = seed;
        _odds = new FaultOdds(faultRate, new List<FaultKind>(kinds).ToArray());
        _jitterMs = jitterMs;
    }

    /// <summary>The share of requests that meet a fault now.</summary>
    public double FaultRate => _odds.Rate;

    /// <summary>The kinds a fault is chosen from now.</summary>
    public IReadOnlyList<FaultKind> Kinds => _odds.Kinds;

    /// <summary>Whether any request can meet a fault or jitter; when not, the hot path skips hashing the body.</summary>
    public bool IsActive => _odds.IsActive || _jitterMs > 0;

    /// <summary>
    /// Changes the fault rate and/or the kinds from the next request on (null keeps one as it is). The dice stay the
    /// same: the same seed and the same bodies still meet the same fates at the same settings.
    /// </summary>
    /// <exception cref="ArgumentException">A rate outside 0..1, or a rate above 0 with no kind.</exception>
    public void Change(double? rate, IEnumerable<FaultKind>? kinds)
    {
        FaultOdds old = _odds;
        var odds = new FaultOdds(rate ?? old.Rate, kinds is null ? old.Kinds : new List<FaultKind>(kinds).ToArray());
        if (double.IsNaN(odds.Rate) || odds.Rate < 0 || odds.Rate > 1)
        {
            throw new ArgumentException("The fault rate must be 0..1.", nameof(rate));
        }

        if (odds.Rate > 0 && odds.Kinds.Length == 0)
        {
            throw new ArgumentException("A fault rate needs at least one fault kind.", nameof(kinds));
        }

        _odds = odds;
    }

    public RequestFate Roll(EmulatedApi api, ReadOnlySpan<byte> body)
    {
        FaultOdds odds = _odds;
        if (!odds.IsActive && _jitterMs <= 0)
        {
            return default;
        }

        ulong bodyKey = Fnv1a(Fnv1a(Fnv1a(Fnv1aOffset, (ulong)_seed), (ulong)api.Index), body);
        int occurrence = _seen.AddOrUpdate(bodyKey, 0, (_, n) => n + 1);

        // One die per request; the kind and the jitter re-mix it with arbitrary odd constants, so that they are
        // independent of whether the request faulted.
        ulong dice = Mix(bodyKey ^ Mix((ulong)occurrence + 1));
        FaultKind? fault = null;
        if (odds.IsActive && Fraction(dice) < odds.Rate)
        {
            fault = odds.Kinds[(int)(Mix(dice ^ 0x5851F42D4C957F2DUL) % (ulong)odds.Kinds.Length)];
        }

        int jitter = _jitterMs > 0 ? (int)(Fraction(Mix(dice ^ 0x14057B7EF767814FUL)) * (_jitterMs + 1)) : 0;
        return new RequestFate(fault, Math.Min(jitter, _jitterMs));
    }

    private static ulong Fnv1a(ulong hash, ulong value)
    {
        for (int i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)(value >> (8 * i))) * Fnv1aPrime;
        }

        return hash;
    }

    private static ulong Fnv1a(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * Fnv1aPrime;
        }

        return hash;
    }

    // SplitMix64's finaliser: spreads FNV's weak low bits over the whole word.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // The top 53 bits as a double in [0, 1).
    private static double Fraction(ulong dice) => (dice >> 11) * (1.0 / (1UL << 53));

    private sealed record FaultOdds(double Rate, FaultKind[] Kinds)
    {
        public bool IsActive => Rate > 0 && Kinds.Length > 0;
    }
}
