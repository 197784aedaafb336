using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Hardware;

/// <summary>The integer read of an ideal macro equals the macro's own read through column currents, clipping included.</summary>
public sealed class MacroLevelKernelTests
{
    [TestCase(4, 0.0)]   // the transformer presets' 4-bit ADC on 32-row groups: column sums clip
    [TestCase(8, 0.0)]   // an 8-bit ADC: no clipping
    [TestCase(4, 0.02)]  // stuck cells (on the extreme levels) included
    public void The_integer_read_equals_the_macros_read(int adcBits, double stuckRate)
    {
        var a = RunConfigLoader.Load("sdt-v2-small").Architecture;
        a = a with
        {
            Macro = a.Macro with
            {
                Adc = a.Macro.Adc with { Bits = adcBits },
                Device = a.Macro.Device with { StuckAtOnRate = stuckRate, StuckAtOffRate = stuckRate },
            },
        };
        var chip = new ChipModel(a);
        Gen.Select(Gen.Int[1, 96], Gen.Int[1, 40], Gen.Double[0.02, 0.6], Gen.ULong).Sample((rows, columns, rate, seed) =>
        {
            var rng = DeterministicRandom.ForComponent(seed, "test.kernel");
            var weights = new float[rows * columns];
            for (var i = 0; i < weights.Length; i++) weights[i] = (float)(rng.NextDouble() * 2 - 1);
            var array = CrossbarArray.Program(weights, rows, columns, a.Macro.Crossbar, chip.Device, rng);
            var macro = chip.CreateMacro(array, new Ledger(), "test", 0.37);
            var kernel = MacroLevelKernel.For(macro, chip.Adc, a.Macro, 0.37);
            Assert.That(kernel, Is.Not.Null);
            var active = Enumerable.Range(0, rows).Where(_ => rng.NextDouble() < rate).ToArray();
            var expected = new double[columns];
            var actual = new double[columns];
            macro.Execute(active, 0, expected, null, forceFullPath: true);
            kernel!.Add(active, actual);
            for (var j = 0; j < columns; j++) Assert.That(actual[j], Is.EqualTo(expected[j]).Within(1e-9 * (1 + Math.Abs(expected[j]))));
        }, iter: 60);
    }

    [Test]
    public void A_macro_with_read_noise_has_no_integer_read()
    {
        var a = RunConfigLoader.Load("sdt-v2-small").Architecture;
        a = a with { Macro = a.Macro with { Device = a.Macro.Device with { ReadNoiseSigma = 0.01 } } };
        var chip = new ChipModel(a);
        var array = CrossbarArray.Program(new float[] { 0.5f, -0.25f }, 2, 1, a.Macro.Crossbar, chip.Device, DeterministicRandom.ForComponent(1, "t"));
        Assert.That(MacroLevelKernel.For(chip.CreateMacro(array, new Ledger(), "test"), chip.Adc, a.Macro, 1), Is.Null);
    }
}
