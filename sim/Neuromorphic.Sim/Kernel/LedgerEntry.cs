namespace Neuromorphic.Sim.Kernel;

/// <summary>One counter of a <see cref="Ledger"/>: the key and how many times the action happened.</summary>
/// <param name="Key">Which unit, layer and action.</param>
/// <param name="Count">Number of occurrences.</param>
public readonly record struct LedgerEntry(LedgerKey Key, long Count);
