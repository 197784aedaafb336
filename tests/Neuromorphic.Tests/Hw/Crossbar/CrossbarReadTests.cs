using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Tests.Hw.Devices;
using NUnit.Framework;
using static Neuromorphic.Tests.Hw.Crossbar.CrossbarFixtures;

namespace Neuromorphic.Tests.Hw.Crossbar;

[TestFixture]
public sealed class CrossbarReadTests
{
    private const double G = 1e-5;
    private const double V = 0.2;

    [Test]
    public void ReadNoiseHasTheConfiguredSpreadPerRead()
    {
        var array = Uniform(1, 3, G, new CrossbarParameters { Rows = 4, Columns = 4 }, new RramDeviceParameters { ReadNoiseSigma = 0.05 });
        var rng = new DeterministicRandom(20);
        var currents = new double[3];
        var samples = new List<double>();
        for (var i = 0; i < 7000; i++)
        {
            array.ReadCurrents([0], currents, rng);
            samples.AddRange(currents.Select(c => c / (V * G)));
        }
        Assert.That(SampleStatistics.Mean(samples), Is.EqualTo(1).Within(0.002));
        Assert.That(SampleStatistics.StandardDeviation(samples), Is.EqualTo(0.05).Within(10).Percent);
        Assert.Throws<ArgumentNullException>(() => array.ReadCurrents([0], currents, null));
    }

    [Test]
    public void DriftScalesEveryCurrent()
    {
        var device = new RramDeviceParameters { DriftNu = 0.1, ReadTimeSeconds = 100 };
        var array = Uniform(3, 2, G, new CrossbarParameters { Rows = 4, Columns = 4 }, device);
        var currents = new double[2];
        array.ReadCurrents([0, 2], currents, null);
        Assert.That(currents, Is.All.EqualTo(2 * V * G * Math.Pow(100, -0.1)).Within(1e-12).Percent);
    }

    [Test]
    public void IrDropLowersCurrentsMoreForFarCells()
    {
        const int N = 8;
        const double Wire = 50;
        var ideal = Uniform(N, N, G, new CrossbarParameters { Rows = N, Columns = N }, new RramDeviceParameters());
        var dropped = Uniform(N, N, G, new CrossbarParameters { Rows = N, Columns = N, IrDrop = true, WireResistanceOhm = Wire }, new RramDeviceParameters());
        var all = Enumerable.Range(0, N).ToArray();
        var withoutDrop = new double[N];
        var withDrop = new double[N];
        ideal.ReadCurrents(all, withoutDrop, null);
        dropped.ReadCurrents(all, withDrop, null);
        for (var c = 0; c < N; c++) Assert.That(withDrop[c], Is.LessThan(withoutDrop[c]));
        for (var c = 1; c < N; c++) Assert.That(withDrop[c], Is.LessThan(withDrop[c - 1]), "farther from the word-line driver");

        // One cell at a time: the closed form G / (1 + G R_wire ((c + 1) + (Rows - r))).
        var single = new double[N];
        dropped.ReadCurrents([0], single, null);
        var farRow = single[3];
        Assert.That(farRow, Is.EqualTo(V * G / (1 + G * Wire * (4 + N))).Within(1e-12).Percent);
        dropped.ReadCurrents([N - 1], single, null);
        Assert.That(single[3], Is.GreaterThan(farRow), "the last row is nearest the sense amplifiers");
    }

    [Test]
    public void NoisyIrDropAgreesWithTheNoiselessModelOnAverage()
    {
        var parameters = new CrossbarParameters { Rows = 4, Columns = 4, IrDrop = true, WireResistanceOhm = 500 };
        var quiet = Uniform(4, 4, G, parameters, new RramDeviceParameters());
        var noisy = Uniform(4, 4, G, parameters, new RramDeviceParameters { ReadNoiseSigma = 1e-9 });
        var a = new double[4];
        var b = new double[4];
        quiet.ReadCurrents([0, 1, 3], a, null);
        noisy.ReadCurrents([0, 1, 3], b, new DeterministicRandom(1));
        Assert.That(b, Is.EqualTo(a).Within(1e-6).Percent);
    }

    [Test]
    public void ReadsAllocateNothingWithoutNoise()
    {
        var rng = new DeterministicRandom(30);
        var device = new RramDevice(new RramDeviceParameters { BitsPerCell = 2, ProgrammingSigma = 0.02 });
        var parameters = new CrossbarParameters { Rows = 128, Columns = 128, WeightBits = 4, IrDrop = true };
        var array = CrossbarArray.Program(RandomWeights(128 * 21, rng), 128, 21, parameters, device, rng);
        var active = ActiveRows(128, 0.25, rng);
        var inputs = Enumerable.Range(0, 128).Select(_ => rng.NextInt(16)).ToArray();
        var currents = new double[array.PhysicalColumns];
        var outputs = new double[array.LogicalColumns];

        void Run(int calls)
        {
            for (var i = 0; i < calls; i++)
            {
                array.ReadCurrents(active, currents, null);
                array.Decode(currents, active.Length, outputs);
            }
            for (var i = 0; i < calls / 100; i++) array.ReadBitSerial(inputs, 4, currents, null);
        }

        Run(200);
        Assert.That(ThreadAllocation.During(() => Run(10_000)), Is.EqualTo(0));
    }

    [Test]
    public void ProgrammingErrorShowsUpInTheDecodedProduct()
    {
        double MeanAbsoluteError(double sigma)
        {
            var rng = new DeterministicRandom(40);
            var device = new RramDevice(new RramDeviceParameters { BitsPerCell = 1, ProgrammingSigma = sigma });
            var array = CrossbarArray.Program(RandomWeights(64 * 16, rng), 64, 16, new CrossbarParameters { Rows = 64, Columns = 64, WeightBits = 1 }, device, rng);
            var all = Enumerable.Range(0, 64).ToArray();
            var currents = new double[array.PhysicalColumns];
            var outputs = new double[16];
            array.ReadCurrents(all, currents, null);
            array.Decode(currents, all.Length, outputs);
            var ideal = IdealProduct(array, Enumerable.Repeat(1, 64).ToArray());
            return outputs.Zip(ideal, (o, i) => Math.Abs(o - i)).Average();
        }

        Assert.That(MeanAbsoluteError(0), Is.LessThan(1e-9));
        Assert.That(MeanAbsoluteError(0.1), Is.GreaterThan(MeanAbsoluteError(0.02)));
    }
}
