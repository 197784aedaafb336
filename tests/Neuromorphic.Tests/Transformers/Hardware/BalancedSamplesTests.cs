using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Transformers;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Hardware;

/// <summary>
/// transformer.samples asks for Test recordings balanced over the classes; when a class holds fewer than its share,
/// the run says so instead of quietly running fewer (sdt-v2-nmnist asked 50 and ran 47: nmnist-small's digit 8 has 2).
/// </summary>
public sealed class BalancedSamplesTests
{
    [Test]
    public void ABalancedCountTheDatasetCannotMeetIsAWarning()
    {
        // nmnist-tiny with digit 9's Test recordings left out: 10 asked, one per digit, 9 there.
        var tiny = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "nmnist-tiny");
        var dir = Directory.CreateTempSubdirectory("nm-balanced-").FullName;
        try
        {
            for (var digit = 0; digit < 10; digit++)
            {
                foreach (var split in digit < 9 ? new[] { "Train", "Test" } : ["Train"])
                {
                    var target = Directory.CreateDirectory(Path.Combine(dir, split, digit.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
                    var first = Directory.GetFiles(Path.Combine(tiny, split, digit.ToString(System.Globalization.CultureInfo.InvariantCulture)), "*.bin").Order(StringComparer.Ordinal).First();
                    File.Copy(first, Path.Combine(target, Path.GetFileName(first)));
                }
            }
            var preset = RunConfigLoader.Load("sdt-v2-nmnist");
            var spec = preset.Transformer! with { Dataset = dir, TrainPerClass = 1, Samples = 10, EarlyExit = 0, SoftwareReference = false };
            var r = TransformerExperiment.Run(preset.Architecture, spec, 1);
            Assert.That(r.Samples, Is.EqualTo(9));
            Assert.That(r.Warnings, Is.EqualTo(new[]
            {
                "transformer.samples asks 10 Test recordings balanced over 10 classes (1 each), but class 9 has 0: 9 ran",
            }));
            // One per class that is there: nothing to warn about.
            Assert.That(TransformerExperiment.Run(preset.Architecture, spec with { Samples = 9 }, 1).Warnings, Is.Empty);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
