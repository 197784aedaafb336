using System.Globalization;
using ScottPlot;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Reports.Plots;

/// <summary>
/// The figures of a run report, built only from the run directory's files (the energy ledger, the
/// latency timeline, sparsity, spike rasters and run metadata), never from live objects:
/// energy by component, energy by layer, latency per timestep, sparsity per layer and one spike
/// raster per <c>spikes_&lt;population&gt;.csv</c>. Figures whose data is absent are skipped.
/// </summary>
public static class RunPlots
{
    /// <summary>The folder under the run directory the figures are written to.</summary>
    public const string PlotsFolder = "plots";

    /// <summary>Layers shown one by one in the energy-by-layer figure; the rest are summed into "other".</summary>
    public const int TopLayers = 20;

    private const int Width = 960;
    private const string FontName = "DejaVu Sans";

    private static readonly Color DynamicColor = Color.FromHex("#1f77b4");
    private static readonly Color LeakageColor = Color.FromHex("#ff7f0e");
    private static readonly Color LineColor = Color.FromHex("#1f77b4");
    private static readonly Color MeanColor = Color.FromHex("#d62728");
    private static readonly Color SpikeColor = Color.FromHex("#222222");

    /// <summary>Reads <paramref name="runDirectory"/> and writes every figure as PNG and SVG into its <c>plots/</c> folder.</summary>
    /// <returns>The files written, PNG then SVG per figure.</returns>
    /// <exception cref="FileNotFoundException">The directory or a required file is missing.</exception>
    /// <exception cref="InputFormatException">A file is malformed.</exception>
    public static IReadOnlyList<string> WriteAll(string runDirectory)
    {
        var run = RunFiles.Load(runDirectory);
        return Write(run, Build(run));
    }

