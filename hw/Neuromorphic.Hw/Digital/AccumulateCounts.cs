namespace Neuromorphic.Hw.Digital;

/// <summary>What one sparse accumulate pass did, for the ledger.</summary>
/// <param name="Events">Accumulate operations (= synaptic events: fan-out entries of the spiking inputs).</param>
/// <param name="WeightReads">Weights read from the weight memory (one per event).</param>
/// <param name="Cycles">Cycles of the core's clock: ceil(events / lanes).</param>
public readonly record struct AccumulateCounts(long Events, long WeightReads, long Cycles);
