using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace TencentIm.Client;

/// <summary>
/// Starts at most N calls in any sliding window, as the service counts its frequency limits ("maximum call
/// frequency", e.g. 100 times/second on https://www.tencentcloud.com/document/product/1047/34956), and finds the
/// quota the service really admits when it answers 60007 (over the limit: another job shares the app's quota, or
/// the app's tier is lower) without being told it. A 60007 names the call it refused, so the limiter counts the
/// calls of that call's window that were not refused: what the service admitted from this client. N becomes that
/// count (at least one fewer than before, at least 1) and holds for <see cref="Hold"/>; then it probes for more by
/// a step that doubles every <see cref="ProbeDoubling"/> (the first step one call, or 5 % of N if more), up to the
/// ceiling, until a 60007 sets it again. Two cuts probe at once instead of holding: one of less than a tenth
/// from the ceiling (at the documented rate a few 60007s are most likely calls that bunched up on the way, not a
/// smaller quota), and one to less than half (the count is a floor, and can be far below the quota when refused
/// calls filled the window or other clients took part of it).
/// </summary>
/// <remarks>
/// <para>
/// A round of 60007s is one decrease. A 60007 of a call that left before the last decrease says nothing new about
/// the new rate: it belongs to the round of that decrease, whose count is then taken again in the window of the
/// round's latest refused call (the answers of one burst come in any order, and the first cannot know of the
/// others), never above the rate the round began at. A 60007 of a call that left before the decrease before the
/// last is ignored. So a burst of 60007s brings N to what the service admitted in that window, whichever is
/// answered first; a stray 60007 at full rate costs a few calls for half a second. A quota of 5 is found from
/// 100 within a round trip or two, a quota that rises within seconds of probing, and at a steady quota about one
/// probe per hold is refused.
/// </para>
/// <para>
/// The window counts every call this client started, refused or not, so N fits the quota whether or not the
/// service counts refused calls against it (undocumented either way), and the count of admitted calls is the same
/// either way. Two clients sharing one quota each find their share.
/// </para>
/// <para>
/// Callers wait in a queue, in order, except that a retry waits ahead of first attempts: a refused request does
/// not go to the back of a queue that, at a small quota, is many seconds long. Each waiting call has a planned
/// start, the earliest that keeps every window within N; the plan is redone whenever N changes, so a decrease
/// holds back calls already waiting and an increase lets them go at once. Calls whose planned starts meet start
/// together: a burst of up to N when a window frees (fewer timer waits than strict spacing, which matters where
/// the timer ticks every 15.6 ms). The window is 2 % longer than a second, a margin for network jitter between
/// here and the service's counter.
/// </para>
/// </remarks>
internal sealed class RateLimiter
{
    internal static readonly TimeSpan Window = TimeSpan.FromMilliseconds(1020);

    /// <summary>How long N holds after a 60007 set it, before it probes for more.</summary>
    internal static readonly TimeSpan Hold = TimeSpan.FromSeconds(5);

    /// <summary>While probing, the step above the held N doubles this often.</summary>
    internal static readonly TimeSpan ProbeDoubling = TimeSpan.FromMilliseconds(500);

    // A timer may end a little early: a call this close to its start goes (the window's 2 % margin covers it).
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(1);

    // How late the service may count a call, behind its planned or sent start (a busy host on either side): the
    // calls of the window before a refused call's that left up to this much earlier may still have been counted.
    internal static readonly TimeSpan Lag = TimeSpan.FromMilliseconds(100);

    // Calls that started longer ago than this are forgotten; a 60007 of such a call is ignored.
    private static readonly TimeSpan Memory = TimeSpan.FromTicks(3 * Window.Ticks);

    private readonly ITimeSource _time;
    private readonly int _ceiling;
    private readonly object _gate = new object();

    // The calls of the last few windows and the waiting ones, in start order: the released ones (gone, or going)
    // first, then the waiting ones with their planned starts.
    private readonly List<Slot> _slots = new List<Slot>();
    private int _plannedLimit;
    private bool _decreased;
    private double _held;
    private TimeSpan _decreasedAt;
    private TimeSpan _previousDecreaseAt;
    private Slot? _roundLatest; // the latest-started refused call of the round that set _held
    private int _roundStartLimit; // the limit at which that round began; _held stays below it
    private bool _roundFromTop;   // that round began at the ceiling
    private TimeSpan _probeFrom;  // when the hold ends and probing begins

