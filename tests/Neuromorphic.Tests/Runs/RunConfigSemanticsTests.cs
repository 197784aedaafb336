using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Runs;

/// <summary>The top-level <c>semantics</c> and <c>reset_mechanism</c> keys of run configurations.</summary>
public sealed class RunConfigSemanticsTests
{
    private static string Preset()
    {
        Presets.TryRead(RunConfigLoader.DefaultPreset, out var text, out _);
        return text;
    }

    [Test]
    public void DefaultIsNirForwardEuler() =>
        Assert.That(RunConfigLoader.Parse(Preset(), "preset.yaml").Semantics, Is.EqualTo(Discretisation.Nir));

    [Test]
    public void KeysSelectTheSemanticsAndReset()
    {
        var config = RunConfigLoader.Parse(Preset() + "\nsemantics: snntorch\nreset_mechanism: subtract\n", "run.yaml");
        Assert.That(config.Semantics, Is.EqualTo(new Discretisation(NirSemantics.SnnTorch, ResetMechanism.Subtract)));
        Assert.That(RunConfigLoader.Parse(Preset() + "\nsemantics: norse\n", "run.yaml").Semantics.Semantics, Is.EqualTo(NirSemantics.Norse));
    }

    [Test]
    public void AnUnknownSemanticsNamesTheKey()
    {
        var ex = Assert.Throws<InputFormatException>(() => RunConfigLoader.Parse(Preset() + "\nsemantics: brian2\n", "run.yaml"))!;
        Assert.That(ex.Message, Does.Contain("run.yaml").And.Contain("semantics"));
    }
}
