namespace Neuromorphic.Hw.Periphery;

/// <summary>
/// Parameters of a word-line driver of a 1T1R array: it charges the gates of the access transistors
/// of one row and the word-line wire across all columns.
/// </summary>
public sealed record WordLineDriverParameters
{
    /// <summary>Columns the word line crosses (cells per row).</summary>
    public int Columns { get; init; } = 128;

    /// <summary>Technology node in nanometres.</summary>
    public double TechnologyNm { get; init; } = 32;

    /// <summary>Word-line swing in volts; null for the node's nominal supply (<see cref="TechnologyNode.SupplyVoltage"/>).</summary>
    public double? Voltage { get; init; }

    /// <summary>Access-transistor gate width per cell in feature sizes F (assumed 4 F: a wide-enough device to pass the LRS read current).</summary>
    public double AccessGateWidthF { get; init; } = 4;

    /// <summary>Word-line wire length per cell in feature sizes F (NeuroSim's 1T1R cell is 4 F x 12 F; the word line spans 12 F).</summary>
    public double CellPitchF { get; init; } = 12;

    /// <summary>Time to drive the line to its level, ns (assumed 1 ns: well inside the SAR's (bits + 1) ns conversion).</summary>
    public double DriveLatencyNs { get; init; } = 1.0;

    /// <summary>The swing actually used: <see cref="Voltage"/> or the node's nominal supply.</summary>
    public double EffectiveVoltage => Voltage ?? TechnologyNode.SupplyVoltage(TechnologyNm);

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (Columns < 1)
        {
            throw new ArgumentException($"WordLineDriverParameters.Columns must be >= 1, found {Columns}", nameof(Columns));
        }
        TechnologyNode.Validate(TechnologyNm, "WordLineDriverParameters.TechnologyNm");
        if (Voltage is { } v && !(v > 0 && v < 10))
        {
            throw new ArgumentException($"WordLineDriverParameters.Voltage must be in (0, 10) V, found {v}", nameof(Voltage));
        }
        if (!(AccessGateWidthF >= 0) || double.IsInfinity(AccessGateWidthF))
        {
            throw new ArgumentException($"WordLineDriverParameters.AccessGateWidthF must be >= 0, found {AccessGateWidthF}", nameof(AccessGateWidthF));
        }
        if (!(CellPitchF >= 0) || double.IsInfinity(CellPitchF))
        {
            throw new ArgumentException($"WordLineDriverParameters.CellPitchF must be >= 0, found {CellPitchF}", nameof(CellPitchF));
        }
        if (!(DriveLatencyNs >= 0) || double.IsInfinity(DriveLatencyNs))
        {
            throw new ArgumentException($"WordLineDriverParameters.DriveLatencyNs must be >= 0, found {DriveLatencyNs}", nameof(DriveLatencyNs));
        }
    }
}
