using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// Chip against software, layer by layer: as the hooks of a software run it keeps every output of
/// the current image (spike tensors as bitmaps, real-valued tensors as floats), and
/// <see cref="Compare"/> then scores the chip's output of the same layer and timestep against it,
/// summed over images: for a spike tensor the share of elements with the same spike, for a
/// real-valued one the share of elements within <see cref="RealTolerance"/> (relative: the chip's
/// macros sum in double what the software sums in float32) and the largest absolute difference. A
/// layer diverges when its spikes differ, or its real values beyond the tolerance. Only the
/// timesteps both ran are compared (early exit stops the chip sooner). Spike tensors are kept as
/// bitmaps; real-valued tensors only while one image's fit in <see cref="RealValuedBudget"/>
/// floats (a full-size model's would take gigabytes): beyond that only the spiking layers are compared.
/// </summary>
internal sealed class LayerAgreement : TransformerExecutionHooks
{
    private readonly TransformerModel _model;
    /// <summary>Real-valued elements of one image (all layers, all timesteps) up to which they are kept and compared.</summary>
    public const long RealValuedBudget = 64L << 20;

    /// <summary>Real values agree when |chip - software| &lt;= this x (1 + the largest |software| of the tensor): sums that cancel keep the rounding of their terms.</summary>
    public const double RealTolerance = 1e-5;

    private readonly Dictionary<(string Layer, int T), float[]> _software = new();
    private readonly Dictionary<(string Layer, int T), ulong[]> _spikes = new();
    private readonly bool _keepReal;
    private readonly Dictionary<string, Tally> _tally = new(StringComparer.Ordinal);

    /// <summary>Agreement of one layer over the images and timesteps compared.</summary>
    internal sealed class Tally
    {
        /// <summary>Whether the layer outputs spikes.</summary>
        public bool Spiking;
        /// <summary>Elements compared, and those equal.</summary>
        public long Elements, Equal;
        /// <summary>Spikes on the chip and in software, and those both fired (spiking layers).</summary>
        public long ChipSpikes, SoftwareSpikes, BothSpiked;
        /// <summary>Largest |chip - software| (real-valued layers).</summary>
        public double MaxAbsDifference;
        /// <summary>Largest |software| (real-valued layers; scale for the difference).</summary>
        public double MaxAbsSoftware;

        /// <summary>Share of elements equal (NaN before any comparison).</summary>
        public double Agreement => Elements == 0 ? double.NaN : Equal / (double)Elements;
    }

    /// <summary>Compares runs of <paramref name="model"/>.</summary>
    public LayerAgreement(TransformerModel model)
    {
        _model = model;
        foreach (var l in model.Layers) _tally[l.Name] = new Tally { Spiking = TransformerOnChip.SpikeOutput(l, model) };
        _keepReal = model.Layers.Where(l => !_tally[l.Name].Spiking).Sum(l => l.OutputElements) * model.Timesteps <= RealValuedBudget;
    }

    /// <summary>Per layer, the agreement so far.</summary>
    public IReadOnlyDictionary<string, Tally> Layers => _tally;

    /// <summary>The layers whose outputs differed somewhere, in model order.</summary>
    public IEnumerable<string> Diverging => _model.Layers.Where(l => _tally[l.Name].Elements > _tally[l.Name].Equal).Select(l => l.Name);

    /// <summary>Forgets the software outputs kept (a new image's software run follows).</summary>
    public override void RunStarted()
    {
        _software.Clear();
        _spikes.Clear();
    }

    /// <summary>Keeps the software's output of <paramref name="layer"/> at <paramref name="timestep"/>.</summary>
    public override void LayerDone(ModelLayer layer, int timestep, IReadOnlyList<float[]> inputs, bool binaryInput, float[] output, long synapticOps)
    {
        if (!_tally[layer.Name].Spiking)
        {
            if (_keepReal) _software[(layer.Name, timestep)] = (float[])output.Clone();
            return;
        }
        var bits = new ulong[(output.Length + 63) / 64];
        for (var i = 0; i < output.Length; i++) if (output[i] != 0) bits[i >> 6] |= 1UL << (i & 63);
        _spikes[(layer.Name, timestep)] = bits;
    }

    /// <summary>Scores the chip's output of <paramref name="layer"/> at <paramref name="timestep"/> against the software's.</summary>
    public void Compare(ModelLayer layer, int timestep, ReadOnlySpan<float> chip)
    {
        var t = _tally[layer.Name];
        long equal = 0;
        if (t.Spiking)
        {
            if (!_spikes.TryGetValue((layer.Name, timestep), out var bits)) return;
            for (var i = 0; i < chip.Length; i++)
            {
                var s = (bits[i >> 6] >> (i & 63) & 1) != 0;
                var c = chip[i] != 0;
                if (s == c) equal++;
                if (c) t.ChipSpikes++;
                if (s) t.SoftwareSpikes++;
                if (s && c) t.BothSpiked++;
            }
        }
        else
        {
            if (!_software.TryGetValue((layer.Name, timestep), out var sw)) return;
            var largest = 0.0;
            foreach (var v in sw) largest = Math.Max(largest, Math.Abs((double)v));
            var tolerance = RealTolerance * (1 + largest);
            for (var i = 0; i < chip.Length; i++)
            {
                var d = Math.Abs((double)chip[i] - sw[i]);
                if (d <= tolerance) equal++;
                t.MaxAbsDifference = Math.Max(t.MaxAbsDifference, d);
            }
            t.MaxAbsSoftware = Math.Max(t.MaxAbsSoftware, largest);
        }
        t.Elements += chip.Length;
        t.Equal += equal;
    }
}
