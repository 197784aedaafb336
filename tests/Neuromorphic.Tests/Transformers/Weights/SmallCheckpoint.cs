using NUnit.Framework;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Models;

namespace Neuromorphic.Tests.Transformers.Weights;

/// <summary>The committed sdt-v2-small weights file (written by scripts/sdt/random_weights.py --dtype f16).</summary>
internal static class SmallCheckpoint
{
    public static string Path => System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "transformers", "sdt-v2-small.f16.safetensors");

    /// <summary>The script's path in the repository (tests run from tests/Neuromorphic.Tests/bin/...).</summary>
    public static string Script
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Neuromorphic.sln"))) dir = dir.Parent;
            return dir is null ? "" : System.IO.Path.Combine(dir.FullName, "scripts", "sdt", "random_weights.py");
        }
    }

    /// <summary>meta-spikeformer-16-32-64-96 at 32 x 32, T = 4, 10 classes (the sdt-v2-small preset's model).</summary>
    public static TransformerModel Model(int timesteps = 4) => ModelZoo.Create("meta-spikeformer-16-32-64-96", 32, timesteps, 10);

    /// <summary>A seeded normalised image.</summary>
    public static float[] Image(ulong seed)
    {
        var rng = Neuromorphic.Sim.Randomness.DeterministicRandom.ForComponent(seed, "test.image");
        var image = new float[3 * 32 * 32];
        for (var i = 0; i < image.Length; i++) image[i] = (float)rng.NextNormal();
        return image;
    }
}
