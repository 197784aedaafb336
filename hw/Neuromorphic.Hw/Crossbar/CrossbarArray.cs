using System.Buffers;
using System.Numerics.Tensors;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Hw.Crossbar;

/// <summary>
/// A programmed 1T1R crossbar: the conductance of every used cell, where each logical weight column
/// lives, and the analog read (column currents for the word lines driven) with the digital decode
/// that turns converted column values back into weight-domain dot products.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> Logical column j occupies the contiguous physical columns
/// [j C, (j + 1) C), C = <see cref="ColumnsPerLogical"/>. <see cref="SignedWeightScheme.DifferentialPair"/>:
/// C = 2 <see cref="Slices"/>, ordered (positive, negative) per slice, least significant slice first.
/// <see cref="SignedWeightScheme.ReferenceColumn"/>: C = Slices, least significant first, followed after
/// the last logical column by Slices shared reference columns (<see cref="ReferenceColumns"/>).
/// <see cref="SignedWeightScheme.OffsetBinary"/> and <see cref="SignedWeightScheme.SingleCell"/>: C = Slices,
/// least significant first, no reference column (their floors are removed digitally). A slice
/// holds BitsPerCell bits of the encoded magnitude and weighs (2^BitsPerCell)^s in the shift-add.</para>
/// <para><b>IR drop</b> (when on) is first order: word-line drivers sit at column 0 and sense amplifiers
/// below the last physical row (<see cref="CrossbarParameters.Rows"/>), so the current of cell (r, c) flows
/// through R_path = R_wire ((c + 1) + (CrossbarParameters.Rows - r)) of wire in series with the cell, giving
/// G_eff = G / (1 + G R_path). It ignores the sharing of wire segments between cells (the second-order
/// effect that makes the drop depend on the input pattern), so it is exact for one active cell per
/// line and optimistic for dense reads.</para>
/// <para><b>Drift</b> is the device's factor at its ReadTimeSeconds (all cells programmed together);
/// <b>read noise</b> is redrawn per cell and read. Without read noise the effective conductances are
/// precomputed and a read is one vectorised row addition per active row, allocation-free.</para>
/// </remarks>
public sealed partial class CrossbarArray
{
    /// <summary>Largest scratch buffer (elements) taken from the stack; larger ones come from the shared pool.</summary>
    private const int StackLimit = 1024;

    private readonly double[]? _conductance;      // dense storage: every cell, row-major
    private readonly double[]? _readConductance;  // dense storage: noiseless read conductances (or _conductance)
    private readonly SparseCellStore? _cells;     // sparse storage: the cells above level 0 only
    private int[]? _columnMap;
    private readonly int[] _referenceColumns;
    private readonly int[]? _steps;               // dense storage of a programmed array: every weight's steps
    private readonly int[]? _stepIndex, _stepValue; // sparse storage: the non-zero weights' positions and steps
    private readonly bool _programmed;            // built by write-verify Program (quantised weights, level-0 background)
    private readonly ulong _cellSeed;             // counter-based draws of the cells (level-0 cells drawn again when read)
    private readonly bool _uniformBackground;     // every level-0 cell is exactly GMin
    private readonly double _readVoltage;
    private readonly double _readNoiseSigma;
    private readonly bool _columnNoise;          // read noise drawn once per column (ReadNoiseModel)
    private readonly double _driftFactor;
    private readonly double _wireOhm;
    private readonly int _arrayRows;
    private bool? _onLevels;

    private CrossbarArray(CrossbarParameters parameters, RramDevice device, int rows, int logicalColumns, int slices,
        int columnsPerLogical, int[] referenceColumns, double[] conductance, int[]? steps, int magnitudeSteps,
        double weightPerSiemens, ProgrammingStats stats)
        : this(parameters, device, rows, logicalColumns, slices, columnsPerLogical, referenceColumns, magnitudeSteps, weightPerSiemens, stats)
    {
        _conductance = conductance;
        _steps = steps;
        _programmed = steps is not null;
        _readConductance = EffectiveConductance();
    }

    /// <summary>A programmed array (write-verify, counter-based cells) in dense or sparse storage.</summary>
    private CrossbarArray(CrossbarParameters parameters, RramDevice device, int rows, int logicalColumns, int slices,
        int columnsPerLogical, int[] referenceColumns, int magnitudeSteps, double weightPerSiemens, ProgrammingStats stats,
        ulong cellSeed, double[]? dense, int[]? steps, SparseCellStore? cells, int[]? stepIndex, int[]? stepValue)
        : this(parameters, device, rows, logicalColumns, slices, columnsPerLogical, referenceColumns, magnitudeSteps, weightPerSiemens, stats)
    {
        _programmed = true;
        _cellSeed = cellSeed;
        _uniformBackground = device.LevelZeroExact;
        _conductance = dense;
        _steps = steps;
        _cells = cells;
        _stepIndex = stepIndex;
        _stepValue = stepValue;
        if (dense is not null) _readConductance = EffectiveConductance();
        else if (cells is not null && !(_driftFactor == 1 && _wireOhm == 0))
        {
            var read = new double[cells.Count];
            for (var i = 0; i < cells.Rows.Length; i++)
                for (var k = cells.Start[i]; k < cells.Start[i + 1]; k++) read[k] = Effective(cells.Conductance[k], cells.Rows[i], cells.Columns[k]);
            cells.Read = read;
        }
    }

