using Neuromorphic.Arch.Lsm;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Workloads;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;

namespace Neuromorphic.Arch.Runs;

/// <summary>Loads a run's labelled event data and encodes every sample as an input spike raster.</summary>
public static class WorkloadLoader
{
    /// <summary>The samples of <paramref name="workload"/>, encoded by <paramref name="encoding"/>.</summary>
    /// <param name="workload">What to load.</param>
    /// <param name="encoding">How events become rasters.</param>
    /// <param name="seed">Seed of the built-in workload.</param>
    /// <param name="progress">Fraction done.</param>
    /// <param name="plan">
    /// Called once the size of the workload is known (samples, input channels) and before the rest is
    /// loaded: the resource guard refuses here (<see cref="RunMemory.Require"/>).
    /// </param>
    /// <param name="threads">
    /// Threads that generate, read and encode samples (at least 1; default 1: a flat loop, nothing inside a
    /// sample runs in parallel). The samples, their order and any error reported are the same for every value.
    /// </param>
    /// <exception cref="InputFormatException">A data file is missing, truncated or corrupt (named with its byte offset), or its sensor differs from the others'.</exception>
    public static IReadOnlyList<LsmSample> Load(WorkloadSpec workload, EncodingSpec encoding, ulong seed, Action<double>? progress = null,
        Action<long, int>? plan = null, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return workload.Kind switch
        {
            "builtin" => Builtin(workload, encoding, seed, progress, plan, threads),
            "nmnist" => Folder(workload, encoding, progress, plan, [".bin"], f => NmnistBin.Read(f), threads),
            "events" => Folder(workload, encoding, progress, plan, EventFile.Extensions, f => EventFile.Read(f, workload.EventOptions), threads),
            _ => throw new ArgumentException($"workload.kind '{workload.Kind}' is not builtin, nmnist or events"),
        };
    }

    /// <summary>Samples encoded per parallel round: bounds the event streams held at once.</summary>
    private const int Round = 256;

