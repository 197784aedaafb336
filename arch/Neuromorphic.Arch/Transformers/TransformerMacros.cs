using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// The spiking conv and linear layers of a transformer that the architecture places on RRAM
/// macros, mapped by the chip's one <see cref="Mapper"/> with the weights the chip stores: each
/// layer becomes a <see cref="ConvNode"/> (a linear layer is a 1x1 conv on a 1x1 input), unrolled
/// by <see cref="ConvUnrolling"/> and tiled into row blocks x column blocks (grouped convs without
/// the off-diagonal blocks), macros numbered in layer order. Without weights (rates mode) a layer
/// gets seeded Kaiming-normal draws: the mapper normalises a matrix by its largest magnitude, so
/// only the shape of the distribution reaches the conductances. Programming every macro of a large
/// model at once would take gigabytes, so a layer is programmed when it is priced and dropped
/// after; models of at most <see cref="KeptMacros"/> macros keep theirs.
/// </summary>
internal sealed class TransformerMacros
{
    /// <summary>By default, models with at most this many macros keep their programmed layers between passes.</summary>
    public const int KeptMacros = 256;

    private readonly ChipModel _chip;
    private readonly TransformerModel _model;
    private readonly TransformerWeights? _weights;
    private readonly ulong _seed;
    private readonly Dictionary<string, (int First, int Count)> _placement = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MappedLayer> _kept = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private MappedLayer? _recent; // the layer placed last (models beyond _keptMacros)
    private readonly int _keptMacros;

