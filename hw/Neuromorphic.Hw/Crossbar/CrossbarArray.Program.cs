using System.Runtime.InteropServices;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Hw.Crossbar;

public sealed partial class CrossbarArray
{
    /// <summary>
    /// Programs signed weights by write-verify (<see cref="RramDevice.Program(int, ulong, int, int)"/>).
    /// </summary>
    /// <param name="weights">Row-major [rows x logicalColumns], already scaled to [-1, 1] by the mapper; larger magnitudes are clipped.</param>
    /// <param name="rows">Weight rows (word lines used).</param>
    /// <param name="logicalColumns">Weight columns.</param>
    /// <param name="parameters">Array and layout parameters.</param>
    /// <param name="device">Cell model.</param>
    /// <param name="rng">Stream of the array: one draw seeds the counter-based draws of its cells.</param>
    /// <remarks>
    /// <para>|w| is rounded to q of 2^WeightBits - 1 magnitude steps. Differential pairs store q's base-2^BitsPerCell
    /// digits in the positive or negative column of each slice and level 0 in the other; single cells
    /// (<see cref="SignedWeightScheme.SingleCell"/>, weights &gt;= 0 only) store them in the one column of each slice. The reference
    /// scheme stores u = q + (2^WeightBits - 1), i.e. (w + 1) in steps, which needs WeightBits + 1 bits,
    /// and programs the reference columns to the digits of the offset 2^WeightBits - 1.</para>
    /// <para>Every used cell, level 0 included, is programmed and counted in <see cref="Stats"/>: the cells
    /// above level 0 with their own pulses, verify reads and faults, the level-0 cells at their expected
    /// activity (<see cref="RramDevice.ExpectedProgrammingOf"/>, rounded per array), so the cost of an
    /// array does not need each of its level-0 cells drawn.</para>
    /// <para>Each cell draws from its own counter-based streams (<see cref="CellRandom"/>), so an array keeps
    /// only its cells above level 0 when they are few (<see cref="CrossbarParameters.SparseStorageMaxOccupancy"/>)
    /// and draws the others again when it reads them: both storages read the same conductances and give
    /// the same results to the last bit.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The matrix does not fit in Rows x Columns, the shapes disagree, or a weight is not finite.</exception>
    public static CrossbarArray Program(ReadOnlySpan<float> weights, int rows, int logicalColumns, CrossbarParameters parameters,
        RramDevice device, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(rng);
        parameters.Validate();
        CheckShape(weights.Length, rows, logicalColumns, parameters);
        var entryRows = new List<int>();
        var entryColumns = new List<int>();
        var values = new List<float>();
        for (var i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            if (!float.IsFinite(w)) throw new ArgumentException($"weight {i} is {w}", nameof(weights));
            if (w == 0) continue;
            entryRows.Add(i / logicalColumns);
            entryColumns.Add(i % logicalColumns);
            values.Add(w);
        }
        return Build(entryRows.ToArray(), entryColumns.ToArray(), values.ToArray(), rows, logicalColumns, parameters, device, rng);
    }

