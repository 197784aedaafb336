namespace Neuromorphic.Hw.Periphery;

/// <summary>Parameters of the column multiplexer that shares one ADC among several columns.</summary>
public sealed record ColumnMuxParameters
{
    /// <summary>Columns per ADC (NeuroSim default 8); the ADC converts them one after another.</summary>
    public int ColumnsPerAdc { get; init; } = 8;

    /// <summary>Technology node in nanometres.</summary>
    public double TechnologyNm { get; init; } = 32;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (ColumnsPerAdc < 1)
        {
            throw new ArgumentException($"ColumnMuxParameters.ColumnsPerAdc must be >= 1, found {ColumnsPerAdc}", nameof(ColumnsPerAdc));
        }
        TechnologyNode.Validate(TechnologyNm, "ColumnMuxParameters.TechnologyNm");
    }
}
