using System.Runtime.InteropServices;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Which captured step the producer claims next when both threads time steps, and from which start phase it times it
/// (<see cref="ChipExecutor"/>'s step sharing; the producer's thread only). A step's timing depends on its start's
/// residue modulo L (the least common multiple of the units' clock ratios), and the kernel's thread takes a step over only
/// if its own start has the residue the producer timed it from. Its start is the previous step's end; so a step timed
/// right after one the producer timed starts, if that one is taken over, at that one's end: the producer times it from
/// that residue, and a run of consecutive steps (a chain) it times is taken over whole once its first step is. Only a
/// chain's first step is timed from a guess (the residue the producer's last timed step ended on). On chips whose steps all
/// start on one residue (every unit at one clock) the guess is that residue; where steps end on several (a NoC clock
/// beside another core clock: L = 20 at 250 and 200 MHz) the chains keep most steps on the right one.
/// </summary>
/// <remarks>
/// Two chains: the top chain climbs from the newest step captured when it began (ahead of the kernel's thread by up to the
/// ring) one step at a time, each the step after the highest claimed, until the kernel's thread catches it up, when it
/// begins again at the newest step; the fill chain, when the top one cannot go on (its next step not captured yet: the
/// ring is full, or the function pass has ended), begins halfway between the kernel's step and the lowest step claimed
/// above it and climbs to that one, then begins again halfway below. Steps between the kernel's and the lowest claimed
/// one are never claimed, so the fill chain meets no claim before its end. Which steps are claimed, and from which
/// residue, changes nothing but who times a step: the kernel's thread checks the residue of its own start.
/// Padded (a line before and after the fields): written at every claim on the producer's thread, beside fields the
/// kernel's thread writes every step.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct StepChains
{
    private const long None = long.MinValue;
    private const int Top = 0, NewTop = 1, Fill = 2, NewFill = 3;

    [FieldOffset(64)] private long _top;        // the highest step claimed in the sample (None: none)
    [FieldOffset(72)] private long _topEnd;     // the residue its end has: the next step's start if it is taken over
    [FieldOffset(80)] private long _fillNext;   // the fill chain's next step (None: no fill chain)
    [FieldOffset(88)] private long _fillStart;  // its start's residue
    [FieldOffset(96)] private long _fillHead;   // the fill chain's first step
    [FieldOffset(104)] private long _limit;     // the lowest step claimed above the kernel's (None: none); the fill chain ends below it
    [FieldOffset(112)] private long _guess;     // the residue a chain's first step is timed from
    [FieldOffset(120)] private int _kind;       // what the step proposed last is (Top, NewTop, Fill, NewFill)

    /// <summary>A new sample: nothing claimed (the guess is kept: the chip is the same).</summary>
    public void Begin() => (_top, _fillNext, _limit) = (None, None, None);

    /// <summary>
    /// The step to claim next and the residue to time it from, given the step the kernel's thread is on
    /// (<paramref name="kernel"/>: it may take it or any later step at any moment) and the newest captured step; false if
    /// there is none. Then <see cref="Timed"/> if the claim succeeds, <see cref="Refused"/> if the kernel's thread had taken it.
    /// </summary>
    public bool Next(long kernel, long newest, out long step, out long start)
    {
        if (_top < newest)
        {
            if (_top >= kernel) return Propose(Top, _top + 1, _topEnd, out step, out start);
            // The kernel's thread has passed every claim: a new top chain from the newest step.
            if (newest > kernel) return Propose(NewTop, newest, _guess, out step, out start);
        }
        else
        {
            if (_fillNext != None && _fillNext > kernel) return Propose(Fill, _fillNext, _fillStart, out step, out start);
            if (_limit != None && _limit - kernel >= 2) return Propose(NewFill, kernel + (_limit - kernel) / 2, _guess, out step, out start);
        }
        (step, start) = (0, 0);
        return false;
    }

    private bool Propose(int kind, long step, long start, out long proposed, out long from)
    {
        _kind = kind;
        (proposed, from) = (step, start);
        return true;
    }

    /// <summary>The step proposed last was claimed and timed; its end has residue <paramref name="end"/>.</summary>
    public void Timed(long step, long end)
    {
        switch (_kind)
        {
            case Top:
                _top = step;
                break;
            case NewTop:
                // Every step between the kernel's and this one is unclaimed (the kernel's thread passed the others).
                (_top, _limit, _fillNext) = (step, step, None);
                break;
            default:
                if (_kind == NewFill) _fillHead = step;
                (_fillNext, _fillStart) = (step + 1, end);
                // The fill chain has reached the lowest claimed step: the next one begins below its first.
                if (_fillNext == _limit) (_limit, _fillNext) = (_fillHead, None);
                break;
        }
        if (_kind <= NewTop) _topEnd = end;
        _guess = end;
    }

    /// <summary>The kernel's thread had taken the step proposed last (it is on it or past it): its chain ends there.</summary>
    public void Refused()
    {
        // The top chain begins again at the newest step once the kernel's step is seen past it (Next); a fill chain the
        // kernel's thread has reached ends, and the next begins halfway between its step and the same limit.
        if (_kind >= Fill) _fillNext = None;
    }
}