    /// <summary>
    /// Writes <paramref name="figures"/> as PNG and SVG into <c>plots/</c> of the run directory, one figure at a time,
    /// each file atomically. Each file is rendered in memory before its temporary file is created, so a failure while
    /// drawing leaves nothing behind; temporary files a killed earlier run left in <c>plots/</c> are deleted first
    /// (<see cref="ReportTemporaryFiles"/>).
    /// </summary>
    /// <returns>The files written, PNG then SVG per figure.</returns>
    public static IReadOnlyList<string> Write(RunFiles run, IReadOnlyList<RunFigure> figures)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(figures);
        var folder = Path.Combine(run.Directory, PlotsFolder);
        Directory.CreateDirectory(folder);
        ReportTemporaryFiles.RemoveLeftovers(folder, IsFigureFile);
        var written = new List<string>();
        foreach (var figure in figures)
        {
            var png = Path.Combine(folder, figure.PngFileName);
            var bytes = figure.RenderPng();
            AtomicFile.Write(png, s => s.Write(bytes));
            written.Add(png);
            var svg = Path.Combine(folder, figure.SvgFileName);
            var text = figure.RenderSvg();
            AtomicFile.WriteText(svg, w => w.Write(text));
            written.Add(svg);
        }
        return written;
    }

    /// <summary>Whether a file name in <c>plots/</c> is a figure file (<c>.png</c> or <c>.svg</c>), which <see cref="Write"/> writes.</summary>
    internal static bool IsFigureFile(string name) =>
        name.EndsWith(".png", StringComparison.Ordinal) || name.EndsWith(".svg", StringComparison.Ordinal);

    /// <summary>The figures the run's files support, in report order.</summary>
    public static IReadOnlyList<RunFigure> Build(RunFiles run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var figures = new List<RunFigure>();
        if (EnergyByComponent(run) is { } byComponent) figures.Add(byComponent);
        if (EnergyByLayer(run) is { } byLayer) figures.Add(byLayer);
        if (LatencyPerTimestep(run) is { } latency) figures.Add(latency);
        if (LatencyByLayer(run) is { } latencyByLayer) figures.Add(latencyByLayer);
        if (SparsityPerLayer(run) is { } sparsity) figures.Add(sparsity);
        foreach (var population in run.Spikes)
        {
            var raster = SpikeRaster(population);
            var name = raster.Name;
            for (var k = 2; figures.Any(f => f.Name == name); k++) name = raster.Name + "_" + k.ToString(CultureInfo.InvariantCulture);
            figures.Add(name == raster.Name ? raster : raster.Renamed(name));
        }
        return figures;
    }

    /// <summary>Stacked horizontal bars: dynamic and leakage energy of each component (from <c>energy_breakdown.csv</c>).</summary>
    public static RunFigure? EnergyByComponent(RunFiles run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var components = RunAggregates.ByComponent(run).Where(c => c.TotalPj > 0).ToList();
        if (components.Count == 0) return null;
        var (factor, unit) = RunAggregates.EnergyUnit(components.Max(c => c.TotalPj));
        var omitted = RunAggregates.ByComponent(run).Count - components.Count;
        var caption = $"Dynamic and leakage energy of each component over the whole run ({RunFiles.EnergyFile}), {unit}"
            + (omitted > 0 ? $"; {omitted} component(s) with zero energy omitted." : ".");
        const string title = "Energy by component";
        return new RunFigure("energy_by_component", title, caption, Width, BarChartHeight(components.Count), () =>
        {
            var plot = NewPlot(title, $"energy ({unit})", "");
            var bars = new List<Bar>();
            for (var i = 0; i < components.Count; i++)
            {
                var c = components[i];
                double position = components.Count - 1 - i;
                bars.Add(new Bar { Position = position, ValueBase = 0, Value = c.DynamicPj * factor, FillColor = DynamicColor, LineWidth = 0, Size = 0.7 });
                if (c.LeakagePj > 0)
                    bars.Add(new Bar { Position = position, ValueBase = c.DynamicPj * factor, Value = c.TotalPj * factor, FillColor = LeakageColor, LineWidth = 0, Size = 0.7 });
            }
            var barPlot = plot.Add.Bars(bars);
            barPlot.Horizontal = true;
            plot.Axes.Left.SetTicks(Positions(components.Count), components.Select(c => c.Component).Reverse().ToArray());
            plot.Axes.Left.MajorTickStyle.Length = 0;
            plot.Axes.Margins(left: 0, right: 0.05, bottom: 0.02, top: 0.02);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "dynamic", FillColor = DynamicColor });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "leakage", FillColor = LeakageColor });
            plot.ShowLegend(Alignment.LowerRight);
            return plot;
        });
    }

    /// <summary>
    /// Stacked horizontal bars: energy of each layer split by component (from <c>energy_breakdown.csv</c>);
    /// the largest <see cref="TopLayers"/> layers one by one, the rest summed.
    /// </summary>
    public static RunFigure? EnergyByLayer(RunFiles run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var layers = RunAggregates.ByLayer(run, TopLayers).Where(l => l.TotalPj > 0).ToList();
        if (layers.Count == 0) return null;
        var components = RunAggregates.ByComponent(run).Where(c => c.TotalPj > 0).Select(c => c.Component).ToList();
        var colors = ComponentColors(components);
        var (factor, unit) = RunAggregates.EnergyUnit(layers.Max(l => l.TotalPj));
        var caption = $"Energy (dynamic + leakage) of each layer split by component ({RunFiles.EnergyFile}), {unit}; "
            + $"'{RunAggregates.NoLayer}' collects the lines with no layer (leakage of the whole chip)"
            + (layers.Any(l => l.Layers > 1) ? $"; layers after the largest {TopLayers} are summed." : ".");
        const string title = "Energy by layer";
        return new RunFigure("energy_by_layer", title, caption, Width, BarChartHeight(layers.Count, components.Count), () =>
        {
            var plot = NewPlot(title, $"energy ({unit})", "");
            var bars = new List<Bar>();
            for (var i = 0; i < layers.Count; i++)
            {
                double position = layers.Count - 1 - i;
                var running = 0.0;
                foreach (var component in components)
                {
                    var e = layers[i].ByComponent.GetValueOrDefault(component) * factor;
                    if (e <= 0) continue;
                    bars.Add(new Bar { Position = position, ValueBase = running, Value = running + e, FillColor = colors[component], LineWidth = 0, Size = 0.7 });
                    running += e;
                }
            }
            var barPlot = plot.Add.Bars(bars);
            barPlot.Horizontal = true;
            plot.Axes.Left.SetTicks(Positions(layers.Count), layers.Select(l => l.Layer).Reverse().ToArray());
            plot.Axes.Left.MajorTickStyle.Length = 0;
            plot.Axes.Margins(left: 0, right: 0.05, bottom: 0.02, top: 0.02);
            foreach (var component in components)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = component, FillColor = colors[component] });
            plot.ShowLegend(Edge.Right);
            return plot;
        });
    }

    /// <summary>A line of the latency of each timestep in ns, with its mean (from <c>latency_breakdown.csv</c>).</summary>
    public static RunFigure? LatencyPerTimestep(RunFiles run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Latency is not { Count: > 0 } latency) return null;
        var xs = latency.Select(l => (double)l.Timestep).ToArray();
        var ys = latency.Select(l => l.LatencyNs).ToArray();
        var mean = ys.Average();
        var max = ys.Max();
        var caption = string.Create(CultureInfo.InvariantCulture,
            $"Hardware latency of each timestep ({RunFiles.LatencyFile}), ns; mean {mean:G4} ns, max {max:G4} ns over {ys.Length} timesteps.");
        const string title = "Latency per timestep";
        return new RunFigure("latency_per_timestep", title, caption, Width, 420, () =>
        {
            var plot = NewPlot(title, "timestep", "latency (ns)");
            var line = plot.Add.Scatter(xs, ys, LineColor);
            line.LineWidth = 1.5f;
            line.MarkerSize = ys.Length <= 100 ? 4 : 0;
            line.LegendText = "latency";
            var meanLine = plot.Add.HorizontalLine(mean, 1, MeanColor, LinePattern.Dashed);
            meanLine.LegendText = string.Create(CultureInfo.InvariantCulture, $"mean {mean:G4} ns");
            plot.Axes.SetLimitsY(0, max > 0 ? max * 1.12 : 1);
            plot.Axes.SetLimitsX(xs.Min() - 0.5, xs.Max() + 0.5);
            plot.ShowLegend(Alignment.LowerRight);
            return plot;
        });
    }

    /// <summary>Bars of each layer's latency in cycles, coloured by target (from <c>layers.csv</c>, transformer runs).</summary>
    public static RunFigure? LatencyByLayer(RunFiles run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Layers is not { } layers || !layers.Any(l => l.LatencyCycles is not null)) return null;
        var caption = $"Latency of each layer in base-clock cycles, in the order of {RunFiles.LayersFile}, coloured by where the layer runs.";
        const string title = "Latency by layer";
        return new RunFigure("latency_by_layer", title, caption, Width, 420, () =>
            LayerBars(title, "latency (cycles)", layers, l => l.LatencyCycles, l => l.Target, "target"));
    }

    /// <summary>
    /// Sparsity (share of silent neurons) per layer: one line per layer over the timesteps (from
    /// <c>sparsity.csv</c>), or, for transformer runs, bars of each layer's input sparsity (from <c>layers.csv</c>).
    /// </summary>
    public static RunFigure? SparsityPerLayer(RunFiles run)
    {
        ArgumentNullException.ThrowIfNull(run);
        const string title = "Sparsity per layer";
        if (run.Sparsity is { Count: > 0 } sparsity)
        {
            var layers = sparsity.Select(s => s.Layer).Distinct(StringComparer.Ordinal).ToList();
            var series = layers.Select(layer =>
            {
                var rows = sparsity.Where(s => s.Layer == layer).OrderBy(s => s.Timestep).ToList();
                return (Layer: layer, Xs: rows.Select(r => (double)r.Timestep).ToArray(), Ys: rows.Select(r => r.Sparsity).ToArray());
            }).ToList();
            var caption = $"Share of silent neurons in each layer at each timestep ({RunFiles.SparsityFile}); the legend gives the mean.";
            return new RunFigure("sparsity_per_layer", title, caption, Width, 420, () =>
            {
                var plot = NewPlot(title, "timestep", "sparsity (share of silent neurons)");
                var palette = new ScottPlot.Palettes.Category10();
                for (var i = 0; i < series.Count; i++)
                {
                    var (layer, xs, ys) = series[i];
                    var line = plot.Add.Scatter(xs, ys, palette.GetColor(i));
                    line.LineWidth = 1.5f;
                    line.MarkerSize = xs.Length <= 100 ? 3 : 0;
                    line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{layer} (mean {ys.Average():F3})");
                }
                plot.Axes.SetLimitsY(0, 1.05);
                plot.Axes.SetLimitsX(series.Min(s => s.Xs.DefaultIfEmpty(0).Min()) - 0.5, series.Max(s => s.Xs.DefaultIfEmpty(0).Max()) + 0.5);
                plot.ShowLegend(Alignment.LowerRight);
                return plot;
            });
        }
        if (run.Layers is { } layerRows && layerRows.Any(l => l.InputSparsity is not null))
        {
            var caption = $"Share of silent inputs of each layer, in the order of {RunFiles.LayersFile}, coloured by layer kind.";
            return new RunFigure("sparsity_per_layer", title, caption, Width, 420, () =>
            {
                var plot = LayerBars(title, "input sparsity", layerRows, l => l.InputSparsity, l => l.Kind, "kind");
                plot.Axes.SetLimitsY(0, 1.05);
                return plot;
            });
        }
        return null;
    }

    /// <summary>A spike raster (timestep against neuron) of one <c>spikes_&lt;population&gt;.csv</c>.</summary>
    public static RunFigure SpikeRaster(SpikePopulation population)
    {
        ArgumentNullException.ThrowIfNull(population);
        var raster = population.Raster;
        var xs = new List<double>();
        var ys = new List<double>();
        for (var t = 0; t < raster.Timesteps; t++)
        {
            var row = raster.Row(t);
            for (var n = 0; n < row.Length; n++)
                if (row[n] != 0)
                {
                    xs.Add(t);
                    ys.Add(n);
                }
        }
        var cells = (double)raster.Timesteps * raster.Channels;
        var caption = string.Create(CultureInfo.InvariantCulture,
            $"Spikes of population '{population.Population}' ({population.FileName}): {raster.Timesteps} timesteps x {raster.Channels} neurons, {xs.Count} spikes ({xs.Count / cells:P1} of the cells).");
        var title = "Spike raster: " + population.Population;
        const int height = 520;
        var name = "spikes_" + SafeName(population.Population);
        return new RunFigure(name, title, caption, Width, height, () =>
        {
            var plot = NewPlot(title, "timestep", "neuron");
            // One short dash per spike, most of a timestep wide and most of a neuron's row high (not ScottPlot's
            // HorizontalBar markers, which crashed the SVG rendering: see SpikeDashes).
            if (xs.Count > 0) plot.Add.Plottable(new SpikeDashes(xs.ToArray(), ys.ToArray(), SpikeColor));
            plot.Axes.SetLimitsX(-0.5, raster.Timesteps - 0.5);
            plot.Axes.SetLimitsY(-0.5, raster.Channels - 0.5);
            return plot;
        });
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, 16);
        if (xLabel.Length > 0) plot.XLabel(xLabel, 13);
        if (yLabel.Length > 0) plot.YLabel(yLabel, 13);
        return plot;
    }

    private static Plot LayerBars(string title, string yLabel, IReadOnlyList<LayerRecord> layers, Func<LayerRecord, double?> value,
        Func<LayerRecord, string> group, string groupName)
    {
        var plot = NewPlot(title, $"layer (order of {RunFiles.LayersFile})", yLabel);
        var groups = layers.Select(group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var colors = groups.Select((g, i) => (g, palette.GetColor(i))).ToDictionary(p => p.g, p => p.Item2, StringComparer.Ordinal);
        var bars = new List<Bar>();
        for (var i = 0; i < layers.Count; i++)
            if (value(layers[i]) is { } v)
                bars.Add(new Bar { Position = i, ValueBase = 0, Value = v, FillColor = colors[group(layers[i])], LineWidth = 0, Size = 0.8 });
        plot.Add.Bars(bars);
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsX(-1, layers.Count);
        foreach (var g in groups)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = g.Length == 0 ? $"(no {groupName})" : g, FillColor = colors[g] });
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static Dictionary<string, Color> ComponentColors(IReadOnlyList<string> components)
    {
        IPalette palette = components.Count <= 10 ? new ScottPlot.Palettes.Category10() : new ScottPlot.Palettes.Category20();
        var colors = new Dictionary<string, Color>(StringComparer.Ordinal);
        for (var i = 0; i < components.Count; i++) colors[components[i]] = palette.GetColor(i);
        return colors;
    }

    private static double[] Positions(int count) => Enumerable.Range(0, count).Select(i => (double)i).ToArray();

    private static int BarChartHeight(int bars, int legendItems = 2) =>
        Math.Max(360, Math.Max(110 + 30 * bars, 140 + 20 * legendItems));

    /// <summary>A file-name-safe version of a population name (letters, digits, '-', '_', '.'; others become '_').</summary>
    internal static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        var safe = new string(chars).Trim('.');
        return safe.Length == 0 ? "_" : safe;
    }
}
