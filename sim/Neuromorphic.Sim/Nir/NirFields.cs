using System.Globalization;
using Neuromorphic.Traces;
using PureHDF;

namespace Neuromorphic.Sim.Nir;

/// <summary>
/// Typed access to the datasets of one HDF5 group of a NIR file (a node, a graph or the root).
/// Numbers are read whatever their stored width (float32/64, signed or unsigned 8 to 64-bit
/// integers) and converted; every problem becomes an <see cref="InputFormatException"/> that names
/// the file, <see cref="Location"/> and the field.
/// </summary>
/// <param name="group">The group read.</param>
/// <param name="path">The file (for messages).</param>
/// <param name="location">Where errors are reported.</param>
/// <param name="hdfPath">The group's HDF5 path.</param>
/// <param name="fileBytes">The file's length: bounds what a dataset may declare (<see cref="MaxDatasetBytes"/>).</param>
internal sealed class NirFields(IH5Group group, string path, string location, string hdfPath, long fileBytes)
{
    /// <summary>
    /// Expansion of the strongest filter an HDF5 writer may apply (deflate: at most 1032 bytes out per byte in, RFC 1951's
    /// longest match per code); NIR's writers store datasets uncompressed, so this only bounds what a file can honestly hold.
    /// </summary>
    private const long MostExpansion = 1032;

    /// <summary>
    /// The most bytes one dataset of this file may declare. PureHDF sizes its buffer from the dataspace a header states
    /// before it reads a byte, so a damaged header claiming a huge array made a 1 KB file allocate over 1 GB before the
    /// read failed (found by the fuzz campaign, seed 28). A file cannot hold more than its own bytes, expanded by its
    /// filter at most, plus a megabyte of headroom for tiny files.
    /// </summary>
    private long MaxDatasetBytes => MostExpansion * fileBytes + (1 << 20);

    /// <summary>The HDF5 path of the group (<c>node/nodes/fc1</c>; empty for the root).</summary>
    public string HdfPath { get; } = hdfPath;

    /// <summary>Fields of a child group, reported at <paramref name="childLocation"/> (default: this location).</summary>
    public NirFields Child(IH5Group child, string name, string? childLocation = null) =>
        new(child, path, childLocation ?? Location, HdfPath.Length == 0 ? name : $"{HdfPath}/{name}", fileBytes);

    /// <summary>The group read.</summary>
    public IH5Group Group { get; } = group;

    /// <summary>Where errors are reported (<c>node 'x'</c>, or empty for the file).</summary>
    public string Location { get; } = location;

    /// <summary>An exception naming the file and <see cref="Location"/>.</summary>
    public InputFormatException Error(string problem, Exception? inner = null) => new(path, Location, problem, inner);

    /// <summary>A failure of the HDF5 library itself (a truncated or corrupt file): reported for the whole file.</summary>
    private InputFormatException Unreadable(string name, Exception inner) =>
        new(path, "", $"not a readable HDF5 file: cannot read '{(HdfPath.Length == 0 ? name : $"{HdfPath}/{name}")}': {OneLine(inner.Message)}", inner);

    /// <summary>True if a dataset or group of that name exists and is not an empty (null) dataset.</summary>
    public bool Has(string name)
    {
        if (!Link(name)) return false;
        var obj = Get(name);
        return obj is not IH5Dataset ds || ds.Space.Type != H5DataspaceType.Null;
    }

    /// <summary>The child group of that name, or null if there is none.</summary>
    public IH5Group? OptionalGroup(string name) => Link(name) && Get(name) is IH5Group g ? g : null;

    /// <summary>The dataset of that name; throws if it is missing or not a dataset.</summary>
    public IH5Dataset Dataset(string name)
    {
        if (!Has(name)) throw Error($"missing field '{name}'");
        return Get(name) as IH5Dataset ?? throw Error($"field '{name}' is a group, expected a dataset");
    }

    /// <summary>The dimensions of a dataset (empty for a scalar).</summary>
    public int[] ShapeOf(string name) => Dims(Dataset(name), name);

    /// <summary>A scalar (or one-element) string dataset.</summary>
    public string String(string name)
    {
        var ds = Dataset(name);
        if (!IsString(ds)) throw Error($"field '{name}' is {Describe(ds)}, expected a string");
        Dims(ds, name);
        var values = Guard(name, () => ds.Read<string[]>());
        if (values.Length != 1) throw Error($"field '{name}' holds {values.Length} strings, expected one");
        return values[0] ?? "";
    }

