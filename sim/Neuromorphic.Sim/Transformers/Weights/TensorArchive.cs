using Neuromorphic.Traces;

namespace Neuromorphic.Sim.Transformers.Weights;

/// <summary>One named tensor of a weights file: its shape, stored element type and a reader for its values.</summary>
/// <param name="Name">The state-dict key (e.g. <c>block3.0.attn.q_conv.0.body.0.weight</c>).</param>
/// <param name="Shape">Dimensions, outermost first (empty for a scalar).</param>
/// <param name="DType">Stored element type as the file names it (<c>F32</c>, <c>F16</c>, <c>BF16</c>, <c>&lt;f4</c>, ...).</param>
/// <param name="IsFloat">Whether the values convert to float (integer tensors such as <c>num_batches_tracked</c> do not).</param>
public sealed record TensorInfo(string Name, IReadOnlyList<long> Shape, string DType, bool IsFloat)
{
    /// <summary>Elements (product of the shape).</summary>
    public long Elements => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>The shape as <c>[a, b, c]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>
/// The tensors of a state dict saved as <c>.safetensors</c> or <c>.npz</c>, by name. Values are read
/// on demand, so a large checkpoint is not held twice. A leading <c>module.</c> (DataParallel) is
/// dropped from every name.
/// </summary>
public sealed class TensorArchive
{
    private readonly Dictionary<string, TensorInfo> _tensors;
    private readonly Func<TensorInfo, float[]> _read;

    internal TensorArchive(string path, IEnumerable<TensorInfo> tensors, Func<TensorInfo, float[]> read)
    {
        Path = path;
        _tensors = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            var info = t.Name.StartsWith("module.", StringComparison.Ordinal) ? t with { Name = t.Name["module.".Length..] } : t;
            if (!_tensors.TryAdd(info.Name, info))
                throw new InputFormatException(path, $"tensor '{info.Name}'", "appears twice");
        }
        _read = read;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>All tensors.</summary>
    public IReadOnlyCollection<TensorInfo> Tensors => _tensors.Values;

    /// <summary>The tensor of that name, or null.</summary>
    public TensorInfo? Find(string name) => _tensors.GetValueOrDefault(name);

    /// <summary>Reads a tensor's values as float (row-major).</summary>
    /// <exception cref="InputFormatException">The tensor is not floating point, or its bytes are bad.</exception>
    public float[] Read(TensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!tensor.IsFloat) throw new InputFormatException(Path, $"tensor '{tensor.Name}'", $"element type {tensor.DType} is not floating point");
        return _read(tensor);
    }

    /// <summary>Opens a <c>.safetensors</c> or <c>.npz</c> file (by extension).</summary>
    /// <exception cref="InputFormatException">Unknown extension, or a malformed file.</exception>
    public static TensorArchive Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new InputFormatException(path, "", "weights file not found");
        return System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".safetensors" => Safetensors.Open(path),
            ".npz" => NpzFile.Open(path),
            var e => throw new InputFormatException(path, "", $"unknown weights format '{e}' (expected .safetensors or .npz)"),
        };
    }
}
