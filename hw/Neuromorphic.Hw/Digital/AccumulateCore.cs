using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Digital;

/// <summary>
/// Sparse accumulate core with zero-skipping: only the fan-out rows of inputs that spiked are read,
/// and each stored synapse of such a row costs one weight read and one accumulate. Fan-out is in
/// CSR form: row r's synapses are entries rowOffsets[r] .. rowOffsets[r+1]-1 of the column-index and
/// weight arrays.
/// </summary>
public sealed class AccumulateCore
{
    /// <summary>Component class.</summary>
    public const string Component = "accumulate_core";

    /// <summary>Action: one accumulate (one synaptic event).</summary>
    public const string AccumulateAction = "accumulate";

    /// <summary>Action: one weight (plus index, if stored) read from the weight memory.</summary>
    public const string WeightReadAction = "weight_read";

    private readonly SramBuffer? _memory;
    private readonly int _accMax;
    private readonly int _accMin;

    /// <summary>Creates the core; validates the parameters.</summary>
    /// <param name="parameters">Core parameters.</param>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public AccumulateCore(AccumulateCoreParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        // No weights stored, no SRAM: the core is its adders alone.
        _memory = parameters.WeightMemoryBytes == 0 ? null : new SramBuffer(new SramBufferParameters
        {
            CapacityBytes = parameters.WeightMemoryBytes,
            WordBits = 64,
            TechnologyNm = parameters.TechnologyNm,
            ClockHz = parameters.ClockHz,
        });
        _accMax = (int)((1L << (parameters.AccumulatorBits - 1)) - 1);
        _accMin = -_accMax - 1;
        AccumulateEnergyPj = ArithmeticEnergy.AddPj(parameters.AccumulatorBits, parameters.TechnologyNm);
        WeightReadEnergyPj = (_memory?.ReadEnergyPjPerBit ?? 0) * parameters.BitsPerSynapse;
    }

    /// <summary>The parameters this core was built from.</summary>
    public AccumulateCoreParameters Parameters { get; }

    /// <summary>Energy of one accumulate, pJ (Horowitz add at the accumulator width).</summary>
    public double AccumulateEnergyPj { get; }

    /// <summary>Energy of one weight read, pJ (SRAM energy per bit x bits per synapse).</summary>
    public double WeightReadEnergyPj { get; }

    /// <summary>Counts the work of a pass without doing the arithmetic (for accounting when the values are computed elsewhere).</summary>
    /// <param name="spikeIndices">Indices of the inputs that spiked (rows of the fan-out).</param>
    /// <param name="rowOffsets">CSR row offsets, one more than the number of inputs.</param>
    /// <returns>Events, weight reads and cycles.</returns>
    public AccumulateCounts Count(ReadOnlySpan<int> spikeIndices, ReadOnlySpan<int> rowOffsets)
    {
        long events = 0;
        for (int s = 0; s < spikeIndices.Length; s++)
        {
            var (start, end) = Row(spikeIndices[s], rowOffsets);
            events += end - start;
        }
        return CountsFor(events);
    }

    /// <summary>
    /// Accumulates the fan-out of the spiking inputs: <c>acc[col[k]] = sat(acc[col[k]] + w[k])</c> for every
    /// synapse k of every spiking row, saturating to the accumulator width.
    /// </summary>
    /// <param name="spikeIndices">Indices of the inputs that spiked.</param>
    /// <param name="rowOffsets">CSR row offsets, one more than the number of inputs.</param>
    /// <param name="columnIndices">CSR column (target) index per synapse.</param>
    /// <param name="weights">Raw weight per synapse (same length as <paramref name="columnIndices"/>).</param>
    /// <param name="accumulators">Raw accumulators per target, updated in place.</param>
    /// <returns>Events, weight reads and cycles.</returns>
    public AccumulateCounts Accumulate(
        ReadOnlySpan<int> spikeIndices, ReadOnlySpan<int> rowOffsets,
        ReadOnlySpan<int> columnIndices, ReadOnlySpan<int> weights, Span<int> accumulators)
    {
        if (weights.Length != columnIndices.Length)
        {
            throw new ArgumentException($"weights has {weights.Length} entries, column indices {columnIndices.Length}.", nameof(weights));
        }
        long events = 0;
        for (int s = 0; s < spikeIndices.Length; s++)
        {
            var (start, end) = Row(spikeIndices[s], rowOffsets);
            if (end > columnIndices.Length)
            {
                throw new ArgumentException($"row offsets point past the {columnIndices.Length} stored synapses.", nameof(rowOffsets));
            }
            for (int k = start; k < end; k++)
            {
                int c = columnIndices[k];
                if ((uint)c >= (uint)accumulators.Length)
                {
                    throw new ArgumentOutOfRangeException(nameof(columnIndices), c, $"Synapse {k} targets column {c}; there are {accumulators.Length}.");
                }
                long sum = (long)accumulators[c] + weights[k];
                accumulators[c] = sum > _accMax ? _accMax : sum < _accMin ? _accMin : (int)sum;
            }
            events += end - start;
        }
        return CountsFor(events);
    }

    /// <summary>Action: one multiply-accumulate (a dense readout of counts by weights).</summary>
    public const string MacAction = "mac";

    /// <summary>The cost-table rows of this core.</summary>
    /// <returns>Rows for <see cref="AccumulateAction"/> and <see cref="WeightReadAction"/>.</returns>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        var p = Parameters;
        double cycleNs = 1e9 / p.ClockHz;
        yield return new CostEntry(Component, AccumulateAction, AccumulateEnergyPj, cycleNs,
            $"{ArithmeticEnergy.AddSource} ({p.AccumulatorBits} bit, {p.TechnologyNm} nm); {p.Lanes} per cycle");
        yield return new CostEntry(Component, MacAction, ArithmeticEnergy.MultiplyPj(p.WeightBits, p.TechnologyNm) + AccumulateEnergyPj, cycleNs,
            $"{ArithmeticEnergy.MultiplySource} ({p.WeightBits} bit) + {ArithmeticEnergy.AddSource} ({p.AccumulatorBits} bit), {p.TechnologyNm} nm: a multiply-accumulate of a count by a weight");
        yield return _memory is null
            ? new CostEntry(Component, WeightReadAction, 0, 0, "no weight memory: the mapped workload stores no weights on the core (accumulate_core.weight_memory_bytes 0)")
            : new CostEntry(Component, WeightReadAction, WeightReadEnergyPj, _memory.AccessLatencyNs,
                $"Horowitz ISSCC 2014 (45 nm, 8 KB SRAM, 64-bit read 10 pJ); assumed: x sqrt({p.WeightMemoryBytes} B / 8 KB), x node/45; {p.BitsPerSynapse} bits per synapse");
    }

    /// <summary>Area and leakage of one core (its lanes' adders and multipliers, and its weight memory).</summary>
    /// <returns>One row for <see cref="Component"/>.</returns>
    public IEnumerable<ComponentCost> DefaultComponentCosts()
    {
        var p = Parameters;
        // Each lane multiply-accumulates (the mac action is charged a multiply): an adder of the accumulator's width and a
        // multiplier of the weight's, as the energy rows price them.
        double lanes = p.Lanes * (ArithmeticEnergy.AddAreaUm2(p.AccumulatorBits, p.TechnologyNm) + ArithmeticEnergy.MultiplyAreaUm2(p.WeightBits, p.TechnologyNm));
        var logic = $"{ArithmeticEnergy.AreaSource}; {p.Lanes} lanes of a {p.AccumulatorBits}-bit adder and a {p.WeightBits}-bit multiplier; {ArithmeticEnergy.LeakageSource}";
        if (_memory is null)
        {
            yield return new ComponentCost(Component, lanes, ArithmeticEnergy.LeakageUw(lanes), $"{logic}; no weight SRAM (accumulate_core.weight_memory_bytes 0)");
            yield break;
        }
        ComponentCost memory = _memory.DefaultComponentCosts().Single();
        yield return new ComponentCost(Component, lanes + memory.AreaUm2, ArithmeticEnergy.LeakageUw(lanes) + memory.LeakageUw,
            $"{logic}; weight SRAM of {p.WeightMemoryBytes} B: {memory.Source}");
    }

    private AccumulateCounts CountsFor(long events)
    {
        int lanes = Parameters.Lanes;
        return new AccumulateCounts(events, events, (events + lanes - 1) / lanes);
    }

    private static (int Start, int End) Row(int row, ReadOnlySpan<int> rowOffsets)
    {
        if (row < 0 || row >= rowOffsets.Length - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Spike index {row} is outside the {Math.Max(0, rowOffsets.Length - 1)} fan-out rows.");
        }
        int start = rowOffsets[row], end = rowOffsets[row + 1];
        if (start < 0 || end < start)
        {
            throw new ArgumentException($"CSR row {row} has offsets {start}..{end}.", nameof(rowOffsets));
        }
        return (start, end);
    }
}
