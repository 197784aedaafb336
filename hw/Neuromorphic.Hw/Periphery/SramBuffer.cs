using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Hw.Periphery;

/// <summary>
/// SRAM buffer: energy per bit read or written, access latency, area and leakage by capacity.
/// </summary>
/// <remarks>
/// Anchor: Horowitz (ISSCC 2014, 45 nm): a 64-bit read of an 8 KB SRAM costs 10 pJ, 0.156 pJ per bit.
/// Other capacities scale with sqrt(capacity / 8 KB), since bit-line and word-line lengths grow with
/// the side of the array; this matches Horowitz's other points (32 KB: 20 pJ, 1 MB: 100 pJ vs 113
/// predicted). Energy scales with node/45 and Vdd^2; writes are assumed to cost what reads cost.
/// </remarks>
public sealed class SramBuffer
{
    /// <summary>Component class.</summary>
    public const string Component = "sram_buffer";

    /// <summary>Action: one bit read (count bits, not words).</summary>
    public const string ReadBitAction = "read_bit";

    /// <summary>Action: one bit written (count bits, not words).</summary>
    public const string WriteBitAction = "write_bit";

    /// <summary>Horowitz ISSCC 2014, 45 nm: energy of a 64-bit read from an 8 KB SRAM, pJ.</summary>
    public const double HorowitzReadPjPer64Bits = 10;

    /// <summary>Capacity of Horowitz's reference SRAM, bytes.</summary>
    public const long HorowitzCapacityBytes = 8192;

    /// <summary>Area per bit in F^2 including array periphery (assumed: a 6T cell is ~150-170 F^2, plus ~50 % periphery).</summary>
    public const double AreaPerBitF2 = 250;

    /// <summary>Leakage per bit, uW (assumed: 50 pW per 6T cell in a low-power process).</summary>
    public const double LeakagePerBitUw = 5e-5;

    /// <summary>Creates the model; validates the parameters.</summary>
    /// <param name="parameters">Buffer parameters.</param>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public SramBuffer(SramBufferParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        ReadEnergyPjPerBit = HorowitzReadPjPer64Bits / 64
            * Math.Sqrt((double)parameters.CapacityBytes / HorowitzCapacityBytes)
            * TechnologyNode.DynamicEnergyScale(parameters.TechnologyNm);
        AccessLatencyNs = 1e9 / parameters.ClockHz;
    }

    /// <summary>The parameters this model was built from.</summary>
    public SramBufferParameters Parameters { get; }

    /// <summary>Energy to read one bit, pJ.</summary>
    public double ReadEnergyPjPerBit { get; }

    /// <summary>Energy to write one bit, pJ (assumed equal to a read).</summary>
    public double WriteEnergyPjPerBit => ReadEnergyPjPerBit;

    /// <summary>Time of one word access, ns (one cycle).</summary>
    public double AccessLatencyNs { get; }

    /// <summary>Capacity in bits.</summary>
    public long CapacityBits => Parameters.CapacityBytes * 8;

    /// <summary>Word accesses needed to move <paramref name="bits"/> bits: ceil(bits / word bits).</summary>
    /// <param name="bits">Bits to read or write, &gt;= 0.</param>
    /// <returns>The number of accesses (cycles on one port).</returns>
    public long AccessesFor(long bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        return bits == 0 ? 0 : (bits - 1) / Parameters.WordBits + 1;
    }

    /// <summary>The cost-table rows of this model: <see cref="ReadBitAction"/> and <see cref="WriteBitAction"/>.</summary>
    /// <returns>Two rows for <see cref="Component"/>.</returns>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        var p = Parameters;
        string basis = $"Horowitz ISSCC 2014 (45 nm, 8 KB SRAM, 64-bit read 10 pJ); assumed: x sqrt({p.CapacityBytes} B / 8 KB), x (node/45) (Vdd/1 V)^2 ({p.TechnologyNm} nm); latency 1 cycle per word";
        yield return new CostEntry(Component, ReadBitAction, ReadEnergyPjPerBit, AccessLatencyNs, basis);
        yield return new CostEntry(Component, WriteBitAction, WriteEnergyPjPerBit, AccessLatencyNs, basis + "; assumed: write = read");
    }

    /// <summary>Area and leakage of one buffer.</summary>
    /// <returns>One row for <see cref="Component"/>.</returns>
    public IEnumerable<ComponentCost> DefaultComponentCosts()
    {
        double f = TechnologyNode.FeatureUm(Parameters.TechnologyNm);
        yield return new ComponentCost(Component, CapacityBits * AreaPerBitF2 * f * f, CapacityBits * LeakagePerBitUw,
            "assumed: 250 F^2 per bit (6T cell + periphery), 50 pW leakage per bit");
    }
}
