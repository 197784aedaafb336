using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Hw.Digital;

/// <summary>
/// A fixed-point neuron update unit with <see cref="DigitalNeuronUnitParameters.Lanes"/> parallel lanes.
/// LIF: <c>v = sat(round(v x decay) + input)</c>; CuBa-LIF first updates a synaptic current
/// <c>i = sat(round(i x decay_syn) + input)</c>, then <c>v = sat(round(v x decay_mem) + i)</c>. A neuron
/// spikes when <c>v &gt;= threshold</c> and is then reset to 0 or by subtraction.
/// </summary>
/// <remarks>
/// All values are raw integers in <see cref="Format"/>; decays are raw values in the same format
/// (e.g. 0.9 with 8 fractional bits is 230, i.e. 0.8984). The update methods loop over spans and
/// do not allocate. Energy covers the arithmetic only; state memory traffic is an
/// <see cref="Periphery.SramBuffer"/>'s, counted by whoever composes the core.
/// </remarks>
public sealed class DigitalNeuronUnit
{
    /// <summary>Component class.</summary>
    public const string Component = "digital_neuron";

    /// <summary>Action: one LIF neuron update (multiply, add, compare).</summary>
    public const string LifUpdateAction = "lif_update";

    /// <summary>Action: one CuBa-LIF neuron update (two multiplies, two adds, compare).</summary>
    public const string CubaLifUpdateAction = "cuba_lif_update";

    /// <summary>Action: one output spike (the reset of the membrane and the spike flag).</summary>
    public const string SpikeAction = "spike";

    /// <summary>
    /// Action: one addend added into a neuron's input on a lane's adder: the partial sum of a layer's second or later row
    /// block (a read of the first block starts the sum), or a bias. The core's lanes are the tile's only adders for
    /// partial sums, so the executor times these adds as the core's batches and prices them here (NeuroSim V1.4 adds
    /// them in a dedicated adder tree, Tile.cpp TileCalculatePerformance accumulationCM; its tiles have no neuron core).
    /// </summary>
    public const string AddAction = "add";

