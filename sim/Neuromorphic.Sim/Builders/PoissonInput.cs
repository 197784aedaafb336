using Neuromorphic.Sim.Randomness;
using Neuromorphic.Traces;

namespace Neuromorphic.Sim.Builders;

/// <summary>Seeded Poisson (Bernoulli per timestep) spike rasters.</summary>
public static class PoissonInput
{
    /// <summary>A raster of <paramref name="channels"/> independent trains at <paramref name="rateHz"/>, one spike per step at most.</summary>
    public static SpikeRaster Generate(int timesteps, int channels, double rateHz, double dt, DeterministicRandom rng)
    {
        var p = rateHz * dt;
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, $"rate x dt must lie in [0, 1], found {p}");
        var raster = new SpikeRaster(timesteps, channels);
        for (var t = 0; t < timesteps; t++)
        {
            var row = raster.MutableRow(t);
            for (var c = 0; c < channels; c++) row[c] = rng.NextDouble() < p ? 1f : 0f;
        }
        return raster;
    }
}
