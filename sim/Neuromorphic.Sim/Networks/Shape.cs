namespace Neuromorphic.Sim.Networks;

/// <summary>Helpers for tensor shapes (C order, no batch dimension).</summary>
public static class Shape
{
    /// <summary>Number of elements of a shape (1 for a scalar shape).</summary>
    public static int Size(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension {d} in shape {Format(shape)}");
            n *= d;
        }
        return checked((int)n);
    }

    /// <summary>A shape as <c>(2, 34, 34)</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + ")";

    /// <summary>True if both shapes hold the same dimensions.</summary>
    public static bool Same(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
