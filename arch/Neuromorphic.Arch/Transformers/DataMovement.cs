using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Transformers;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// Where a transformer's layers sit on the tiles, and what moving and storing their tensors costs;
/// shared by the rate-based and the event-driven pricing so they differ only in the spikes.
/// Placement: RRAM layers take macros in layer order, filling <c>macros_per_tile</c> per tile
/// (wrapping round the mesh if the model needs more); every other layer sits on the tile of its
/// first input's producer. Storage (activation SRAM): every layer's output is written once and
/// read once per reader, spike tensors as bitmaps (1 bit an element), real-valued ones at the
/// neuron core's membrane width; every LIF update reads and writes its membrane. NoC: a spike
/// tensor travels as address events (one address of log2(elements) bits per spike) from its
/// producer's tile to every other tile holding a reader's macros, one message per reader tile
/// and timestep.
/// </summary>
internal sealed class DataMovement
{
    private readonly ChipModel _chip;
    private readonly TransformerModel _model;
    private readonly Ledger _ledger;
    private readonly MeshNoc _noc;
    private readonly Dictionary<string, int[]> _tiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ModelLayer>> _readers = new(StringComparer.Ordinal);
    private readonly int _valueBits;

    public DataMovement(ChipModel chip, TransformerModel model, Ledger ledger, TransformerMacros macros)
    {
        _chip = chip;
        _model = model;
        _ledger = ledger;
        _noc = chip.CreateNoc();
        _valueBits = chip.Spec.NeuronCore.MembraneBits;
        var tiles = chip.Spec.Chip.Tiles;
        var perTile = chip.Spec.Chip.MacrosPerTile;
        foreach (var layer in model.Layers)
        {
            foreach (var input in layer.Inputs)
            {
                if (!_readers.TryGetValue(input, out var list)) _readers[input] = list = new();
                list.Add(layer);
            }
            if (macros.Holds(layer.Name))
            {
                var (firstMacro, count) = macros.PlacementOf(layer.Name);
                var first = firstMacro / perTile;
                var last = (firstMacro + count - 1) / perTile;
                _tiles[layer.Name] = Enumerable.Range(first, last - first + 1).Select(t => t % tiles).Distinct().ToArray();
            }
            else
            {
                var input = layer.Inputs[0];
                _tiles[layer.Name] = input == TransformerModel.ImageInput ? [0] : [_tiles[input][^1]];
            }
        }
    }

    /// <summary>The tiles a layer occupies.</summary>
    public IReadOnlyList<int> TilesOf(string layer) => _tiles[layer];

    /// <summary>
    /// Tiles any layer occupies: those of the macros, and tile 0 for a model whose first layers are digital.
    /// Per-tile parts (neuron unit, router, cores, SDSA unit, activation SRAM) of the other tiles do no work and are
    /// counted as gated off, as the chip runs count only the tiles their program uses.
    /// </summary>
    public int TilesUsed => _tiles.Values.SelectMany(t => t).Distinct().Count();

    /// <summary>
    /// Stores a layer's output of one timestep and ships its spikes: <paramref name="spikes"/> is the
    /// number of spikes for a binary tensor (null for a real-valued one).
    /// </summary>
    /// <returns>NoC cycles of the slowest message (information; layers are not delayed by it).</returns>
    public long Output(ModelLayer layer, long? spikes)
    {
        var elements = layer.OutputElements;
        var bits = spikes is null ? elements * _valueBits : elements;
        var readers = _readers.GetValueOrDefault(layer.Name)?.Count ?? 0;
        Count(SramBuffer.Component, layer.Name, SramBuffer.WriteBitAction, bits);
        Count(SramBuffer.Component, layer.Name, SramBuffer.ReadBitAction, bits * readers);
        if (layer.Kind == LayerKind.Lif)
        {
            Count(SramBuffer.Component, layer.Name, SramBuffer.ReadBitAction, elements * _valueBits);
            Count(SramBuffer.Component, layer.Name, SramBuffer.WriteBitAction, elements * _valueBits);
        }
        if (spikes is not { } n || n == 0 || readers == 0) return 0;
        var addressBits = Math.Max(1, (int)Math.Ceiling(Math.Log2(Math.Max(2, elements))));
        var from = _tiles[layer.Name][^1];
        long routerBefore = _noc.RouterFlits, linkBefore = _noc.LinkFlits, slowest = 0;
        foreach (var reader in _readers[layer.Name])
            foreach (var to in _tiles[reader.Name])
            {
                if (to == from) continue;
                var messageBits = (int)Math.Min(int.MaxValue, n * addressBits);
                slowest = Math.Max(slowest, _noc.Send(from, to, messageBits, 0));
            }
        Count(MeshNoc.Component, layer.Name, MeshNoc.RouterFlitAction, _noc.RouterFlits - routerBefore);
        Count(MeshNoc.Component, layer.Name, MeshNoc.LinkFlitAction, _noc.LinkFlits - linkBefore);
        _noc.Reset();
        return slowest;
    }

    private void Count(string component, string layer, string action, long count)
    {
        if (count > 0) _ledger.Add(_ledger.Register(component, layer, action), count);
    }
}
