using Neuromorphic.Tests.Cli;
using NUnit.Framework;

namespace Neuromorphic.Tests.Lsm;

/// <summary>
/// An architecture that fixes the accumulate core's weight SRAM below what the LSM readout stores does not fit: the
/// default run's readout is 200 neurons x 1 bin x 12 classes x 8 bits = 2,400 B.
/// </summary>
public sealed class ReadoutMemoryFitTests
{
    [TestCase(0)]
    [TestCase(2399)]
    public void A_weight_sram_smaller_than_the_readout_exits_two_naming_the_key(int bytes)
    {
        var dir = Directory.CreateTempSubdirectory("nm-readout-fit-").FullName;
        try
        {
            var config = Path.Combine(dir, "run.yaml");
            Assert.That(Neuromorphic.Arch.Architecture.Presets.TryRead("rram-lsm-40nm", out var text, out _), Is.True);
            File.WriteAllText(config, text.Replace("\narchitecture:\n", $"\narchitecture:\n  accumulate_core:\n    weight_memory_bytes: {bytes}\n"));
            var (exit, _, error) = CliRunner.Run("run", config, "--out", Path.Combine(dir, "out"));
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(error, Does.Contain("needs 2,400 B").And.Contain($"accumulate_core.weight_memory_bytes gives {bytes:N0} B"));
            Assert.That(Directory.Exists(Path.Combine(dir, "out")), Is.False, "nothing written");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
