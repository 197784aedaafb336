using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// Labelled images for a transformer from an N-MNIST-style folder of event recordings
/// (<c>Train/&lt;label&gt;/*.bin</c>, <c>Test/&lt;label&gt;/*.bin</c>): each recording becomes one
/// frame, fed at every timestep as the papers feed static images. Channels: ON events, OFF
/// events, all events per pixel over the whole recording; the sensor is cropped (or zero-padded)
/// about its centre to the model's size; each channel is standardised over the frame (zero mean,
/// unit variance, as normalised ImageNet pixels are).
/// </summary>
internal static class EventFrames
{
    /// <summary>Up to <paramref name="perClass"/> recordings of each class of <paramref name="split"/>, in file-name order, class by class interleaved.</summary>
    public static List<(float[] Image, int Label)> Load(string root, string split, int perClass, int size, int channels, int classes)
    {
        if (channels != 3) throw new InputFormatException(root, "", $"event frames have 3 channels (ON, OFF, all); the model has {channels}");
        var folder = Path.Combine(root, split);
        if (!Directory.Exists(folder)) throw new InputFormatException(root, "", $"no '{split}' folder of class folders (N-MNIST layout: {split}/<label>/*.bin)");
        var byClass = Directory.GetDirectories(folder).Select(d => (Dir: d, Name: Path.GetFileName(d)))
            .Where(d => int.TryParse(d.Name, out _)).OrderBy(d => int.Parse(d.Name))
            .Select(d => (Label: int.Parse(d.Name), Files: Directory.GetFiles(d.Dir, "*.bin").Order(StringComparer.Ordinal).Take(perClass).ToList()))
            .ToList();
        if (byClass.Count == 0) throw new InputFormatException(folder, "", "no class folders (0/, 1/, ...) of .bin files");
        foreach (var (label, _) in byClass)
            if (label >= classes) throw new InputFormatException(folder, $"folder '{label}'", $"label {label} but the model has {classes} classes");
        var images = new List<(float[], int)>();
        for (var i = 0; i < perClass; i++)
            foreach (var (label, files) in byClass)
                if (i < files.Count) images.Add((Frame(NmnistBin.Read(files[i]), size), label));
        return images;
    }

    /// <summary>The standardised 3-channel frame of one recording.</summary>
    public static float[] Frame(EventStream events, int size)
    {
        var image = new float[3 * size * size];
        int dx = (events.Width - size) / 2, dy = (events.Height - size) / 2;
        foreach (var e in events.Events)
        {
            int x = e.X - dx, y = e.Y - dy;
            if ((uint)x >= (uint)size || (uint)y >= (uint)size) continue;
            image[(e.Polarity != 0 ? 0 : 1) * size * size + y * size + x]++;
            image[2 * size * size + y * size + x]++;
        }
        for (var c = 0; c < 3; c++)
        {
            var plane = image.AsSpan(c * size * size, size * size);
            double mean = 0, square = 0;
            foreach (var v in plane) { mean += v; square += (double)v * v; }
            mean /= plane.Length;
            var std = Math.Sqrt(Math.Max(0, square / plane.Length - mean * mean));
            for (var i = 0; i < plane.Length; i++) plane[i] = std > 0 ? (float)((plane[i] - mean) / std) : 0f;
        }
        return image;
    }
}
