using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Neuromorphic.Arch.Reports.Plots;

namespace Neuromorphic.Arch.Reports.Html;

/// <summary>A table of a report: plain strings (escaped by the renderer), numeric columns right-aligned.</summary>
/// <param name="Header">The column titles.</param>
/// <param name="Numeric">Per column: right-align (numbers).</param>
/// <param name="Rows">The cells, one array per row.</param>
/// <param name="Note">An optional sentence under the table.</param>
internal sealed record ReportTable(string[] Header, bool[] Numeric, IReadOnlyList<string[]> Rows, string? Note = null);

/// <summary>A section of a report: a title, an optional introduction, tables and figures.</summary>
internal sealed record ReportSection(string Id, string Title, string? Intro, IReadOnlyList<ReportTable> Tables, IReadOnlyList<RunFigure> Figures);

/// <summary>
/// What a run report says, independent of its format: sections of tables and figures built from the
/// run directory's files. Numbers use the invariant culture; nothing depends on the clock, so the
/// same files give the same report.
/// </summary>
internal static class ReportContent
{
    /// <summary>Rows shown one by one in the top-components and top-layers tables.</summary>
    public const int TopRows = 10;

    private static readonly (string Label, string Key)[] Headline =
    [
        ("Energy per inference", "energy_per_inference_J"),
        ("Energy per inference at real time (power policy)", "energy_per_inference_real_time_J"),
        ("Energy per inference at full throughput", "energy_per_inference_full_throughput_J"),
        ("Power gating", "power_gating"),
        ("Leakage power", "leakage_power_W"),
        ("Real-time period per inference", "real_time_period_s"),
        ("Busy time per inference", "busy_time_s"),
        ("Chip area", "chip_area_um2"),
        ("Total energy (all samples)", "energy_J"),
        ("Latency per inference", "latency_s"),
        ("Latency per inference", "latency_cycles"),
        ("Latency per timestep", "latency_per_timestep_s"),
        ("Energy-delay product", "edp_Js"),
        ("Energy per synaptic operation", "energy_per_synaptic_op_pJ"),
        ("Theoretical energy per inference", "theoretical_energy_J"),
        ("Spikes", "spikes"),
        ("Activation sparsity", "activation_sparsity"),
        ("Accuracy", "accuracy"),
        ("Software accuracy", "software_accuracy"),
        ("Baseline accuracy", "baseline_accuracy"),
        ("Golden spike agreement", "golden_spike_agreement"),
        ("Real-time factor (hardware time / model time)", "real_time_factor"),
        ("One-time programming energy", "programming_energy_J"),
        ("Timesteps", "timesteps"),
        ("Base clock", "base_clock_hz"),
        ("Macros", "macros"),
        ("Parameters", "parameters"),
    ];

    private static readonly (string Label, string Key)[] ConfigurationKeys =
    [
        ("Name", "name"),
        ("Configuration", "config"),
        ("Configuration hash", "config_hash"),
        ("Seed", "seed"),
        ("Architecture", "architecture"),
        ("Technology", "technology_nm"),
        ("Model", "model"),
        ("Mode", "mode"),
        ("Tool version", "tool_version"),
    ];

