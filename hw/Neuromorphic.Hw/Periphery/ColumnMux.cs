using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Hw.Periphery;

/// <summary>
/// Column multiplexer: adjacent groups of <see cref="ColumnMuxParameters.ColumnsPerAdc"/> columns share
/// one ADC (column c goes to ADC c / k in round c mod k). Sharing divides ADC area and multiplies
/// conversion time: a column-bound read takes k conversion rounds.
/// </summary>
public sealed class ColumnMux
{
    /// <summary>Component class.</summary>
    public const string Component = "column_mux";

    /// <summary>Action: connect one column to its ADC.</summary>
    public const string SelectAction = "select";

    /// <summary>Creates the model; validates the parameters.</summary>
    /// <param name="parameters">Mux parameters.</param>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public ColumnMux(ColumnMuxParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        double f = TechnologyNode.FeatureUm(parameters.TechnologyNm);
        double v = TechnologyNode.SupplyVoltage(parameters.TechnologyNm);
        // Switching columns toggles two transmission gates (4 gates of 4 F) and the select decoder (~log2 k gates).
        double gateFf = TechnologyNode.GateCapacitanceFfPerUm * 4 * f;
        SwitchedGates = 4 + (int)Math.Ceiling(Math.Log2(parameters.ColumnsPerAdc));
        SelectEnergyPj = SwitchedGates * gateFf * v * v * 1e-3;
    }

    /// <summary>The parameters this model was built from.</summary>
    public ColumnMuxParameters Parameters { get; }

    /// <summary>Gates switched per select (transmission gates plus decoder), the basis of <see cref="SelectEnergyPj"/>.</summary>
    public int SwitchedGates { get; }

    /// <summary>Energy of one select, pJ.</summary>
    public double SelectEnergyPj { get; }

    /// <summary>ADCs needed for <paramref name="columns"/> columns: ceil(columns / k).</summary>
    /// <param name="columns">Columns of the array, &gt;= 0.</param>
    /// <returns>The ADC count.</returns>
    public int AdcsFor(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        return (int)(((long)columns + Parameters.ColumnsPerAdc - 1) / Parameters.ColumnsPerAdc);
    }

    /// <summary>Conversion rounds to read <paramref name="columns"/> columns: min(columns, k).</summary>
    /// <param name="columns">Columns of the array, &gt;= 0.</param>
    /// <returns>The number of sequential conversions on the busiest ADC.</returns>
    public int RoundsFor(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        return Math.Min(columns, Parameters.ColumnsPerAdc);
    }

    /// <summary>The ADC that converts <paramref name="column"/>.</summary>
    /// <param name="column">Column index, &gt;= 0.</param>
    /// <returns>ADC index.</returns>
    public int AdcOf(int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        return column / Parameters.ColumnsPerAdc;
    }

    /// <summary>The round in which <paramref name="column"/> is converted.</summary>
    /// <param name="column">Column index, &gt;= 0.</param>
    /// <returns>Round index in [0, k).</returns>
    public int RoundOf(int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        return column % Parameters.ColumnsPerAdc;
    }

    /// <summary>The cost-table row of this model.</summary>
    /// <returns>One row: <see cref="Component"/>.<see cref="SelectAction"/>.</returns>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        yield return new CostEntry(Component, SelectAction, SelectEnergyPj, 0,
            $"assumed: {SwitchedGates} gates of 4 F (2 transmission gates + log2 k decoder) x 1 fF/um x VDD^2 at {Parameters.TechnologyNm} nm;"
            + " latency 0: the switch settles within the ADC's sample phase");
    }
}
