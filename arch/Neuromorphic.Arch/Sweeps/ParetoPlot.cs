using Neuromorphic.Traces;
using ScottPlot;

namespace Neuromorphic.Arch.Sweeps;

/// <summary>The Pareto plot of a merged sweep: every point on the first two objectives, the front highlighted.</summary>
public static class ParetoPlot
{
    /// <summary>Writes <c>pareto.png</c> and <c>pareto.svg</c>; does nothing with fewer than two objectives.</summary>
    public static void Write(SweepMerge.Result merged, string output)
    {
        if (merged.Objectives.Count < 2) return;
        var (xName, _) = merged.Objectives[0];
        var (yName, _) = merged.Objectives[1];
        int xi = merged.Metrics.ToList().IndexOf(xName), yi = merged.Metrics.ToList().IndexOf(yName);
        var plot = new Plot();
        var all = merged.Rows.Where(r => !double.IsNaN(r.Metrics[xi]) && !double.IsNaN(r.Metrics[yi])).ToList();
        var points = plot.Add.ScatterPoints(all.Select(r => r.Metrics[xi]).ToArray(), all.Select(r => r.Metrics[yi]).ToArray());
        points.LegendText = "points";
        var front = all.Where(r => merged.Pareto.Contains(r.Index)).OrderBy(r => r.Metrics[xi]).ToList();
        if (front.Count > 0)
        {
            var line = plot.Add.Scatter(front.Select(r => r.Metrics[xi]).ToArray(), front.Select(r => r.Metrics[yi]).ToArray());
            line.LegendText = "Pareto front";
        }
        plot.Title("Pareto front");
        plot.XLabel(xName);
        plot.YLabel(yName);
        plot.ShowLegend();
        var png = Path.Combine(output, "pareto.png");
        var svg = Path.Combine(output, "pareto.svg");
        // Render to temporary names and rename: no half-written plot.
        var tmpPng = png + ".tmp.png";
        var tmpSvg = svg + ".tmp.svg";
        plot.SavePng(tmpPng, 800, 600);
        // The same bytes whatever the process drew before (Skia's clip-path ids count process-wide).
        File.WriteAllText(tmpSvg, Reports.Plots.RunFigure.Canonical(plot.GetSvgXml(800, 600)));
        File.Move(tmpPng, png, overwrite: true);
        File.Move(tmpSvg, svg, overwrite: true);
    }
}
