using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Sim.Nir;

/// <summary>Choices NIR leaves open that the importer has to make.</summary>
public sealed record NirImportOptions
{
    /// <summary>
    /// How NIR's leak-free integrators (<c>I</c>, <c>IF</c>) are stepped; passed to every
    /// <see cref="IntegratorModel"/>. Default <see cref="IntegratorTimeBase.PerTimestep"/>.
    /// </summary>
    public IntegratorTimeBase IntegratorTimeBase { get; init; } = IntegratorTimeBase.PerTimestep;
}
