using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Sweeps;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Cli;
using Neuromorphic.Cli.Commands;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Transformers.Models;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

/// <summary>
/// <c>--threads T</c> bounds the threads busy at once where parallel loops nest: a transformer's layers, each mapping its
/// blocks, and a sweep's points, each running a transformer. The watch counts the threads inside the loops' items; with the
/// budget's split removed (each item given the whole budget) both counts exceed T.
/// </summary>
/// <remarks>
/// Non-parallelisable: the fixture raises the thread pool's minimum (restored after) so that a loop that may run more than
/// T threads gets them at once instead of after the pool's injection delay, and shares the pool with no other test meanwhile.
/// </remarks>
[NonParallelizable]
public sealed class ThreadBudgetTests
{
    private (int Workers, int Io) _minimum;

    [OneTimeSetUp]
    public void RaiseThePoolsMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        _minimum = (workers, io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
    }

    [OneTimeTearDown]
    public void RestoreThePoolsMinimum() => ThreadPool.SetMinThreads(_minimum.Workers, _minimum.Io);

    [Test]
    public void A_split_gives_each_of_at_most_T_workers_T_over_the_workers_threads()
    {
        for (var t = 1; t <= 12; t++)
            for (var asked = 1; asked <= 30; asked++)
            {
                var (options, each) = new ThreadBudget(t).Split(asked);
                var w = Math.Min(asked, t);
                Assert.That(options.MaxDegreeOfParallelism, Is.EqualTo(w), $"T {t}, {asked} asked");
                Assert.That(each.Threads, Is.EqualTo(t / w), $"T {t}, {asked} asked");
                Assert.That(w * each.Threads, Is.LessThanOrEqualTo(t).And.GreaterThan(t / 2), $"T {t}, {asked} asked: within T, and no more than half of it idle");
            }
        Assert.That(new ThreadBudget(5).Options.MaxDegreeOfParallelism, Is.EqualTo(5));
        Assert.That(new ThreadBudget(4).Split(0).Each.Threads, Is.EqualTo(4), "no workers asked: one, with all of it");
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ThreadBudget(0));
    }

    [Test]
    public void A_transformers_layers_and_their_blocks_keep_at_most_T_threads_busy([Values(1, 2, 3)] int threads)
    {
        // The small Meta-SpikeFormer on sdt-v2-small: 30-odd layers on macros, several of them of 2 to 6 blocks.
        var chip = new ChipModel(RunConfigLoader.Load("sdt-v2-small").Architecture);
        var model = ModelZoo.Create("meta-spikeformer-16-32-64-96", 32, 1, 10);
        var watch = new BusyThreads(threads);
        var macros = new TransformerMacros(chip, model, null, 7, new ThreadBudget(threads) { Around = watch.Around });
        Assert.That(macros.Layers.Count(l => macros.PlacementOf(l.Name).Count >= 3), Is.GreaterThan(threads), "layers of several blocks");
        var steps = MacroPasses.Run(macros, 1, null, (_, _) => 0.1, 7, null);
        Assert.That(steps.Select(s => s.Layer), Is.EqualTo(macros.Layers.Select(l => l.Name)), "every layer priced, in order");
        Assert.That(watch.Entries, Is.EqualTo(macros.Layers.Count + macros.Total), "each layer and each of its blocks watched");
        Assert.That(watch.MostAtOnce, Is.LessThanOrEqualTo(threads), $"--threads {threads}: layers at once x their blocks' threads");
        if (threads > 1) Assert.That(watch.MostAtOnce, Is.GreaterThan(1), "the layers ran in parallel");
    }

    [Test]
    public void A_sweeps_points_and_their_layers_keep_at_most_T_threads_busy()
    {
        var dir = Directory.CreateTempSubdirectory("nm-sweep-threads-").FullName;
        try
        {
            // Two points of the small Meta-SpikeFormer priced from given rates, at once within 2 threads (each point one
            // thread: its layers one at a time, each layer's blocks one at a time).
            Presets.TryRead("sdt-v2-small", out var text, out _);
            File.WriteAllText(Path.Combine(dir, "base.yaml"), text.Replace("mode: functional", "mode: rates").Replace("timesteps: 4", "timesteps: 1"));
            var path = Path.Combine(dir, "sweep.yaml");
            File.WriteAllText(path, "name: t\nbase: base.yaml\nseed: 3\nparameters:\n  - path: transformer.uniform_rate\n    values: [0.05, 0.2]\n"
                + "objectives:\n  - {metric: energy_per_inference_J, goal: min}\n");
            var watch = new BusyThreads(2);
            var share = 0;
            var outcome = SweepRunner.Run(SweepLoader.Load(path), Path.Combine(dir, "out"), jobs: 2, shard: 0, shards: 1,
                threads: new ThreadBudget(2) { Around = watch.Around }, beforePoints: each => share = each.Threads);
            Assert.That(outcome.Done, Is.EqualTo(2));
            Assert.That(share, Is.EqualTo(1), "two points at once: one thread each (what the CLI bounds MathNet to)");
            Assert.That(watch.Entries, Is.GreaterThan(2 * 30), "the points, their layers and blocks watched");
            Assert.That(watch.MostAtOnce, Is.LessThanOrEqualTo(2), "--jobs 2 --threads 2: points at once x their threads");
            Assert.That(watch.MostAtOnce, Is.EqualTo(2), "two points at once");
            // Again: both points done, none at once, so a point would have both threads (the split is over the points left).
            Assert.That(SweepRunner.Run(SweepLoader.Load(path), Path.Combine(dir, "out"), jobs: 2, shard: 0, shards: 1,
                threads: new ThreadBudget(2), beforePoints: each => share = each.Threads).Done, Is.Zero);
            Assert.That(share, Is.EqualTo(2));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void A_command_puts_MathNets_thread_setting_back_for_in_process_callers()
    {
        // run --threads 1 bounds MathNet's process-wide setting (the ridge readout's loops) for the command only: the tests,
        // which call the CLI in process, keep the library's own (non-parallelisable fixture: no other command runs meanwhile).
        Assume.That(ThreadsOption.LibraryDefault, Is.GreaterThan(1), "a machine of one core cannot tell");
        var (exit, _, error) = Neuromorphic.Tests.Cli.CliRunner.Run("run", "--example", "--timesteps", "20", "--threads", "1");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(MathNet.Numerics.Control.MaxDegreeOfParallelism, Is.EqualTo(ThreadsOption.LibraryDefault));
    }

    [Test]
    public void Sweep_jobs_and_threads_default_to_each_other_and_jobs_beyond_threads_are_refused()
    {
        var cores = Environment.ProcessorCount;
        Assert.That(SweepCommand.Concurrency(null, null), Is.EqualTo((cores, cores)));
        Assert.That(SweepCommand.Concurrency(1, null), Is.EqualTo((1, 1)), "--jobs 1: one busy core");
        Assert.That(SweepCommand.Concurrency(null, 3), Is.EqualTo((3, 3)));
        Assert.That(SweepCommand.Concurrency(2, 8), Is.EqualTo((2, 8)), "two points of four threads");
        Assert.That(Assert.Throws<UsageException>(() => SweepCommand.Concurrency(4, 2))!.Message, Does.Contain("--jobs 4").And.Contain("--threads 2"));
        Assert.That(Assert.Throws<UsageException>(() => SweepCommand.Concurrency(0, null))!.Message, Does.Contain("--jobs"));
        Assert.That(Assert.Throws<UsageException>(() => SweepCommand.Concurrency(null, 0))!.Message, Does.Contain("--threads"));
        Assert.That(Assert.Throws<UsageException>(() => SweepCommand.Concurrency(5000, null))!.Message, Does.StartWith("--jobs must lie in [1, 1024]"),
            "--jobs alone sets the budget: its own name in the error, not --threads'");
    }
}
