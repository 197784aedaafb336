namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// A sub-pixel displacement of the scene on the sensor: where the image appears relative to its
/// centred rest position. x grows to the right, y grows downwards (image rows), in pixels.
/// </summary>
/// <param name="X">Horizontal shift in pixels (positive: the scene moves right).</param>
/// <param name="Y">Vertical shift in pixels (positive: the scene moves down).</param>
public readonly record struct PixelOffset(double X, double Y)
{
    /// <summary>No displacement.</summary>
    public static PixelOffset Zero => default;

    /// <summary>Component-wise sum.</summary>
    public static PixelOffset operator +(PixelOffset a, PixelOffset b) => new(a.X + b.X, a.Y + b.Y);

    /// <summary>Component-wise difference.</summary>
    public static PixelOffset operator -(PixelOffset a, PixelOffset b) => new(a.X - b.X, a.Y - b.Y);

    /// <summary>Scales both components.</summary>
    public static PixelOffset operator *(double s, PixelOffset a) => new(s * a.X, s * a.Y);

    /// <summary>The point a fraction <paramref name="f"/> of the way from <paramref name="a"/> to <paramref name="b"/>.</summary>
    public static PixelOffset Lerp(PixelOffset a, PixelOffset b, double f) => new(a.X + f * (b.X - a.X), a.Y + f * (b.Y - a.Y));

    /// <summary>True if both components are finite numbers.</summary>
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y);
}
