namespace Neuromorphic.Arch.Runs.Records;

/// <summary>The JSON shape of a metric's value.</summary>
public enum MetricKind
{
    /// <summary>A real number (double); written as <c>null</c> when not defined for the run (NaN or infinite).</summary>
    Number,
    /// <summary>An integer count.</summary>
    Integer,
    /// <summary>A string.</summary>
    Text,
    /// <summary>An object of name -> number (e.g. energy by component).</summary>
    NumberMap,
    /// <summary>An array of strings.</summary>
    TextList,
    /// <summary>A nested record whose keys are themselves catalogue metrics.</summary>
    Section,
}