    /// <summary>
    /// Programs a sparse matrix given by its non-zero weights, exactly as <see cref="Program"/> programs
    /// the dense matrix holding them (same cells, same draws, same statistics), without a dense copy.
    /// </summary>
    /// <param name="entryRows">Row of each weight, in [0, rows).</param>
    /// <param name="entryColumns">Logical column of each weight, in [0, logicalColumns); entries strictly ascending by (row, column).</param>
    /// <param name="values">The weights, already scaled to [-1, 1] (larger magnitudes are clipped).</param>
    /// <param name="rows">Weight rows (word lines used).</param>
    /// <param name="logicalColumns">Weight columns.</param>
    /// <param name="parameters">Array and layout parameters.</param>
    /// <param name="device">Cell model.</param>
    /// <param name="rng">Stream of the array (see <see cref="Program"/>).</param>
    /// <exception cref="ArgumentException">An entry is out of range, out of order or repeated, the lists disagree in length, or a weight is not finite.</exception>
    public static CrossbarArray ProgramSparse(ReadOnlySpan<int> entryRows, ReadOnlySpan<int> entryColumns, ReadOnlySpan<float> values, int rows,
        int logicalColumns, CrossbarParameters parameters, RramDevice device, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(rng);
        parameters.Validate();
        CheckShape(rows * logicalColumns, rows, logicalColumns, parameters);
        if (entryColumns.Length != entryRows.Length || values.Length != entryRows.Length)
            throw new ArgumentException($"{entryRows.Length} rows, {entryColumns.Length} columns and {values.Length} values must agree", nameof(values));
        var r = new List<int>(entryRows.Length);
        var c = new List<int>(entryRows.Length);
        var v = new List<float>(entryRows.Length);
        long previous = -1;
        for (var k = 0; k < entryRows.Length; k++)
        {
            if ((uint)entryRows[k] >= (uint)rows || (uint)entryColumns[k] >= (uint)logicalColumns)
                throw new ArgumentException($"entry {k} at ({entryRows[k]}, {entryColumns[k]}) lies outside {rows} x {logicalColumns}", nameof(entryRows));
            var position = (long)entryRows[k] * logicalColumns + entryColumns[k];
            if (position <= previous) throw new ArgumentException($"entry {k} at ({entryRows[k]}, {entryColumns[k]}) is out of order or repeated", nameof(entryRows));
            previous = position;
            if (!float.IsFinite(values[k])) throw new ArgumentException($"weight of entry {k} is {values[k]}", nameof(values));
            if (values[k] == 0) continue;
            r.Add(entryRows[k]);
            c.Add(entryColumns[k]);
            v.Add(values[k]);
        }
        return Build(r.ToArray(), c.ToArray(), v.ToArray(), rows, logicalColumns, parameters, device, rng);
    }

