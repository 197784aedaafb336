using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Hw.Periphery;

/// <summary>
/// Word-line driver: energy per row drive = C_wl V^2 with C_wl = columns x (access-gate capacitance
/// + word-line wire capacitance per cell); one drive per activated row per read.
/// </summary>
public sealed class WordLineDriver
{
    /// <summary>Component class.</summary>
    public const string Component = "word_line_driver";

    /// <summary>Action: drive one word line (one row activated for one read).</summary>
    public const string RowDriveAction = "row_drive";

    /// <summary>Creates the model; validates the parameters.</summary>
    /// <param name="parameters">Driver parameters.</param>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public WordLineDriver(WordLineDriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        double f = TechnologyNode.FeatureUm(parameters.TechnologyNm);
        CellCapacitanceFf = TechnologyNode.GateCapacitanceFfPerUm * parameters.AccessGateWidthF * f
            + TechnologyNode.WireCapacitanceFfPerUm * parameters.CellPitchF * f;
        LineCapacitanceFf = parameters.Columns * CellCapacitanceFf;
        double v = parameters.EffectiveVoltage;
        RowDriveEnergyPj = LineCapacitanceFf * v * v * 1e-3; // fF x V^2 = fJ
    }

    /// <summary>The parameters this model was built from.</summary>
    public WordLineDriverParameters Parameters { get; }

    /// <summary>Capacitance one cell adds to the word line, fF.</summary>
    public double CellCapacitanceFf { get; }

    /// <summary>Total word-line capacitance, fF.</summary>
    public double LineCapacitanceFf { get; }

    /// <summary>Energy of one row drive, pJ.</summary>
    public double RowDriveEnergyPj { get; }

    /// <summary>Time of one row drive, ns.</summary>
    public double RowDriveLatencyNs => Parameters.DriveLatencyNs;

    /// <summary>The cost-table row of this model.</summary>
    /// <returns>One row: <see cref="Component"/>.<see cref="RowDriveAction"/>.</returns>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        var p = Parameters;
        yield return new CostEntry(Component, RowDriveAction, RowDriveEnergyPj, RowDriveLatencyNs,
            $"assumed: C V^2 with {p.Columns} cells x ({TechnologyNode.GateCapacitanceFfPerUm} fF/um x {p.AccessGateWidthF} F gate"
            + $" + {TechnologyNode.WireCapacitanceFfPerUm} fF/um x {p.CellPitchF} F wire, NeuroSim 1T1R cell 4F x 12F) at {p.TechnologyNm} nm,"
            + $" V = {p.EffectiveVoltage:0.###} V; latency {p.DriveLatencyNs} ns assumed");
    }
}
