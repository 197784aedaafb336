using Neuromorphic.Sim.Randomness;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Lsm;

/// <summary>Indices of the training, validation and test samples: stratified by class, seeded, deterministic.</summary>
public sealed record DatasetSplit(int[] Train, int[] Validation, int[] Test)
{
    /// <summary>
    /// Splits the samples: a sample the dataset marks as test stays test; otherwise each class's
    /// samples are shuffled (stream <c>readout.split</c>) and the first <paramref name="testFraction"/>
    /// become test (only if the dataset marks none), the next <paramref name="validationFraction"/>
    /// of the rest validation.
    /// </summary>
    public static DatasetSplit Make(IReadOnlyList<LsmSample> samples, double testFraction, double validationFraction, ulong seed)
    {
        var rng = DeterministicRandom.ForComponent(seed, "readout.split");
        var datasetHasTest = samples.Any(s => s.Split == SampleSplit.Test);
        List<int> train = [], validation = [], test = [];
        foreach (var label in samples.Select(s => s.Label).Distinct().Order())
        {
            var indices = Enumerable.Range(0, samples.Count).Where(i => samples[i].Label == label).ToArray();
            if (datasetHasTest) test.AddRange(indices.Where(i => samples[i].Split == SampleSplit.Test));
            var pool = indices.Where(i => samples[i].Split != SampleSplit.Test).ToArray();
            for (var i = pool.Length - 1; i > 0; i--)
            {
                var j = rng.NextInt(i + 1);
                (pool[i], pool[j]) = (pool[j], pool[i]);
            }
            var testCount = datasetHasTest ? 0 : (int)Math.Round(pool.Length * testFraction);
            var validationCount = Math.Max(1, (int)Math.Round((pool.Length - testCount) * validationFraction));
            test.AddRange(pool.Take(testCount));
            validation.AddRange(pool.Skip(testCount).Take(validationCount));
            train.AddRange(pool.Skip(testCount + validationCount));
        }
        return new DatasetSplit(train.Order().ToArray(), validation.Order().ToArray(), test.Order().ToArray());
    }

    /// <summary>
    /// Checks, before anything runs, that the readout's split of <paramref name="samples"/> leaves
    /// samples to train on and to test on (a too-small workload would give no accuracy).
    /// </summary>
    /// <param name="samples">The encoded workload.</param>
    /// <param name="readout">The readout, whose fractions make the split.</param>
    /// <param name="seed">The run seed.</param>
    /// <param name="origin">Where the configuration came from, for the error message.</param>
    /// <exception cref="InputFormatException">Naming <paramref name="origin"/> and <c>workload</c>.</exception>
    public static void RequireTrainAndTest(IReadOnlyList<LsmSample> samples, ReadoutParameters readout, ulong seed, string origin)
    {
        var split = Make(samples, readout.TestFraction, readout.ValidationFraction, seed);
        if (split.Test.Length > 0 && split.Train.Length > 0) return;
        var classes = samples.Select(x => x.Label).Distinct().Count();
        throw new InputFormatException(origin, "workload",
            $"{samples.Count} samples in {classes} classes leave {split.Train.Length} to train and {split.Test.Length} to test " +
            $"(readout test_fraction {readout.TestFraction}, validation_fraction {readout.ValidationFraction}); give more samples per class");
    }
}
