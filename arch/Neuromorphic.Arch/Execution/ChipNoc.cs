using Neuromorphic.Hw.Interconnect;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The mesh NoC seen from the kernel's base clock: converts base cycles to the NoC's own clock
/// (a message leaves on the next NoC edge) and arrivals back to base cycles.
/// </summary>
public sealed class ChipNoc
{
    private readonly long _ratio;

    /// <summary>Wraps <paramref name="noc"/>, whose clock must divide <paramref name="baseClockHz"/>.</summary>
    public ChipNoc(MeshNoc noc, double baseClockHz)
    {
        Noc = noc;
        var ratio = baseClockHz / noc.Parameters.ClockHz;
        if (!Neuromorphic.Hw.ClockRatio.Divides(baseClockHz, noc.Parameters.ClockHz))
            throw new ArgumentException($"the NoC clock {noc.Parameters.ClockHz} Hz must divide the base clock {baseClockHz} Hz");
        _ratio = (long)Math.Round(ratio);
    }

    /// <summary>The NoC model (counters for the ledger).</summary>
    public MeshNoc Noc { get; }

    /// <summary>Sends <paramref name="bits"/> from one tile to another, ready at base cycle <paramref name="readyCycle"/>; returns the base cycle of arrival.</summary>
    public long Send(int fromTile, int toTile, int bits, long readyCycle)
    {
        if (fromTile == toTile) return readyCycle;
        var ready = (readyCycle + _ratio - 1) / _ratio;
        return Noc.Send(fromTile, toTile, bits, ready) * _ratio;
    }
}
