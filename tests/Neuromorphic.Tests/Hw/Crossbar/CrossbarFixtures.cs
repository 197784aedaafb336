using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Tests.Hw.Crossbar;

/// <summary>Random weights, inputs and arrays for the crossbar tests.</summary>
internal static class CrossbarFixtures
{
    /// <summary>Weights uniform in [-1.2, 1.2] (some clipped), with about a fifth exactly 0.</summary>
    public static float[] RandomWeights(int count, DeterministicRandom rng) =>
        Enumerable.Range(0, count).Select(_ => rng.NextBernoulli(0.2) ? 0f : (float)rng.NextDouble(-1.2, 1.2)).ToArray();

    /// <summary>Each row active with probability <paramref name="density"/>.</summary>
    public static int[] ActiveRows(int rows, double density, DeterministicRandom rng) =>
        Enumerable.Range(0, rows).Where(_ => rng.NextDouble() < density).ToArray();

    /// <summary>x . W in weight units, from the exact stored steps.</summary>
    public static double[] IdealProduct(CrossbarArray array, ReadOnlySpan<int> inputs)
    {
        var steps = array.QuantisedSteps();
        var result = new double[array.LogicalColumns];
        for (var j = 0; j < array.LogicalColumns; j++)
        {
            long sum = 0;
            for (var r = 0; r < array.Rows; r++) sum += (long)inputs[r] * steps[r * array.LogicalColumns + j];
            result[j] = (double)sum / array.MagnitudeSteps;
        }
        return result;
    }

    /// <summary>A uniform array of <paramref name="rows"/> x <paramref name="columns"/> cells at <paramref name="g"/>.</summary>
    public static CrossbarArray Uniform(int rows, int columns, double g, CrossbarParameters parameters, RramDeviceParameters device) =>
        CrossbarArray.FromConductances(Enumerable.Repeat(g, rows * columns).ToArray(), rows, columns, parameters, new RramDevice(device));
}
