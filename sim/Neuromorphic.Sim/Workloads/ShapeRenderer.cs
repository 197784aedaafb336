namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// Draws <see cref="SceneShape"/>s as anti-aliased grayscale images from signed distance
/// functions, so sub-pixel jitter of position, size and angle changes the image smoothly.
/// </summary>
/// <remarks>
/// Nominal sizes (at scale 1, for a 28 x 28 canvas like MNIST's): strokes 18 px long, ring
/// radius 7 px, square side 12 px, "+" and "X" arms 8 px, blob radius 3.5 px, "L" 16 px tall with
/// a 10 px foot. A pixel's coverage is clamp(0.5 - d, 0, 1) for signed distance d (negative
/// inside) from its centre: a one-pixel linear ramp across every edge.
/// </remarks>
public static class ShapeRenderer
{
    /// <summary>Renders <paramref name="shape"/> drawn with <paramref name="style"/> on a black square canvas.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="style">Position, size, angle, stroke and contrast.</param>
    /// <param name="canvasSize">Canvas width and height in pixels.</param>
    /// <returns>Intensities in [0, 1], indexed [row, column].</returns>
    public static float[,] Render(SceneShape shape, ShapeStyle style, int canvasSize)
    {
        ArgumentNullException.ThrowIfNull(style);
        if (canvasSize < 1) throw new ArgumentOutOfRangeException(nameof(canvasSize), canvasSize, "the canvas must be at least 1 pixel");
        if (!Enum.IsDefined(shape)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown shape");
        if (!(style.Contrast is >= 0 and <= 1)) throw new ArgumentException($"{nameof(ShapeStyle)}.{nameof(ShapeStyle.Contrast)} must lie in [0, 1], found {style.Contrast}");
        var image = new float[canvasSize, canvasSize];
        var cos = Math.Cos(style.RotationRadians);
        var sin = Math.Sin(style.RotationRadians);
        for (var y = 0; y < canvasSize; y++)
        {
            for (var x = 0; x < canvasSize; x++)
            {
                // Rotate the pixel into the shape's frame (inverse rotation of the shape).
                var dx = x - style.CentreX;
                var dy = y - style.CentreY;
                var lx = cos * dx + sin * dy;
                var ly = -sin * dx + cos * dy;
                var d = Distance(shape, lx, ly, style.Scale, style.StrokeWidth);
                image[y, x] = (float)(style.Contrast * Math.Clamp(0.5 - d, 0, 1));
            }
        }
        return image;
    }

    /// <summary>Signed distance in pixels from (x, y), in the shape's own frame, to the shape's boundary.</summary>
    private static double Distance(SceneShape shape, double x, double y, double s, double stroke)
    {
        var half = stroke / 2;
        var diagonal = 9 * s / Math.Sqrt(2); // 18 px strokes at 45 degrees
        var arm = 8 * s / Math.Sqrt(2);
        return shape switch
        {
            SceneShape.VerticalBar => Segment(x, y, 0, -9 * s, 0, 9 * s) - half,
            SceneShape.HorizontalBar => Segment(x, y, -9 * s, 0, 9 * s, 0) - half,
            SceneShape.Slash => Segment(x, y, -diagonal, diagonal, diagonal, -diagonal) - half,
            SceneShape.Backslash => Segment(x, y, -diagonal, -diagonal, diagonal, diagonal) - half,
            SceneShape.Ring => Math.Abs(Math.Sqrt(x * x + y * y) - 7 * s) - half,
            SceneShape.FilledSquare => Box(x, y, 6 * s),
            SceneShape.Plus => Math.Min(Segment(x, y, 0, -8 * s, 0, 8 * s), Segment(x, y, -8 * s, 0, 8 * s, 0)) - half,
            SceneShape.Cross => Math.Min(Segment(x, y, -arm, -arm, arm, arm), Segment(x, y, -arm, arm, arm, -arm)) - half,
            SceneShape.Blob => Math.Sqrt(x * x + y * y) - 3.5 * s,
            SceneShape.LShape => Math.Min(Segment(x, y, -4 * s, -8 * s, -4 * s, 8 * s), Segment(x, y, -4 * s, 8 * s, 6 * s, 8 * s)) - half,
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown shape"),
        };
    }

    /// <summary>Distance from (x, y) to the segment (ax, ay)-(bx, by).</summary>
    private static double Segment(double x, double y, double ax, double ay, double bx, double by)
    {
        var ex = bx - ax;
        var ey = by - ay;
        var t = Math.Clamp(((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey), 0, 1);
        var px = x - ax - t * ex;
        var py = y - ay - t * ey;
        return Math.Sqrt(px * px + py * py);
    }

    /// <summary>Signed distance to an axis-aligned filled square of half-side <paramref name="a"/>.</summary>
    private static double Box(double x, double y, double a)
    {
        var qx = Math.Abs(x) - a;
        var qy = Math.Abs(y) - a;
        var outside = Math.Sqrt(Math.Pow(Math.Max(qx, 0), 2) + Math.Pow(Math.Max(qy, 0), 2));
        return outside + Math.Min(Math.Max(qx, qy), 0);
    }
}
