using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// One transformer layer on its programmed macros. Per timestep, every output position with a
/// spike in its receptive field issues one operation to each macro of the row blocks its active
/// rows fall in, with exactly those rows (taps outside the input never spike); the layer's macros
/// work in parallel, each through its positions back to back, so the layer takes as long as its
/// busiest macro. <see cref="Compute"/> takes the layer's outputs from these reads (the macro's
/// device, read noise, ADC and shift-add; partial sums of the row blocks added digitally, the
/// bias after); <see cref="Events"/> prices the same reads without their function. The
/// rate-based estimate drives the same macros with Bernoulli rows.
/// </summary>
internal sealed class MappedLayer
{
    /// <summary>Operations sampled per macro for a rate-based estimate.</summary>
    public const int SampleOperations = 64;

    private readonly ConvUnrolling _unrolling;
    private readonly RramMacro[] _macros;
    private readonly (int RowStart, int RowEnd, int FirstMacro, int EndMacro)[] _blocks;
    private readonly int[] _local;
    private readonly double[] _columns;
    private readonly double _inRange;
    private readonly Ledger _work = new(); // the macros' counts of the current pass
    private readonly MacroTile[] _tiles;
    private readonly MacroLevelKernel?[] _kernels;
    private readonly DeterministicRandom _noise;
    private double[] _input = [];
    private readonly double[] _sums;

    /// <summary>Builds the macros of <paramref name="mapped"/>.</summary>
    /// <param name="chip">The chip.</param>
    /// <param name="conv">The layer as a convolution.</param>
    /// <param name="mapped">Its placement.</param>
    /// <param name="seed">Run seed: the layer's read noise draws from its own stream (<c>sdt.read.LAYER</c>).</param>
    public MappedLayer(ChipModel chip, ConvNode conv, MappedMatrix mapped, ulong seed = 0)
    {
        _tiles = mapped.Tiles.ToArray();
        _noise = DeterministicRandom.ForComponent(seed, "sdt.read." + conv.Name);
        _sums = new double[mapped.Outputs];
        _kernels = new MacroLevelKernel?[mapped.Tiles.Count];
        Name = conv.Name;
        Mapped = mapped;
        _unrolling = new ConvUnrolling(conv);
        _macros = mapped.Tiles.Select(t =>
        {
            var macro = chip.CreateMacro(t.Array, _work, conv.Name, mapped.Scale);
            macro.TouchedWhenCostOnly = false; // the pricer needs counts and time only
            return macro;
        }).ToArray();
        var blocks = new List<(int, int, int, int)>();
        for (var t = 0; t < mapped.Tiles.Count;)
        {
            var end = t;
            while (end < mapped.Tiles.Count && mapped.Tiles[end].RowStart == mapped.Tiles[t].RowStart) end++;
            blocks.Add((mapped.Tiles[t].RowStart, mapped.Tiles[t].RowStart + mapped.Tiles[t].RowCount, t, end));
            t = end;
        }
        _blocks = blocks.ToArray();
        for (var m = 0; m < _macros.Length; m++) _kernels[m] = MacroLevelKernel.For(_macros[m], chip.Adc, chip.Spec.Macro, mapped.Scale);
        _local = new int[chip.Spec.Macro.Crossbar.Rows];
        _columns = new double[chip.MaxLogicalColumnsPerMacro];
        _inRange = InRangeFraction(conv);
    }

    /// <summary>Layer name.</summary>
    public string Name { get; }

    /// <summary>The matrix on its macros.</summary>
    public MappedMatrix Mapped { get; }

    /// <summary>Output positions per timestep.</summary>
    public int Positions => _unrolling.Positions;

    /// <summary>
    /// Prices one timestep's binary input ([C_in, H, W]; any non-zero is a spike), adding its
    /// operations' counts to <paramref name="into"/> (keys carry the layer's name). Returns the
    /// layer's base cycles. Not thread-safe (one layer, one thread).
    /// </summary>
    public long Events(ReadOnlySpan<double> input, Ledger into) => Drive(input, into, compute: false, [], [], out _);

    /// <summary>
    /// Computes one timestep of the layer on its macros: <paramref name="input"/> is the binary input
    /// [C_in, H, W] (any non-zero is a spike), <paramref name="output"/> receives [C_out, positions]:
    /// for each output position, the sum over its row blocks of each macro's read of exactly the
    /// rows whose input spiked (through the device, read noise, ADC and shift-add, in weight units),
    /// plus the bias; a position with no spike reads nothing and outputs the bias. Counts go to
    /// <paramref name="into"/> as <see cref="Events"/> counts them; returns the layer's base cycles.
    /// Not thread-safe (one layer, one thread).
    /// </summary>
    /// <param name="input">Binary input [C_in, H, W].</param>
    /// <param name="bias">Per output channel, or empty.</param>
    /// <param name="output">Receives [C_out, positions].</param>
    /// <param name="into">Where the counts go.</param>
    /// <param name="synapticOps">Accumulations as the software counts them: active rows of every position times the outputs per group.</param>
    public long Compute(ReadOnlySpan<float> input, ReadOnlySpan<float> bias, Span<float> output, Ledger into, out long synapticOps)
    {
        if (_input.Length != input.Length) _input = new double[input.Length];
        for (var i = 0; i < input.Length; i++) _input[i] = input[i];
        var positions = Positions;
        var channels = _sums.Length;
        if (output.Length != channels * positions)
            throw new ArgumentException($"layer '{Name}': output of {output.Length} elements, expected {channels} x {positions}");
        for (var c = 0; c < channels; c++) output.Slice(c * positions, positions).Fill(bias.IsEmpty ? 0f : bias[c]);
        // Positions with a spike are overwritten by Drive.
        return Drive(_input, into, compute: true, bias, output, out synapticOps);
    }

