using System.Globalization;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;

namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// Converts IDX image/label files (Fashion-MNIST, MNIST) into N-MNIST-style event recordings on
/// disk with <see cref="ImageToEvents"/>: <c>outDir/split/&lt;label&gt;/&lt;index&gt;.bin</c>, the
/// layout of the N-MNIST download (<c>Train/3/00042.bin</c>), where index is the image's
/// position in the IDX file, zero-padded to five digits.
/// </summary>
public static class FashionMnistConverter
{
    /// <summary>
    /// Converts the first <paramref name="count"/> images of the file, balanced across classes:
    /// scanning the file in order, the first count / classes images of each label (the lowest
    /// labels take one more each when count does not divide evenly). A class with too few images
    /// contributes what it has. Files are written atomically; converting again with the same
    /// arguments rewrites identical files, so the call is idempotent.
    /// </summary>
    /// <param name="idxImagesPath">The images file (e.g. <c>train-images-idx3-ubyte.gz</c>; gzipped or plain).</param>
    /// <param name="idxLabelsPath">The matching labels file.</param>
    /// <param name="outDir">Root output folder; created if missing.</param>
    /// <param name="split">Split folder name (N-MNIST uses <c>Train</c> and <c>Test</c>); also part of each image's noise stream id.</param>
    /// <param name="count">Number of images to convert.</param>
    /// <param name="seed">Seed of the emulated sensor (the same for every split converted with it) and of each image's noise.</param>
    /// <param name="threads">Threads converting images at once (at least 1; the command's <c>--threads</c>); the files do not depend on them.</param>
    /// <returns>Files written per class and the total event count.</returns>
    /// <exception cref="InputFormatException">A file is malformed, or images and labels disagree.</exception>
    /// <exception cref="ArgumentException">A bad argument (the message names it).</exception>
    public static FashionMnistConversion Convert(string idxImagesPath, string idxLabelsPath, string outDir, string split, int count, ulong seed, int threads = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(idxImagesPath);
        ArgumentException.ThrowIfNullOrEmpty(idxLabelsPath);
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        ArgumentException.ThrowIfNullOrEmpty(split);
        if (split is "." or ".." || split.IndexOfAny(['/', '\\']) >= 0 || split.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"split must be a plain folder name such as Train or Test, found '{split}'", nameof(split));
        if (count < 1) throw new ArgumentException($"count must be >= 1, found {count}", nameof(count));
        var options = new ThreadBudget(threads).Options;

        var images = IdxReader.ReadImages(idxImagesPath);
        var labels = IdxReader.ReadLabels(idxLabelsPath);
        if (labels.Length != images.Count)
            throw new InputFormatException(idxLabelsPath, "byte 4", $"{labels.Length} labels for {images.Count} images in {idxImagesPath}");
        if (images.Count == 0) throw new InputFormatException(idxImagesPath, "byte 4", "the file holds no images");

        var selected = SelectBalanced(labels, count);
        var classes = labels.Max() + 1;
        var splitDir = Path.Combine(outDir, split);
        for (var c = 0; c < classes; c++) Directory.CreateDirectory(Path.Combine(splitDir, c.ToString(CultureInfo.InvariantCulture)));

        var converter = new ImageToEvents(seed);
        var eventCounts = new long[selected.Count];
        // Each file depends only on (seed, split, index), so converting in parallel changes nothing but the wall time.
        Parallel.For(0, selected.Count, options, s =>
        {
            var index = selected[s];
            var events = converter.Convert(images.Image(index), images.Columns, images.Rows, $"fashion-mnist.{split}.{index}");
            var file = Path.Combine(splitDir, labels[index].ToString(CultureInfo.InvariantCulture), index.ToString("D5", CultureInfo.InvariantCulture) + ".bin");
            NmnistBin.Write(file, events);
            eventCounts[s] = events.Events.Count;
        });

        var perClass = new int[classes];
        foreach (var index in selected) perClass[labels[index]]++;
        return new FashionMnistConversion(split, splitDir, perClass, eventCounts.Sum());
    }

    /// <summary>Indices of the first count images, balanced across labels, in file order.</summary>
    public static IReadOnlyList<int> SelectBalanced(IReadOnlyList<byte> labels, int count)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0) return [];
        var classes = labels.Max() + 1;
        var quota = new int[classes];
        for (var c = 0; c < classes; c++) quota[c] = count / classes + (c < count % classes ? 1 : 0);
        var selected = new List<int>(count);
        for (var i = 0; i < labels.Count && selected.Count < count; i++)
        {
            if (quota[labels[i]] == 0) continue;
            quota[labels[i]]--;
            selected.Add(i);
        }
        return selected;
    }
}
