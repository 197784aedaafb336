using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Conversion;
using PureHDF;

namespace Neuromorphic.Sim.Nir;

/// <summary>
/// Writes an event recording as NIR recorded activity (<c>NIRGraphData</c>, HDF5) with one node,
/// <c>input</c>, whose observable <c>spikes</c> is <c>EventData</c>: <c>idx</c> (int64, the
/// neuron p x H x W + y x W + x of a NIR <c>Input</c> of shape (2, H, W), channel 0 OFF and 1 ON),
/// <c>time</c> (float64, seconds), attributes <c>n_neurons</c> = 2 x H x W and <c>t_max</c> (the
/// last time plus 1 µs). <see cref="NirGraphData.Read"/> and <c>replay --network</c> read it.
/// </summary>
/// <remarks>
/// HDF5 is written in one go at <see cref="Complete"/> (PureHDF writes whole datasets), so this
/// writer holds 16 bytes per event; the stream passed in is unused, the file is written
/// atomically to <paramref name="path"/>.
/// </remarks>
public sealed class NirEventDataWriter(string path) : EventWriter(Stream.Null)
{
    /// <summary>The node name written.</summary>
    public const string NodeName = "input";

    private readonly List<long> _idx = [];
    private readonly List<double> _time = [];
    private long _lastUs;

    /// <inheritdoc/>
    protected override void WriteHeader()
    {
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<DvsEvent> events)
    {
        long plane = (long)Info.Width * Info.Height;
        foreach (DvsEvent e in events)
        {
            _idx.Add(e.Polarity * plane + (long)e.Y * Info.Width + e.X);
            _time.Add(e.TimeUs * 1e-6);
            _lastUs = e.TimeUs;
            Written++;
        }
    }

    /// <inheritdoc/>
    public override void Complete()
    {
        var spikes = new H5Group
        {
            ["type"] = "EventData",
            ["idx"] = _idx.ToArray(),
            ["time"] = _time.ToArray(),
        };
        spikes.Attributes = new Dictionary<string, object>
        {
            ["n_neurons"] = 2L * Info.Width * Info.Height,
            ["t_max"] = (_lastUs + 1) * 1e-6,
        };
        var file = new H5File
        {
            ["version"] = NirWriter.DefaultVersion,
            ["node"] = new H5Group
            {
                ["type"] = "NIRGraphData",
                ["nodes"] = new H5Group { [NodeName] = new H5Group { ["type"] = "NIRNodeData", ["observables"] = new H5Group { [NirGraphData.Spikes] = spikes } } },
            },
        };
        string tmp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            file.Write(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }
    }
}