    /// <summary>
    /// One timestep's reads: every active position, one operation per macro of the row blocks its
    /// rows fall in; with <paramref name="compute"/> their results (plus the bias) go to
    /// <paramref name="output"/>, else they are priced only (<c>costOnly</c>).
    /// </summary>
    private long Drive(ReadOnlySpan<double> input, Ledger into, bool compute, ReadOnlySpan<float> bias, Span<float> output, out long synapticOps)
    {
        synapticOps = 0;
        var perGroup = _unrolling.OutputChannels / _unrolling.Groups;
        var positions = Positions;
        _work.Reset();
        foreach (var m in _macros) m.ResetTimeline();
        _unrolling.Gather(input);
        long slowest = 0;
        foreach (var p in _unrolling.ActivePositions)
        {
            var rows = _unrolling.RowsOf(p);
            synapticOps += (long)rows.Length * perGroup;
            if (compute) System.Array.Clear(_sums);
            var next = 0;
            foreach (var (rowStart, rowEnd, first, end) in _blocks)
            {
                // Rows are ascending: a block's rows are a contiguous run of the position's list.
                while (next < rows.Length && rows[next] < rowStart) next++;
                var k = 0;
                for (; next < rows.Length && rows[next] < rowEnd; next++) _local[k++] = rows[next] - rowStart;
                if (k == 0) continue; // no spike in this block's rows: its macros stay idle
                var active = _local.AsSpan(0, k);
                for (var m = first; m < end; m++)
                {
                    var outputs = _sums.AsSpan(_tiles[m].ColumnStart, _tiles[m].ColumnCount);
                    // An ideal macro's function is computed on integers; its time and counts as any operation's.
                    var kernel = compute ? _kernels[m] : null;
                    var op = compute && kernel is null
                        ? _macros[m].Execute(active, 0, outputs, _noise)
                        : _macros[m].Execute(active, 0, _columns, null, costOnly: true);
                    kernel?.Add(active, outputs);
                    slowest = Math.Max(slowest, op.End);
                }
            }
            if (!compute) continue;
            for (var c = 0; c < _sums.Length; c++) output[c * positions + p] = (float)(_sums[c] + (bias.IsEmpty ? 0.0 : bias[c]));
        }
        into.AddFrom(_work);
        return slowest;
    }

    /// <summary>
    /// The rate-based estimate of one timestep at input rate <paramref name="rate"/>: each macro runs
    /// <see cref="SampleOperations"/> operations whose rows spike independently at the rate (times
    /// the share of taps inside the input: zero padding never spikes), an operation without an active
    /// row not issued; the mean counts per position, times the positions, are added to
    /// <paramref name="into"/> (rounded per action). Returns the positions times the slowest macro's
    /// mean interval between operations, base cycles.
    /// </summary>
    public double Rates(double rate, DeterministicRandom draws, Ledger into)
    {
        _work.Reset();
        double slowest = 0;
        var p = rate * _inRange;
        foreach (var macro in _macros)
        {
            macro.ResetTimeline();
            long end = 0;
            var rows = macro.Array.Rows;
            for (var s = 0; s < SampleOperations; s++)
            {
                var k = 0;
                for (var r = 0; r < rows; r++) if (draws.NextDouble() < p) _local[k++] = r;
                if (k > 0) end = macro.Execute(_local.AsSpan(0, k), 0, _columns, null, costOnly: true).End;
            }
            slowest = Math.Max(slowest, end / (double)SampleOperations);
        }
        foreach (var e in _work.Entries())
            if (e.Count > 0)
                into.Add(into.Register(e.Key.Unit, e.Key.Layer, e.Key.Action), (long)Math.Round(e.Count * (double)Positions / SampleOperations));
        return slowest * Positions;
    }

    /// <summary>Mean fraction of a conv's taps that fall inside its input, over the output positions.</summary>
    internal static double InRangeFraction(ConvNode conv)
    {
        double Axis(int outputs, int input, int kernel, int stride, int padding, int dilation)
        {
            long inside = 0;
            for (var o = 0; o < outputs; o++)
                for (var k = 0; k < kernel; k++)
                {
                    var i = o * stride - padding + k * dilation;
                    if (i >= 0 && i < input) inside++;
                }
            return inside / ((double)outputs * kernel);
        }
        var last = conv.Dimensions - 1;
        var x = Axis(conv.OutputSpatial[last], conv.InputSpatial[last], conv.WeightShape[^1], conv.Stride[last], conv.Padding[last], conv.Dilation[last]);
        return conv.Dimensions == 1 ? x : x * Axis(conv.OutputSpatial[0], conv.InputSpatial[0], conv.WeightShape[2], conv.Stride[0], conv.Padding[0], conv.Dilation[0]);
    }
}