    public RateLimiter(int callsPerSecond, ITimeSource time)
    {
        if (callsPerSecond < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(callsPerSecond), callsPerSecond, "At least one call per second.");
        }

        _time = time;
        _ceiling = callsPerSecond;
        _plannedLimit = callsPerSecond;
        _held = callsPerSecond;
    }

    /// <summary>The calls per window currently allowed (lower than the ceiling after 60007 answers).</summary>
    internal int CurrentLimit
    {
        get
        {
            lock (_gate)
            {
                return Limit(_time.Now);
            }
        }
    }

    /// <summary>
    /// Waits until this call may start. <paramref name="retry"/>: a later attempt of a request, which waits ahead
    /// of first attempts. The slot names the call to <see cref="MarkSent"/> and <see cref="OnThrottled"/>.
    /// </summary>
    public async Task<Slot> WaitAsync(bool retry, CancellationToken cancellationToken)
    {
        var slot = new Slot(retry);
        lock (_gate)
        {
            TimeSpan now = _time.Now;
            Forget(now);
            Replan(now);
            int index = _slots.Count;
            if (retry)
            {
                // Ahead of every waiting first attempt, behind the retries already waiting.
                while (index > 0 && !_slots[index - 1].Released && !_slots[index - 1].Retry)
                {
                    index--;
                }
            }

            _slots.Insert(index, slot);
            Plan(now, index, Limit(now));
        }

        try
        {
            while (true)
            {
                TimeSpan now;
                TimeSpan wake;
                lock (_gate)
                {
                    now = _time.Now;
                    Replan(now);
                    if (slot.Start - now < Tolerance)
                    {
                        slot.Released = true;
                        return slot;
                    }

                    wake = Min(slot.Start, NextIncrease(now));
                }

                await _time.Delay(Max(wake - now, Tolerance), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                // Not started: its place goes to the calls behind it.
                int index = _slots.IndexOf(slot);
                TimeSpan now = _time.Now;
                if (index >= 0 && !slot.Released)
                {
                    _slots.RemoveAt(index);
                    Plan(now, index, Limit(now));
                }
            }

            throw;
        }
    }

    /// <summary>
    /// The call of <paramref name="slot"/> went out only at <paramref name="sentAt"/> (a new connection, a cold
    /// process): count it from then, and the calls that started after it no earlier, so that the window follows
    /// what the service sees arrive rather than what was planned.
    /// </summary>
    public void MarkSent(Slot slot, TimeSpan sentAt)
    {
        lock (_gate)
        {
            for (int i = IndexOf(slot); i >= 0 && i < _slots.Count; i++)
            {
                if (_slots[i].Start >= sentAt)
                {
                    break; // starts are in order: the later ones are later still
                }

                _slots[i].Start = sentAt;
            }
        }
    }

    /// <summary>
    /// The service answered 60007 to the call of <paramref name="slot"/>: set N to what the service admitted in
    /// that call's window, unless the call left before the last decrease.
    /// </summary>
    public void OnThrottled(Slot slot)
    {
        lock (_gate)
        {
            TimeSpan now = _time.Now;
            if (IndexOf(slot) < 0)
            {
                return; // forgotten: long ago
            }

            slot.Refused = true;
            if (!_decreased || slot.Start > _decreasedAt)
            {
                // It left at the current rate and was still refused: the quota is smaller than that. A new round.
                _roundStartLimit = Limit(now);
                _roundFromTop = _roundStartLimit >= _ceiling;
                _previousDecreaseAt = _decreased ? _decreasedAt : TimeSpan.MinValue;
                _decreasedAt = now;
                _decreased = true;
                _roundLatest = slot;
            }
            else if (slot.Start > _previousDecreaseAt)
            {
                // The round of the last decrease: its latest refused call's window says the most, now that more
                // of its refusals are known.
                if (slot.Start >= _roundLatest!.Start)
                {
                    _roundLatest = slot;
                }
            }
            else
            {
                return; // left before the decrease before the last: said long ago
            }

            int latest = IndexOf(_roundLatest!);
            if (latest >= 0)
            {
                _held = Math.Max(1, Math.Min(_roundStartLimit - 1, AdmittedAround(latest)));
            }

            // A cut of less than a tenth from the ceiling is most likely calls that bunched up on the way, not a
            // smaller quota: probing starts at once, so that a stray 60007 costs little. A cut to less than half
            // probes at once too: the count is a floor, and it can be far below the quota when refused calls
            // filled the window (if they use up quota) or other clients took part of it; probing finds the rest
            // within a few steps. Any other cut holds: a probe refused at a quota found before.
            bool slight = _roundFromTop && _held >= 0.9 * _roundStartLimit;
            bool deep = _held < 0.5 * _roundStartLimit;
            _probeFrom = slight || deep ? _decreasedAt : _decreasedAt + Hold;
            Replan(now);
        }
    }

    /// <summary>
    /// The calls not refused in the window that ends with the call at <paramref name="index"/>, that call excluded,
    /// and in the <see cref="Lag"/> before it: the service may have counted the window before late.
    /// </summary>
    private int AdmittedAround(int index)
    {
        TimeSpan sent = _slots[index].Start;
        int admitted = 0;
        for (int i = index - 1; i >= 0 && _slots[i].Start >= sent - Window - Lag; i--)
        {
            admitted += _slots[i].Refused ? 0 : 1;
        }

        // Calls that left at the same moment reached the service in any order.
        for (int i = index + 1; i < _slots.Count && _slots[i].Start <= sent; i++)
        {
            admitted += _slots[i].Refused ? 0 : 1;
        }

        return admitted;
    }

    private int Limit(TimeSpan now)
    {
        if (!_decreased)
        {
            return _ceiling;
        }

        if (now <= _probeFrom)
        {
            return (int)_held;
        }

        double doublings = Math.Min(30, (now - _probeFrom).Ticks / (double)ProbeDoubling.Ticks);
        return (int)Math.Min(_ceiling, _held + ProbeUnit() * (Math.Pow(2, doublings) - 1));
    }

    private double ProbeUnit() => Math.Max(1, _held * 0.05);

    /// <summary>When the limit next rises by probing (the waiting calls are then planned anew), or never.</summary>
    private TimeSpan NextIncrease(TimeSpan now)
    {
        int limit = Limit(now);
        if (!_decreased || limit >= _ceiling)
        {
            return TimeSpan.MaxValue;
        }

        double doublings = Math.Log((limit + 1 - _held) / ProbeUnit() + 1, 2);
        TimeSpan at = _probeFrom + TimeSpan.FromTicks((long)Math.Ceiling(doublings * ProbeDoubling.Ticks) + 1);
        return at > now ? at : now + TimeSpan.FromMilliseconds(1);
    }

    /// <summary>Plans the waiting calls again if the limit changed since they were planned.</summary>
    private void Replan(TimeSpan now)
    {
        int limit = Limit(now);
        if (limit != _plannedLimit)
        {
            int firstWaiting = _slots.Count;
            while (firstWaiting > 0 && !_slots[firstWaiting - 1].Released)
            {
                firstWaiting--;
            }

            Plan(now, firstWaiting, limit);
        }
    }

    /// <summary>Plans the calls from <paramref name="from"/> on: each at the earliest start that keeps every window within the limit.</summary>
    private void Plan(TimeSpan now, int from, int limit)
    {
        _plannedLimit = limit;
        for (int i = from; i < _slots.Count; i++)
        {
            if (_slots[i].Released)
            {
                continue; // gone already, however late its caller woke
            }

            TimeSpan start = now;
            if (i > 0)
            {
                // Never before the previous call: starts stay in order.
                start = Max(start, _slots[i - 1].Start);
            }

            if (i >= limit)
            {
                // The call 'limit' places back must have started a whole window ago.
                start = Max(start, _slots[i - limit].Start + Window);
            }

            _slots[i].Start = start;
        }
    }

    /// <summary>Drops calls that started long enough ago to constrain nothing (the list then starts later than any window).</summary>
    private void Forget(TimeSpan now)
    {
        int old = 0;
        while (old < _slots.Count && _slots[old].Released && _slots[old].Start < now - Memory)
        {
            old++;
        }

        if (old > 0 && (old >= 32 || old * 4 >= _slots.Count))
        {
            _slots.RemoveRange(0, old);
        }
    }

    private int IndexOf(Slot slot) => _slots.LastIndexOf(slot);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>One call's place: its start (planned, then actual) and whether the service refused it.</summary>
    internal sealed class Slot
    {
        public Slot(bool retry)
        {
            Retry = retry;
        }

        public bool Retry { get; }

        /// <summary>Planned, then (once released) when it left, as well as is known.</summary>
        public TimeSpan Start { get; set; }

        /// <summary>Its caller was let go; it is no longer planned.</summary>
        public bool Released { get; set; }

        public bool Refused { get; set; }
    }
}
