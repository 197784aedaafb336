using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;

namespace Neuromorphic.Hw.Periphery;

/// <summary>
/// Shift-and-add: <c>acc + (partial &lt;&lt; shift)</c>, saturating to the accumulator width. One add per
/// clock cycle; combines ADC outputs of weight bit slices (shift = slice x bits per cell) or of
/// bit-serial input bits (shift = input bit position).
/// </summary>
public sealed class ShiftAdd
{
    /// <summary>Component class.</summary>
    public const string Component = "shift_add";

    /// <summary>Action: one shift-and-add.</summary>
    public const string AddAction = "add";

    private readonly long _max;
    private readonly long _min;

    /// <summary>Creates the model; validates the parameters.</summary>
    /// <param name="parameters">Shift-add parameters.</param>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public ShiftAdd(ShiftAddParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        _max = (1L << (parameters.Bits - 1)) - 1;
        _min = -_max - 1;
        EnergyPerAddPj = ArithmeticEnergy.AddPj(parameters.Bits, parameters.TechnologyNm);
        LatencyNs = 1e9 / parameters.ClockHz;
    }

    /// <summary>The parameters this model was built from.</summary>
    public ShiftAddParameters Parameters { get; }

    /// <summary>Cycles per add.</summary>
    public int CyclesPerAdd => 1;

    /// <summary>Time of one add, ns (one clock cycle).</summary>
    public double LatencyNs { get; }

    /// <summary>Energy of one add, pJ (Horowitz add scaled to <see cref="ShiftAddParameters.Bits"/> and the node).</summary>
    public double EnergyPerAddPj { get; }

    /// <summary>Adds <paramref name="partial"/> shifted left by <paramref name="shift"/> to <paramref name="accumulator"/>, saturating.</summary>
    /// <param name="accumulator">The running sum (saturated to the accumulator range first).</param>
    /// <param name="partial">The partial sum to add (an ADC code, possibly negative after offset removal).</param>
    /// <param name="shift">Left shift in bits, 0 to 62.</param>
    /// <returns>The saturated sum.</returns>
    public long Add(long accumulator, long partial, int shift)
    {
        if ((uint)shift > 62)
        {
            throw new ArgumentOutOfRangeException(nameof(shift), shift, "Shift must be in [0, 62].");
        }
        // Saturate the shifted term first: a shifted value outside the accumulator range saturates the result anyway.
        long limit = _max >> shift;
        long term = partial > limit ? _max : partial < -limit - 1 ? _min : partial << shift;
        // Clamping the accumulator too keeps both terms within 62 bits, so the sum cannot overflow a long.
        long sum = Math.Clamp(accumulator, _min, _max) + term;
        return sum > _max ? _max : sum < _min ? _min : sum;
    }

    /// <summary>The cost-table row of this model.</summary>
    /// <returns>One row: <see cref="Component"/>.<see cref="AddAction"/>.</returns>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        yield return new CostEntry(Component, AddAction, EnergyPerAddPj, LatencyNs,
            $"{ArithmeticEnergy.AddSource} ({Parameters.Bits} bit, {Parameters.TechnologyNm} nm); latency assumed 1 cycle");
    }
}
