using CsCheck;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;
using static Neuromorphic.Tests.Hw.Crossbar.CrossbarFixtures;

namespace Neuromorphic.Tests.Hw.Crossbar;

[TestFixture]
public sealed class CrossbarArrayTests
{
    private static readonly Gen<SignedWeightScheme> Schemes = Gen.OneOf(SignedWeightScheme.DifferentialPair, SignedWeightScheme.ReferenceColumn, SignedWeightScheme.OffsetBinary);

    private static CrossbarArray ProgramIdeal(int rows, int cols, int weightBits, int bitsPerCell, SignedWeightScheme scheme, ulong seed, out float[] weights)
    {
        var rng = new DeterministicRandom(seed);
        weights = RandomWeights(rows * cols, rng);
        // Default pulse spread on purpose: with no residual sigma the verify loop's cost varies, the result does not.
        var device = new RramDevice(new RramDeviceParameters { BitsPerCell = bitsPerCell });
        var parameters = new CrossbarParameters { Rows = 64, Columns = 512, WeightBits = weightBits, SignedWeights = scheme };
        return CrossbarArray.Program(weights, rows, cols, parameters, device, rng);
    }

    [Test]
    public void NoiselessReadDecodesToTheExactQuantisedProduct()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 20], Gen.Double[0, 1], Gen.Int[1, 4], Gen.Int[1, 2], Schemes, Gen.ULong)
            .Sample((rows, cols, density, weightBits, bitsPerCell, scheme, seed) =>
            {
                var array = ProgramIdeal(rows, cols, weightBits, bitsPerCell, scheme, seed, out _);
                var rng = new DeterministicRandom(seed + 1);
                var active = ActiveRows(rows, density, rng);
                var inputs = new int[rows];
                foreach (var r in active) inputs[r] = 1;

                var currents = new double[array.PhysicalColumns];
                var outputs = new double[cols];
                array.ReadCurrents(active, currents, null);
                array.Decode(currents, active.Length, outputs);
                var ideal = IdealProduct(array, inputs);
                for (var j = 0; j < cols; j++)
                {
                    var bound = 1e-9 * (1 + active.Length);
                    if (Math.Abs(outputs[j] - ideal[j]) > bound)
                        Assert.Fail($"column {j}: decoded {outputs[j]}, ideal {ideal[j]}");
                }
            });
    }

    [Test]
    public void BitSerialReadDecodesToTheExactQuantisedProduct()
    {
        Gen.Select(Gen.Int[1, 30], Gen.Int[1, 12], Gen.Int[1, 4], Gen.Int[1, 2], Gen.Int[1, 6], Schemes, Gen.ULong)
            .Sample((rows, cols, weightBits, bitsPerCell, inputBits, scheme, seed) =>
            {
                var array = ProgramIdeal(rows, cols, weightBits, bitsPerCell, scheme, seed, out _);
                var rng = new DeterministicRandom(seed ^ 0xABCDEF);
                var inputs = Enumerable.Range(0, rows).Select(_ => rng.NextInt(1 << inputBits)).ToArray();

                var currents = new double[array.PhysicalColumns];
                var outputs = new double[cols];
                array.ReadBitSerial(inputs, inputBits, currents, null);
                array.Decode(currents, inputs.Sum(), outputs);
                var ideal = IdealProduct(array, inputs);
                for (var j = 0; j < cols; j++)
                {
                    if (Math.Abs(outputs[j] - ideal[j]) > 1e-9 * (1 + inputs.Sum()))
                        Assert.Fail($"column {j}: decoded {outputs[j]}, ideal {ideal[j]}");
                }
            });
    }

    [Test]
    public void QuantisedWeightsAreWithinHalfAStepOfTheClippedInputs()
    {
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 10], Gen.Int[1, 8], Gen.Int[1, 2], Schemes, Gen.ULong)
            .Sample((rows, cols, weightBits, bitsPerCell, scheme, seed) =>
            {
                var array = ProgramIdeal(rows, cols, Math.Min(weightBits, 8), bitsPerCell, scheme, seed, out var weights);
                var quantised = array.QuantisedWeights();
                var halfStep = 0.5 / array.MagnitudeSteps;
                for (var i = 0; i < weights.Length; i++)
                {
                    var clipped = Math.Clamp(weights[i], -1f, 1f);
                    if (Math.Abs(quantised[i] - clipped) > halfStep + 1e-6)
                        Assert.Fail($"weight {i}: {weights[i]} stored as {quantised[i]} (half step {halfStep})");
                }
            });
    }

    [TestCase(SignedWeightScheme.DifferentialPair, 3, 1, 3, 6, 0)]
    [TestCase(SignedWeightScheme.DifferentialPair, 4, 2, 2, 4, 0)]
    [TestCase(SignedWeightScheme.ReferenceColumn, 3, 1, 4, 4, 4)]
    [TestCase(SignedWeightScheme.ReferenceColumn, 4, 2, 3, 3, 3)]
    [TestCase(SignedWeightScheme.ReferenceColumn, 1, 2, 1, 1, 1)]
    [TestCase(SignedWeightScheme.OffsetBinary, 7, 1, 8, 8, 0)]
    [TestCase(SignedWeightScheme.OffsetBinary, 3, 2, 2, 2, 0)]
    public void LayoutFollowsSchemeAndSlicing(SignedWeightScheme scheme, int weightBits, int bitsPerCell, int slices, int perLogical, int references)
    {
        var array = ProgramIdeal(5, 7, weightBits, bitsPerCell, scheme, 3, out _);
        Assert.Multiple(() =>
        {
            Assert.That(array.Slices, Is.EqualTo(slices));
            Assert.That(array.ColumnsPerLogical, Is.EqualTo(perLogical));
            Assert.That(array.ReferenceColumns.Length, Is.EqualTo(references));
            Assert.That(array.PhysicalColumns, Is.EqualTo(7 * perLogical + references));
            Assert.That(array.PhysicalColumnsOf(2).ToArray(), Is.EqualTo(Enumerable.Range(2 * perLogical, perLogical).ToArray()));
            Assert.That(array.ReferenceColumns.ToArray(), Is.EqualTo(Enumerable.Range(7 * perLogical, references).ToArray()));
            Assert.That(array.Conductances.Length, Is.EqualTo(5 * array.PhysicalColumns));
        });
    }

    [Test]
    public void DifferentialPairsHoldTheMagnitudeInOnePolarity()
    {
        var device = new RramDevice(new RramDeviceParameters { BitsPerCell = 1, PulseSigma = 0 });
        var parameters = new CrossbarParameters { Rows = 4, Columns = 16, WeightBits = 2 };
        // Steps: 1 -> 3, -1/3 -> -1, 0 -> 0.
        var array = CrossbarArray.Program([1f, -1f / 3, 0f], 1, 3, parameters, device, new DeterministicRandom(1));
        double lo = device.GMin, hi = device.GMax;
        Assert.That(array.Conductances.ToArray(), Is.EqualTo(new[]
        {
            hi, lo, hi, lo,   // +3 = 0b11 in the positive columns of both slices
            lo, hi, lo, lo,   // -1 = 0b01 in the negative column of slice 0
            lo, lo, lo, lo,   // 0
        }));
        Assert.That(array.WeightPerSiemens, Is.EqualTo(1 / (3 * (hi - lo))).Within(1e-6).Percent);
    }

    [Test]
    public void StatsCountEveryProgrammedCell()
    {
        var device = new RramDevice(new RramDeviceParameters { PulseSigma = 0.3, StuckAtOffRate = 0.05 });
        var parameters = new CrossbarParameters { Rows = 32, Columns = 64, WeightBits = 2 };
        var rng = new DeterministicRandom(4);
        var array = CrossbarArray.Program(RandomWeights(32 * 16, rng), 32, 16, parameters, device, rng);
        var stats = array.Stats;
        Assert.Multiple(() =>
        {
            Assert.That(stats.CellsProgrammed, Is.EqualTo(32L * 64));
            Assert.That(stats.Pulses, Is.GreaterThan(stats.CellsProgrammed));
            Assert.That(stats.VerifyReads, Is.EqualTo(stats.Pulses));
            Assert.That(stats.StuckOn, Is.EqualTo(0));
            Assert.That(stats.StuckOff, Is.InRange(1, 300));
        });
    }

    [Test]
    public void MatricesThatDoNotFitAreRejected()
    {
        var device = new RramDevice(new RramDeviceParameters());
        var parameters = new CrossbarParameters { Rows = 8, Columns = 8, WeightBits = 2 };
        var rng = new DeterministicRandom(1);
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => CrossbarArray.Program(new float[9 * 2], 9, 2, parameters, device, rng));
            // 3 logical columns x 2 slices x 2 polarities = 12 physical columns > 8.
            Assert.Throws<ArgumentException>(() => CrossbarArray.Program(new float[3], 1, 3, parameters, device, rng));
            Assert.Throws<ArgumentException>(() => CrossbarArray.Program(new float[5], 2, 2, parameters, device, rng));
            Assert.Throws<ArgumentException>(() => CrossbarArray.Program([float.NaN], 1, 1, parameters, device, rng));
            Assert.Throws<ArgumentException>(() => CrossbarArray.FromConductances(new double[9], 1, 9, parameters, device));
            Assert.Throws<ArgumentException>(() => CrossbarArray.FromConductances([-1.0], 1, 1, parameters, device));
        });
    }

    [Test]
    public void ArraysFromConductancesDecodeConductanceAboveGMinInLevelSpacings()
    {
        var device = new RramDevice(new RramDeviceParameters { PulseDistribution = ConductanceDistribution.LogNormal(4e-6, 0.5) });
        var parameters = new CrossbarParameters { Rows = 16, Columns = 16 };
        var rng = new DeterministicRandom(5);
        var array = CrossbarArray.ProgramStochastic(12, 10, parameters, device, rng);
        Assert.Multiple(() =>
        {
            Assert.That(array.Stats, Is.EqualTo(new ProgrammingStats(120, 120, 0, 0, 0)));
            Assert.That(array.Slices, Is.EqualTo(1));
            Assert.That(array.PhysicalColumns, Is.EqualTo(10));
            Assert.That(array.MagnitudeSteps, Is.EqualTo(0));
            Assert.Throws<InvalidOperationException>(() => array.QuantisedSteps());
        });

        int[] active = [0, 3, 4, 11];
        var currents = new double[10];
        var outputs = new double[10];
        array.ReadCurrents(active, currents, null);
        array.Decode(currents, active.Length, outputs);
        var g = array.Conductances.ToArray();
        for (var c = 0; c < 10; c++)
        {
            var expected = active.Sum(r => (g[r * 10 + c] - device.GMin) / device.LevelSpacing);
            Assert.That(outputs[c], Is.EqualTo(expected).Within(1e-9));
            Assert.That(array.ActiveColumnConductance(active, c), Is.EqualTo(active.Sum(r => g[r * 10 + c])).Within(1e-18));
        }
        var weights = array.QuantisedWeights();
        Assert.That(weights[3 * 10 + 2], Is.EqualTo((float)((g[32] - device.GMin) / device.LevelSpacing)));
    }

    private static IEnumerable<TestCaseData> InvalidParameters()
    {
        var p = new CrossbarParameters();
        yield return new TestCaseData(p with { Rows = 0 }, "Rows");
        yield return new TestCaseData(p with { Columns = -3 }, "Columns");
        yield return new TestCaseData(p with { WeightBits = 0 }, "WeightBits");
        yield return new TestCaseData(p with { WeightBits = 17 }, "WeightBits");
        yield return new TestCaseData(p with { WireResistanceOhm = -1 }, "WireResistanceOhm");
        yield return new TestCaseData(p with { SignedWeights = (SignedWeightScheme)7 }, "SignedWeights");
    }

    [TestCaseSource(nameof(InvalidParameters))]
    public void InvalidParametersThrowNamingTheField(CrossbarParameters parameters, string field)
    {
        var e = Assert.Throws<ArgumentException>(parameters.Validate)!;
        Assert.That(e.ParamName, Is.EqualTo(field));
        Assert.That(e.Message, Does.Contain($"CrossbarParameters.{field}"));
        var device = new RramDevice(new RramDeviceParameters());
        Assert.Throws<ArgumentException>(() => CrossbarArray.Program([0.5f], 1, 1, parameters, device, new DeterministicRandom(1)));
    }
}
