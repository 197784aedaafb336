using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Crossbar;

namespace Neuromorphic.Arch.Mapping;

public sealed partial class Mapper
{
    /// <summary>
    /// The sign every non-zero weight shares, as the callers use it: non-zero means the matrix may go on single cells
    /// (<see cref="OnSingleCells"/>), and -1 makes its digital scale negative. +1 when no weight is negative (an
    /// all-zero span included: every magnitude, 0, fits single cells); -1 when none is positive and one is negative;
    /// 0 when both signs occur, and for an empty span (no weight to tell by, e.g. a sparse projection's delay with no
    /// synapse), which so keeps the architecture's signed scheme, as a mixed-sign matrix does.
    /// </summary>
    internal static int SharedSign(ReadOnlySpan<float> weights)
    {
        if (weights.IsEmpty) return 0;
        bool positive = false, negative = false;
        foreach (var w in weights)
        {
            positive |= w > 0;
            negative |= w < 0;
        }
        return positive && negative ? 0 : negative ? -1 : 1;
    }

    /// <summary>
    /// True when <paramref name="chip"/> stores <paramref name="weights"/> (one matrix) as magnitudes on single cells:
    /// <c>mapping.one_signed_layers: single_cells</c> and no two non-zero weights of opposite signs. A mixed-sign matrix
    /// keeps the architecture's <c>macro.signed_weights</c> scheme.
    /// </summary>
    public static bool OnSingleCells(ChipModel chip, ReadOnlySpan<float> weights) =>
        chip.Spec.Mapping.OneSignedLayers == OneSignedLayers.SingleCells && SharedSign(weights) != 0;

    /// <summary>Weight columns one macro holds for <paramref name="weights"/> (see <see cref="OnSingleCells"/>).</summary>
    public static int ColumnsPerMacro(ChipModel chip, ReadOnlySpan<float> weights) => chip.ColumnsPerMacro(OnSingleCells(chip, weights));

    /// <summary>
    /// How one matrix goes on the macros: the crossbar parameters its blocks are programmed with, the weight
    /// columns a macro holds, and the scale (weight units per stored unit). Mixed-sign: the architecture's scheme and
    /// the largest magnitude. One-signed on single cells: the cells hold w / scale in [0, 1], the scale being the
    /// largest magnitude with the layer's sign (negative for an all-negative layer), applied digitally to every
    /// macro's outputs, so no cell and no column holds a sign.
    /// </summary>
    private (CrossbarParameters Crossbar, int Columns, double Scale) LayoutOf(ReadOnlySpan<float> weights)
    {
        var magnitude = ScaleOf(weights);
        if (!OnSingleCells(chip, weights)) return (chip.Spec.Macro.Crossbar, chip.LogicalColumnsPerMacro, magnitude);
        return (chip.SingleCellCrossbar, chip.SingleCellColumnsPerMacro, SharedSign(weights) < 0 ? -magnitude : magnitude);
    }
}
