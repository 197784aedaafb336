using Neuromorphic.Traces;
using PureHDF;

namespace Neuromorphic.Sim.Nir;

/// <summary>
/// NIR's recorded-activity file (<c>NIRGraphData</c>, HDF5): per node, observables that are either
/// events (<c>idx</c>, <c>time</c> in seconds; attributes <c>n_neurons</c>, <c>t_max</c>) or
/// time-gridded (<c>data</c> [T, N]; attribute <c>dt</c>). Spikes of a node are read as a raster at
/// the run's timestep; written as events.
/// </summary>
public static class NirGraphData
{
    /// <summary>The observable written for spikes.</summary>
    public const string Spikes = "spikes";

    /// <summary>Writes every population's spikes as event data (spike at step t = time t x dt).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, SpikeRaster> populations, double dt)
    {
        var nodes = new H5Group();
        foreach (var (name, raster) in populations.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var idx = new List<long>();
            var time = new List<double>();
            for (var t = 0; t < raster.Timesteps; t++)
            {
                var row = raster.Row(t);
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] == 0) continue;
                    idx.Add(i);
                    time.Add(t * dt);
                }
            }
            var spikes = new H5Group
            {
                ["type"] = "EventData",
                ["idx"] = idx.ToArray(),
                ["time"] = time.ToArray(),
            };
            spikes.Attributes = new Dictionary<string, object> { ["n_neurons"] = (long)raster.Channels, ["t_max"] = raster.Timesteps * dt };
            nodes[name] = new H5Group { ["type"] = "NIRNodeData", ["observables"] = new H5Group { [Spikes] = spikes } };
        }
        var file = new H5File
        {
            ["version"] = NirWriter.DefaultVersion,
            ["node"] = new H5Group { ["type"] = "NIRGraphData", ["nodes"] = nodes },
        };
        var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            file.Write(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>
    /// Reads the spikes of every node with a spiking observable as a raster at <paramref name="dt"/>
    /// (events binned by time; time-gridded data resampled by its own dt).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="dt">The run's timestep, seconds.</param>
    /// <param name="budget">Memory the rasters may take (they are sized by <c>t_max / dt x n_neurons</c>); default: half the machine's.</param>
    /// <exception cref="InputFormatException">Naming the file and the node.</exception>
    public static IReadOnlyDictionary<string, SpikeRaster> Read(string path, double dt, MemoryBudget? budget = null)
    {
        if (!(dt > 0)) throw new ArgumentOutOfRangeException(nameof(dt), dt, "dt must be positive");
        budget ??= MemoryBudget.Default;
        var planned = 0d;
        var result = new Dictionary<string, SpikeRaster>(StringComparer.Ordinal);
        try
        {
            using var file = H5File.Open(new BoundedReadStream(path), leaveOpen: false);
            var graph = file.Group("node");
            var type = graph.Dataset("type").Read<string>();
            if (type != "NIRGraphData") throw new InputFormatException(path, "node/type", $"'{type}' is not NIRGraphData");
            foreach (var child in graph.Group("nodes").Children().OfType<IH5Group>())
            {
                if (!child.LinkExists("observables")) continue;
                foreach (var observable in child.Group("observables").Children().OfType<IH5Group>())
                {
                    var where = $"node '{child.Name}', observable '{observable.Name}'";
                    if (observable.LinkExists("idx") && observable.LinkExists("time"))
                    {
                        foreach (var name in new[] { "idx", "time" })
                        {
                            var dataset = observable.Dataset(name);
                            planned += dataset.Space.Dimensions.Aggregate(1d, (a, d) => a * d) * 2 * sizeof(double);
                            budget.Require(planned, path, $"{where}, {name}", $"the events of '{name}'");
                        }
                        var idx = ReadLongs(observable.Dataset("idx"));
                        var time = ReadDoubles(observable.Dataset("time"));
                        if (idx.Length != time.Length) throw new InputFormatException(path, where, $"idx has {idx.Length} entries, time {time.Length}");
                        var neurons = observable.Attribute("n_neurons").Read<long>();
                        if (neurons is < 1 or > int.MaxValue) throw new InputFormatException(path, where, $"n_neurons {neurons} is not a positive neuron count");
                        var n = (int)neurons;
                        if (time.Any(t => !double.IsFinite(t))) throw new InputFormatException(path, where, "an event time is not a finite number");
                        var tMax = observable.AttributeExists("t_max") ? observable.Attribute("t_max").Read<double>() : (time.Length == 0 ? 0 : time.Max());
                        if (!(tMax >= 0) || double.IsInfinity(tMax)) throw new InputFormatException(path, where, $"t_max {tMax} is not a duration in seconds");
                        var steps = Math.Max(1, Math.Round(tMax / dt));
                        planned += steps * n * sizeof(float);
                        budget.Require(planned, path, $"{where}, t_max", $"rasters of {steps:G4} steps of {dt:G4} s x {n} neurons");
                        if (steps > int.MaxValue) throw new InputFormatException(path, where, $"t_max {tMax} s is {steps:G4} steps of {dt} s, more than a raster holds");
                        var raster = new SpikeRaster((int)steps, n);
                        for (var k = 0; k < idx.Length; k++)
                        {
                            if (idx[k] < 0 || idx[k] >= n) throw new InputFormatException(path, where, $"event {k}: neuron {idx[k]} is outside its {n}");
                            var t = (int)Math.Floor(time[k] / dt + 1e-9);
                            if (t < 0 || t >= raster.Timesteps) throw new InputFormatException(path, where, $"event {k}: time {time[k]} s is outside [0, {tMax}) s");
                            raster.MutableRow(t)[(int)idx[k]] = 1;
                        }
                        result[child.Name] = raster;
                    }
                    else if (observable.LinkExists("data"))
                    {
                        var data = observable.Dataset("data");
                        var dims = data.Space.Dimensions.Select(d => (long)d).ToArray();
                        if (dims.Length != 2) throw new InputFormatException(path, where, "time-gridded data must be [T, N]");
                        planned += (double)dims[0] * dims[1] * (sizeof(float) + sizeof(double));
                        budget.Require(planned, path, $"{where}, data", $"a [{dims[0]}, {dims[1]}] raster");
                        if (dims[0] * dims[1] > Array.MaxLength || dims[0] < 1 || dims[1] < 1)
                            throw new InputFormatException(path, where, $"data [{dims[0]}, {dims[1]}] is not a raster this program can hold");
                        var values = ReadDoubles(data);
                        var raster = new SpikeRaster((int)dims[0], (int)dims[1]);
                        for (var i = 0; i < values.Length; i++) raster.Data[i] = values[i] != 0 ? 1 : 0;
                        result[child.Name] = raster;
                    }
                }
            }
        }
        catch (InputFormatException) { throw; }
        catch (OutOfMemoryException ex)
        {
            // A damaged header can claim an array larger than any allocation (PureHDF sizes its buffer from it).
            throw new InputFormatException(path, "", $"not a readable NIRGraphData file: it claims an array larger than memory ({ex.Message})", ex);
        }
        catch (Exception ex)
        {
            throw new InputFormatException(path, "", $"not a readable NIRGraphData file: {ex.Message.Split('\n')[0]}", ex);
        }
        return result;
    }

    private static long[] ReadLongs(IH5Dataset d) => d.Type.Class == H5DataTypeClass.FloatingPoint
        ? ReadDoubles(d).Select(x => (long)x).ToArray()
        : d.Type.Size == 4 ? d.Read<int[]>().Select(x => (long)x).ToArray() : d.Read<long[]>();

    private static double[] ReadDoubles(IH5Dataset d) => d.Type.Class == H5DataTypeClass.FloatingPoint
        ? d.Type.Size == 4 ? d.Read<float[]>().Select(x => (double)x).ToArray() : d.Read<double[]>()
        : ReadLongs(d).Select(x => (double)x).ToArray();
}
