using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// How long one counted action holds one instance of its component class (its occupancy: the initiation interval, not
/// the pipeline latency), for <see cref="PowerGating.PerUnit"/> where no unit's busy time is measured (a transformer's
/// rate-based or event-driven pricing; the classes the chip executor does not time, <see cref="MeasuredBusy"/>). Each
/// rule follows the timing the chip's own models use for the class. An action not listed here holds its unit for its
/// cost-table <c>latency_ns</c> (one action at a time, not pipelined), so a cost override of that latency moves it.
/// </summary>
public static class UnitOccupancy
{
    /// <summary>The occupancy rules of <paramref name="chip"/>'s classes.</summary>
    /// <param name="chip">The chip (its units' clocks, lanes and word widths).</param>
    /// <returns>Rules without measurements.</returns>
    public static UnitBusy Of(ChipModel chip)
    {
        ArgumentNullException.ThrowIfNull(chip);
        var spec = chip.Spec;
        var rules = new Dictionary<(string, string), double>();

        // Neuron core: `lanes` neurons enter the multiply / add / compare-reset pipeline per core cycle (DigitalNeuronUnit.
        // CyclesFor, the executor's NeuronCoreUnit: ceil(n / lanes) + fill cycles a batch), so an update holds the core a
        // cycle / lanes; the fill (pipeline depth - 1 cycles a batch) is not in the ledger and is left out. A spike's reset
        // is the compare-reset stage of its own update: no time of its own.
        var neuron = chip.NeuronUnit;
        rules[(DigitalNeuronUnit.Component, DigitalNeuronUnit.LifUpdateAction)] = neuron.CycleNs / neuron.Parameters.Lanes;
        rules[(DigitalNeuronUnit.Component, DigitalNeuronUnit.CubaLifUpdateAction)] = neuron.CycleNs / neuron.Parameters.Lanes;
        rules[(DigitalNeuronUnit.Component, DigitalNeuronUnit.SpikeAction)] = 0;
        // Partial sums and biases: `lanes` adds per core cycle, the executor's batches of them on the same core.
        rules[(DigitalNeuronUnit.Component, DigitalNeuronUnit.AddAction)] = neuron.CycleNs / neuron.Parameters.Lanes;

        // Accumulate core: `lanes` accumulates or multiply-accumulates per cycle (AccumulateCore.CountsFor and the
        // transformer's timing: ceil(events / lanes) cycles); each one's weight is read in the same cycle, so a weight
        // read adds no time (assumed: a weight port of lanes x weight bits a cycle; the SRAM's 64-bit word is only its
        // energy-per-bit basis: Lsm.ReadoutTiming).
        var accumulate = chip.AccumulateCore.Parameters;
        var accumulateCycleNs = 1e9 / accumulate.ClockHz;
        rules[(AccumulateCore.Component, AccumulateCore.AccumulateAction)] = accumulateCycleNs / accumulate.Lanes;
        rules[(AccumulateCore.Component, AccumulateCore.MacAction)] = accumulateCycleNs / accumulate.Lanes;
        rules[(AccumulateCore.Component, AccumulateCore.WeightReadAction)] = 0;

        // SDSA unit: `lanes` operations per cycle (SdsaUnit.CyclesFor). The transformer's timing takes max(ANDs, adds) /
        // lanes cycles, overlapping the two; counted one lane-cycle each here, an upper bound (at most twice that).
        var sdsa = chip.Sdsa.Parameters;
        var sdsaNs = 1e9 / sdsa.ClockHz / sdsa.Lanes;
        rules[(SdsaUnit.Component, SdsaUnit.AndAction)] = sdsaNs;
        rules[(SdsaUnit.Component, SdsaUnit.AddAction)] = sdsaNs;
        rules[(SdsaUnit.Component, SdsaUnit.ThresholdAction)] = sdsaNs;

        // Activation SRAM: one word per cycle on its one port (SramBuffer.AccessesFor: ceil(bits / word bits) accesses),
        // so a bit holds it a cycle / word bits.
        var sram = chip.ActivationSram;
        rules[(SramBuffer.Component, SramBuffer.ReadBitAction)] = sram.AccessLatencyNs / sram.Parameters.WordBits;
        rules[(SramBuffer.Component, SramBuffer.WriteBitAction)] = sram.AccessLatencyNs / sram.Parameters.WordBits;

        // Mesh NoC (one router per tile): a link carries one flit per NoC cycle (the executor's NocUnit: flits x one NoC
        // cycle per link crossed), and a router is charged for the cycles its output links carry flits; a router flit
        // crosses the router in the cycle its link takes it (and a delivery's last router ejects it while the link into
        // it carries it), so it adds no time.
        rules[(MeshNoc.Component, MeshNoc.LinkFlitAction)] = 1e9 / spec.Noc.ClockHz;
        rules[(MeshNoc.Component, MeshNoc.RouterFlitAction)] = 0;

        // Macro periphery, in every run (the executor's macro busy time is its array's, up to the sample: MeasuredBusy).
        // An ADC converts one sample at a time (a SAR's bits + 1 cycles: its latency, the default), the executor's timing
        // too (R = rounds x conversion cycles a read); a skipped conversion leaves it idle. A column's load is bookkeeping
        // of charge (nS x ns, not an action) carried by its conversion. A column mux holds its column for the conversion it
        // routes (its own switching settles within the ADC's sample phase). A word-line driver holds its row through the
        // read's drive and settle (the executor's D cycles), whatever its own 1 ns switching; the rows not driven are idle.
        // The array's `read` is charge bookkeeping too (nS x ns), not an action: where no macro is timed (transformers) the
        // array is charged no busy time (it leaks nothing in the presets: an RRAM cell holds no static current; an array
        // that leaks would need its macro timed). Bookkeeping of the macro (operations, skipped conversions) has no instance. Shift-adds (one add a cycle),
        // program pulses and verify reads take their latency, the default.
        rules[(chip.Adc.Component, Adc.ColumnLoadAction)] = 0;
        rules[(ColumnMux.Component, ColumnMux.SelectAction)] = chip.Adc.ConversionLatencyNs;
        rules[(WordLineDriver.Component, WordLineDriver.RowDriveAction)] = (spec.Macro.DriveCycles + spec.Macro.SettleCycles) * 1e9 / spec.Macro.ClockHz;
        rules[(MacroCosts.ArrayComponent, MacroCosts.ReadAction)] = 0;

        // The tile's I/O buffer: counted by the chip executor only, which measures it (MeasuredBusy: it holds what its
        // tile's macros and core take, so it is powered while they work); bits moving in and out take no time of their own.
        rules[(TileIoBuffer.Component, TileIoBuffer.WriteBitAction)] = 0;
        rules[(TileIoBuffer.Component, TileIoBuffer.ReadBitAction)] = 0;

        // Row-address table (one entry per NoC cycle, the delay the executor gives a packet of spikes): its latency, the
        // default.
        return new UnitBusy(rules);
    }
}