    private CrossbarArray(CrossbarParameters parameters, RramDevice device, int rows, int logicalColumns, int slices,
        int columnsPerLogical, int[] referenceColumns, int magnitudeSteps, double weightPerSiemens, ProgrammingStats stats)
    {
        Parameters = parameters;
        Device = device;
        Rows = rows;
        LogicalColumns = logicalColumns;
        PhysicalColumns = logicalColumns * columnsPerLogical + referenceColumns.Length;
        Slices = slices;
        ColumnsPerLogical = columnsPerLogical;
        MagnitudeSteps = magnitudeSteps;
        WeightPerSiemens = weightPerSiemens;
        Stats = stats;
        _referenceColumns = referenceColumns;
        _readVoltage = device.Parameters.ReadVoltage;
        _readNoiseSigma = device.Parameters.ReadNoiseSigma;
        _driftFactor = device.ReadDriftFactor;
        _wireOhm = parameters.IrDrop ? parameters.WireResistanceOhm : 0;
        _arrayRows = parameters.Rows;
        _columnNoise = ColumnNoise(device.Parameters, _wireOhm);
    }

    /// <summary>Whether reads draw the read noise per column (see <see cref="ReadNoiseModel"/>).</summary>
    private static bool ColumnNoise(RramDeviceParameters device, double wireOhm)
    {
        var exact = device.ReadNoiseSigma <= RramDeviceParameters.MaxPerColumnReadNoiseSigma && wireOhm == 0;
        if (device.ReadNoiseModel == ReadNoiseModel.PerColumn && device.ReadNoiseSigma > 0 && !exact)
            throw new ArgumentException(wireOhm > 0
                ? "read noise cannot be drawn per column with IR drop (the drop is not linear in a cell's conductance): draw it per cell or auto"
                : $"read noise sigma {device.ReadNoiseSigma} is above {RramDeviceParameters.MaxPerColumnReadNoiseSigma}, the most drawn per column: draw it per cell or auto");
        return device.ReadNoiseSigma > 0 && device.ReadNoiseModel != ReadNoiseModel.PerCell && exact;
    }

    /// <summary>Whether this array's reads draw the read noise once per column rather than once per driven cell.</summary>
    public bool ReadNoisePerColumn => _columnNoise;

    /// <summary>Used rows (word lines), the first <see cref="Rows"/> of the physical array.</summary>
    public int Rows { get; }

    /// <summary>Used physical columns (bit lines), including reference columns.</summary>
    public int PhysicalColumns { get; }

    /// <summary>Weight columns stored.</summary>
    public int LogicalColumns { get; }

    /// <summary>Cells per weight per polarity (ceil(encoded bits / BitsPerCell); 1 for arrays built from conductances).</summary>
    public int Slices { get; }

    /// <summary>Physical columns owned by each logical column (reference columns not included).</summary>
    public int ColumnsPerLogical { get; }

    /// <summary>Magnitude steps of a weight, 2^WeightBits - 1 (0 for arrays built from conductances, which are not quantised).</summary>
    public int MagnitudeSteps { get; }

    /// <summary>Array and layout parameters.</summary>
    public CrossbarParameters Parameters { get; }

    /// <summary>The device model of every cell.</summary>
    public RramDevice Device { get; }

    /// <summary>Programming activity (cells, pulses, verify reads, stuck cells) for the cost model.</summary>
    public ProgrammingStats Stats { get; }

    /// <summary>
    /// Programmed conductances (siemens, before drift), row-major [Rows x PhysicalColumns]. An array in
    /// sparse storage (<see cref="SparseStorage"/>) builds them on each call, level-0 cells drawn: O(cells).
    /// </summary>
    public ReadOnlySpan<double> Conductances
    {
        get
        {
            if (_conductance is not null) return _conductance;
            var width = PhysicalColumns;
            var all = new double[Rows * width];
            for (var r = 0; r < Rows; r++) FillRow(r, all.AsSpan(r * width, width), read: false);
            return all;
        }
    }

    /// <summary>True when the array keeps only its cells above level 0 and draws the others when read (see <see cref="CrossbarParameters.SparseStorageMaxOccupancy"/>).</summary>
    public bool SparseStorage => _cells is not null;

    /// <summary>Cells held in memory: every cell in dense storage, the cells above level 0 in sparse storage.</summary>
    public long StoredCells => _cells?.Count ?? (long)Rows * PhysicalColumns;

    /// <summary>The programmed conductance of cell (<paramref name="row"/>, <paramref name="column"/>), siemens, before drift.</summary>
    public double CellConductance(int row, int column)
    {
        CheckRow(row);
        if ((uint)column >= (uint)PhysicalColumns)
            throw new ArgumentOutOfRangeException(nameof(column), column, $"physical column must lie in [0, {PhysicalColumns - 1}]");
        return Cell(row, column, read: false);
    }

    /// <summary>
    /// True when every cell sits on one of the device's levels (within 1e-9 of a level spacing; stuck
    /// cells sit on the extreme levels): with noiseless reads, sums of cells are then exact multiples of
    /// the spacing. Computed once (for an array in sparse storage whose level-0 cells vary, by drawing them).
    /// </summary>
    public bool CellsOnLevels => _onLevels ??= ComputeOnLevels();

    /// <summary>
    /// Converts a decoded conductance difference to weight units: one level spacing = one magnitude step
    /// = 1 / MagnitudeSteps of weight (for arrays built from conductances: one level spacing = 1).
    /// </summary>
    public double WeightPerSiemens { get; }

    /// <summary>The shared reference columns, one per slice, least significant first (empty for differential pairs).</summary>
    public ReadOnlySpan<int> ReferenceColumns => _referenceColumns;

