using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Sim.Builders;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Tests.Lsm;

/// <summary>Small LSM set-ups for fast tests.</summary>
internal static class LsmTestData
{
    /// <summary>The default run preset's architecture and reservoir.</summary>
    public static RunConfig Preset { get; } = RunConfigLoader.Load(RunConfigLoader.DefaultPreset);

    /// <summary>The preset's architecture with the device's read noise and the ADC's precision set.</summary>
    public static ArchitectureSpec Architecture(double readNoise, int adcBits) => Preset.Architecture with
    {
        Macro = Preset.Architecture.Macro with
        {
            Device = Preset.Architecture.Macro.Device with { ReadNoiseSigma = readNoise },
            Adc = Preset.Architecture.Macro.Adc with { Bits = adcBits },
        },
    };

    /// <summary>Poisson samples whose class sets which quarter of the inputs fires faster.</summary>
    public static List<LsmSample> PoissonSamples(int classes, int perClass, int inputs, int steps, ulong seed)
    {
        var samples = new List<LsmSample>();
        for (var k = 0; k < classes; k++)
            for (var i = 0; i < perClass; i++)
            {
                var rng = DeterministicRandom.ForComponent(seed, $"test.sample.{k}.{i}");
                var raster = PoissonInput.Generate(steps, inputs, 10, 1e-3, rng);
                var boost = PoissonInput.Generate(steps, inputs / classes, 60, 1e-3, rng);
                for (var t = 0; t < steps; t++)
                    for (var c = 0; c < inputs / classes; c++)
                        if (boost[t, c] != 0) raster.MutableRow(t)[k * (inputs / classes) + c] = 1;
                samples.Add(new LsmSample(raster, k));
            }
        return samples;
    }
}