    /// <summary>Creates the unit; validates the parameters.</summary>
    /// <param name="parameters">Unit parameters.</param>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public DigitalNeuronUnit(DigitalNeuronUnitParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        Format = parameters.Format;
        int bits = parameters.MembraneBits;
        double node = parameters.TechnologyNm;
        double add = ArithmeticEnergy.AddPj(bits, node);
        double mul = ArithmeticEnergy.MultiplyPj(bits, node);
        // The state lives in the core's SRAM: an update reads and writes it (membrane; CuBa also the current).
        var state = new Periphery.SramBuffer(new Periphery.SramBufferParameters { CapacityBytes = parameters.StateSramBytes, TechnologyNm = node, ClockHz = parameters.ClockHz });
        StateAccessPjPerBit = state.ReadEnergyPjPerBit;
        LifUpdateEnergyPj = mul + 2 * add + 2 * bits * StateAccessPjPerBit;        // decay multiply, input add, compare; state read + write
        CubaLifUpdateEnergyPj = 2 * mul + 3 * add + 4 * bits * StateAccessPjPerBit; // two decays, two adds, compare; two states read + written
        SpikeEnergyPj = add;                      // reset subtract (or clear) of the membrane
        AddEnergyPj = add;                        // one lane adder; the addend comes from the tile's I/O buffer (priced there)
        CycleNs = 1e9 / parameters.ClockHz;
    }

    /// <summary>The parameters this unit was built from.</summary>
    public DigitalNeuronUnitParameters Parameters { get; }

    /// <summary>The membrane (and current, and decay) format.</summary>
    public FixedPointFormat Format { get; }

    /// <summary>Energy of reading or writing one bit of neuron state in the core's state SRAM, pJ.</summary>
    public double StateAccessPjPerBit { get; }

    /// <summary>Energy of one LIF update, pJ.</summary>
    public double LifUpdateEnergyPj { get; }

    /// <summary>Energy of one CuBa-LIF update, pJ.</summary>
    public double CubaLifUpdateEnergyPj { get; }

    /// <summary>Energy of one output spike (reset), pJ.</summary>
    public double SpikeEnergyPj { get; }

    /// <summary>Energy of one partial-sum (or bias) add on a lane, pJ (<see cref="AddAction"/>).</summary>
    public double AddEnergyPj { get; }

    /// <summary>Clock period, ns.</summary>
    public double CycleNs { get; }

    /// <summary>Cycles to update <paramref name="neurons"/> neurons: ceil(neurons / lanes) + pipeline fill; 0 for none.</summary>
    /// <param name="neurons">Neurons to update, &gt;= 0.</param>
    /// <returns>Cycles of this unit's clock.</returns>
    public long CyclesFor(int neurons)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(neurons);
        if (neurons == 0)
        {
            return 0;
        }
        int lanes = Parameters.Lanes;
        return ((long)neurons + lanes - 1) / lanes + Parameters.PipelineLatencyCycles;
    }

    /// <summary>One LIF step over a population: decay, integrate, fire, reset.</summary>
    /// <param name="membrane">Raw membrane values, updated in place.</param>
    /// <param name="input">Raw input per neuron (same length).</param>
    /// <param name="decay">Raw membrane decay factor.</param>
    /// <param name="threshold">Raw firing threshold.</param>
    /// <param name="reset">Reset after a spike.</param>
    /// <param name="spikes">Receives whether each neuron spiked (same length).</param>
    /// <returns>The number of spikes.</returns>
    public int StepLif(Span<int> membrane, ReadOnlySpan<int> input, int decay, int threshold, ResetMode reset, Span<bool> spikes)
    {
        CheckLengths(membrane.Length, input.Length, spikes.Length);
        FixedPointFormat f = Format;
        int count = 0;
        for (int n = 0; n < membrane.Length; n++)
        {
            int v = f.Add(f.Multiply(membrane[n], decay), input[n]);
            bool fired = v >= threshold;
            spikes[n] = fired;
            if (fired)
            {
                count++;
                v = reset == ResetMode.Zero ? 0 : f.Saturate((long)v - threshold);
            }
            membrane[n] = v;
        }
        return count;
    }

    /// <summary>One CuBa-LIF step: the input feeds a decaying synaptic current, which feeds the membrane.</summary>
    /// <param name="current">Raw synaptic currents, updated in place.</param>
    /// <param name="membrane">Raw membrane values, updated in place (same length).</param>
    /// <param name="input">Raw input per neuron (same length).</param>
    /// <param name="currentDecay">Raw synaptic-current decay factor.</param>
    /// <param name="membraneDecay">Raw membrane decay factor.</param>
    /// <param name="threshold">Raw firing threshold.</param>
    /// <param name="reset">Reset after a spike (the current is not reset).</param>
    /// <param name="spikes">Receives whether each neuron spiked (same length).</param>
    /// <returns>The number of spikes.</returns>
    public int StepCubaLif(
        Span<int> current, Span<int> membrane, ReadOnlySpan<int> input,
        int currentDecay, int membraneDecay, int threshold, ResetMode reset, Span<bool> spikes)
    {
        CheckLengths(membrane.Length, input.Length, spikes.Length);
        if (current.Length != membrane.Length)
        {
            throw new ArgumentException($"current has {current.Length} entries, membrane {membrane.Length}.", nameof(current));
        }
        FixedPointFormat f = Format;
        int count = 0;
        for (int n = 0; n < membrane.Length; n++)
        {
            int i = f.Add(f.Multiply(current[n], currentDecay), input[n]);
            current[n] = i;
            int v = f.Add(f.Multiply(membrane[n], membraneDecay), i);
            bool fired = v >= threshold;
            spikes[n] = fired;
            if (fired)
            {
                count++;
                v = reset == ResetMode.Zero ? 0 : f.Saturate((long)v - threshold);
            }
            membrane[n] = v;
        }
        return count;
    }

    /// <summary>The cost-table rows of this unit.</summary>
    /// <returns>Rows for <see cref="LifUpdateAction"/>, <see cref="CubaLifUpdateAction"/>, <see cref="SpikeAction"/> and <see cref="AddAction"/>.</returns>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        var p = Parameters;
        string at = $"{p.MembraneBits} bit, {p.TechnologyNm} nm";
        double pipelineNs = (1 + p.PipelineLatencyCycles) * CycleNs;
        string sram = $"state SRAM {p.StateSramBytes} B: Horowitz ISSCC 2014 8 KB 64-bit read 10 pJ x sqrt(size / 8 KB), x (node/45) (Vdd/1 V)^2, write = read ({StateAccessPjPerBit:G3} pJ/bit)";
        yield return new CostEntry(Component, LifUpdateAction, LifUpdateEnergyPj, pipelineNs,
            $"{ArithmeticEnergy.MultiplySource}; {ArithmeticEnergy.AddSource}; 1 mult + 2 add ({at}) + membrane read and write ({sram}); latency = pipeline depth");
        yield return new CostEntry(Component, CubaLifUpdateAction, CubaLifUpdateEnergyPj, pipelineNs,
            $"{ArithmeticEnergy.MultiplySource}; {ArithmeticEnergy.AddSource}; 2 mult + 3 add ({at}) + membrane and current read and write ({sram}); latency = pipeline depth");
        yield return new CostEntry(Component, SpikeAction, SpikeEnergyPj, 0,
            $"{ArithmeticEnergy.AddSource}; assumed: a spike costs one reset subtract ({at}); routing is the interconnect's");
        yield return new CostEntry(Component, AddAction, AddEnergyPj, CycleNs,
            $"{ArithmeticEnergy.AddSource}; one lane adder ({at}): a row block's partial sum or a bias into a neuron's input, {p.Lanes} a cycle; the addend's read is the I/O buffer's");
    }

    /// <summary>Area and leakage of one unit (all lanes).</summary>
    /// <returns>One row for <see cref="Component"/>.</returns>
    public IEnumerable<ComponentCost> DefaultComponentCosts()
    {
        var p = Parameters;
        double lane = ArithmeticEnergy.MultiplyAreaUm2(p.MembraneBits, p.TechnologyNm) + 2 * ArithmeticEnergy.AddAreaUm2(p.MembraneBits, p.TechnologyNm);
        double logic = p.Lanes * lane;
        var sram = new Periphery.SramBuffer(new Periphery.SramBufferParameters { CapacityBytes = p.StateSramBytes, TechnologyNm = p.TechnologyNm, ClockHz = p.ClockHz })
            .DefaultComponentCosts().Single();
        yield return new ComponentCost(Component, logic + sram.AreaUm2, ArithmeticEnergy.LeakageUw(logic) + sram.LeakageUw,
            $"{ArithmeticEnergy.AreaSource}; 1 mult + 2 add per lane, {p.Lanes} lanes; {ArithmeticEnergy.LeakageSource}; plus the {p.StateSramBytes} B state SRAM ({sram.Source})");
    }

    private static void CheckLengths(int membrane, int input, int spikes)
    {
        if (input != membrane)
        {
            throw new ArgumentException($"input has {input} entries, membrane {membrane}.", nameof(input));
        }
        if (spikes != membrane)
        {
            throw new ArgumentException($"spikes has {spikes} entries, membrane {membrane}.", nameof(spikes));
        }
    }
}