    /// <summary>
    /// Places the layers of <paramref name="model"/> that run on macros; <paramref name="weights"/> null draws seeded
    /// ones; passes over the layers and the layers' mapping keep at most <paramref name="threads"/> threads busy (null: one). A model of at most
    /// <paramref name="keptMacros"/> macros keeps its layers programmed (tests lower it to run a small model as a large one).
    /// </summary>
    /// <exception cref="MappingException">The layers need more macros than the chip has.</exception>
    public TransformerMacros(ChipModel chip, TransformerModel model, TransformerWeights? weights, ulong seed, ThreadBudget? threads = null, int keptMacros = KeptMacros)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keptMacros);
        _keptMacros = keptMacros;
        Budget = threads ?? ThreadBudget.Serial;
        _chip = chip;
        _model = model;
        _weights = weights;
        _seed = seed;
        var next = 0;
        var layers = new List<ModelLayer>();
        foreach (var layer in model.Layers)
        {
            if (!OnMacros(layer, chip)) continue;
            // The weights are drawn when a layer is first placed: reserve what the signed scheme takes (a one-signed layer
            // on single cells takes no more).
            var count = Mapper.MacrosFor(chip, Shape(layer, []), singleCells: false);
            _placement[layer.Name] = (next, count);
            next += count;
            layers.Add(layer);
        }
        Layers = layers;
        Total = next;
        if (Total > chip.Spec.Chip.Macros)
        {
            var largest = string.Join(", ", layers.OrderByDescending(l => _placement[l.Name].Count).Take(4).Select(l => $"{l.Name} {_placement[l.Name].Count}"));
            throw new MappingException(
                $"{model.Name} needs {Total} macros of {chip.Spec.Macro.Crossbar.Rows} x {chip.LogicalColumnsPerMacro} weights for its {layers.Count} layers on RRAM "
                + $"(largest: {largest}); the chip has {chip.Spec.Chip.Macros} ({chip.Spec.Chip.Tiles} tiles x {chip.Spec.Chip.MacrosPerTile}): "
                + "raise chip.macros_per_tile or chip.tiles, or place layers on the digital core");
        }
    }

    /// <summary>Whether a layer runs on macros: a conv or linear layer with spiking input placed on RRAM.</summary>
    public static bool OnMacros(ModelLayer layer, ChipModel chip) =>
        layer.Kind is LayerKind.Conv or LayerKind.Linear && layer.SpikingInput && chip.Spec.Placement.TargetOf(layer.Name) == LayerTarget.Rram;

    /// <summary>The layers on macros, in model order.</summary>
    public IReadOnlyList<ModelLayer> Layers { get; }

    /// <summary>Threads a pass over the layers keeps busy, its layers' mapping included (results do not depend on it).</summary>
    public ThreadBudget Budget { get; }

    /// <summary>Macros of every layer together.</summary>
    public int Total { get; }

    /// <summary>Whether the programmed layers are kept between passes (else a layer is dropped once the next is placed).</summary>
    public bool KeepsLayers => Total <= _keptMacros;

    /// <summary>Whether <paramref name="layer"/> is on macros.</summary>
    public bool Holds(string layer) => _placement.ContainsKey(layer);

    /// <summary>First macro and macro count of a layer on macros.</summary>
    public (int First, int Count) PlacementOf(string layer) => _placement[layer];

    /// <summary>
    /// The layer's macros programmed with its weights (the same arrays on every call: each block
    /// draws from its own seeded stream), counting into a fresh ledger under the layer's name.
    /// Thread-safe: layers may be placed in parallel. Its blocks are programmed on the whole <see cref="Budget"/>.
    /// </summary>
    public MappedLayer Place(string name) => Place(name, Budget);

    /// <summary>
    /// <see cref="Place(string)"/> with the blocks programmed on <paramref name="budget"/>: a layer placed by one of
    /// several workers of a pass gets the worker's share (<see cref="ThreadBudget.Split"/>).
    /// </summary>
    public MappedLayer Place(string name, ThreadBudget budget)
    {
        lock (_gate)
        {
            if (_kept.TryGetValue(name, out var kept)) return kept;
            // A layer read at every timestep in a row (a layer-by-layer run) is programmed once.
            if (_recent?.Name == name) return _recent;
        }
        var layer = _model[name];
        var conv = Shape(layer, WeightsOf(layer));
        var mapped = new Mapper(_chip, _seed, _placement[name].First) { Threads = budget.Threads, AroundBlock = budget.Run }.Map(name, conv);
        var placed = new MappedLayer(_chip, conv, mapped, _seed);
        lock (_gate)
        {
            if (KeepsLayers) _kept[name] = placed;
            else _recent = placed;
        }
        return placed;
    }

    /// <summary>The layer as a convolution with weight <paramref name="weight"/> (empty: shape only, zero weights).</summary>
    private ConvNode Shape(ModelLayer layer, float[] weight)
    {
        int inC, inH, inW;
        if (layer.Kind == LayerKind.Linear) (inC, inH, inW) = (InputLength(layer), 1, 1);
        else (inC, inH, inW) = InputShape(layer);
        var k = layer.Kind == LayerKind.Linear ? 1 : layer.Kernel;
        var groups = layer.Kind == LayerKind.Linear ? 1 : layer.Groups;
        var shape = new[] { layer.Channels, inC / groups, k, k };
        if (weight.Length == 0) weight = new float[shape.Aggregate(1, (a, b) => a * b)];
        var (s, p) = layer.Kind == LayerKind.Linear ? (1, 0) : (layer.Stride, layer.Padding);
        return new ConvNode(layer.Name, weight, shape, null, [s, s], [p, p], [1, 1], groups, [inH, inW]);
    }

    private (int C, int H, int W) InputShape(ModelLayer layer)
    {
        var input = layer.Inputs[0];
        return input == TransformerModel.ImageInput
            ? (_model.ImageChannels, _model.ImageSize, _model.ImageSize)
            : (_model[input].Channels, _model[input].Height, _model[input].Width);
    }

    private int InputLength(ModelLayer layer)
    {
        var (c, h, w) = InputShape(layer);
        return c * h * w;
    }

    /// <summary>The stored weights of a layer, or seeded Kaiming-normal draws N(0, 2 / fan_in).</summary>
    private float[] WeightsOf(ModelLayer layer)
    {
        if (_weights is not null) return _weights[layer.Name].Weight;
        var fanIn = layer.Kind == LayerKind.Linear ? InputLength(layer) : InputShape(layer).C / layer.Groups * layer.Kernel * layer.Kernel;
        var length = (long)layer.Channels * fanIn;
        var rng = DeterministicRandom.ForComponent(_seed, "sdt.weights." + layer.Name);
        var sigma = Math.Sqrt(2.0 / fanIn);
        var w = new float[length];
        for (var i = 0; i < w.Length; i++) w[i] = (float)(sigma * rng.NextNormal());
        return w;
    }
}