    /// <summary>
    /// Builds an array from given conductances (e.g. from stochastic programming, the LSM's random
    /// weights): each physical column is its own logical column, no slicing, signedness left to the caller.
    /// </summary>
    /// <param name="conductances">Siemens, row-major [rows x columns], finite and &gt;= 0.</param>
    /// <param name="rows">Rows used.</param>
    /// <param name="columns">Columns used.</param>
    /// <param name="parameters">Array parameters (only the size and the IR-drop model matter here).</param>
    /// <param name="device">Cell model (read voltage, read noise, drift, window).</param>
    /// <param name="stats">Programming activity that produced the conductances, if the caller tracked it (default: none).</param>
    public static CrossbarArray FromConductances(ReadOnlySpan<double> conductances, int rows, int columns, CrossbarParameters parameters,
        RramDevice device, ProgrammingStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(device);
        parameters.Validate();
        CheckShape(conductances.Length, rows, columns, parameters);
        if (columns > parameters.Columns)
            throw new ArgumentException($"{columns} columns exceed the array's {parameters.Columns}", nameof(columns));
        for (var i = 0; i < conductances.Length; i++)
        {
            if (!(conductances[i] >= 0) || double.IsInfinity(conductances[i]))
                throw new ArgumentException($"conductance {i} is {conductances[i]}; it must be finite and >= 0", nameof(conductances));
        }
        return new CrossbarArray(parameters, device, rows, columns, 1, 1, [], conductances.ToArray(), null, 0,
            1.0 / device.LevelSpacing, stats ?? ProgrammingStats.Empty);
    }

    /// <summary>
    /// Builds an array of differential pairs from given conductances (e.g. two cells each set by one
    /// stochastic pulse): logical column j owns physical columns (2j, 2j + 1), the positive cell then the
    /// negative one, and decodes to (G+ - G-) / level spacing: the pair's G_min floors cancel, so a pair
    /// with both cells in the high-resistance state reads as weight 0.
    /// </summary>
    /// <param name="positive">G+ cells, siemens, row-major [rows x columns], finite and &gt;= 0.</param>
    /// <param name="negative">G- cells, same shape.</param>
    /// <param name="rows">Rows used.</param>
    /// <param name="columns">Logical columns (pairs) used; 2 x columns physical columns.</param>
    /// <param name="parameters">Array parameters (only the size and the IR-drop model matter here).</param>
    /// <param name="device">Cell model (read voltage, read noise, drift, window).</param>
    /// <param name="stats">Programming activity that produced the conductances, if the caller tracked it (default: none).</param>
    public static CrossbarArray FromConductancePairs(ReadOnlySpan<double> positive, ReadOnlySpan<double> negative, int rows, int columns,
        CrossbarParameters parameters, RramDevice device, ProgrammingStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(device);
        parameters.Validate();
        if (negative.Length != positive.Length)
            throw new ArgumentException($"{negative.Length} negative cells for {positive.Length} positive ones", nameof(negative));
        CheckShape(positive.Length, rows, columns, parameters);
        if (2L * columns > parameters.Columns)
            throw new ArgumentException($"{columns} pairs need {2L * columns} columns, more than the array's {parameters.Columns}", nameof(columns));
        var cells = new double[rows * 2 * columns];
        for (var i = 0; i < positive.Length; i++)
        {
            if (!(positive[i] >= 0) || double.IsInfinity(positive[i]) || !(negative[i] >= 0) || double.IsInfinity(negative[i]))
                throw new ArgumentException($"pair {i} is ({positive[i]}, {negative[i]}) S; conductances must be finite and >= 0", nameof(positive));
            cells[2 * i] = positive[i];
            cells[2 * i + 1] = negative[i];
        }
        return new CrossbarArray(parameters, device, rows, columns, 1, 2, [], cells, null, 0,
            1.0 / device.LevelSpacing, stats ?? ProgrammingStats.Empty);
    }

    /// <summary>
    /// Programs every cell of a rows x columns array with one stochastic pulse
    /// (<see cref="RramDevice.ProgramStochastic(DeterministicRandom)"/>, row-major) and builds the array as <see cref="FromConductances"/> does,
    /// with the pulses and faults counted in <see cref="Stats"/>.
    /// </summary>
    public static CrossbarArray ProgramStochastic(int rows, int columns, CrossbarParameters parameters, RramDevice device, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(rng);
        parameters.Validate();
        if (rows < 1 || columns < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"shape {rows} x {columns} must be at least 1 x 1");
        if (rows > parameters.Rows || columns > parameters.Columns)
            throw new ArgumentException($"{rows} x {columns} cells exceed the {parameters.Rows} x {parameters.Columns} array", nameof(rows));
        var conductance = new double[rows * columns];
        long stuckOn = 0, stuckOff = 0, pulses = 0;
        for (var i = 0; i < conductance.Length; i++)
        {
            var cell = device.ProgramStochastic(rng);
            conductance[i] = cell.Conductance;
            pulses += cell.Pulses;
            if (cell.Fault == CellFault.StuckOn) stuckOn++;
            else if (cell.Fault == CellFault.StuckOff) stuckOff++;
        }
        return FromConductances(conductance, rows, columns, parameters, device,
            new ProgrammingStats(conductance.Length, pulses, 0, stuckOn, stuckOff));
    }