    /// <summary>Programs the non-zero weights given (ascending by row, then column); every other weight is 0.</summary>
    private static CrossbarArray Build(int[] entryRows, int[] entryColumns, float[] values, int rows, int logicalColumns,
        CrossbarParameters parameters, RramDevice device, DeterministicRandom rng)
    {
        var bitsPerCell = device.Parameters.BitsPerCell;
        var digitMask = device.Levels - 1;
        var differential = parameters.SignedWeights == SignedWeightScheme.DifferentialPair;
        var single = parameters.SignedWeights == SignedWeightScheme.SingleCell;
        var magnitudeSteps = (1 << parameters.WeightBits) - 1;
        var encodedBits = differential || single ? parameters.WeightBits : parameters.WeightBits + 1;
        var slices = (encodedBits + bitsPerCell - 1) / bitsPerCell;
        var perLogical = differential ? 2 * slices : slices;
        if (single)
        {
            // Magnitudes only: the sign of a one-signed layer is its mapper's (the output scale), never a cell's.
            for (var k = 0; k < values.Length; k++)
                if (values[k] < 0)
                    throw new ArgumentException($"weight at ({entryRows[k]}, {entryColumns[k]}) is {values[k]}: single cells store weights >= 0 only (the layer's sign goes in its scale)", nameof(values));
        }
        var referenceCount = parameters.SignedWeights == SignedWeightScheme.ReferenceColumn ? slices : 0;
        var needed = (long)logicalColumns * perLogical + referenceCount;
        if (needed > parameters.Columns)
            throw new ArgumentException(
                $"{logicalColumns} logical columns need {needed} physical columns ({parameters.SignedWeights}, {slices} slice(s)), more than the array's {parameters.Columns}",
                nameof(logicalColumns));
        var physical = (int)needed;

        var steps = new int[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            var w = values[k];
            var q = (int)Math.Round(Math.Min(Math.Abs((double)w), 1.0) * magnitudeSteps, MidpointRounding.AwayFromZero);
            steps[k] = w < 0 ? -q : q;
        }

        // The cells above level 0, row-major (columns ascending within a row): at most a cell per slice of each weight given
        // (the offset schemes: of every position), sized once rather than grown.
        var most = differential || single ? (long)values.Length * slices : (long)rows * physical;
        var cellRows = new List<int>((int)Math.Min(most, int.MaxValue));
        var cellColumns = new List<int>(cellRows.Capacity);
        var cellLevels = new List<int>(cellRows.Capacity);
        void Add(int row, int column, int level)
        {
            if (level == 0) return;
            cellRows.Add(row);
            cellColumns.Add(column);
            cellLevels.Add(level);
        }
        if (differential || single)
        {
            // Only the non-zero weights have cells above level 0: a pair's unused polarity, a single cell's zero, stay at level 0.
            for (var k = 0; k < values.Length; k++)
            {
                var q = steps[k];
                var magnitude = Math.Abs(q);
                var first = entryColumns[k] * perLogical;
                for (var s = 0; s < slices; s++)
                {
                    var digit = (magnitude >> (s * bitsPerCell)) & digitMask;
                    if (single) Add(entryRows[k], first + s, digit);
                    else if (q > 0) Add(entryRows[k], first + 2 * s, digit);
                    else if (q < 0) Add(entryRows[k], first + 2 * s + 1, digit);
                }
            }
        }
        else
        {
            // Offset schemes: a zero weight is the offset, not level 0; every position is visited.
            var k = 0;
            for (var r = 0; r < rows; r++)
            {
                for (var j = 0; j < logicalColumns; j++)
                {
                    var q = 0;
                    if (k < values.Length && entryRows[k] == r && entryColumns[k] == j) q = steps[k++];
                    var offsetValue = q + magnitudeSteps;
                    for (var s = 0; s < slices; s++) Add(r, j * perLogical + s, (offsetValue >> (s * bitsPerCell)) & digitMask);
                }
                for (var s = 0; s < referenceCount; s++) Add(r, logicalColumns * slices + s, (magnitudeSteps >> (s * bitsPerCell)) & digitMask);
            }
        }

        var seed = rng.NextUInt64();
        var stored = cellRows.Count;
        var conductance = new double[stored];
        var (pulses, verifyReads, stuckOn, stuckOff) = device.ProgramCells(seed, CollectionsMarshal.AsSpan(cellLevels), CollectionsMarshal.AsSpan(cellRows),
            CollectionsMarshal.AsSpan(cellColumns), conductance);
        var total = (long)rows * physical;
        var background = total - stored;
        var expected = device.LevelZeroProgramming;
        var stats = new ProgrammingStats(total,
            pulses + (long)Math.Round(background * expected.Pulses), verifyReads + (long)Math.Round(background * expected.VerifyReads),
            stuckOn + (long)Math.Round(background * expected.StuckOn), stuckOff + (long)Math.Round(background * expected.StuckOff));

        var references = Enumerable.Range(logicalColumns * slices, referenceCount).ToArray();
        var weightPerSiemens = 1.0 / (magnitudeSteps * device.LevelSpacing);
        if (parameters.SparseStorageMaxOccupancy > 0 && stored <= parameters.SparseStorageMaxOccupancy * total)
        {
            var rowIds = new List<ushort>();
            var starts = new List<int>();
            for (var i = 0; i < stored; i++)
            {
                if (i > 0 && cellRows[i] == cellRows[i - 1]) continue;
                rowIds.Add((ushort)cellRows[i]);
                starts.Add(i);
            }
            starts.Add(stored);
            var columns = new ushort[stored];
            for (var i = 0; i < stored; i++) columns[i] = (ushort)cellColumns[i];
            var stepIndex = new List<int>();
            var stepValue = new List<int>();
            for (var k = 0; k < values.Length; k++)
            {
                if (steps[k] == 0) continue;
                stepIndex.Add(entryRows[k] * logicalColumns + entryColumns[k]);
                stepValue.Add(steps[k]);
            }
            var cells = new SparseCellStore(rowIds.ToArray(), starts.ToArray(), columns, conductance);
            return new CrossbarArray(parameters, device, rows, logicalColumns, slices, perLogical, references, magnitudeSteps, weightPerSiemens, stats,
                seed, null, null, cells, stepIndex.ToArray(), stepValue.ToArray());
        }

        var dense = new double[total];
        if (device.LevelZeroExact) Array.Fill(dense, device.GMin);
        else
        {
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < physical; c++) dense[r * physical + c] = device.ProgrammedConductance(0, seed, r, c);
        }
        for (var i = 0; i < stored; i++) dense[cellRows[i] * physical + cellColumns[i]] = conductance[i];
        var denseSteps = new int[rows * logicalColumns];
        for (var k = 0; k < values.Length; k++) denseSteps[entryRows[k] * logicalColumns + entryColumns[k]] = steps[k];
        return new CrossbarArray(parameters, device, rows, logicalColumns, slices, perLogical, references, magnitudeSteps, weightPerSiemens, stats,
            seed, dense, denseSteps, null, null, null);
    }
}
