namespace Neuromorphic.Traces.Recording;

/// <summary>One recorded sample: its label and, per population of the trace, a [timesteps x size] spike raster.</summary>
/// <param name="Label">Class label (-1 if none).</param>
/// <param name="Populations">One raster per population, in the trace's population order.</param>
public sealed record TraceSample(int Label, IReadOnlyList<SpikeRaster> Populations);

/// <summary>A recorded population: name and size.</summary>
/// <param name="Name">Population name (replay matches populations by name).</param>
/// <param name="Size">Neurons (or input channels).</param>
public sealed record TracePopulation(string Name, int Size);

/// <summary>
/// A recording of a run's spiking activity: every population's spikes at every timestep of every
/// sample, with the metadata needed to replay it (network hash, dt, timesteps, seed, the run
/// configuration). Spikes are binary: a non-zero entry of a raster is a spike.
/// </summary>
public sealed record SpikeTrace
{
    /// <summary>Populations, in the order each sample lists its rasters.</summary>
    public required IReadOnlyList<TracePopulation> Populations { get; init; }

    /// <summary>Timesteps per sample.</summary>
    public required int Timesteps { get; init; }

    /// <summary>Timestep in seconds.</summary>
    public required double Dt { get; init; }

    /// <summary>The samples.</summary>
    public required IReadOnlyList<TraceSample> Samples { get; init; }

    /// <summary>Free-form metadata (network_hash, seed, config, ...), string values.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Index of a population by name, or -1.</summary>
    public int IndexOf(string population)
    {
        for (var i = 0; i < Populations.Count; i++) if (Populations[i].Name == population) return i;
        return -1;
    }

    /// <summary>Checks shapes: every sample has one raster per population of the right size and length.</summary>
    public void Validate()
    {
        foreach (var (sample, s) in Samples.Select((x, i) => (x, i)))
        {
            if (sample.Populations.Count != Populations.Count) throw new ArgumentException($"sample {s} has {sample.Populations.Count} populations, expected {Populations.Count}");
            for (var p = 0; p < Populations.Count; p++)
            {
                var r = sample.Populations[p];
                if (r.Timesteps != Timesteps || r.Channels != Populations[p].Size)
                    throw new ArgumentException($"sample {s}, population '{Populations[p].Name}': raster {r.Timesteps} x {r.Channels}, expected {Timesteps} x {Populations[p].Size}");
            }
        }
    }
}
