namespace Neuromorphic.Arch.Sweeps;

/// <summary>One swept parameter: a dotted path into the base configuration and its values.</summary>
/// <param name="Path">Dotted path, e.g. <c>architecture.macro.adc.bits</c>.</param>
/// <param name="Values">The values, as YAML scalars (numbers in invariant culture).</param>
/// <param name="Line">Line of the parameter in the sweep file (for errors).</param>
/// <param name="AlsoPaths">Further paths set to the same value (e.g. rows and columns of a square array).</param>
public sealed record SweepParameter(string Path, IReadOnlyList<string> Values, long Line, IReadOnlyList<string>? AlsoPaths = null);

/// <summary>An objective of the Pareto front: a metric of the run summary and whether less or more is better.</summary>
/// <param name="Metric">Key of <c>summary.json</c>, e.g. <c>energy_per_inference_J</c>.</param>
/// <param name="Minimise">True if smaller is better.</param>
public sealed record SweepObjective(string Metric, bool Minimise);

/// <summary>A design-space sweep: a base configuration, fixed overrides, swept parameters, objectives.</summary>
public sealed record SweepSpec
{
    /// <summary>Name (default output folder <c>sweeps/NAME</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The sweep file.</summary>
    public required string File { get; init; }

    /// <summary>The base run configuration: a run preset name or a file.</summary>
    public required string Base { get; init; }

    /// <summary>The base configuration's YAML text.</summary>
    public required string BaseText { get; init; }

    /// <summary>
    /// Sweep seed (the file's <c>seed</c>, default 1): the seed of its <c>sample</c> draws and, when <see cref="SeedGiven"/>, every
    /// point's run seed (common random numbers: the points differ only in what they sweep).
    /// </summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// True when the sweep file gives <c>seed</c>: every point's configuration gets it (before the <c>set</c> overrides and the
    /// swept values, so <c>set: {seed: N}</c> or a swept <c>seed</c> wins); false: the points keep the base configuration's seed.
    /// </summary>
    public required bool SeedGiven { get; init; }

    /// <summary>
    /// Where the points' run seed comes from, as <c>sweep.json</c> records it: <c>swept</c> (a swept <c>seed</c>: each point
    /// its value), <c>set</c> (<c>set: {seed: N}</c>), <c>sweep</c> (the sweep file's <see cref="Seed"/>) or <c>base</c> (the
    /// base configuration's, when the sweep names none).
    /// </summary>
    public string SeedSource =>
        Parameters.Any(p => p.Path == "seed") ? "swept"
        : Fixed.Any(p => p.Path == "seed") ? "set"
        : SeedGiven ? "sweep"
        : "base";

    /// <summary>True: all combinations (the last parameter varies fastest); false: the i-th values together (zip).</summary>
    public bool Grid { get; init; } = true;

    /// <summary>Overrides applied to every point.</summary>
    public IReadOnlyList<SweepParameter> Fixed { get; init; } = [];

    /// <summary>The swept parameters.</summary>
    public required IReadOnlyList<SweepParameter> Parameters { get; init; }

    /// <summary>Pareto objectives.</summary>
    public IReadOnlyList<SweepObjective> Objectives { get; init; } = [];

    /// <summary>Summary metrics written to <c>sweep.csv</c> (none of them wall-clock, so the file is reproducible).</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];
}
