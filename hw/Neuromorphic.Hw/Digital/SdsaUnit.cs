using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Hw.Digital;

/// <summary>
/// The spike-driven self-attention unit of a spike-driven transformer chip: an array of AND gates
/// on binary Q, K, V, a popcount / adder tree that turns coincidences into integer counts, and
/// threshold neurons. Attention needs no multiplier: V1 is AND plus a per-channel sum, V2's
/// Q (K^T V) is coincidence counting followed by additions of counts.
/// </summary>
public sealed class SdsaUnit(SdsaUnitParameters parameters)
{
    /// <summary>Component class.</summary>
    public const string Component = "sdsa_unit";

    /// <summary>Action: one AND of two spikes.</summary>
    public const string AndAction = "and";

    /// <summary>Action: one addition in the popcount / adder tree (a count of <see cref="SdsaUnitParameters.CountBits"/> bits).</summary>
    public const string AddAction = "add";

    /// <summary>Action: one threshold comparison (an attention neuron).</summary>
    public const string ThresholdAction = "threshold";

    /// <summary>The parameters.</summary>
    public SdsaUnitParameters Parameters { get; } = Validated(parameters);

    /// <summary>Cycles for <paramref name="operations"/> operations on the unit's lanes.</summary>
    public long CyclesFor(long operations) => (operations + Parameters.Lanes - 1) / Parameters.Lanes;

    /// <summary>The cost-table rows of the unit.</summary>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        var p = Parameters;
        var cycleNs = 1e9 / p.ClockHz;
        // A 2-input AND switches about a quarter of a full-adder bit's capacitance.
        yield return new CostEntry(Component, AndAction, ArithmeticEnergy.AddPj(1, p.TechnologyNm) / 4, cycleNs,
            $"{ArithmeticEnergy.AddSource}; assumed: a 2-input AND = 1/4 of a full-adder bit, {p.TechnologyNm} nm; {p.Lanes} lanes per cycle");
        yield return new CostEntry(Component, AddAction, ArithmeticEnergy.AddPj(p.CountBits, p.TechnologyNm), cycleNs,
            $"{ArithmeticEnergy.AddSource} ({p.CountBits} bit counts, {p.TechnologyNm} nm); {p.Lanes} lanes per cycle");
        yield return new CostEntry(Component, ThresholdAction, ArithmeticEnergy.AddPj(p.CountBits, p.TechnologyNm), cycleNs,
            $"{ArithmeticEnergy.AddSource}: a comparison costs a {p.CountBits}-bit subtraction ({p.TechnologyNm} nm)");
    }

    /// <summary>Area and leakage of one unit.</summary>
    public IEnumerable<ComponentCost> DefaultComponentCosts()
    {
        var p = Parameters;
        var area = p.Lanes * (ArithmeticEnergy.AddAreaUm2(p.CountBits, p.TechnologyNm) + ArithmeticEnergy.AddAreaUm2(1, p.TechnologyNm));
        yield return new ComponentCost(Component, area, ArithmeticEnergy.LeakageUw(area),
            $"{ArithmeticEnergy.AreaSource}; {p.Lanes} lanes of a {p.CountBits}-bit adder and an AND; {ArithmeticEnergy.LeakageSource}");
    }

    private static SdsaUnitParameters Validated(SdsaUnitParameters p)
    {
        p.Validate();
        return p;
    }
}

/// <summary>Parameters of an <see cref="SdsaUnit"/>.</summary>
public sealed record SdsaUnitParameters
{
    /// <summary>Operations per cycle.</summary>
    public int Lanes { get; init; } = 64;

    /// <summary>Width of the coincidence counts.</summary>
    public int CountBits { get; init; } = 12;

    /// <summary>Clock in Hz.</summary>
    public double ClockHz { get; init; } = 200e6;

    /// <summary>Technology node in nm.</summary>
    public double TechnologyNm { get; init; } = 40;

    /// <summary>Checks the values; throws naming the field.</summary>
    public void Validate()
    {
        if (Lanes < 1) throw new ArgumentException($"SdsaUnitParameters.Lanes must be >= 1, found {Lanes}");
        if (CountBits is < 1 or > 32) throw new ArgumentException($"SdsaUnitParameters.CountBits must lie in [1, 32], found {CountBits}");
        if (!(ClockHz > 0)) throw new ArgumentException($"SdsaUnitParameters.ClockHz must be > 0, found {ClockHz}");
    }
}
