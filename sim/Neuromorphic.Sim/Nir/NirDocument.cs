using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Sim.Nir;

/// <summary>A NIR file as read: the flattened network and the file's <c>version</c> string.</summary>
/// <param name="Network">The network (nested graphs flattened to <c>outer.inner</c> names).</param>
/// <param name="Version">The root <c>version</c> dataset, or null if the file has none (0.1 layout).</param>
public sealed record NirDocument(Network Network, string? Version);
