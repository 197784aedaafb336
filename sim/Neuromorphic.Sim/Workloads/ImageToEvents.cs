using Neuromorphic.Sim.Randomness;
using Neuromorphic.Traces.Events;

namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// Turns arbitrary grayscale images (e.g. 28 x 28 Fashion-MNIST bytes) into N-MNIST-like event
/// recordings: the image is centred on a 34 x 34 emulated sensor which makes the N-MNIST triangle
/// of three 100 ms saccades over it.
/// </summary>
/// <remarks>
/// One instance is one camera: its pixel mismatch comes from the seed, and every image converted
/// with it is seen by the same pixels. Each image's background noise comes from its own stream,
/// <c>ForComponent(seed, "image-to-events." + imageId)</c>, so a conversion depends only on the
/// seed, the image and its id — not on which other images were converted, or in what order.
/// </remarks>
public sealed class ImageToEvents
{
    private readonly ulong _seed;

    /// <summary>Creates the converter.</summary>
    /// <param name="seed">Run seed (sensor mismatch and per-image noise).</param>
    /// <param name="parameters">Sensor parameters; default: N-MNIST-like (<see cref="DvsEmulatorParameters"/>).</param>
    /// <param name="path">Motion; default: <see cref="MotionPath.NmnistTriangle"/> with its defaults (3 px, 3 x 100 ms).</param>
    public ImageToEvents(ulong seed, DvsEmulatorParameters? parameters = null, MotionPath? path = null)
    {
        _seed = seed;
        Emulator = new DvsEmulator(parameters ?? new DvsEmulatorParameters(), seed);
        Path = path ?? MotionPath.NmnistTriangle();
    }

    /// <summary>The emulated sensor.</summary>
    public DvsEmulator Emulator { get; }

    /// <summary>The motion applied to every image.</summary>
    public MotionPath Path { get; }

    /// <summary>Converts an 8-bit grayscale image (0 black .. 255 white), row-major.</summary>
    /// <param name="pixels">width x height bytes, row by row.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="imageId">Identifies the image for its noise stream (e.g. <c>"train.123"</c>).</param>
    /// <exception cref="ArgumentException">The pixel count does not match the size.</exception>
    public EventStream Convert(ReadOnlySpan<byte> pixels, int width, int height, string imageId)
    {
        if (width < 1 || height < 1) throw new ArgumentException($"image size must be positive, found {width} x {height}");
        if (pixels.Length != width * height) throw new ArgumentException($"a {width} x {height} image needs {width * height} bytes, found {pixels.Length}", nameof(pixels));
        var image = new float[height, width];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                image[y, x] = pixels[y * width + x] / 255f;
        return Convert(image, imageId);
    }

    /// <summary>Converts a grayscale image with intensities in [0, 1], indexed [row, column].</summary>
    /// <param name="image">The image.</param>
    /// <param name="imageId">Identifies the image for its noise stream.</param>
    public EventStream Convert(float[,] image, string imageId)
    {
        ArgumentNullException.ThrowIfNull(imageId);
        return Emulator.Record(image, Path, DeterministicRandom.ForComponent(_seed, "image-to-events." + imageId));
    }
}
