using System.Numerics.Tensors;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// The function of a read of an ideal macro (every cell on a level, no read noise, IR drop or
/// drift; stuck cells included) with differential-pair weights, on integers: per row group, each
/// physical column's level sum is the sum of its driven cells' levels, the ADC turns it into a
/// code (clipping beyond its full scale) and back, and the decode subtracts the pair and
/// shift-adds the slices: out_j = sum over slices s of radix^s (D(P_s) - D(N_s)) / steps x scale,
/// D = dequantise(quantise(level sum)). This is what <see cref="RramMacro.Execute"/> computes through
/// column currents for such a macro (a test holds the two equal, clipping included), at a fraction
/// of the cost: a transformer layer reads its macros once per output position and timestep.
/// Macros that are not ideal (variation, noise) are read through <see cref="RramMacro.Execute"/>.
/// </summary>
internal sealed class MacroLevelKernel
{
    private readonly short[] _levels; // [rows x physical columns]
    private readonly short[] _sum;
    private readonly double[] _dequantised; // by level sum
    private readonly int _width, _logical, _slices, _groupSize;
    private readonly double _radix, _unit;

    private MacroLevelKernel(RramMacro macro, Adc adc, int groupSize, double outputScale)
    {
        var array = macro.Array;
        _width = array.PhysicalColumns;
        _logical = array.LogicalColumns;
        _slices = array.Slices;
        _groupSize = groupSize;
        _radix = array.Device.Levels;
        _unit = outputScale / array.MagnitudeSteps;
        _levels = new short[array.Rows * _width];
        var g = array.Conductances;
        var spacing = array.Device.LevelSpacing;
        for (var i = 0; i < _levels.Length; i++) _levels[i] = (short)Math.Round((g[i] - array.Device.GMin) / spacing);
        _sum = new short[_width];
        _dequantised = new double[groupSize * (array.Device.Levels - 1) + 1];
        for (var s = 0; s < _dequantised.Length; s++)
            _dequantised[s] = adc.Dequantise(adc.Quantise(s, macro.FullScaleLevels), macro.FullScaleLevels);
    }

    /// <summary>The kernel of <paramref name="macro"/>, or null when it does not apply (a non-ideal macro, other signed schemes, a sense amplifier).</summary>
    public static MacroLevelKernel? For(RramMacro macro, Adc adc, MacroParameters parameters, double outputScale)
    {
        var array = macro.Array;
        if (!macro.Ideal || array.MagnitudeSteps == 0 || array.Parameters.SignedWeights != SignedWeightScheme.DifferentialPair
            || array.ColumnsPerLogical != 2 * array.Slices || adc.Parameters.Kind == AdcKind.SenseAmp
            || parameters.ParallelRows * (array.Device.Levels - 1) > short.MaxValue)
            return null;
        return new MacroLevelKernel(macro, adc, parameters.ParallelRows, outputScale);
    }

    /// <summary>Adds the read of <paramref name="activeRows"/> (ascending, distinct) to <paramref name="accumulate"/> (one entry per logical column, weight units).</summary>
    public void Add(ReadOnlySpan<int> activeRows, Span<double> accumulate)
    {
        var i = 0;
        while (i < activeRows.Length)
        {
            var groupEnd = (activeRows[i] / _groupSize + 1) * _groupSize;
            System.Array.Clear(_sum);
            for (; i < activeRows.Length && activeRows[i] < groupEnd; i++)
                TensorPrimitives.Add(_sum, _levels.AsSpan(activeRows[i] * _width, _width), _sum);
            for (var j = 0; j < _logical; j++)
            {
                var first = 2 * _slices * j;
                double value = 0, weight = 1;
                for (var s = 0; s < _slices; s++)
                {
                    value += weight * (_dequantised[_sum[first + 2 * s]] - _dequantised[_sum[first + 2 * s + 1]]);
                    weight *= _radix;
                }
                accumulate[j] += value * _unit;
            }
        }
    }
}
