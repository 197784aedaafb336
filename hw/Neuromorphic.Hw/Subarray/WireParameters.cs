namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// On-chip wire of a node as NeuroSim V1.4 sets it up (Param.cpp: wire width, aspect ratio, resistivity with
/// the barrier-layer correction): resistance and capacitance per micrometre.
/// </summary>
public static class WireParameters
{
    /// <summary>Capacitance of a wire per micrometre, fF/um (HTree.cpp, SubArray.cpp: 0.2 fF/um).</summary>
    public const double CapFfPerUm = 0.2;

    // Param.cpp: node -> wire width (nm), aspect ratio, bulk resistivity (ohm m), barrier thickness (nm).
    private static ReadOnlySpan<double> Nodes => [22, 32, 45, 65, 90, 130];
    private static ReadOnlySpan<double> Widths => [40, 56, 80, 105, 110, 175];
    private static ReadOnlySpan<double> AspectRatios => [1.9, 1.8, 1.7, 1.7, 1.6, 1.6];
    private static ReadOnlySpan<double> Resistivities => [2.97e-8, 2.63e-8, 2.37e-8, 2.21e-8, 2.20e-8, 2.01e-8];
    private static ReadOnlySpan<double> Barriers => [2.5, 4.0, 5.0, 7.0, 10.0, 10.0];

    /// <summary>
    /// Wire resistance per micrometre at a node, ohm/um (Param.cpp: rho / (1 - (2 AR w + w) t_barrier / (AR w^2)),
    /// divided by w^2 AR); nodes between NeuroSim's are taken at the next larger tabulated node (assumed).
    /// </summary>
    /// <param name="nodeNm">Technology node, nm.</param>
    /// <returns>Ohm per micrometre.</returns>
    public static double ResistanceOhmPerUm(double nodeNm)
    {
        var i = 0;
        while (i < Nodes.Length - 1 && Nodes[i] < nodeNm) i++;
        var w = Widths[i] * 1e-9;
        var ar = AspectRatios[i];
        var rho = Resistivities[i] / (1 - (2 * ar * w + w) * Barriers[i] * 1e-9 / (ar * w * w));
        return rho / (w * w * ar) * 1e-6;
    }
}
