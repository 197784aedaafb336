using Neuromorphic.Arch.Architecture;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Tests.Nir;

namespace Neuromorphic.Tests.Chip;

/// <summary>Architectures and inputs the chip tests share.</summary>
internal static class ChipTestData
{
    /// <summary>
    /// <c>rram-40nm-256kb</c> made exact: no programming error, device-to-device spread or read noise;
    /// 16-bit weights (bit-sliced over binary cells); a 6-bit ADC, whose 63 codes exceed the 32 levels a
    /// 32-row group can sum, so it cannot clip; a 32-bit neuron core with 16 fraction bits.
    /// </summary>
    public static ArchitectureSpec Ideal(int tiles = 4)
    {
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        var width = (int)Math.Ceiling(Math.Sqrt(tiles));
        return spec with
        {
            Name = "rram-40nm-256kb-ideal",
            Macro = spec.Macro with
            {
                Crossbar = spec.Macro.Crossbar with { WeightBits = 16 },
                Adc = spec.Macro.Adc with { Bits = 6 },
                Device = spec.Macro.Device with { ProgrammingSigma = 0, ReadNoiseSigma = 0, DeviceToDeviceSigma = 0 },
            },
            NeuronCore = spec.NeuronCore with { MembraneBits = 32, FractionBits = 16 },
            Chip = spec.Chip with { Tiles = width * ((tiles + width - 1) / width) },
            Noc = spec.Noc with { Width = width, Height = (tiles + width - 1) / width },
        };
    }

    /// <summary>
    /// A random sparse matrix [outputs x inputs] of integer weights in [-3, 3] \ {0}, each pair at most once, drawn from
    /// <paramref name="seed"/>; with <paramref name="sign"/> +1 or -1 every weight takes that sign (the same pattern and magnitudes).
    /// </summary>
    public static CsrMatrix RandomSparse(int outputs, int inputs, double density, int seed, int sign = 0)
    {
        var rng = new Random(seed);
        var pointers = new int[outputs + 1];
        var columns = new List<int>();
        var values = new List<float>();
        for (var o = 0; o < outputs; o++)
        {
            for (var e = 0; e < inputs; e++)
            {
                if (rng.NextDouble() >= density) continue;
                columns.Add(e);
                var w = rng.Next(1, 4);
                var drawn = rng.Next(2) == 0 ? w : -w;
                values.Add(sign == 0 ? drawn : sign * w);
            }
            pointers[o + 1] = columns.Count;
        }
        return new CsrMatrix(outputs, inputs, pointers, columns.ToArray(), values.ToArray());
    }

    /// <summary>
    /// Writes into <paramref name="dir"/> a run configuration of the Sinabs N-MNIST CNN over two test recordings of
    /// digit 0 (N-MNIST's layout under <c>data</c>, 20 bins of 15 ms) on <paramref name="architecture"/>; returns its path.
    /// </summary>
    public static string CnnClassifierConfig(string dir, string architecture = "rram-40nm-256kb")
    {
        var folder = Path.Combine(dir, "data", "Test", "0");
        Directory.CreateDirectory(folder);
        File.Copy(Nmnist, Path.Combine(folder, "60004.bin"));
        File.Copy(Nmnist, Path.Combine(folder, "60005.bin"));
        var config = Path.Combine(dir, "cnn.yaml");
        File.WriteAllText(config, $"""
            name: cnn-chip
            architecture: {architecture}
            workload:
              kind: nmnist
              path: data
            encoding:
              timesteps: 20
              duration_us: 300000
              polarity: both
              crop: 34
            network:
              nir: {FixturePaths.Nir("cnn_sinabs.nir")}
            """);
        return config;
    }

    public static string BrailleInput => FixturePaths.Nir(Path.Combine("braille-activity", "input_sample0.npy"));

    public static string Nmnist
    {
        get
        {
            var nir = FixturePaths.Nir("cnn_sinabs.nir");
            var local = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(nir)!)!, "nmnist", "60004.bin");
            return File.Exists(local) ? local : Path.Combine(Path.GetDirectoryName(nir)!, "..", "nmnist-small", "Test", "0", "60004.bin");
        }
    }
}