    /// <summary>
    /// Analog read of one row group with binary inputs (spikes on the word lines in <paramref name="activeRows"/>):
    /// columnCurrents[c] = sum over active rows r of V_read G_eff(r, c), amperes, with drift, IR drop if on,
    /// and cycle-to-cycle noise redrawn per cell and read when the device has read noise.
    /// Allocation-free; vectorised across columns when there is no per-cell noise.
    /// </summary>
    /// <param name="activeRows">Distinct driven rows in [0, Rows) (a repeated row would be counted twice).</param>
    /// <param name="columnCurrents">Output, length PhysicalColumns.</param>
    /// <param name="rng">Stream for the read noise; required when ReadNoiseSigma &gt; 0, unused otherwise.</param>
    public void ReadCurrents(ReadOnlySpan<int> activeRows, Span<double> columnCurrents, DeterministicRandom? rng)
    {
        var width = PhysicalColumns;
        if (columnCurrents.Length != width)
            throw new ArgumentException($"columnCurrents has length {columnCurrents.Length}, expected {width}", nameof(columnCurrents));
        columnCurrents.Clear();
        if (_readNoiseSigma > 0)
        {
            if (rng is null) throw new ArgumentNullException(nameof(rng), "the device has read noise, so a read needs a random stream");
            if (_columnNoise) AddNoisyColumns(activeRows, columnCurrents, rng);
            else foreach (var r in activeRows) AddNoisyRow(CheckRow(r), columnCurrents, rng);
        }
        else if (_readConductance is not null)
        {
            foreach (var r in activeRows) TensorPrimitives.Add(columnCurrents, _readConductance.AsSpan(CheckRow(r) * width, width), columnCurrents);
        }
        else if (_uniformBackground && _wireOhm == 0) ReadSparseUniform(activeRows, columnCurrents);
        else
        {
            double[]? rented = null;
            var row = width <= StackLimit ? stackalloc double[width] : (rented = ArrayPool<double>.Shared.Rent(width)).AsSpan(0, width);
            try
            {
                foreach (var r in activeRows)
                {
                    FillRow(CheckRow(r), row, read: true);
                    TensorPrimitives.Add(columnCurrents, row, columnCurrents);
                }
            }
            finally
            {
                if (rented is not null) ArrayPool<double>.Shared.Return(rented);
            }
        }
        TensorPrimitives.Multiply(columnCurrents, _readVoltage, columnCurrents);
    }

    /// <summary>
    /// A noiseless read of an array in sparse storage whose level-0 cells are all GMin and read alike: a
    /// column without a stored cell in the driven rows sums k equal terms, added one after another as the
    /// dense read adds its rows (so the sums are the same to the last bit); the columns of the driven
    /// rows' stored cells are summed row by row. The cost follows the stored cells of the driven rows.
    /// </summary>
    private void ReadSparseUniform(ReadOnlySpan<int> activeRows, Span<double> columnCurrents)
    {
        var cells = _cells!;
        var background = Effective(Device.GMin, 0, 0);
        var sum = 0.0;
        for (var i = 0; i < activeRows.Length; i++) sum += background;
        if (activeRows.Length > 0) columnCurrents.Fill(sum);
        foreach (var r in activeRows)
        {
            var i = cells.RowIndex(CheckRow(r));
            if (i < 0) continue;
            for (var k = cells.Start[i]; k < cells.Start[i + 1]; k++)
            {
                var c = cells.Columns[k];
                // Each column once: recomputed at its first stored cell among the driven rows (an earlier
                // driven row holding a cell in it would have recomputed it already).
                if (FirstStoredRow(activeRows, c) != r) continue;
                var column = 0.0;
                foreach (var row in activeRows) column += Cell(row, c, read: true);
                columnCurrents[c] = column;
            }
        }
    }

    /// <summary>The first of <paramref name="activeRows"/> holding a stored cell in <paramref name="column"/> (-1: none).</summary>
    private int FirstStoredRow(ReadOnlySpan<int> activeRows, int column)
    {
        var cells = _cells!;
        foreach (var r in activeRows)
        {
            var i = cells.RowIndex(r);
            if (i >= 0 && cells.Find(i, column) >= 0) return r;
        }
        return -1;
    }

    /// <summary>
    /// Multi-bit unsigned inputs applied bit-serially: one <see cref="ReadCurrents"/> per bit plane (planes
    /// without an active row are skipped, as the hardware skips them), shift-added, so
    /// columnCurrents[c] = sum over planes b of 2^b I_b[c] (amperes-equivalent, ready for <see cref="Decode"/>
    /// with activeRowCount = the sum of the inputs).
    /// </summary>
    /// <param name="inputs">One value per row in [0, 2^inputBits).</param>
    /// <param name="inputBits">Bits per input, 1..30.</param>
    /// <param name="columnCurrents">Output, length PhysicalColumns.</param>
    /// <param name="rng">Stream for the read noise (see <see cref="ReadCurrents"/>).</param>
    public void ReadBitSerial(ReadOnlySpan<int> inputs, int inputBits, Span<double> columnCurrents, DeterministicRandom? rng)
    {
        if (inputBits is < 1 or > 30) throw new ArgumentOutOfRangeException(nameof(inputBits), inputBits, "inputBits must lie in [1, 30]");
        if (inputs.Length != Rows) throw new ArgumentException($"inputs has length {inputs.Length}, expected {Rows}", nameof(inputs));
        var width = PhysicalColumns;
        if (columnCurrents.Length != width)
            throw new ArgumentException($"columnCurrents has length {columnCurrents.Length}, expected {width}", nameof(columnCurrents));
        var limit = 1 << inputBits;
        for (var r = 0; r < inputs.Length; r++)
        {
            if ((uint)inputs[r] >= (uint)limit)
                throw new ArgumentOutOfRangeException(nameof(inputs), inputs[r], $"input {r} does not fit in {inputBits} unsigned bits");
        }

        double[]? rentedPlane = null;
        int[]? rentedRows = null;
        var plane = width <= StackLimit ? stackalloc double[width] : (rentedPlane = ArrayPool<double>.Shared.Rent(width)).AsSpan(0, width);
        var rows = Rows <= StackLimit ? stackalloc int[Rows] : (rentedRows = ArrayPool<int>.Shared.Rent(Rows)).AsSpan(0, Rows);
        try
        {
            columnCurrents.Clear();
            for (var b = 0; b < inputBits; b++)
            {
                var count = 0;
                for (var r = 0; r < inputs.Length; r++)
                {
                    if (((inputs[r] >> b) & 1) != 0) rows[count++] = r;
                }
                if (count == 0) continue;
                ReadCurrents(rows[..count], plane, rng);
                TensorPrimitives.MultiplyAdd(plane, (double)(1L << b), columnCurrents, columnCurrents);
            }
        }
        finally
        {
            if (rentedPlane is not null) ArrayPool<double>.Shared.Return(rentedPlane);
            if (rentedRows is not null) ArrayPool<int>.Shared.Return(rentedRows);
        }
    }

