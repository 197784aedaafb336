using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Interconnect;

/// <summary>
/// The row-address table in a tile's NoC interface that a compacted mapping needs: indexed by a spiking
/// source neuron of the tile, it lists the (macro, word line) pairs that hold the source's synapses, one
/// entry each. A spike reads its entries, one per cycle, and each entry's row address goes into the
/// packet for that macro. Priced as an SRAM (<see cref="SramBuffer"/>: Horowitz's 8 KB anchor scaled by
/// the square root of the capacity): an entry read costs its bits' read energy.
/// </summary>
public sealed class RowAddressTable
{
    /// <summary>Component class.</summary>
    public const string Component = "row_table";

    /// <summary>Action: one entry (macro id and word line) read.</summary>
    public const string ReadEntryAction = "read_entry";

    private readonly SramBuffer _sram;

    /// <summary>A table of <paramref name="entries"/> entries for a chip of <paramref name="macros"/> macros of <paramref name="rows"/> word lines.</summary>
    /// <param name="entries">Entries per tile (at least 1).</param>
    /// <param name="macros">Macros on the chip: an entry names one of them.</param>
    /// <param name="rows">Word lines per macro: an entry names one of them.</param>
    /// <param name="technologyNm">Node.</param>
    /// <param name="clockHz">Clock of the NoC interface (one entry read per cycle).</param>
    public RowAddressTable(int entries, int macros, int rows, double technologyNm, double clockHz)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(entries, 1);
        Entries = entries;
        MacroBits = BitsFor(macros);
        RowBits = BitsFor(rows);
        _sram = new SramBuffer(new SramBufferParameters
        {
            CapacityBytes = Math.Max(1, ((long)entries * EntryBits + 7) / 8), WordBits = EntryBits, TechnologyNm = technologyNm, ClockHz = clockHz,
        });
    }

    /// <summary>Entries per tile.</summary>
    public int Entries { get; }

    /// <summary>Bits naming the destination macro (global index: its tile and its place there).</summary>
    public int MacroBits { get; }

    /// <summary>Bits naming the word line: the row address the packet carries.</summary>
    public int RowBits { get; }

    /// <summary>Bits of one entry.</summary>
    public int EntryBits => MacroBits + RowBits;

    /// <summary>Capacity in bits.</summary>
    public long CapacityBits => _sram.CapacityBits;

    /// <summary>Energy of one entry read, pJ.</summary>
    public double ReadEntryPj => _sram.ReadEnergyPjPerBit * EntryBits;

    /// <summary>Time of one entry read, ns (one cycle).</summary>
    public double ReadEntryNs => _sram.AccessLatencyNs;

    /// <summary>Bits to name one of <paramref name="count"/> things (at least 1).</summary>
    public static int BitsFor(int count) => Math.Max(1, 32 - int.LeadingZeroCount(Math.Max(1, count - 1)));

    /// <summary>The cost row: one entry read.</summary>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        var p = _sram.Parameters;
        yield return new CostEntry(Component, ReadEntryAction, ReadEntryPj, ReadEntryNs,
            $"SRAM read of one {EntryBits}-bit entry ({MacroBits}-bit macro id + {RowBits}-bit row) of a {Entries}-entry table ({p.CapacityBytes} B): "
            + $"Horowitz ISSCC 2014 (45 nm, 8 KB SRAM, 64-bit read 10 pJ); assumed: x sqrt({p.CapacityBytes} B / 8 KB), x (node/45) (Vdd/1 V)^2 ({p.TechnologyNm} nm); one entry per cycle");
    }

    /// <summary>Area and leakage of one table (one per tile).</summary>
    public IEnumerable<ComponentCost> DefaultComponentCosts() =>
        _sram.DefaultComponentCosts().Select(c => c with { Component = Component, Source = $"{Entries} entries x {EntryBits} bits as SRAM; " + c.Source });
}
