using System.Numerics;

namespace Neuromorphic.Hw.Periphery;

/// <summary>
/// A macro read's column currents through a uniform ADC and back: the level sum above the floor of the driven cells,
/// quantised by <see cref="Adc.Quantise"/>, dequantised by <see cref="Adc.Dequantise"/> and returned in current units;
/// several columns per instruction. Every lane does the scalar path's operations in the same order (IEEE division,
/// multiplication, addition and floor are exact per element), so the results are the scalar ones to the last bit,
/// NaN and out-of-range currents included (tested against <see cref="Adc"/>).
/// </summary>
internal static class AdcRoundTrip
{
    /// <summary>
    /// For each column: level sum x = (current / readVoltage - floor) / levelSpacing, code = 0 if !(x / fullScale &gt; 0),
    /// maxCode if x / fullScale &gt;= 1, else floor(x / fullScale * maxCode + 0.5); value = ((code * fullScale / maxCode)
    /// * levelSpacing + floor) * readVoltage. Not for sense amplifiers (their quantiser is a threshold).
    /// </summary>
    public static void Convert(ReadOnlySpan<double> currents, Span<double> values, double floor, double levelSpacing, double readVoltage,
        double fullScale, int maxCode)
    {
        if (values.Length < currents.Length) throw new ArgumentException("values is shorter than currents", nameof(values));
        var max = (double)maxCode;
        var c = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vFloor = new Vector<double>(floor);
            var vSpacing = new Vector<double>(levelSpacing);
            var vVoltage = new Vector<double>(readVoltage);
            var vFull = new Vector<double>(fullScale);
            var vMax = new Vector<double>(max);
            var half = new Vector<double>(0.5);
            for (; c <= currents.Length - Vector<double>.Count; c += Vector<double>.Count)
            {
                var x = (new Vector<double>(currents[c..]) / vVoltage - vFloor) / vSpacing / vFull;
                // NaN compares false: code 0, as Quantise returns for negatives and NaN.
                var code = Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<double>.Zero),
                    Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<double>.One), vMax, Vector.Floor(x * vMax + half)),
                    Vector<double>.Zero);
                ((code * vFull / vMax * vSpacing + vFloor) * vVoltage).CopyTo(values[c..]);
            }
        }
        for (; c < currents.Length; c++)
        {
            var x = (currents[c] / readVoltage - floor) / levelSpacing / fullScale;
            var code = !(x > 0) ? 0 : x >= 1 ? max : Math.Floor(x * max + 0.5);
            values[c] = (code * fullScale / max * levelSpacing + floor) * readVoltage;
        }
    }
}
