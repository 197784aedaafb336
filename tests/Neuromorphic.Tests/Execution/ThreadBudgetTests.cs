using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Transformers.Models;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

/// <summary>
/// <c>--threads T</c> bounds the threads busy at once where parallel loops nest: a transformer's layers, each mapping its
/// blocks. The watch counts the threads inside the loops' items; with the budget's split removed (each item given the
/// whole budget) the count exceeds T.
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
}