    /// <summary>The report's title.</summary>
    public static string Title(RunFiles run) =>
        "Run report: " + (run.Text("name") ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(run.Directory))));

    /// <summary>One line naming the configuration, its hash and seed.</summary>
    public static string ConfigurationNote(RunFiles run) =>
        $"Configuration {run.Text("config") ?? run.Text("name") ?? "(unnamed)"}, hash {run.Text("config_hash") ?? "n/a"}, seed {run.Text("seed") ?? "n/a"}"
        + (run.Text("architecture") is { } arch ? $", architecture {arch}" : "") + ".";

    /// <summary>The sections of the report, in order; <paramref name="figures"/> are placed in the sections they belong to.</summary>
    public static IReadOnlyList<ReportSection> Sections(RunFiles run, IReadOnlyList<RunFigure> figures)
    {
        var sections = new List<ReportSection>();
        IReadOnlyList<RunFigure> Figures(Func<string, bool> which) => figures.Where(f => which(f.Name)).ToList();

        sections.Add(new ReportSection("headline", "Headline figures", null, [HeadlineTable(run)], []));
        sections.Add(new ReportSection("configuration", "Configuration", null, [ConfigurationTable(run)], []));
        sections.Add(new ReportSection("energy-components", "Energy by component",
            $"From {RunFiles.EnergyFile}: the energy ledger summed per component{WholeRun(run)}.", [ComponentTable(run)], Figures(n => n == "energy_by_component")));
        sections.Add(new ReportSection("energy-layers", "Energy by layer",
            $"From {RunFiles.EnergyFile}: the energy ledger summed per layer{WholeRun(run)}.", [LayerTable(run)], Figures(n => n == "energy_by_layer")));

        var latencyTables = new List<ReportTable>();
        if (LatencyTable(run) is { } latency) latencyTables.Add(latency);
        var latencyFigures = Figures(n => n is "latency_per_timestep" or "latency_by_layer");
        if (latencyTables.Count > 0 || latencyFigures.Count > 0)
            sections.Add(new ReportSection("latency", "Latency", null, latencyTables, latencyFigures));

        if (LayersTable(run) is { } layers)
            sections.Add(new ReportSection("layers", "Layers", $"From {RunFiles.LayersFile}: the layers that spend the most energy.", [layers], []));

        var sparsityTables = new List<ReportTable>();
        if (SparsityTable(run) is { } sparsity) sparsityTables.Add(sparsity);
        var sparsityFigures = Figures(n => n == "sparsity_per_layer");
        if (sparsityTables.Count > 0 || sparsityFigures.Count > 0)
            sections.Add(new ReportSection("sparsity", "Sparsity", null, sparsityTables, sparsityFigures));

        if (run.Spikes.Count > 0)
            sections.Add(new ReportSection("spikes", "Spike rasters", "From the spikes_<population>.csv files: rows are timesteps, columns neurons.",
                [SpikesTable(run)], Figures(n => n.StartsWith("spikes_", StringComparison.Ordinal))));

        sections.Add(new ReportSection("costs", "Cost table", $"From {RunFiles.CostFile}: the costs the run actually used, with their sources.", [CostTable(run)], []));
        sections.Add(new ReportSection("summary", "All summary values", $"Every entry of {RunFiles.SummaryFile}, as written (units are in the key names).", [SummaryTable(run)], []));
        return sections;
    }

    private static string WholeRun(RunFiles run) =>
        run.Number("samples") is { } n and > 1 ? string.Create(CultureInfo.InvariantCulture, $" over the whole run ({n:G} samples; the headline figures are per inference)") : " over the whole run";

    private static ReportTable HeadlineTable(RunFiles run)
    {
        var rows = new List<string[]>();
        foreach (var (label, key) in Headline)
        {
            var node = run.Summary.FirstOrDefault(p => p.Key == key);
            if (node.Key is null || node.Value is null) continue;
            rows.Add([label, FormatValue(key, node.Value), key]);
        }
        return new ReportTable(["Quantity", "Value", $"{RunFiles.SummaryFile} key"], [false, true, false], rows);
    }

    private static ReportTable ConfigurationTable(RunFiles run)
    {
        var rows = new List<string[]>();
        foreach (var (label, key) in ConfigurationKeys)
            if (run.Text(key) is { } value)
                rows.Add([label, key == "technology_nm" ? value + " nm" : value]);
        return new ReportTable(["Field", "Value"], [false, false], rows);
    }

    private static ReportTable ComponentTable(RunFiles run)
    {
        var components = RunAggregates.ByComponent(run);
        var total = components.Sum(c => c.TotalPj);
        var (f, unit) = RunAggregates.EnergyUnit(components.Select(c => c.TotalPj).DefaultIfEmpty(0).Max());
        var rows = new List<string[]>();
        foreach (var c in components.Take(TopRows))
            rows.Add([c.Component, G(c.DynamicPj * f), G(c.LeakagePj * f), G(c.TotalPj * f), Share(c.TotalPj, total)]);
        if (components.Count > TopRows)
        {
            var rest = components.Skip(TopRows).ToList();
            rows.Add([$"other ({rest.Count} components)", G(rest.Sum(c => c.DynamicPj) * f), G(rest.Sum(c => c.LeakagePj) * f), G(rest.Sum(c => c.TotalPj) * f), Share(rest.Sum(c => c.TotalPj), total)]);
        }
        rows.Add(["total", G(components.Sum(c => c.DynamicPj) * f), G(components.Sum(c => c.LeakagePj) * f), G(total * f), total > 0 ? "100 %" : "n/a"]);
        return new ReportTable(["Component", $"Dynamic ({unit})", $"Leakage ({unit})", $"Total ({unit})", "Share"], [false, true, true, true, true], rows);
    }

    private static ReportTable LayerTable(RunFiles run)
    {
        var layers = RunAggregates.ByLayer(run, TopRows);
        var total = layers.Sum(l => l.TotalPj);
        var (f, unit) = RunAggregates.EnergyUnit(layers.Select(l => l.TotalPj).DefaultIfEmpty(0).Max());
        var rows = layers.Select(l => new[] { l.Layer, l.Layers > 1 ? "" : l.TopComponent, G(l.TotalPj * f), Share(l.TotalPj, total) }).ToList();
        rows.Add(["total", "", G(total * f), total > 0 ? "100 %" : "n/a"]);
        return new ReportTable(["Layer", "Largest component", $"Energy ({unit})", "Share"], [false, false, true, true], rows,
            $"'{RunAggregates.NoLayer}' collects the ledger lines with no layer (leakage of the whole chip).");
    }

    private static ReportTable? LatencyTable(RunFiles run)
    {
        if (run.Latency is not { Count: > 0 } latency) return null;
        var ns = latency.Select(l => l.LatencyNs).ToList();
        var cycles = latency.Sum(l => l.LatencyCycles);
        return new ReportTable(["Timesteps", "Mean (ns)", "Min (ns)", "Max (ns)", "Sum (cycles)"], [true, true, true, true, true],
            [[I(latency.Count), G(ns.Average()), G(ns.Min()), G(ns.Max()), G(cycles)]],
            $"From {RunFiles.LatencyFile}: hardware latency of each timestep.");
    }

    private static ReportTable? LayersTable(RunFiles run)
    {
        if (run.Layers is not { Count: > 0 } layers) return null;
        var top = layers.Where(l => l.EnergyPj is not null).OrderByDescending(l => l.EnergyPj).ThenBy(l => l.Layer, StringComparer.Ordinal).Take(TopRows).ToList();
        if (top.Count == 0) return null;
        var (f, unit) = RunAggregates.EnergyUnit(top.Max(l => l.EnergyPj!.Value));
        var rows = top.Select(l => new[]
        {
            l.Layer, l.Kind, l.Target, l.InputSparsity is { } s ? s.ToString("F3", CultureInfo.InvariantCulture) : "",
            G(l.EnergyPj!.Value * f), l.LatencyCycles is { } c ? G(c) : "",
        }).ToList();
        return new ReportTable(["Layer", "Kind", "Target", "Input sparsity", $"Energy ({unit})", "Latency (cycles)"], [false, false, false, true, true, true], rows,
            string.Create(CultureInfo.InvariantCulture, $"The {top.Count} of {layers.Count} layers that spend the most energy."));
    }

    private static ReportTable? SparsityTable(RunFiles run)
    {
        if (run.Sparsity is not { Count: > 0 } sparsity) return null;
        var rows = sparsity.GroupBy(s => s.Layer, StringComparer.Ordinal).Select(g => new[]
        {
            g.Key, I(g.Count()), F3(g.Average(s => s.Sparsity)), F3(g.Min(s => s.Sparsity)), F3(g.Max(s => s.Sparsity)),
        }).ToList();
        return new ReportTable(["Layer", "Timesteps", "Mean sparsity", "Min", "Max"], [false, true, true, true, true], rows,
            $"From {RunFiles.SparsityFile}: the share of silent neurons per timestep.");
    }

    private static ReportTable SpikesTable(RunFiles run)
    {
        var rows = run.Spikes.Select(p =>
        {
            var cells = (double)p.Raster.Timesteps * p.Raster.Channels;
            return new[] { p.Population, p.FileName, I(p.Raster.Timesteps), I(p.Raster.Channels), I(p.Spikes), (p.Spikes / cells).ToString("P1", CultureInfo.InvariantCulture) };
        }).ToList();
        return new ReportTable(["Population", "File", "Timesteps", "Neurons", "Spikes", "Share of cells"], [false, false, true, true, true, true], rows);
    }

    private static ReportTable CostTable(RunFiles run)
    {
        static string N(double? v) => v is { } x ? x.ToString("G6", CultureInfo.InvariantCulture) : "";
        var rows = run.Costs.Select(c => new[] { c.Component, c.Action, N(c.EnergyPj), N(c.LatencyNs), N(c.AreaUm2), N(c.LeakageUw), c.Source }).ToList();
        return new ReportTable(["Component", "Action", "Energy (pJ)", "Latency (ns)", "Area (µm²)", "Leakage (µW)", "Source"],
            [false, false, true, true, true, true, false], rows);
    }

    private static ReportTable SummaryTable(RunFiles run)
    {
        var rows = run.Summary.Select(p => new[] { p.Key, Raw(p.Value) }).ToList();
        return new ReportTable(["Key", "Value"], [false, true], rows);
    }

    private static string Raw(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>Formats a summary value by the unit its key names (<c>_J</c>, <c>_s</c>, <c>_pJ</c>, <c>_hz</c>, ...).</summary>
    public static string FormatValue(string key, JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number) return node is null ? "n/a" : Raw(node);
        var v = value.GetValue<double>();
        if (key.EndsWith("_Js", StringComparison.Ordinal)) return Si(v, "J·s");
        if (key.EndsWith("_pJ", StringComparison.Ordinal)) return Si(v * 1e-12, "J");
        if (key.EndsWith("_J", StringComparison.Ordinal)) return Si(v, "J");
        if (key.EndsWith("_s", StringComparison.Ordinal)) return Si(v, "s");
        if (key.EndsWith("_hz", StringComparison.OrdinalIgnoreCase)) return Si(v, "Hz");
        if (key.EndsWith("_nm", StringComparison.Ordinal)) return G(v) + " nm";
        if (key.EndsWith("_W", StringComparison.Ordinal)) return Si(v, "W");
        // Areas in mm^2 with four significant digits, as the command line prints chip area (0.3771 mm^2, not 377,128 um^2).
        if (key.EndsWith("_um2", StringComparison.Ordinal)) return G(v * 1e-6) + " mm^2";
        if (key.EndsWith("_cycles", StringComparison.Ordinal)) return G(v) + " cycles";
        if (key.Contains("sparsity", StringComparison.Ordinal) || key.Contains("accuracy", StringComparison.Ordinal) || key.Contains("agreement", StringComparison.Ordinal))
            return (v * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";
        if (v == Math.Floor(v) && Math.Abs(v) < 1e15) return v.ToString("N0", CultureInfo.InvariantCulture);
        return G(v);
    }

    /// <summary>A value with an SI prefix and four significant digits, e.g. <c>51.1 nJ</c> (<see cref="Quantity.Si"/>).</summary>
    public static string Si(double value, string unit) => Quantity.Si(value, unit);

    private static string G(double v) => Quantity.Number(v);

    private static string F3(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Share(double part, double total) =>
        total > 0 ? (part / total * 100).ToString("F1", CultureInfo.InvariantCulture) + " %" : "n/a";
}