    /// <summary>
    /// Digital decode after the ADCs: from per-physical-column values in current units (A, or dequantised
    /// ADC outputs in the same units) to the weight-domain dot product of each logical column. Subtracts
    /// the pair or reference column per slice, shift-adds the slices (slice s weighs (2^BitsPerCell)^s),
    /// divides by V_read and converts with <see cref="WeightPerSiemens"/>. Allocation-free.
    /// </summary>
    /// <param name="physicalColumnValues">Length PhysicalColumns.</param>
    /// <param name="activeRowCount">
    /// Number of driven rows (for a bit-serial read, the sum of the inputs). Only arrays built from
    /// conductances use it: they have no measured reference, so the GMin floor (activeRowCount GMin)
    /// is removed digitally and an HRS cell reads as weight 0 (pass 0 to keep the raw sum of G / level spacing).
    /// The differential and reference schemes subtract a measured column instead and ignore it; offset
    /// binary subtracts activeRowCount x (GMin + the offset's level) per slice digitally, single cells
    /// (<see cref="SignedWeightScheme.SingleCell"/>) activeRowCount x GMin per slice.
    /// </param>
    /// <param name="logicalOutputs">Output, length LogicalColumns.</param>
    public void Decode(ReadOnlySpan<double> physicalColumnValues, int activeRowCount, Span<double> logicalOutputs)
    {
        if (physicalColumnValues.Length != PhysicalColumns)
            throw new ArgumentException($"physicalColumnValues has length {physicalColumnValues.Length}, expected {PhysicalColumns}", nameof(physicalColumnValues));
        if (logicalOutputs.Length != LogicalColumns)
            throw new ArgumentException($"logicalOutputs has length {logicalOutputs.Length}, expected {LogicalColumns}", nameof(logicalOutputs));
        ArgumentOutOfRangeException.ThrowIfNegative(activeRowCount);
        var scale = WeightPerSiemens / _readVoltage;
        if (!_programmed && ColumnsPerLogical == 2)
        {
            // Pairs of given conductances: the floors of the two columns cancel.
            for (var j = 0; j < logicalOutputs.Length; j++)
                logicalOutputs[j] = (physicalColumnValues[2 * j] - physicalColumnValues[2 * j + 1]) * scale;
            return;
        }
        if (!_programmed)
        {
            var floor = activeRowCount * Device.GMin * _readVoltage;
            for (var j = 0; j < logicalOutputs.Length; j++) logicalOutputs[j] = (physicalColumnValues[j] - floor) * scale;
            return;
        }

        for (var j = 0; j < logicalOutputs.Length; j++) logicalOutputs[j] = DecodeProgrammed(physicalColumnValues, activeRowCount, j, scale);
    }

    /// <summary>
    /// The decode of one logical column of a programmed array (see <see cref="Decode"/>): a macro that
    /// knows which columns a read can have changed decodes only those.
    /// </summary>
    internal double DecodeColumn(ReadOnlySpan<double> physicalColumnValues, int activeRowCount, int logicalColumn)
    {
        var scale = WeightPerSiemens / _readVoltage;
        if (!_programmed && ColumnsPerLogical == 2)
            return (physicalColumnValues[2 * logicalColumn] - physicalColumnValues[2 * logicalColumn + 1]) * scale;
        if (!_programmed) return (physicalColumnValues[logicalColumn] - activeRowCount * Device.GMin * _readVoltage) * scale;
        return DecodeProgrammed(physicalColumnValues, activeRowCount, logicalColumn, scale);
    }

