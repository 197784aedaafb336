using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Tests.Hw.Macro;

/// <summary>Builds small macros with random weights for the macro tests.</summary>
internal static class MacroTestBench
{
    public static MacroParameters Parameters(int rows = 64, int columns = 64, int parallelRows = 16, int columnsPerAdc = 8, int adcBits = 8,
        int weightBits = 2, double sigma = 0, double readNoise = 0, SignedWeightScheme scheme = SignedWeightScheme.DifferentialPair) => new()
    {
        Crossbar = new CrossbarParameters { Rows = rows, Columns = columns, WeightBits = weightBits, SignedWeights = scheme },
        Device = new RramDeviceParameters { ProgrammingSigma = sigma, ReadNoiseSigma = readNoise },
        Adc = new AdcParameters { Bits = adcBits, TechnologyNm = 32 },
        ParallelRows = parallelRows,
        ColumnsPerAdc = columnsPerAdc,
        ClockHz = 1e9,
    };

    public static float[] RandomWeights(int rows, int columns, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        return Enumerable.Range(0, rows * columns).Select(_ => (float)rng.NextDouble(-1, 1)).ToArray();
    }

    public static (RramMacro Macro, CrossbarArray Array, Ledger Ledger) Build(MacroParameters p, float[] weights, int rows, int columns, ulong seed)
    {
        var device = new RramDevice(p.Device);
        var array = CrossbarArray.Program(weights, rows, columns, p.Crossbar, device, new DeterministicRandom(seed));
        var ledger = new Ledger();
        return (new RramMacro(p, array, 1e9, ledger, "layer"), array, ledger);
    }

    public static int[] RandomRows(int rows, double density, DeterministicRandom rng) =>
        Enumerable.Range(0, rows).Where(_ => rng.NextDouble() < density).ToArray();

    /// <summary>The stored weights in double precision (exact steps over magnitude steps).</summary>
    public static double[] Stored(CrossbarArray array) => array.QuantisedSteps().Select(q => (double)q / array.MagnitudeSteps).ToArray();

    /// <summary>x . W for binary x given by its active rows.</summary>
    public static double[] Ideal(float[] weights, int columns, int[] active) => Ideal(weights.Select(w => (double)w).ToArray(), columns, active);

    /// <summary>x . W for binary x given by its active rows.</summary>
    public static double[] Ideal(double[] weights, int columns, int[] active)
    {
        var y = new double[columns];
        foreach (var r in active)
            for (var j = 0; j < columns; j++) y[j] += weights[r * columns + j];
        return y;
    }

    public static double RmsError(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Average());
}
