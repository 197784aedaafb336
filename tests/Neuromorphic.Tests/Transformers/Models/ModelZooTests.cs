using Neuromorphic.Sim.Transformers.Models;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Models;

/// <summary>Building spike-driven transformers by name.</summary>
public sealed class ModelZooTests
{
    [Test]
    public void EveryPublishedNameBuildsUnderItsOwnName()
    {
        Assert.That(ModelZoo.Names, Is.EquivalentTo(ModelZoo.PublishedParameters.Keys));
        foreach (var name in ModelZoo.Names)
        {
            Assert.That(ModelZoo.TryCreate(name, out var model), Is.True, name);
            Assert.That((model.Name, model.ImageSize, model.Timesteps, model.Classes, model.ImageChannels), Is.EqualTo((name, 224, 4, 1000, 3)));
        }
    }

    [Test]
    public void PatternsBuildAnySizeAndChannelSet()
    {
        Assert.That(ModelZoo.Create("SDT-V1-4-256").Name, Is.EqualTo("sdt-v1-4-256"));
        Assert.That(ModelZoo.Create("meta-spikeformer-8-768")["stage4.downsample.conv"].Channels, Is.EqualTo(960));
        var custom = ModelZoo.Create("meta-spikeformer-16-32-64-96");
        Assert.That(custom.Name, Is.EqualTo("meta-spikeformer-16-32-64-96"));
        Assert.That(custom.FirstConv.Channels, Is.EqualTo(8));
        Assert.That(MetaSpikeFormer.NameOf([128, 256, 512, 640]), Is.EqualTo("meta-spikeformer-8-512"));
    }

    [TestCase("")]
    [TestCase("resnet-50")]
    [TestCase("sdt-v1-8")]
    [TestCase("sdt-v1-8-100")]
    [TestCase("meta-spikeformer-6-512")]
    [TestCase("meta-spikeformer-15-32-64-96")]
    [TestCase("model:sdt-v1-8-384")]
    public void UnknownNamesAreRefusedWithTheKnownNames(string name)
    {
        Assert.That(ModelZoo.TryCreate(name, out _), Is.False);
        Assert.That(ModelZoo.IsKnown(name), Is.False);
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Create(name))!;
        foreach (var known in ModelZoo.Names) Assert.That(e.Message, Does.Contain(known));
    }

    [Test]
    public void ImpossibleConfigurationsAreRefused()
    {
        Assert.That(ModelZoo.TryCreate("sdt-v1-8-384", imageSize: 0, timesteps: 4, classes: 1000, out _), Is.False);
        Assert.That(ModelZoo.TryCreate("meta-spikeformer-8-512", imageSize: 224, timesteps: 0, classes: 1000, out _), Is.False);
        Assert.Throws<ArgumentException>(() => ModelZoo.Create("sdt-v1-8-384", 224, 4, 0));
        Assert.Throws<ArgumentException>(() => SpikeDrivenTransformerV1.Build(new SdtV1Options { PoolingStat = "111" }));
        Assert.Throws<ArgumentException>(() => MetaSpikeFormer.Build([16, 32, 60, 96]));
    }
}