    private double DecodeProgrammed(ReadOnlySpan<double> physicalColumnValues, int activeRowCount, int j, double scale)
    {
        double radix = Device.Levels;
        var scheme = Parameters.SignedWeights;
        var differential = scheme == SignedWeightScheme.DifferentialPair;
        // Offset binary: each driven row adds GMin plus the offset's digit of slice s to every column of that slice.
        var bitsPerCell = Device.Parameters.BitsPerCell;
        var first = j * ColumnsPerLogical;
        double sum = 0, weight = 1;
        for (var s = 0; s < Slices; s++)
        {
            var difference = differential
                ? physicalColumnValues[first + 2 * s] - physicalColumnValues[first + 2 * s + 1]
                // Single cells: the driven rows' level-0 floor, known from their count, in place of a pair's G- column
                // (the same value, to the last bit, that an unprogrammed G- column reads through an exact ADC).
                : scheme == SignedWeightScheme.SingleCell
                    ? physicalColumnValues[first + s] - activeRowCount * Device.GMin * _readVoltage
                : scheme == SignedWeightScheme.OffsetBinary
                    ? physicalColumnValues[first + s]
                      - activeRowCount * (Device.GMin + ((MagnitudeSteps >> (s * bitsPerCell)) & (Device.Levels - 1)) * Device.LevelSpacing) * _readVoltage
                    : physicalColumnValues[first + s] - physicalColumnValues[_referenceColumns[s]];
            sum += weight * difference;
            weight *= radix;
        }
        return sum * scale;
    }

    /// <summary>
    /// The weights a perfect device would give, row-major [Rows x LogicalColumns]: the quantised values
    /// q / (2^WeightBits - 1), or for arrays built from conductances (G - GMin) WeightPerSiemens.
    /// Float for the golden model; <see cref="QuantisedSteps"/> gives the exact integers.
    /// </summary>
    public float[] QuantisedWeights()
    {
        var result = new float[Rows * LogicalColumns];
        if (_programmed)
        {
            var steps = QuantisedSteps();
            for (var i = 0; i < result.Length; i++) result[i] = (float)((double)steps[i] / MagnitudeSteps);
        }
        else if (ColumnsPerLogical == 2)
        {
            for (var i = 0; i < result.Length; i++) result[i] = (float)((_conductance![2 * i] - _conductance[2 * i + 1]) * WeightPerSiemens);
        }
        else
        {
            for (var i = 0; i < result.Length; i++) result[i] = (float)((_conductance![i] - Device.GMin) * WeightPerSiemens);
        }
        return result;
    }

    /// <summary>The stored signed magnitude steps q, row-major [Rows x LogicalColumns] (weight = q / MagnitudeSteps).</summary>
    /// <exception cref="InvalidOperationException">The array was built from conductances and holds no quantised weights.</exception>
    public int[] QuantisedSteps()
    {
        if (!_programmed) throw new InvalidOperationException("an array built from conductances holds no quantised weights");
        if (_steps is not null) return (int[])_steps.Clone();
        var steps = new int[Rows * LogicalColumns];
        for (var k = 0; k < _stepIndex!.Length; k++) steps[_stepIndex[k]] = _stepValue![k];
        return steps;
    }

    /// <summary>The physical columns logical column <paramref name="logicalColumn"/> owns, in layout order (shared reference columns excluded: see <see cref="ReferenceColumns"/>).</summary>
    public ReadOnlySpan<int> PhysicalColumnsOf(int logicalColumn)
    {
        if ((uint)logicalColumn >= (uint)LogicalColumns)
            throw new ArgumentOutOfRangeException(nameof(logicalColumn), logicalColumn, $"logical column must lie in [0, {LogicalColumns - 1}]");
        _columnMap ??= Enumerable.Range(0, LogicalColumns * ColumnsPerLogical).ToArray();
        return _columnMap.AsSpan(logicalColumn * ColumnsPerLogical, ColumnsPerLogical);
    }

    /// <summary>
    /// Sum over <paramref name="activeRows"/> of the noiseless read conductance (drift and IR drop
    /// applied) of <paramref name="physicalColumn"/>, siemens: 1 / R_col for the ADC's column term.
    /// </summary>
    public double ActiveColumnConductance(ReadOnlySpan<int> activeRows, int physicalColumn)
    {
        if ((uint)physicalColumn >= (uint)PhysicalColumns)
            throw new ArgumentOutOfRangeException(nameof(physicalColumn), physicalColumn, $"physical column must lie in [0, {PhysicalColumns - 1}]");
        double sum = 0;
        foreach (var r in activeRows) sum += Cell(CheckRow(r), physicalColumn, read: true);
        return sum;
    }

