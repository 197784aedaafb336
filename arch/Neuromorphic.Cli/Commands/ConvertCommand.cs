using System.CommandLine;
using Neuromorphic.Sim.Workloads;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// <c>neuromorphic convert fashion-mnist</c>: images to N-MNIST-format event files with the emulated DVS saccades;
/// <c>convert events</c>: recordings between event formats (<see cref="ConvertEventsCommand"/>).
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(Terminal terminal)
    {
        var images = new Option<string>("--images") { Description = "IDX images file (.gz or plain), e.g. train-images-idx3-ubyte.gz.", Required = true };
        var labels = new Option<string>("--labels") { Description = "IDX labels file matching --images.", Required = true };
        var outDir = new Option<string>("--out") { Description = "Output folder: files go to OUT/SPLIT/LABEL/INDEX.bin (N-MNIST's layout).", Required = true };
        var split = new Option<string>("--split") { Description = "Train or Test (the sub-folder).", DefaultValueFactory = _ => "Train" };
        split.AcceptOnlyFromAmong("Train", "Test");
        var count = new Option<int>("--count") { Description = "Images to convert, balanced across the classes.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the emulated sensor (threshold mismatch, noise).", DefaultValueFactory = _ => 1UL };
        var threads = ThreadsOption.Create();
        threads.Description = $"The most threads converting images at once (default: all cores, {Environment.ProcessorCount} here). The files are the same for every value.";
        var fashion = new Command("fashion-mnist", "Convert Fashion-MNIST (or any IDX image set) to N-MNIST-format .bin event files.")
        {
            images, labels, outDir, split, count, seed, threads,
        };
        fashion.SetAction(parse =>
        {
            var n = parse.GetValue(count);
            if (n < 1) throw new UsageException($"--count must be >= 1, found {n}");
            var threadCount = ThreadsOption.Check(parse.GetValue(threads));
            OutputPaths.RequireDirectory(parse.GetValue(outDir), "--out");
            // 1000 images take about 15 s on two cores: show that it is working.
            var result = terminal.WithActivity($"converting {n} images", () => FashionMnistConverter.Convert(parse.GetValue(images)!, parse.GetValue(labels)!,
                parse.GetValue(outDir)!, parse.GetValue(split)!, n, parse.GetValue(seed), threadCount));
            terminal.Out.WriteLine($"{result.Split}: {result.PerClass.Sum()} files in {result.Directory} ({string.Join(", ", result.PerClass)} per class), {result.Events} events");
            // Fewer files than asked for is not an error (the set is smaller), but it must not pass unnoticed.
            if (result.PerClass.Sum() < n) terminal.Error.WriteLine($"warning: --count {n} asked for more images than the set gave ({result.PerClass.Sum()})");
            return ExitCodes.Ok;
        });
        return new Command("convert", "Convert data into the formats runs read.") { fashion, ConvertEventsCommand.Create(terminal) };
    }
}
