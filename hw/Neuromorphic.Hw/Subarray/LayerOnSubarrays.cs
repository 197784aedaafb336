using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// A fully connected layer (inputs x outputs) tiled onto subarrays the way NeuroSim maps a weight matrix:
/// row blocks of <see cref="SubarrayParameters.Rows"/> inputs, column blocks of as many weight columns as
/// fit; every block is programmed (so the column conductances are the real cells'), and a read applies one
/// binary input vector to every block and adds the row blocks' partial sums digitally.
/// </summary>
public sealed class LayerOnSubarrays
{
    private readonly Block[] _blocks;
    private readonly double[] _scratch;

    /// <summary>Programs the layer.</summary>
    /// <param name="model">The subarray model (its Rows/Columns must equal the crossbar's).</param>
    /// <param name="crossbar">Array size and weight layout (signed scheme, weight bits).</param>
    /// <param name="device">The cell.</param>
    /// <param name="weights">Row-major [inputs x outputs], in [-1, 1].</param>
    /// <param name="inputs">Rows of the weight matrix.</param>
    /// <param name="outputs">Columns of the weight matrix.</param>
    /// <param name="rng">Programming randomness (an ideal device draws nothing).</param>
    public LayerOnSubarrays(SubarrayModel model, CrossbarParameters crossbar, RramDevice device, ReadOnlySpan<float> weights, int inputs, int outputs, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(crossbar);
        if (crossbar.Rows != model.Parameters.Rows || crossbar.Columns != model.Parameters.Columns)
            throw new ArgumentException($"the crossbar ({crossbar.Rows} x {crossbar.Columns}) must match the subarray ({model.Parameters.Rows} x {model.Parameters.Columns})");
        if (inputs < 1 || outputs < 1 || weights.Length != (long)inputs * outputs)
            throw new ArgumentException($"weights must hold inputs x outputs = {inputs} x {outputs} values, found {weights.Length}");
        Model = model;
        Inputs = inputs;
        Outputs = outputs;
        var probe = CrossbarArray.Program(new float[1], 1, 1, crossbar, device, new DeterministicRandom(0));
        CellsPerWeight = probe.ColumnsPerLogical;
        WeightsPerSubarray = (crossbar.Columns - probe.ReferenceColumns.Length) / probe.ColumnsPerLogical;
        if (WeightsPerSubarray < 1) throw new ArgumentException($"a {crossbar.Columns}-column subarray cannot hold one weight column ({probe.ColumnsPerLogical} cells)");
        RowBlocks = (inputs + crossbar.Rows - 1) / crossbar.Rows;
        ColumnBlocks = (outputs + WeightsPerSubarray - 1) / WeightsPerSubarray;
        _blocks = new Block[RowBlocks * ColumnBlocks];
        for (var rb = 0; rb < RowBlocks; rb++)
        for (var cb = 0; cb < ColumnBlocks; cb++)
        {
            var r0 = rb * crossbar.Rows;
            var c0 = cb * WeightsPerSubarray;
            var rows = Math.Min(crossbar.Rows, inputs - r0);
            var cols = Math.Min(WeightsPerSubarray, outputs - c0);
            var part = new float[rows * cols];
            for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) part[r * cols + c] = weights[(r0 + r) * outputs + c0 + c];
            var array = CrossbarArray.Program(part, rows, cols, crossbar, device, rng);
            var g = array.Conductances;
            var withAccess = new double[g.Length];
            for (var i = 0; i < g.Length; i++) withAccess[i] = model.WithAccess(g[i]);
            _blocks[rb * ColumnBlocks + cb] = new Block(r0, rows, array.PhysicalColumns, withAccess);
        }
        _scratch = new double[crossbar.Columns];
    }

    private sealed record Block(int FirstInput, int Rows, int Columns, double[] Conductance);

    /// <summary>The subarray model.</summary>
    public SubarrayModel Model { get; }

    /// <summary>Layer inputs.</summary>
    public int Inputs { get; }

    /// <summary>Layer outputs.</summary>
    public int Outputs { get; }

    /// <summary>Physical columns per weight column.</summary>
    public int CellsPerWeight { get; }

    /// <summary>Weight columns one subarray holds.</summary>
    public int WeightsPerSubarray { get; }

    /// <summary>Blocks of inputs (partial sums to add).</summary>
    public int RowBlocks { get; }

    /// <summary>Blocks of outputs.</summary>
    public int ColumnBlocks { get; }

    /// <summary>Subarrays used.</summary>
    public int Subarrays => _blocks.Length;

    /// <summary>Bits of one output partial sum: ADC bits + (cells - 1) shift-add bits + the row-block adder tree.</summary>
    public int OutputBits => Model.Parameters.AdcBits + (CellsPerWeight - 1) + (int)Math.Ceiling(Math.Log2(RowBlocks));

    /// <summary>One binary input vector applied to every subarray (they read in parallel), plus the partial-sum adders.</summary>
    /// <param name="active">Length Inputs; true where the input is 1.</param>
    /// <returns>Summed energies of all subarrays; latency of the slowest subarray plus the adder tree.</returns>
    public SubarrayRead Read(ReadOnlySpan<bool> active)
    {
        if (active.Length != Inputs) throw new ArgumentException($"need {Inputs} inputs, got {active.Length}", nameof(active));
        var total = SubarrayRead.None(0);
        double latency = 0;
        foreach (var b in _blocks)
        {
            var columns = _scratch.AsSpan(0, b.Columns);
            columns.Clear();
            var rows = 0;
            for (var r = 0; r < b.Rows; r++)
            {
                if (!active[b.FirstInput + r]) continue;
                rows++;
                var row = b.Conductance.AsSpan(r * b.Columns, b.Columns);
                for (var c = 0; c < columns.Length; c++) columns[c] += row[c];
            }
            var read = Model.Read(rows, columns);
            latency = Math.Max(latency, read.LatencyNs);
            total += read with { LatencyNs = 0 };
        }
        // Adder tree over row blocks (NeuroSim AdderTree): outputs x (blocks - 1) adds of OutputBits, one clock per level.
        var adds = (double)Outputs * (RowBlocks - 1);
        var treePj = adds * OutputBits * Model.FullAdderEnergyFj * 1e-3;
        var levels = (int)Math.Ceiling(Math.Log2(RowBlocks));
        return total with { AccumulationPj = total.AccumulationPj + treePj, LatencyNs = latency + levels * Model.ClockPeriodNs, ActiveRows = CountActive(active) };
    }

    private static int CountActive(ReadOnlySpan<bool> active)
    {
        var n = 0;
        foreach (var a in active) n += a ? 1 : 0;
        return n;
    }
}
