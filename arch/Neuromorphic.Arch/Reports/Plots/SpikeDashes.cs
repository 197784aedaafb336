using ScottPlot;
using SkiaSharp;

namespace Neuromorphic.Arch.Reports.Plots;

/// <summary>
/// The marks of a spike raster: one filled rectangle per spike, centred on (timestep, neuron), most of a timestep
/// wide and most of a neuron's row high, drawn with one paint the plottable owns.
/// </summary>
/// <remarks>
/// Why not ScottPlot's <c>MarkerShape.HorizontalBar</c> markers, which the raster used before: ScottPlot 5.1.59
/// draws each such marker through a new <c>SKPath</c> it never disposes, and SkiaSharp 3.119's
/// <c>SKCanvas.DrawPath</c> does not keep the path alive during <c>sk_canvas_draw_path</c>. The SVG canvas writes
/// to a managed stream from inside that native call; the allocation can start a garbage collection, the path is
/// no longer referenced, and the finalizer thread frees the native path while Skia still reads it. With the JIT
/// fully optimising (the command line runs without tiered compilation) <c>neuromorphic report</c> died with
/// SIGSEGV in 4 to 8 of 10 runs on the LSM's reservoir raster. A rectangle is a struct and the paint lives until the
/// end of <see cref="Render"/>, so nothing here can be finalised while Skia uses it. The same ScottPlot version
/// allocates an undisposed path in its Asterisk, Cross, Eks, HashTag, TriUp, TriDown, VerticalBar and
/// circle-with-line markers: the report's figures use none of them.
/// </remarks>
internal sealed class SpikeDashes : IPlottable
{
    private readonly double[] _timesteps;
    private readonly double[] _neurons;
    private readonly Color _color;
    private readonly AxisLimits _limits;

    /// <param name="timesteps">The timestep of each spike.</param>
    /// <param name="neurons">The neuron of each spike (same length as <paramref name="timesteps"/>).</param>
    /// <param name="color">The colour of the marks.</param>
    public SpikeDashes(double[] timesteps, double[] neurons, Color color)
    {
        ArgumentNullException.ThrowIfNull(timesteps);
        ArgumentNullException.ThrowIfNull(neurons);
        if (timesteps.Length != neurons.Length) throw new ArgumentException("one neuron per timestep", nameof(neurons));
        _timesteps = timesteps;
        _neurons = neurons;
        _color = color;
        _limits = timesteps.Length == 0
            ? AxisLimits.NoLimits
            : new AxisLimits(timesteps.Min() - 0.5, timesteps.Max() + 0.5, neurons.Min() - 0.5, neurons.Max() + 0.5);
    }

    /// <summary>Share of a timestep's width a mark covers.</summary>
    public const double WidthShare = 0.8;

    /// <summary>Share of a neuron row's height a mark covers.</summary>
    public const double HeightShare = 0.85;

    /// <inheritdoc/>
    public bool IsVisible { get; set; } = true;

    /// <inheritdoc/>
    public IAxes Axes { get; set; } = new Axes();

    /// <inheritdoc/>
    public IEnumerable<LegendItem> LegendItems => [];

    /// <inheritdoc/>
    public AxisLimits GetAxisLimits() => _limits;

    /// <inheritdoc/>
    public void Render(RenderPack rp)
    {
        ArgumentNullException.ThrowIfNull(rp);
        if (_timesteps.Length == 0) return;
        // Sizes from the axes' actual scale, kept visible (2 px wide, 1 px high at least) and short of a blot.
        var timestepPx = Math.Abs(Axes.GetPixelX(1) - Axes.GetPixelX(0));
        var neuronPx = Math.Abs(Axes.GetPixelY(1) - Axes.GetPixelY(0));
        var halfWidth = (float)Math.Clamp(timestepPx * WidthShare, 2, 24) / 2;
        var halfHeight = (float)Math.Clamp(neuronPx * HeightShare, 1, 6) / 2;
        using var paint = new SKPaint { Color = _color.ToSKColor(), IsAntialias = true, Style = SKPaintStyle.Fill };
        for (var i = 0; i < _timesteps.Length; i++)
        {
            var x = Axes.GetPixelX(_timesteps[i]);
            var y = Axes.GetPixelY(_neurons[i]);
            rp.Canvas.DrawRect(new SKRect(x - halfWidth, y - halfHeight, x + halfWidth, y + halfHeight), paint);
        }
    }
}
