using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Lsm;

/// <summary>Readout features: activity counts per channel in time bins.</summary>
public static class Features
{
    /// <summary>Counts of each channel's non-zero entries in <paramref name="bins"/> equal time bins, channel-major.</summary>
    public static double[] BinnedCounts(SpikeRaster raster, int bins)
    {
        var features = new double[raster.Channels * bins];
        var steps = raster.Timesteps;
        for (var t = 0; t < steps; t++)
        {
            var bin = Math.Min(bins - 1, (int)((long)t * bins / Math.Max(1, steps)));
            var row = raster.Row(t);
            for (var c = 0; c < row.Length; c++)
                if (row[c] != 0) features[c * bins + bin] += row[c];
        }
        return features;
    }

    /// <summary>Each channel's spike rate: its non-zero entries' total divided by the timesteps (the paper's readout features).</summary>
    public static double[] Rates(SpikeRaster raster)
    {
        var rates = BinnedCounts(raster, 1);
        var steps = Math.Max(1, raster.Timesteps);
        for (var c = 0; c < rates.Length; c++) rates[c] /= steps;
        return rates;
    }
}