    /// <summary>A string array (flattened in C order) with its dimensions.</summary>
    public (string[] Values, int[] Shape) Strings(string name)
    {
        var ds = Dataset(name);
        var shape = Dims(ds, name);
        if (Elements(shape) == 0) return ([], shape);
        if (!IsString(ds)) throw Error($"field '{name}' is {Describe(ds)}, expected strings");
        var values = Guard(name, () => ds.Read<string[]>());
        return (values.Select(v => v ?? "").ToArray(), shape);
    }

    /// <summary>True if the dataset of that name holds strings.</summary>
    public bool IsString(string name) => IsString(Dataset(name));

    /// <summary>Numbers of any stored type as doubles (flattened in C order), with their dimensions.</summary>
    public (double[] Values, int[] Shape) Doubles(string name)
    {
        var ds = Dataset(name);
        var shape = Dims(ds, name);
        if (Elements(shape) == 0) return ([], shape);
        var t = ds.Type;
        double[] values = t.Class switch
        {
            H5DataTypeClass.FloatingPoint => t.Size switch
            {
                4 => Guard(name, () => ds.Read<float[]>()).Select(v => (double)v).ToArray(),
                8 => Guard(name, () => ds.Read<double[]>()),
                _ => throw Error($"field '{name}' is a {8 * t.Size}-bit float, expected 32 or 64 bits"),
            },
            H5DataTypeClass.FixedPoint => Integers(ds, name).Select(v => (double)v).ToArray(),
            _ => throw Error($"field '{name}' is {Describe(ds)}, expected numbers"),
        };
        if (values.Length != Elements(shape))
            throw Error($"field '{name}' has {values.Length} values, its shape {Networks.Shape.Format(shape)} needs {Elements(shape)}");
        foreach (var v in values)
            if (!double.IsFinite(v)) throw Error($"field '{name}' holds a non-finite value");
        return (values, shape);
    }

    /// <summary>Numbers as float32 (weights), with their dimensions.</summary>
    public (float[] Values, int[] Shape) Floats(string name)
    {
        var ds = Dataset(name);
        if (ds.Type.Class == H5DataTypeClass.FloatingPoint && ds.Type.Size == 4)
        {
            var shape32 = Dims(ds, name);
            if (Elements(shape32) == 0) return ([], shape32);
            var floats = Guard(name, () => ds.Read<float[]>());
            if (floats.Length != Elements(shape32))
                throw Error($"field '{name}' has {floats.Length} values, its shape {Networks.Shape.Format(shape32)} needs {Elements(shape32)}");
            foreach (var v in floats)
                if (!float.IsFinite(v)) throw Error($"field '{name}' holds a non-finite value");
            return (floats, shape32);
        }
        var (values, shape) = Doubles(name);
        return (values.Select(v => (float)v).ToArray(), shape);
    }