    /// <summary>
    /// Runs <paramref name="make"/> for indices [<paramref name="from"/>, <paramref name="to"/>) on up to
    /// <paramref name="threads"/> threads in rounds, adding results in index order; the first failure in
    /// index order is rethrown as it was thrown, so errors do not depend on the thread count either.
    /// </summary>
    private static void InOrder(int from, int to, int threads, Func<int, LsmSample> make, List<LsmSample> samples, Action<double>? progress, int total)
    {
        var options = new ThreadBudget(threads).Options;
        for (var start = from; start < to; start += Round)
        {
            var count = Math.Min(Round, to - start);
            var made = new LsmSample[count];
            var failures = new Exception?[count];
            Parallel.For(0, count, options, k =>
            {
                try { made[k] = make(start + k); }
                catch (Exception ex) { failures[k] = ex; }
            });
            if (failures.FirstOrDefault(f => f is not null) is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            samples.AddRange(made);
            progress?.Invoke(samples.Count / (double)total);
        }
    }

    /// <summary>The binning that turns one event stream into a raster of this encoding.</summary>
    public static BinningOptions Binning(EncodingSpec encoding, int width, int height) => new()
    {
        Bins = encoding.Timesteps,
        DurationUs = encoding.DurationUs,
        CropWidth = encoding.Crop == 0 ? width : Math.Min(encoding.Crop, width),
        CropHeight = encoding.Crop == 0 ? height : Math.Min(encoding.Crop, height),
        Downsample = encoding.Downsample,
        Polarity = encoding.Polarity switch { "on" => PolarityMode.On, "off" => PolarityMode.Off, _ => PolarityMode.Both },
        Binary = encoding.Binary,
    };

    private static IReadOnlyList<LsmSample> Builtin(WorkloadSpec workload, EncodingSpec encoding, ulong seed, Action<double>? progress, Action<long, int>? plan, int threads)
    {
        var generator = new SaccadeWorkload(new SaccadeWorkloadParameters
        {
            Classes = workload.Classes,
            SamplesPerClass = workload.SamplesPerClass,
            Seed = seed,
            DurationUs = encoding.DurationUs,
        });
        var samples = new List<LsmSample>(generator.Count);
        var perClass = workload.SamplesPerClass;
        LsmSample Make(int index)
        {
            var sample = generator.Sample(index / perClass, index % perClass);
            var events = sample.Events;
            var binning = Binning(encoding, events.Width, events.Height);
            if (index == 0) plan?.Invoke(generator.Count, EventBinning.Channels(binning, events.Width, events.Height));
            return new LsmSample(EventBinning.ToRaster(events, binning), sample.Label);
        }
        // The first sample alone: the resource guard sees the workload's size before the rest is made.
        InOrder(0, Math.Min(1, generator.Count), 1, Make, samples, progress, generator.Count);
        InOrder(samples.Count, generator.Count, threads, Make, samples, progress, generator.Count);
        return samples;
    }

    private static bool FitsIn(EventStream events, int width, int height)
    {
        foreach (var e in events.Events)
            if (e.X >= width || e.Y >= height) return false;
        return true;
    }

    private static IReadOnlyList<LsmSample> Folder(WorkloadSpec workload, EncodingSpec encoding, Action<double>? progress, Action<long, int>? plan,
        IReadOnlyList<string> extensions, Func<string, EventStream> read, int threads)
    {
        var root = workload.Path ?? throw new ArgumentException($"workload.path is required for {workload.Kind}");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: no such folder (workload.path)");
        // N-MNIST's layout: Train/<digit>/*.bin and Test/<digit>/*.bin; a folder of class folders also works.
        var splits = new[] { ("Train", SampleSplit.Train), ("Test", SampleSplit.Test) }
            .Where(s => Directory.Exists(Path.Combine(root, s.Item1))).ToList();
        var sources = splits.Count > 0 ? splits.Select(s => (Path.Combine(root, s.Item1), s.Item2)).ToList() : [(root, SampleSplit.Unassigned)];
        var files = new List<(string File, int Label, SampleSplit Split)>();
        foreach (var (folder, split) in sources)
        {
            var classFolders = Directory.GetDirectories(folder).Select(d => (Dir: d, Name: Path.GetFileName(d)))
                .Where(d => int.TryParse(d.Name, out _)).OrderBy(d => int.Parse(d.Name)).ToList();
            if (classFolders.Count == 0) throw new InputFormatException(folder, "", $"no class folders (0/, 1/, ...) of {string.Join(", ", extensions)} files");
            foreach (var (dir, name) in classFolders)
            {
                var bins = Directory.GetFiles(dir).Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .Order(StringComparer.Ordinal).ToList();
                if (workload.MaxPerClass > 0) bins = bins.Take(workload.MaxPerClass).ToList();
                files.AddRange(bins.Select(f => (f, int.Parse(name), split)));
            }
        }
        if (files.Count == 0) throw new InputFormatException(root, "", $"no {string.Join(", ", extensions)} files found");
        var samples = new List<LsmSample>(files.Count);
        (string File, int Width, int Height, int Channels) first = default;
        LsmSample Make(int index)
        {
            var (file, label, split) = files[index];
            var events = read(file);
            if (index > 0 && (events.Width, events.Height) != (first.Width, first.Height) && FitsIn(events, first.Width, first.Height))
            {
                // Formats without a sensor size infer it from the largest coordinates (CSV), others assume their camera's
                // (AEDAT 2.0's DVS128): events that fit the first file's sensor are taken as recorded on it.
                events = new EventStream(first.Width, first.Height, events.Events);
            }
            var binning = Binning(encoding, events.Width, events.Height);
            int channels;
            try { channels = EventBinning.Channels(binning, events.Width, events.Height); }
            catch (ArgumentException ex) { throw new InputFormatException(file, "header", $"a {events.Width} x {events.Height} sensor: {ex.Message}"); }
            if (index == 0)
            {
                first = (file, events.Width, events.Height, channels);
                plan?.Invoke(files.Count, channels);
            }
            else if (channels != first.Channels)
                throw new InputFormatException(file, "header", $"its {events.Width} x {events.Height} sensor has events outside the {first.Width} x {first.Height} of {first.File}: every sample needs the same sensor (set workload.sensor_width and sensor_height)");
            return new LsmSample(EventBinning.ToRaster(events, binning), label, split);
        }
        // The first file alone: it fixes the sensor the others are checked against, and the resource
        // guard sees the workload's size before the rest is read.
        InOrder(0, 1, 1, Make, samples, progress, files.Count);
        InOrder(1, files.Count, threads, Make, samples, progress, files.Count);
        return samples;
    }
}
