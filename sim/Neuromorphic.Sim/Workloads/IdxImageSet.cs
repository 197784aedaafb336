namespace Neuromorphic.Sim.Workloads;

/// <summary>A set of 8-bit grayscale images read from an IDX file (MNIST, Fashion-MNIST).</summary>
public sealed class IdxImageSet
{
    private readonly byte[] _pixels;

    /// <summary>Wraps <paramref name="pixels"/>: <paramref name="count"/> images of rows x columns bytes each, row-major.</summary>
    /// <exception cref="ArgumentException">The buffer size does not match.</exception>
    public IdxImageSet(int count, int rows, int columns, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (count < 0 || rows < 1 || columns < 1) throw new ArgumentException($"invalid image set shape {count} x {rows} x {columns}");
        if (pixels.LongLength != (long)count * rows * columns) throw new ArgumentException($"{count} images of {rows} x {columns} need {(long)count * rows * columns} bytes, found {pixels.LongLength}", nameof(pixels));
        Count = count;
        Rows = rows;
        Columns = columns;
        _pixels = pixels;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Image height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels.</summary>
    public int Columns { get; }

    /// <summary>The bytes of image <paramref name="index"/>, row-major (0 = black, 255 = white as stored).</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"image index must lie in [0, {Count - 1}]");
        var size = Rows * Columns;
        return _pixels.AsSpan(index * size, size);
    }
}