    /// <summary>Adds one row's noisy effective conductances (drift, c2c noise, IR drop) to the column sums.</summary>
    private void AddNoisyRow(int row, Span<double> sums, DeterministicRandom rng)
    {
        var width = PhysicalColumns;
        double[]? rented = null;
        var cells = _conductance is not null ? _conductance.AsSpan(row * width, width)
            : width <= StackLimit ? stackalloc double[width] : (rented = ArrayPool<double>.Shared.Rent(width)).AsSpan(0, width);
        try
        {
            if (_conductance is null) FillRow(row, cells, read: false);
            var rowSegments = _arrayRows - row;
            for (var c = 0; c < cells.Length; c++)
            {
                var g = Math.Max(0, cells[c] * _driftFactor * (1 + _readNoiseSigma * rng.NextNormal()));
                if (_wireOhm > 0) g /= 1 + g * _wireOhm * (c + 1 + rowSegments);
                sums[c] += g;
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The driven rows' noisy column sums with one normal draw per column: sum G + sigma sqrt(sum G^2) N over the driven
    /// cells' noiseless read conductances G (drift applied; no IR drop here), the distribution of the per-cell draws of
    /// <see cref="AddNoisyRow"/> without their clip at zero (see <see cref="ReadNoiseModel"/>). No draws without driven rows.
    /// </summary>
    private void AddNoisyColumns(ReadOnlySpan<int> activeRows, Span<double> sums, DeterministicRandom rng)
    {
        if (activeRows.IsEmpty) return;
        var width = PhysicalColumns;
        var need = _readConductance is null ? 2 * width : width;
        double[]? rented = null;
        var scratch = need <= StackLimit ? stackalloc double[need] : (rented = ArrayPool<double>.Shared.Rent(need)).AsSpan(0, need);
        try
        {
            var squares = scratch[..width];
            var values = scratch[(need - width)..];
            squares.Clear();
            foreach (var r in activeRows)
            {
                var row = CheckRow(r);
                // Dense storage reads its row in place; sparse storage fills it first (level-0 cells drawn, stored cells placed).
                var g = _readConductance is not null ? _readConductance.AsSpan(row * width, width) : values;
                if (_readConductance is null) FillRow(row, values, read: true);
                TensorPrimitives.Add(sums, g, sums);
                TensorPrimitives.MultiplyAdd(g, g, squares, squares);
            }
            TensorPrimitives.Sqrt(squares, squares);
            var sigma = _readNoiseSigma;
            // Never negative, as the per-cell draws are not.
            for (var c = 0; c < width; c++) sums[c] = Math.Max(0, sums[c] + sigma * squares[c] * rng.NextNormal());
        }
        finally
        {
            if (rented is not null) ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>The noiseless read conductances (drift, IR drop); the programmed array itself when neither applies.</summary>
    private double[] EffectiveConductance()
    {
        var conductance = _conductance!;
        if (_driftFactor == 1 && _wireOhm == 0) return conductance;
        var width = PhysicalColumns;
        var result = new double[conductance.Length];
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < width; c++) result[r * width + c] = Effective(conductance[r * width + c], r, c);
        return result;
    }

    /// <summary>The noiseless read conductance of a cell of conductance <paramref name="g"/> at (<paramref name="row"/>, <paramref name="column"/>): drift, then IR drop.</summary>
    private double Effective(double g, int row, int column)
    {
        if (_driftFactor == 1 && _wireOhm == 0) return g;
        var drifted = g * _driftFactor;
        return _wireOhm > 0 ? drifted / (1 + drifted * _wireOhm * (column + 1 + (_arrayRows - row))) : drifted;
    }

    /// <summary>A cell's programmed (or, with <paramref name="read"/>, noiseless read) conductance, whatever the storage.</summary>
    private double Cell(int row, int column, bool read)
    {
        if (_conductance is not null) return read ? _readConductance![row * PhysicalColumns + column] : _conductance[row * PhysicalColumns + column];
        var cells = _cells!;
        var i = cells.RowIndex(row);
        var k = i < 0 ? -1 : cells.Find(i, column);
        if (k >= 0) return read ? cells.Read[k] : cells.Conductance[k];
        var g = Background(row, column);
        return read ? Effective(g, row, column) : g;
    }

    /// <summary>The conductance of a level-0 cell: GMin when they are all alike, else the cell's own counter-based draw.</summary>
    private double Background(int row, int column) =>
        _uniformBackground ? Device.GMin : Device.ProgrammedConductance(0, _cellSeed, row, column);

    /// <summary>One row of an array in sparse storage, programmed (or noiseless read) conductances: level-0 cells drawn, stored cells placed.</summary>
    private void FillRow(int row, Span<double> values, bool read)
    {
        if (_conductance is not null)
        {
            (read ? _readConductance! : _conductance).AsSpan(row * PhysicalColumns, PhysicalColumns).CopyTo(values);
            return;
        }
        for (var c = 0; c < values.Length; c++)
        {
            var g = Background(row, c);
            values[c] = read ? Effective(g, row, c) : g;
        }
        var cells = _cells!;
        var i = cells.RowIndex(row);
        if (i < 0) return;
        for (var k = cells.Start[i]; k < cells.Start[i + 1]; k++) values[cells.Columns[k]] = read ? cells.Read[k] : cells.Conductance[k];
    }

    /// <summary>
    /// Sum over the row's physical columns (ascending) of each cell's noiseless read conductance, with an
    /// access transistor of <paramref name="accessResistanceOhm"/> in series (0: none): the row's load on
    /// its word line. The same sum whatever the storage.
    /// </summary>
    public double RowReadConductance(int row, double accessResistanceOhm)
    {
        CheckRow(row);
        var width = PhysicalColumns;
        if (UniformSparse)
        {
            // Level-0 cells all read alike: one term for them, the stored cells' own where they lie (same order, same sum).
            var g0 = Effective(Device.GMin, 0, 0);
            var term = WithAccess(g0, accessResistanceOhm);
            var cells = _cells!;
            var i = cells.RowIndex(row);
            int k = i < 0 ? 0 : cells.Start[i], end = i < 0 ? 0 : cells.Start[i + 1];
            double total = 0;
            var c = 0;
            // The runs of level-0 cells between stored ones added in closed form (the same roundings as one by one).
            for (; k < end && cells.Columns[k] < width; k++)
            {
                total = AddRepeatedly(total, term, cells.Columns[k] - c);
                total += WithAccess(cells.Read[k], accessResistanceOhm);
                c = cells.Columns[k] + 1;
            }
            return AddRepeatedly(total, term, width - c);
        }
        double[]? rented = null;
        var values = width <= StackLimit ? stackalloc double[width] : (rented = ArrayPool<double>.Shared.Rent(width)).AsSpan(0, width);
        try
        {
            FillRow(row, values, read: true);
            double sum = 0;
            foreach (var g in values) sum += WithAccess(g, accessResistanceOhm);
            return sum;
        }
        finally
        {
            if (rented is not null) ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// <paramref name="x"/> after <paramref name="n"/> additions of <paramref name="step"/> one after another
    /// (<c>x += step</c>, each rounded), bit for bit, without doing them one by one where it can: while the
    /// sum stays in one binade [2^e, 2^(e+1)), the doubles there are the multiples of u = 2^(e-52), so each
    /// addition adds the same multiple of u (step rounded to the grid, unless step / u is a tie, whose
    /// rounding depends on the sum's parity) as long as the exact sum stays below 2^(e+1). A row of
    /// level-0 cells then costs a few steps per binade instead of one per cell.
    /// </summary>
    internal static double AddRepeatedly(double x, double step, int n)
    {
        while (n > 0)
        {
            // Plain additions: a sum still below the step or near the subnormals, a step not positive and finite.
            if (!(x >= step && x >= 1e-290 && step > 0 && !double.IsInfinity(x)))
            {
                x += step;
                n--;
                continue;
            }
            // x = units x u with units in [2^52, 2^53): its significand; u and 1 / u are powers of two.
            var bits = BitConverter.DoubleToInt64Bits(x);
            var biased = (int)(bits >> 52) & 0x7FF;
            var units = bits & ((1L << 52) - 1) | 1L << 52;
            var u = BitConverter.Int64BitsToDouble((long)(biased - 52) << 52);
            var q = step * BitConverter.Int64BitsToDouble((long)(2098 - biased) << 52); // step / u, exact, below 2^53 since step <= x
            var whole = Math.Floor(q);
            // Additions k = 0, 1, ... stay in the binade while units + k r + q < 2^53, i.e. k r <= 2^53 - units - floor(q) - 1.
            var room = (1L << 53) - units - (long)whole - 1;
            if (q - whole == 0.5 || room < 0)
            {
                // A tie (its rounding depends on the sum's parity) or the binade's last addition: one by one.
                x += step;
                n--;
                continue;
            }
            var r = (long)Math.Round(q);
            if (r == 0) return x; // every addition rounds back to x
            var m = Math.Min(n, room / r + 1);
            x = (units + m * r) * u;
            n -= (int)m;
        }
        return x;
    }

    /// <summary>A cell of conductance <paramref name="g"/> behind an access transistor of <paramref name="accessResistanceOhm"/> in series (0: none).</summary>
    private static double WithAccess(double g, double accessResistanceOhm) => accessResistanceOhm > 0 && g > 0 ? 1 / (1 / g + accessResistanceOhm) : g;

    /// <summary>Rows holding a cell above level 0 (sparse storage), ascending; empty in dense storage.</summary>
    internal ushort[] RowsWithStoredCells => _cells?.Rows ?? [];

    /// <summary>Index of <paramref name="row"/> in <see cref="RowsWithStoredCells"/> (sparse storage), or -1 when it holds no stored cell.</summary>
    internal int StoredRowIndex(int row) => _cells!.RowIndex(row);

    /// <summary>The stored cells of the <paramref name="index"/>-th row of <see cref="RowsWithStoredCells"/>: columns and noiseless read conductances.</summary>
    internal (ReadOnlyMemory<ushort> Columns, ReadOnlyMemory<double> Read) StoredCellsOfRow(int index)
    {
        var cells = _cells!;
        var from = cells.Start[index];
        var count = cells.Start[index + 1] - from;
        return (cells.Columns.AsMemory(from, count), cells.Read.AsMemory(from, count));
    }

    /// <summary>The current of one column of a row without stored cells driven alone, as <see cref="ReadCurrents"/> gives it (<see cref="UniformSparse"/> arrays).</summary>
    internal double EmptyRowCurrent() => (0 + Effective(Device.GMin, 0, 0)) * _readVoltage;

    /// <summary>True when the array is in sparse storage and every level-0 cell reads as GMin, identically in every row and column.</summary>
    internal bool UniformSparse => _cells is not null && _uniformBackground && _wireOhm == 0;

    private bool ComputeOnLevels()
    {
        var spacing = (Device.GMax - Device.GMin) / (Device.Levels - 1);
        bool OnLevel(double g)
        {
            var level = (g - Device.GMin) / spacing;
            return Math.Abs(level - Math.Round(level)) <= 1e-9;
        }
        if (_conductance is not null)
        {
            foreach (var g in _conductance) if (!OnLevel(g)) return false;
            return true;
        }
        foreach (var g in _cells!.Conductance) if (!OnLevel(g)) return false;
        if (_uniformBackground) return true;
        var row = new double[PhysicalColumns];
        for (var r = 0; r < Rows; r++)
        {
            FillRow(r, row, read: false);
            foreach (var g in row) if (!OnLevel(g)) return false;
        }
        return true;
    }

    private int CheckRow(int row)
    {
        if ((uint)row >= (uint)Rows) ThrowRow(row);
        return row;
    }

    private void ThrowRow(int row) =>
        throw new ArgumentOutOfRangeException(nameof(row), row, $"active row must lie in [0, {Rows - 1}]");

    private static void CheckShape(int length, int rows, int columns, CrossbarParameters parameters)
    {
        if (rows < 1 || columns < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"shape {rows} x {columns} must be at least 1 x 1");
        if ((long)rows * columns != length)
            throw new ArgumentException($"{length} values do not make a {rows} x {columns} matrix", nameof(length));
        if (rows > parameters.Rows)
            throw new ArgumentException($"{rows} rows exceed the array's {parameters.Rows}", nameof(rows));
    }
}