    /// <summary>Whole numbers (integer or integral float datasets), flattened, with their dimensions.</summary>
    public (int[] Values, int[] Shape) Ints(string name)
    {
        var ds = Dataset(name);
        var shape = Dims(ds, name);
        if (Elements(shape) == 0) return ([], shape);
        long[] raw;
        if (ds.Type.Class == H5DataTypeClass.FixedPoint) raw = Integers(ds, name);
        else if (ds.Type.Class == H5DataTypeClass.FloatingPoint)
        {
            var d = Doubles(name).Values;
            if (d.Any(v => v != Math.Floor(v))) throw Error($"field '{name}' holds a non-integer value");
            raw = d.Select(v => v is >= long.MinValue and <= long.MaxValue ? (long)v : long.MaxValue).ToArray();
        }
        else throw Error($"field '{name}' is {Describe(ds)}, expected integers");
        var result = new int[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] is < int.MinValue or > int.MaxValue) throw Error($"field '{name}' value {raw[i]} is out of range");
            result[i] = (int)raw[i];
        }
        return (result, shape);
    }

    /// <summary>One whole number (a scalar or a one-element array).</summary>
    public int Int(string name)
    {
        var (values, _) = Ints(name);
        if (values.Length != 1) throw Error($"field '{name}' has {values.Length} values, expected one");
        return values[0];
    }

    /// <summary>
    /// A per-dimension integer parameter: a scalar or one-element array is repeated <paramref name="dims"/>
    /// times; an array must have exactly <paramref name="dims"/> entries.
    /// </summary>
    public int[] PerDimension(string name, int dims)
    {
        var (values, _) = Ints(name);
        if (values.Length == 1) return Enumerable.Repeat(values[0], dims).ToArray();
        if (values.Length != dims) throw Error($"field '{name}' has {values.Length} entries, expected 1 or {dims}");
        return values;
    }

    /// <summary>The datasets of the group as strings (numbers in invariant form); other children are skipped.</summary>
    public Dictionary<string, string> AsStrings()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var child in Group.Children())
        {
            if (child is not IH5Dataset ds || ds.Space.Type == H5DataspaceType.Null) continue;
            var name = child.Name;
            if (IsString(ds))
            {
                var (s, shape) = Strings(name);
                result[name] = shape.Length == 0 && s.Length == 1 ? s[0] : "[" + string.Join(", ", s) + "]";
            }
            else if (ds.Type.Class is H5DataTypeClass.FloatingPoint or H5DataTypeClass.FixedPoint)
            {
                var (d, shape) = Doubles(name);
                var text = d.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
                result[name] = shape.Length == 0 && text.Length == 1 ? text[0] : "[" + string.Join(", ", text) + "]";
            }
        }
        return result;
    }

    private bool Link(string name)
    {
        try { return Group.LinkExists(name); }
        catch (Exception ex) when (ex is not InputFormatException) { throw Unreadable(name, ex); }
    }

    private IH5Object Get(string name)
    {
        IH5Object obj;
        try { obj = Group.Get(name); }
        catch (Exception ex) when (ex is not InputFormatException) { throw Unreadable(name, ex); }
        if (obj is IH5UnresolvedLink link) throw UnresolvedLink(name, link);
        return obj;
    }

    /// <summary>A link that leads nowhere in this file (an external link, a dangling soft link): a NIR file must be self-contained.</summary>
    public InputFormatException UnresolvedLink(string name, IH5UnresolvedLink link) =>
        Error($"'{(HdfPath.Length == 0 ? name : $"{HdfPath}/{name}")}' is a link this file cannot resolve ({OneLine(link.Reason?.Message ?? "no reason given")}): a NIR file must hold its own data (no external links)");

    private long[] Integers(IH5Dataset ds, string name)
    {
        var t = ds.Type;
        var signed = Guard(name, () => t.FixedPoint.IsSigned);
        return (t.Size, signed) switch
        {
            (1, true) => Guard(name, () => ds.Read<sbyte[]>()).Select(v => (long)v).ToArray(),
            (1, false) => Guard(name, () => ds.Read<byte[]>()).Select(v => (long)v).ToArray(),
            (2, true) => Guard(name, () => ds.Read<short[]>()).Select(v => (long)v).ToArray(),
            (2, false) => Guard(name, () => ds.Read<ushort[]>()).Select(v => (long)v).ToArray(),
            (4, true) => Guard(name, () => ds.Read<int[]>()).Select(v => (long)v).ToArray(),
            (4, false) => Guard(name, () => ds.Read<uint[]>()).Select(v => (long)v).ToArray(),
            (8, true) => Guard(name, () => ds.Read<long[]>()),
            (8, false) => Guard(name, () => ds.Read<ulong[]>()).Select(v => v > long.MaxValue ? long.MaxValue : (long)v).ToArray(),
            _ => throw Error($"field '{name}' is a {8 * t.Size}-bit integer, expected 8 to 64 bits"),
        };
    }

    private int[] Dims(IH5Dataset ds, string name)
    {
        var dims = Guard(name, () => ds.Space.Dimensions);
        var shape = new int[dims.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            if (dims[i] > int.MaxValue) throw Error($"field '{name}' is too large ({dims[i]} entries in one dimension)");
            shape[i] = (int)dims[i];
        }
        var elements = dims.Aggregate(1.0, (a, d) => a * d);
        if (elements > int.MaxValue) throw Error($"field '{name}' is too large");
        var bytes = elements * Guard(name, () => ds.Type.Size);
        if (bytes > MaxDatasetBytes)
            throw Error($"field '{name}' declares {elements:N0} values ({bytes:N0} bytes), more than this {fileBytes:N0}-byte file can hold: its header is damaged");
        return shape;
    }

    private static int Elements(int[] shape) => shape.Aggregate(1, (a, d) => a * d);

    // HDF5 stores h5py's strings as variable-length sequences of characters; fixed-length ones as String.
    private static bool IsString(IH5Dataset ds) => ds.Type.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength;

    private static string Describe(IH5Dataset ds) => ds.Type.Class switch
    {
        H5DataTypeClass.FloatingPoint => $"a {8 * ds.Type.Size}-bit float",
        H5DataTypeClass.FixedPoint => $"a {8 * ds.Type.Size}-bit integer",
        H5DataTypeClass.String or H5DataTypeClass.VariableLength => "a string",
        H5DataTypeClass.Enumerated => "an enumeration (e.g. a boolean)",
        var c => $"of HDF5 class {c}",
    };

    private T Guard<T>(string name, Func<T> read)
    {
        try { return read(); }
        catch (Exception ex) when (ex is not InputFormatException) { throw Unreadable(name, ex); }
    }

    /// <summary>The first line of a message, trimmed.</summary>
    public static string OneLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "unknown error" : line;
    }
}
