using Neuromorphic.Hw.Digital;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Digital;

[TestFixture]
public sealed class DigitalNeuronUnitTests
{
    private static DigitalNeuronUnit Unit(int bits = 16, int fraction = 8) =>
        new(new DigitalNeuronUnitParameters { MembraneBits = bits, FractionBits = fraction });

    [Test]
    public void FixedPointLifTracksFloatLifWithinTheQuantisationBound()
    {
        // Sub-threshold trajectories: each step adds at most half an LSB of rounding, and the decay
        // shrinks old errors, so |v_fixed - v_float| <= LSB / 2 / (1 - decay) at every step.
        DigitalNeuronUnit unit = Unit();
        FixedPointFormat f = unit.Format;
        const int n = 64, steps = 2000;
        int decay = f.Quantise(0.9);
        double decayValue = f.ToDouble(decay);
        double bound = f.Resolution / 2 / (1 - decayValue) + 1e-12;
        var rng = new Random(42);
        var v = new int[n];
        var vFloat = new double[n];
        var input = new int[n];
        var spikes = new bool[n];
        double worst = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                input[i] = f.Quantise(rng.NextDouble() * 2 - 0.5);
            }
            int fired = unit.StepLif(v, input, decay, f.MaxRaw, ResetMode.Zero, spikes);
            Assert.That(fired, Is.Zero);
            for (int i = 0; i < n; i++)
            {
                vFloat[i] = vFloat[i] * decayValue + f.ToDouble(input[i]);
                worst = Math.Max(worst, Math.Abs(f.ToDouble(v[i]) - vFloat[i]));
            }
        }
        Assert.That(worst, Is.LessThanOrEqualTo(bound));
        Assert.That(worst, Is.GreaterThan(0), "rounding does happen");
    }

    [Test]
    public void FixedPointLifSpikesLikeFloatLifWhenFarFromThreshold()
    {
        // With a coarse input grid the float model's spike times agree wherever v is further than the
        // error bound from the threshold; here we check the whole spike train of a regular drive.
        DigitalNeuronUnit unit = Unit();
        FixedPointFormat f = unit.Format;
        int decay = f.Quantise(0.75), threshold = f.Quantise(3.0), drive = f.Quantise(1.0);
        double d = f.ToDouble(decay);
        var v = new int[1];
        var spikes = new bool[1];
        double vf = 0;
        for (int t = 0; t < 200; t++)
        {
            unit.StepLif(v, new[] { drive }, decay, threshold, ResetMode.Subtract, spikes);
            vf = vf * d + 1.0;
            bool floatSpike = vf >= 3.0;
            if (floatSpike)
            {
                vf -= 3.0;
            }
            Assert.That(spikes[0], Is.EqualTo(floatSpike), $"step {t}");
            Assert.That(f.ToDouble(v[0]), Is.EqualTo(vf).Within(f.Resolution * 2));
        }
    }

    [Test]
    public void SaturatesInsteadOfWrapping()
    {
        DigitalNeuronUnit unit = Unit(bits: 12, fraction: 4);
        FixedPointFormat f = unit.Format;
        var v = new[] { f.MaxRaw - 3, f.MinRaw + 3 };
        var input = new[] { 1000, -1000 };
        var spikes = new bool[2];
        int one = f.Quantise(1.0);
        unit.StepLif(v, input, one, f.MaxRaw, ResetMode.Subtract, spikes);
        Assert.That(v[1], Is.EqualTo(f.MinRaw));
        Assert.That(spikes[0], Is.True, "saturated at the top equals a threshold of MaxRaw");
        Assert.That(v[0], Is.Zero, "subtract reset from MaxRaw by MaxRaw");
        var current = new[] { f.MaxRaw };
        var m = new[] { f.MaxRaw };
        unit.StepCubaLif(current, m, new[] { 1000 }, one, one, f.MaxRaw, ResetMode.Zero, new bool[1]);
        Assert.That(current[0], Is.EqualTo(f.MaxRaw));
        Assert.That(m[0], Is.Zero);
    }

    [Test]
    public void ResetModes()
    {
        DigitalNeuronUnit unit = Unit();
        FixedPointFormat f = unit.Format;
        int one = f.Quantise(1.0), threshold = f.Quantise(1.0);
        var v = new[] { 0, 0 };
        var spikes = new bool[2];
        var input = new[] { f.Quantise(1.25), f.Quantise(0.5) };
        Assert.That(unit.StepLif(v, input, one, threshold, ResetMode.Subtract, spikes), Is.EqualTo(1));
        Assert.That(spikes, Is.EqualTo(new[] { true, false }));
        Assert.That(v, Is.EqualTo(new[] { f.Quantise(0.25), f.Quantise(0.5) }));
        v = [0, 0];
        unit.StepLif(v, input, one, threshold, ResetMode.Zero, spikes);
        Assert.That(v, Is.EqualTo(new[] { 0, f.Quantise(0.5) }));
    }

    [Test]
    public void CubaLifMatchesFloatWithinBound()
    {
        DigitalNeuronUnit unit = Unit(bits: 24, fraction: 12);
        FixedPointFormat f = unit.Format;
        int ds = f.Quantise(0.8), dm = f.Quantise(0.9);
        double dsv = f.ToDouble(ds), dmv = f.ToDouble(dm);
        // Current error <= e_i = LSB/2/(1-ds); membrane error <= (LSB/2 + e_i)/(1-dm).
        double ei = f.Resolution / 2 / (1 - dsv);
        double bound = (f.Resolution / 2 + ei) / (1 - dmv) + 1e-12;
        var rng = new Random(3);
        var i = new int[8];
        var v = new int[8];
        var input = new int[8];
        var spikes = new bool[8];
        var fi = new double[8];
        var fv = new double[8];
        for (int t = 0; t < 1000; t++)
        {
            for (int k = 0; k < 8; k++)
            {
                input[k] = f.Quantise(rng.NextDouble() - 0.3);
            }
            unit.StepCubaLif(i, v, input, ds, dm, f.MaxRaw, ResetMode.Zero, spikes);
            for (int k = 0; k < 8; k++)
            {
                fi[k] = fi[k] * dsv + f.ToDouble(input[k]);
                fv[k] = fv[k] * dmv + fi[k];
                Assert.That(Math.Abs(f.ToDouble(v[k]) - fv[k]), Is.LessThanOrEqualTo(bound));
            }
        }
    }

    [Test]
    public void CyclesAndEnergy()
    {
        var unit = new DigitalNeuronUnit(new DigitalNeuronUnitParameters { Lanes = 16, PipelineLatencyCycles = 2, MembraneBits = 16, TechnologyNm = 45 });
        Assert.That(unit.CyclesFor(0), Is.Zero);
        Assert.That(unit.CyclesFor(1), Is.EqualTo(3));
        Assert.That(unit.CyclesFor(16), Is.EqualTo(3));
        Assert.That(unit.CyclesFor(17), Is.EqualTo(4));
        Assert.That(unit.CyclesFor(1000), Is.EqualTo(63 + 2));
        double add = 0.1 * 16 / 32, mul = 3.1 * 0.25;
        // The state SRAM (8 KB at 45 nm, 1.0 V): Horowitz's 10 pJ per 64-bit read, per bit, for a read and a write of each state.
        double bit = 10.0 / 64;
        Assert.That(unit.StateAccessPjPerBit, Is.EqualTo(bit).Within(1e-12));
        Assert.That(unit.LifUpdateEnergyPj, Is.EqualTo(mul + 2 * add + 2 * 16 * bit).Within(1e-12));
        Assert.That(unit.CubaLifUpdateEnergyPj, Is.EqualTo(2 * mul + 3 * add + 4 * 16 * bit).Within(1e-12));
        Assert.That(unit.SpikeEnergyPj, Is.EqualTo(add).Within(1e-12));
        // A partial sum (or bias) added on a lane: one adder of the membrane's width, one core cycle.
        Assert.That(unit.AddEnergyPj, Is.EqualTo(add).Within(1e-12));
        Assert.That(unit.DefaultCosts().Select(c => c.Key),
            Is.EqualTo(new[] { "digital_neuron.lif_update", "digital_neuron.cuba_lif_update", "digital_neuron.spike", "digital_neuron.add" }));
        Assert.That(unit.DefaultCosts().Single(c => c.Action == DigitalNeuronUnit.AddAction).LatencyNs, Is.EqualTo(unit.CycleNs));
    }

    [Test]
    public void MismatchedSpansAndBadParametersAreRejected()
    {
        DigitalNeuronUnit unit = Unit();
        Assert.Throws<ArgumentException>(() => unit.StepLif(new int[3], new int[2], 1, 1, ResetMode.Zero, new bool[3]));
        Assert.Throws<ArgumentException>(() => unit.StepLif(new int[3], new int[3], 1, 1, ResetMode.Zero, new bool[2]));
        var e = Assert.Throws<ArgumentException>(() => new DigitalNeuronUnit(new DigitalNeuronUnitParameters { Lanes = 0 }));
        Assert.That(e!.Message, Does.Contain("Lanes"));
        e = Assert.Throws<ArgumentException>(() => new DigitalNeuronUnit(new DigitalNeuronUnitParameters { FractionBits = 16 }));
        Assert.That(e!.Message, Does.Contain("FractionBits"));
    }
}
