namespace Neuromorphic.Sim.Workloads;

/// <summary>What <see cref="FashionMnistConverter.Convert"/> did.</summary>
/// <param name="Split">The split folder name (e.g. <c>Train</c>).</param>
/// <param name="Directory">The folder the class folders were written to (<c>outDir/split</c>).</param>
/// <param name="PerClass">Files written per label (index = label).</param>
/// <param name="Events">Total events over all files.</param>
public sealed record FashionMnistConversion(string Split, string Directory, IReadOnlyList<int> PerClass, long Events)
{
    /// <summary>Total files written.</summary>
    public int Files => PerClass.Sum();
}
