using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Hw.Macro;

/// <summary>
/// One RRAM in-memory-compute macro executing spike-driven matrix-vector products.
/// </summary>
/// <remarks>
/// <para><b>Function.</b> The active rows are split into row groups of <c>ParallelRows</c>; each
/// group with at least one active row is read at once (column currents), every used physical column
/// is converted by its ADC, and the digital side subtracts pairs/references, shift-adds slices and
/// accumulates groups. The ADC sees the column's level sum: the current minus the known floor of
/// k low-conductance cells (a replica reference of the k driven rows), in units of one level
/// spacing, quantised over [0, full scale]. By default one code is one level (full scale = the
/// top code), so sums beyond the ADC's range clip and below it read exactly; a set
/// <c>AdcFullScaleLevels</c> scales the range instead (finer or coarser steps, e.g. for
/// continuous conductances). With ideal cells and no read noise, and when no column can exceed
/// the full scale, this is exact, and a sparse shortcut computes the same result
/// from the stored integer weights (a property test checks both paths agree).</para>
/// <para><b>Time.</b> Each group is a small pipeline on two resources: the array (drive, settle,
/// then held until its samples are taken) and the ADC bank (ColumnsPerAdc conversions one after
/// another, each its conversion time). Group g + 1 drives while group g converts; its sample is
/// taken when the ADCs are free. Word lines are driven on a macro clock edge: a group whose array
/// frees between edges (its predecessor sampled when the ADC bank freed, which need not be an edge)
/// drives on the next one. With pipelined read timing this is the chip's <c>MacroUnit</c> rule, and
/// both give every operation the same end whatever the drive, settle, conversion and clocks.
/// Operations queue on the same resources, so a busy macro delays the next operation. Latency
/// therefore comes out of the timeline: doubling ColumnsPerAdc doubles it for a column-bound
/// operation.</para>
/// <para><b>Cost.</b> Every action goes to the ledger once per row group (never per synapse):
/// word-line drives, array read (conductance x time), conversions and their column load, mux
/// selects, shift-adds, and skipped groups.</para>
/// </remarks>
public sealed class RramMacro
{
    private readonly MacroParameters _p;
    private readonly Adc _adc;
    private readonly ColumnMux _mux;
    private readonly int _ratio;              // base cycles per macro cycle
    private readonly ExactDivisor _edge;      // the same, for rounding a time up to the next macro clock edge
    private readonly long _conversionCycles;  // base cycles per conversion
    private readonly int _rounds;             // conversions per ADC per group
    private readonly int _levels;
    private readonly double _gMin, _levelSpacing, _readVoltage, _fullScale;
    private readonly bool _ideal;
    // What the macro keeps of each row (read conductance, exact response), built on the first read: one
    // slot per row; for an array in sparse storage with alike level-0 cells one per stored row, every row
    // without a stored cell sharing the last slot. Responses are added when first needed (cost-only pricing never needs them).
    private MacroRowRecords? _rows;
    private readonly bool _uniformSparse;
    private readonly int _storedRowCount;
    private readonly MacroScratch _scratch;
    // The columns touched by the last operation: the shared scratch's list, or a single row's response itself.
    private int[] _touched;
    private int _touchedFrom, _touchedCount;
    private readonly int _groups, _maxExactRows;
    private readonly long _driveSettleCycles, _shiftAddCycles;
    private readonly double _readUnitsPerSiemens;
    private readonly double _outputScale;
    private readonly int _hDrive, _hRead, _hConversion, _hOpenConversion, _hColumnLoad, _hSelect, _hAdd, _hSkipped, _hOperation;
    private readonly long _synchronousCycles; // base cycles of NeuroSim's synchronous clock; 0 when pipelined
    private long _arrayFree, _adcFree;

    /// <summary>Builds the macro around a programmed array.</summary>
    /// <param name="parameters">Macro parameters (validated).</param>
    /// <param name="array">The programmed crossbar (its size must fit the parameters).</param>
    /// <param name="baseClockHz">Kernel base clock; the macro clock must divide it.</param>
    /// <param name="ledger">Where the actions are counted.</param>
    /// <param name="layer">Layer name for the ledger.</param>
    /// <param name="outputScale">Weight units per stored unit: outputs are multiplied by it (the mapper's matrix scale).</param>
    /// <param name="scratch">
    /// Working buffers shared with other macros that never run at the same time (null: the macro's own).
    /// A chip of a million macros then needs one set of buffers instead of a million; <see cref="Touched"/>
    /// is valid until the next operation of any macro sharing them.
    /// </param>
    public RramMacro(MacroParameters parameters, CrossbarArray array, double baseClockHz, Ledger ledger, string layer, double outputScale = 1.0,
        MacroScratch? scratch = null)
    {
        _outputScale = outputScale;
        parameters.Validate();
        _p = parameters;
        Array = array;
        _adc = new Adc(parameters.Adc);
        _mux = new ColumnMux(new ColumnMuxParameters { ColumnsPerAdc = parameters.ColumnsPerAdc, TechnologyNm = parameters.Adc.TechnologyNm });
        var ratio = baseClockHz / parameters.ClockHz;
        if (!ClockRatio.Divides(baseClockHz, parameters.ClockHz))
            throw new ArgumentException($"the macro clock {parameters.ClockHz} Hz must divide the base clock {baseClockHz} Hz");
        _ratio = (int)Math.Round(ratio);
        _edge = new ExactDivisor(Math.Max(1, _ratio));
        _conversionCycles = Math.Max(1, (long)Math.Ceiling(_adc.ConversionLatencyNs * baseClockHz * 1e-9 - 1e-9));
        _rounds = _mux.RoundsFor(array.PhysicalColumns);
        AdcCount = _mux.AdcsFor(array.PhysicalColumns);
        BaseClockHz = baseClockHz;
        _levels = array.Device.Levels;
        _gMin = array.Device.GMin;
        _levelSpacing = (array.Device.GMax - array.Device.GMin) / (_levels - 1);
        _readVoltage = array.Device.Parameters.ReadVoltage;
        _fullScale = parameters.AdcFullScaleLevels ?? _adc.MaxCode;

        _uniformSparse = array.UniformSparse;
        _storedRowCount = array.RowsWithStoredCells.Length;
        _scratch = scratch ?? new MacroScratch(array.PhysicalColumns, array.LogicalColumns, parameters.ParallelRows);
        if (!_scratch.Fits(array.PhysicalColumns, array.LogicalColumns, parameters.ParallelRows))
            throw new ArgumentException($"the shared scratch is smaller than this macro's {array.PhysicalColumns} columns and {parameters.ParallelRows} parallel rows", nameof(scratch));
        _touched = _scratch.Touched;
        _ideal = IsIdeal(array);
        _groups = (array.Rows + parameters.ParallelRows - 1) / parameters.ParallelRows;
        _driveSettleCycles = (long)(parameters.DriveCycles + parameters.SettleCycles) * _ratio;
        _shiftAddCycles = (long)parameters.ShiftAddCycles * _ratio;
        _synchronousCycles = parameters.Timing == Subarray.ReadTiming.NeuroSimSynchronous
            ? Math.Max(1, (long)Math.Ceiling(SynchronousClockNs(parameters, array) * baseClockHz * 1e-9 - 1e-9))
            : 0;
        // Array read in nS x ns: the word lines stay on for drive + settle.
        _readUnitsPerSiemens = 1e9 * _driveSettleCycles / baseClockHz * 1e9;
        // The exact shortcut holds while no column of a group can pass the ADC's range with one code per level.
        _maxExactRows = _ideal && _fullScale <= _adc.MaxCode && _fullScale == Math.Floor(_fullScale) ? (int)_fullScale / (_levels - 1) : -1;

        _hDrive = ledger.Register(WordLineDriver.Component, layer, WordLineDriver.RowDriveAction);
        _hRead = ledger.Register(MacroCosts.ArrayComponent, layer, MacroCosts.ReadAction);
        _hConversion = ledger.Register(_adc.Component, layer, Adc.ConversionAction);
        _hColumnLoad = ledger.Register(_adc.Component, layer, Adc.ColumnLoadAction);
        // Only a macro that reads empty row groups has open-column conversions: others keep their ledger as it was.
        _hOpenConversion = parameters.SkipEmptyRowGroups ? -1 : ledger.Register(_adc.Component, layer, Adc.OpenConversionAction);
        _hSelect = ledger.Register(ColumnMux.Component, layer, ColumnMux.SelectAction);
        _hAdd = ledger.Register(ShiftAdd.Component, layer, ShiftAdd.AddAction);
        _hSkipped = ledger.Register(MacroCosts.MacroComponent, layer, MacroCosts.SkippedConversionAction);
        _hOperation = ledger.Register(MacroCosts.MacroComponent, layer, MacroCosts.OperationAction);
        Ledger = ledger;
    }

    /// <summary>The programmed array.</summary>
    public CrossbarArray Array { get; }

    /// <summary>ADCs of this macro (physical columns used / columns per ADC, rounded up).</summary>
    public int AdcCount { get; }

    /// <summary>Kernel base clock.</summary>
    public double BaseClockHz { get; }

    /// <summary>The ledger the macro counts into.</summary>
    public Ledger Ledger { get; }

    /// <summary>True when cells sit exactly on their levels and reads are noiseless (the exact shortcut may apply).</summary>
    public bool Ideal => _ideal;

    /// <summary>Base cycles of one ADC conversion.</summary>
    public long ConversionCycles => _conversionCycles;

    /// <summary>
    /// Base cycles of NeuroSim's synchronous clock (<see cref="SynchronousClockNs"/> rounded up) when the macro reads with
    /// <see cref="Subarray.ReadTiming.NeuroSimSynchronous"/>, 0 when it reads pipelined: a synchronous read holds the array
    /// and the ADCs together for one of these per conversion round (one per column an ADC serves).
    /// </summary>
    public long SynchronousCycles => _synchronousCycles;

    /// <summary>Level sums mapped to the ADC's top code.</summary>
    public double FullScaleLevels => _fullScale;

    /// <summary>
    /// Logical columns the last <see cref="Execute"/> added to, each once (all of them when the
    /// converted path ran): callers scan these instead of every column.
    /// </summary>
    public ReadOnlySpan<int> Touched => new(_touched, _touchedFrom, _touchedCount);

    /// <summary>
    /// Whether a cost-only <see cref="Execute"/> still lists the columns it would have written in
    /// <see cref="Touched"/> (replay sizes partial-sum messages by them; default true). Off, a
    /// cost-only operation costs time in the active rows only, for pricers that need the counts alone.
    /// </summary>
    public bool TouchedWhenCostOnly { get; set; } = true;

    /// <summary>
    /// Loads what a read of <paramref name="row"/> will need (the row's read conductance, where its exact
    /// response lies, the response's start) without reading. A row of a spiking layer is read rarely, so
    /// its data has left the cache by then: a caller about to read several macros preloads them all first,
    /// and their cache misses overlap instead of following one another. Changes nothing the macro computes
    /// or counts; does nothing before the macro's first read. Call it for every macro with
    /// <paramref name="response"/> false (the row's slot), then with true (its response).
    /// </summary>
    public void Preload(int row, bool response)
    {
        if (_rows is not { } rows || (uint)row >= (uint)Array.Rows) return;
        // Kept in a field so that the loads are done (their values are of no use). The record's place and the
        // record are separate calls so that a caller can load every macro's place before any record: no load
        // then waits for another of the same pass. A record is read from its start and 64 bytes on.
        var at = RecordOf(rows, row);
        var records = rows.Records;
        _preloaded = response ? records[at] + records[Math.Min(at + 16, records.Length - 1)] : at;
    }

    private int _preloaded;

    /// <summary>
    /// True when a one-row read (not cost-only) takes the exact shortcut: it adds the row's recorded response
    /// and counts what <see cref="CountReads"/> and <see cref="CountReadUnits"/> count (ideal cells, empty row groups skipped, one row
    /// within the ADC's exact range). Callers may then keep the responses of <see cref="DescribeOneRowRead"/>
    /// and apply them themselves.
    /// </summary>
    public bool ReadsOneRowExactly => _p.SkipEmptyRowGroups && _maxExactRows >= 1;

    /// <summary>
    /// What a one-row <see cref="Execute"/> of <paramref name="row"/> computes (<see cref="ReadsOneRowExactly"/> macros
    /// only): the logical columns it adds to, in the order it adds them (<paramref name="columns"/>), the values
    /// it adds (<paramref name="values"/>, weight units: the accumulator's 0 plus the response), and the array-read
    /// and column-load units it counts. Derived from the programmed array alone: the macro's state is unchanged
    /// but for the row records it keeps anyway.
    /// </summary>
    public (long ReadUnits, long ColumnLoadUnits, double Conductance) DescribeOneRowRead(int row, List<int> columns, List<double> values)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        if (!ReadsOneRowExactly) throw new InvalidOperationException("this macro's one-row reads do not take the exact shortcut");
        if ((uint)row >= (uint)Array.Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"rows lie in [0, {Array.Rows})");
        var rowRecords = _rows is { HasResponses: true } known ? known : BuildRows(responses: true);
        var at = RecordOf(rowRecords, row);
        var conductance = 0 + RowConductance(rowRecords, at, row);
        var cs = rowRecords.ColumnsAt(at);
        var index = rowRecords.IndicesAt(at);
        for (var k = 0; k < cs.Length; k++)
        {
            columns.Add(cs[k]);
            values.Add(0 + rowRecords.Values[index[k]]);
        }
        var (read, load) = ReadUnitsOf(conductance);
        return (read, load, conductance);
    }

    /// <summary>Rows driven together in one row group.</summary>
    public int RowsPerGroup => _p.ParallelRows;

    /// <summary>
    /// Rows of one group whose read is the sum of their responses (<see cref="ReadsOneRowExactly"/> macros): a
    /// read whose groups hold at most this many active rows each adds the rows' responses of
    /// <see cref="DescribeOneRowRead"/> one after another, in ascending row order, into zeroed outputs.
    /// </summary>
    public int ExactRowsPerGroup => ReadsOneRowExactly ? _maxExactRows : 0;

    /// <summary>
    /// Counts reads applied from their rows' descriptions (<see cref="DescribeOneRowRead"/>; every group within
    /// <see cref="ExactRowsPerGroup"/>) but for their array-read and column-load units (<see cref="CountReadUnits"/>):
    /// <paramref name="operations"/> reads of <paramref name="activeGroups"/> groups and <paramref name="rowsDriven"/>
    /// rows in all. With the units, the ledger then holds what <see cref="Execute"/> of those reads counts
    /// (integer counts: the order of the additions does not matter). The macro's own timeline does not move:
    /// for callers that time the reads elsewhere.
    /// </summary>
    public void CountReads(long operations, long activeGroups, long rowsDriven)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(operations);
        ArgumentOutOfRangeException.ThrowIfLessThan(activeGroups, operations);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsDriven, activeGroups);
        var ledger = Ledger;
        var columns = (long)Array.PhysicalColumns;
        ledger.Add(_hOperation, operations);
        ledger.Add(_hDrive, _synchronousCycles > 0 ? rowsDriven * _rounds : rowsDriven);
        ledger.Add(_hConversion, activeGroups * columns);
        ledger.Add(_hSelect, activeGroups * columns);
        ledger.Add(_hAdd, activeGroups * columns);
        ledger.Add(_hSkipped, (operations * _groups - activeGroups) * columns);
    }

    /// <summary>
    /// The array-read and column-load units of one read whose driven rows' conductances (<see cref="DescribeOneRowRead"/>)
    /// sum to <paramref name="conductance"/>, summed from 0 in ascending row order as <see cref="Execute"/> sums them.
    /// </summary>
    public (long ReadUnits, long ColumnLoadUnits) ReadUnitsOf(double conductance) =>
        ((long)Math.Round(conductance * _readUnitsPerSiemens), _adc.ColumnLoadUnits(conductance));

    /// <summary>Counts array-read and column-load units of reads (<see cref="ReadUnitsOf"/>, summed).</summary>
    public void CountReadUnits(long readUnits, long columnLoadUnits)
    {
        Ledger.Add(_hRead, readUnits);
        Ledger.Add(_hColumnLoad, columnLoadUnits);
    }

    /// <summary>
    /// True when <see cref="CountReads"/> of this macro and of <paramref name="other"/> count the same
    /// actions under the same ledger keys: one call for both then counts what a call for each would.
    /// </summary>
    public bool CountsReadsLike(RramMacro other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(Ledger, other.Ledger) && Array.PhysicalColumns == other.Array.PhysicalColumns && _groups == other._groups
            && (_synchronousCycles > 0 ? _rounds : 1) == (other._synchronousCycles > 0 ? other._rounds : 1)
            && _hOperation == other._hOperation && _hDrive == other._hDrive && _hConversion == other._hConversion
            && _hSelect == other._hSelect && _hAdd == other._hAdd && _hSkipped == other._hSkipped;
    }

    /// <summary>
    /// True when <see cref="ReadUnitsOf"/> of this macro and of <paramref name="other"/> agree and their
    /// <see cref="CountReadUnits"/> count under the same ledger keys.
    /// </summary>
    public bool CountsUnitsLike(RramMacro other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(Ledger, other.Ledger) && _hRead == other._hRead && _hColumnLoad == other._hColumnLoad
            && _readUnitsPerSiemens == other._readUnitsPerSiemens && _adc.ConversionLatencyNs == other._adc.ConversionLatencyNs;
    }

    /// <summary>Forgets the resource occupancy (a new run).</summary>
    public void ResetTimeline() => (_arrayFree, _adcFree) = (0, 0);

    /// <summary>
    /// Multiplies the binary input vector given by <paramref name="activeRows"/> (ascending, distinct)
    /// with the stored matrix, adding the result to <paramref name="accumulate"/> (one entry per
    /// logical column, weight units), and advances the macro's timeline.
    /// </summary>
    /// <param name="activeRows">Rows whose input spiked, ascending.</param>
    /// <param name="readyCycle">Base cycle at which the inputs are available.</param>
    /// <param name="accumulate">Outputs to add to.</param>
    /// <param name="noise">Stream for read noise (needed only when the device has read noise).</param>
    /// <param name="forceFullPath">Skip the exact shortcut (for tests).</param>
    /// <param name="costOnly">Time and count the operation but compute no outputs (replay: the results are already known).</param>
    public MacroOperation Execute(ReadOnlySpan<int> activeRows, long readyCycle, Span<double> accumulate, DeterministicRandom? noise,
        bool forceFullPath = false, bool costOnly = false)
    {
        var groupSize = _p.ParallelRows;
        var edge = (readyCycle + _ratio - 1) / _ratio * _ratio;
        long start = -1, end = edge;
        int active = 0, empty = 0;
        long drives = 0;
        double conductance = 0;
        // The exact shortcut's row responses, built before this operation's touched columns are listed (building touches them).
        (_touched, _touchedFrom, _touchedCount) = (_scratch.Touched, 0, 0);
        var rowRecords = _rows;
        if (rowRecords is null || !rowRecords.HasResponses && _ideal && (!costOnly || TouchedWhenCostOnly))
            rowRecords = BuildRows(_ideal && (!costOnly || TouchedWhenCostOnly));
        _touchedCount = 0;
        if (activeRows.Length == 1 && _p.SkipEmptyRowGroups && !costOnly && !forceFullPath && _maxExactRows >= 1 && rowRecords.HasResponses)
            return ReadOneRow(activeRows[0], edge, rowRecords, accumulate);
        _scratch.NextStamp();
        var groupRows = _scratch.GroupRows;
        var groupRecords = _scratch.GroupSlots;
        var i = 0;
        var skip = _p.SkipEmptyRowGroups;
        var group = 0;
        while (skip ? i < activeRows.Length : group < _groups)
        {
            var groupEnd = skip ? (activeRows[i] / groupSize + 1) * groupSize : (group + 1) * groupSize;
            group++;
            var k = 0;
            while (i < activeRows.Length && activeRows[i] < groupEnd)
            {
                var row = activeRows[i++];
                var at = RecordOf(rowRecords, row);
                groupRows[k] = row;
                groupRecords[k++] = at;
                conductance += RowConductance(rowRecords, at, row);
            }
            var rows = groupRows.AsSpan(0, k);
            var records = groupRecords.AsSpan(0, k);

            var (driveStart, converted) = ReadGroup(edge);
            end = Math.Max(end, converted + _shiftAddCycles);
            if (start < 0) start = driveStart;
            if (k == 0)
            {
                active++; // an empty group read anyway (SkipEmptyRowGroups off): converted, nothing to add
                empty++;
                continue;
            }

            // Function.
            if (costOnly) { if (TouchedWhenCostOnly) TouchOnly(rowRecords, records, k <= _maxExactRows && !forceFullPath); }
            else if (k <= _maxExactRows && !forceFullPath)
            {
                if (activeRows.Length == 1) AddExactSingleRow(rowRecords, records[0], accumulate);
                else AddExact(rowRecords, records, accumulate);
            }
            else AddConverted(rows, accumulate, noise);
            active++;
            drives += k;
        }

        var conversions = Count(active, empty, drives, conductance);
        return new MacroOperation(start < 0 ? edge : start, end, active, _groups - active, conversions);
    }

    /// <summary>
    /// <see cref="Execute"/> of one row in the exact regime (the usual spike-driven read) without the group
    /// loop: the same timeline, function and counts.
    /// </summary>
    private MacroOperation ReadOneRow(int row, long edge, MacroRowRecords rowRecords, Span<double> accumulate)
    {
        if ((uint)row >= (uint)Array.Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"rows lie in [0, {Array.Rows})");
        var at = RecordOf(rowRecords, row);
        var conductance = 0 + RowConductance(rowRecords, at, row);
        var (driveStart, converted) = ReadGroup(edge);
        AddExactSingleRow(rowRecords, at, accumulate);
        var conversions = Count(1, 0, 1, conductance);
        return new MacroOperation(driveStart, Math.Max(edge, converted + _shiftAddCycles), 1, _groups - 1, conversions);
    }

    /// <summary>One row group on the timeline from <paramref name="edge"/>: when its word lines are driven and its conversions end.</summary>
    private (long DriveStart, long Converted) ReadGroup(long edge)
    {
        long driveStart, converted;
        if (_synchronousCycles > 0)
        {
            // NeuroSim's synchronous read: the array and the ADCs advance together, one conversion per clock,
            // the word lines re-driven for every mux step.
            driveStart = Math.Max(edge, Math.Max(_arrayFree, _adcFree));
            converted = driveStart + _rounds * _synchronousCycles;
            _arrayFree = converted;
        }
        else
        {
            // Timeline: drive on the array, on a macro clock edge (the word-line drivers are clocked: a group whose array
            // frees between edges, its predecessor sampled when the ADC bank freed, waits for the next one), sample when
            // the ADC bank is free, convert every column. The chip's MacroUnit times its reads by the same rule
            // (MacroTimelineAgreementTests). An array free by the operation's own edge needs no rounding (no division).
            driveStart = _arrayFree <= edge ? edge : _edge.NextMultiple(_arrayFree);
            var sampled = Math.Max(driveStart + _driveSettleCycles, _adcFree);
            converted = sampled + _rounds * _conversionCycles;
            _arrayFree = sampled;
        }
        _adcFree = converted;
        return (driveStart, converted);
    }

    /// <summary>Counts one operation of <paramref name="active"/> groups read (<paramref name="empty"/> of them without a driven row) and <paramref name="drives"/> rows driven; returns its conversions.</summary>
    private long Count(int active, int empty, long drives, double conductance)
    {
        // Column load and array read are linear in the driven conductance: one sum per operation.
        var ledger = Ledger;
        var conversions = (long)active * Array.PhysicalColumns;
        ledger.Add(_hOperation);
        if (active > 0)
        {
            ledger.Add(_hDrive, _synchronousCycles > 0 ? drives * _rounds : drives);
            var (readUnits, loadUnits) = ReadUnitsOf(conductance);
            ledger.Add(_hRead, readUnits);
            // An empty group's columns have no conducting cell: NeuroSim's open-column conversion, not the logic power.
            ledger.Add(_hConversion, (long)(active - empty) * Array.PhysicalColumns);
            if (empty > 0) ledger.Add(_hOpenConversion, (long)empty * Array.PhysicalColumns);
            ledger.Add(_hColumnLoad, loadUnits);
            ledger.Add(_hSelect, conversions);
            ledger.Add(_hAdd, conversions);
        }
        ledger.Add(_hSkipped, (long)(_groups - active) * Array.PhysicalColumns);
        return conversions;
    }

    private void AddExact(MacroRowRecords rowRecords, ReadOnlySpan<int> records, Span<double> accumulate)
    {
        var values = rowRecords.Values;
        foreach (var at in records)
        {
            var columns = rowRecords.ColumnsAt(at);
            var index = rowRecords.IndicesAt(at);
            for (var k = 0; k < columns.Length; k++)
            {
                var j = columns[k];
                accumulate[j] += values[index[k]];
                Touch(j);
            }
        }
    }

    /// <summary>Where a row's record starts.</summary>
    private int RecordOf(MacroRowRecords rowRecords, int row) => rowRecords.RecordOfRow is { } direct ? direct[row] : rowRecords.RecordAt[SlotOf(row)];

    /// <summary>A row's slot in the row records.</summary>
    private int SlotOf(int row)
    {
        if (!_uniformSparse) return row;
        var i = Array.StoredRowIndex(row);
        return i < 0 ? _storedRowCount : i;
    }

    /// <summary>
    /// The row records, with the rows' responses when <paramref name="responses"/> (the conductances
    /// already known are kept): what the hardware computes for each row alone, see <see cref="RowResponses"/>.
    /// </summary>
    private MacroRowRecords BuildRows(bool responses)
    {
        var slots = _uniformSparse ? _storedRowCount + 1 : Array.Rows;
        var conductance = new double[slots];
        if (_rows is { } known) for (var s = 0; s < slots; s++) conductance[s] = known.ConductanceAt(known.RecordAt[s]);
        else System.Array.Fill(conductance, double.NaN);
        MacroRowRecords built;
        if (!responses) built = new MacroRowRecords(slots, conductance, null, [], []);
        else
        {
            var (start, columns, weights) = _uniformSparse ? SparseRowResponses() : RowResponses();
            built = new MacroRowRecords(slots, conductance, start, columns, weights);
        }
        // A row's record found without the stored-row search when a table of every row costs little beside the records.
        if (!_uniformSparse) built.RecordOfRow = built.RecordAt;
        else if (4L * _storedRowCount >= Array.Rows)
        {
            var direct = new int[Array.Rows];
            for (var row = 0; row < direct.Length; row++) direct[row] = built.RecordAt[SlotOf(row)];
            built.RecordOfRow = direct;
        }
        return _rows = built;
    }

    /// <summary>The driven row's load on its word line (see <see cref="CrossbarArray.RowReadConductance"/>), computed once per slot.</summary>
    private double RowConductance(MacroRowRecords rowRecords, int at, int row)
    {
        ref var g = ref rowRecords.ConductanceAt(at);
        // The shared empty-row slot (uniform sparse arrays) is filled by whichever empty row comes first: they all read alike.
        if (double.IsNaN(g)) g = Array.RowReadConductance(row, _p.AccessResistanceOhm);
        return g;
    }

    /// <summary>
    /// Marks the columns the functional path would have written, without computing them: the
    /// exact path writes the rows' non-zero responses, the converted path every column. (Replay
    /// sizes the partial-sum messages by them, so it must match the run.)
    /// </summary>
    private void TouchOnly(MacroRowRecords rowRecords, ReadOnlySpan<int> records, bool exact)
    {
        if (!exact)
        {
            for (var j = 0; j < Array.LogicalColumns; j++) Touch(j);
            return;
        }
        foreach (var at in records)
            foreach (var j in rowRecords.ColumnsAt(at)) Touch(j);
    }

    /// <summary>
    /// The common spike-driven case: one active row, whose response columns are distinct: they are the
    /// touched columns themselves (no copy).
    /// </summary>
    private void AddExactSingleRow(MacroRowRecords rowRecords, int at, Span<double> accumulate)
    {
        var columns = rowRecords.ColumnsAt(at);
        var index = rowRecords.IndicesAt(at);
        var values = rowRecords.Values;
        for (var k = 0; k < columns.Length; k++) accumulate[columns[k]] += values[index[k]];
        (_touched, _touchedFrom, _touchedCount) = (rowRecords.Records, MacroRowRecords.ColumnsFrom(at), columns.Length);
    }

    private void Touch(int column)
    {
        if (_scratch.Mark(column)) _touched[_touchedCount++] = column;
    }

    private void AddConverted(ReadOnlySpan<int> rows, Span<double> accumulate, DeterministicRandom? noise)
    {
        var width = Array.PhysicalColumns;
        var currents = _scratch.Currents.AsSpan(0, width);
        var values = _scratch.Values.AsSpan(0, width);
        var groupOut = _scratch.GroupOut.AsSpan(0, Array.LogicalColumns);
        Array.ReadCurrents(rows, currents, noise);
        var k = rows.Length;
        if (_adc.Parameters.Kind == AdcKind.SenseAmp)
            for (var c = 0; c < currents.Length; c++) values[c] = Converted(currents[c], k);
        else AdcRoundTrip.Convert(currents, values, k * _gMin, _levelSpacing, _readVoltage, _fullScale, _adc.MaxCode);
        Array.Decode(values, k, groupOut);
        for (var j = 0; j < groupOut.Length; j++)
        {
            accumulate[j] += groupOut[j] * _outputScale;
            Touch(j);
        }
    }

    /// <summary>A column's current through the ADC: the level sum over the floor of <paramref name="rows"/> driven cells, quantised, back in current units.</summary>
    private double Converted(double current, int rows)
    {
        var floor = rows * _gMin;
        var levelSum = (current / _readVoltage - floor) / _levelSpacing;
        var code = _adc.Quantise(levelSum, _fullScale);
        return (_adc.Dequantise(code, _fullScale) * _levelSpacing + floor) * _readVoltage;
    }

    /// <summary>
    /// NeuroSim's synchronous clock for this macro, ns: 1.4 x (ADC conversion + word-line/mux delay), the delay from
    /// the NeuroSim-style subarray model of the same geometry (node must lie in 22-130 nm).
    /// </summary>
    public static double SynchronousClockNs(MacroParameters parameters, CrossbarArray array)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(array);
        var model = new Subarray.SubarrayModel(new Subarray.SubarrayParameters
        {
            Rows = parameters.Crossbar.Rows,
            Columns = parameters.Crossbar.Columns,
            ColumnsPerAdc = parameters.ColumnsPerAdc,
            AdcBits = parameters.Adc.Bits,
            TechnologyNm = parameters.Adc.TechnologyNm,
            ReadVoltage = parameters.Device.ReadVoltage,
            RonOhm = parameters.Device.RonOhm,
            OnOffRatio = parameters.Device.OnOffRatio,
            AccessResistanceOhm = parameters.AccessResistanceOhm,
            CellsPerWeight = array.ColumnsPerLogical,
        });
        var conversionNs = new Adc(parameters.Adc).ConversionLatencyNs;
        return model.Parameters.LatencyFactor * (conversionNs + model.RowMuxDelayNs);
    }

    private static bool IsIdeal(CrossbarArray array)
    {
        var d = array.Device.Parameters;
        if (d.ReadNoiseSigma > 0 || array.Parameters.IrDrop || d.DriftNu > 0 && d.ReadTimeSeconds > d.DriftT0Seconds) return false;
        if (array.MagnitudeSteps == 0) return false; // continuous conductances (stochastic programming)
        // Every cell on a level (stuck cells sit on the extreme levels and are fine: the row responses include them).
        return array.CellsOnLevels;
    }

    /// <summary>
    /// What the hardware computes for each row alone, as sparse rows: in the exact regime reads
    /// superpose, so a group's result is the sum of its rows' responses. Taken from the converted
    /// path itself, so stuck cells and the layout are included. An array in sparse storage whose
    /// level-0 cells are alike has one response for all its rows without a stored cell, and converts
    /// a stored row's columns only where its cells lie (the other columns read what an empty row reads).
    /// </summary>
    private (int[] Start, int[] Column, double[] Weight) RowResponses()
    {
        var start = new int[Array.Rows + 1];
        var columns = new List<int>();
        var weights = new List<double>();
        var response = new double[Array.LogicalColumns];
        var single = new int[1];
        for (var r = 0; r < Array.Rows; r++)
        {
            single[0] = r;
            System.Array.Clear(response);
            AddConverted(single, response, null);
            for (var j = 0; j < response.Length; j++)
            {
                if (response[j] == 0) continue;
                columns.Add(j);
                weights.Add(response[j]); // already scaled: AddConverted applies the output scale
            }
            start[r + 1] = columns.Count;
        }
        return (start, columns.ToArray(), weights.ToArray());
    }

    private (int[] Start, int[] Column, double[] Weight) SparseRowResponses()
    {
        var width = Array.PhysicalColumns;
        var logical = Array.LogicalColumns;
        var values = _scratch.Values.AsSpan(0, width);
        // An empty row: every column carries one level-0 cell (ReadCurrents: (0 + G) V).
        var empty = Converted(Array.EmptyRowCurrent(), 1);
        values.Fill(empty);
        var emptyResponse = new double[logical];
        for (var j = 0; j < logical; j++) emptyResponse[j] = 0 + Array.DecodeColumn(values, 1, j) * _outputScale;
        var emptyColumns = new List<int>();
        for (var j = 0; j < logical; j++) if (emptyResponse[j] != 0) emptyColumns.Add(j);
        var emptyColumnCount = emptyColumns.Count;

        var references = Array.ReferenceColumns;
        var firstReference = references.Length > 0 ? references[0] : int.MaxValue;
        var perLogical = Array.ColumnsPerLogical;
        // One range per stored row, then the empty rows' shared response (the last slot).
        var start = new int[_storedRowCount + 2];
        var columns = new List<int>();
        var weights = new List<double>();
        var changed = new List<int>();
        for (var i = 0; i < _storedRowCount; i++)
        {
            var (cellColumns, cellRead) = Array.StoredCellsOfRow(i);
            var cs = cellColumns.Span;
            var gs = cellRead.Span;
            var touchesReference = false;
            changed.Clear();
            for (var k = 0; k < cs.Length; k++)
            {
                values[cs[k]] = Converted((0 + gs[k]) * _readVoltage, 1);
                if (cs[k] >= firstReference) touchesReference = true;
                else if (changed.Count == 0 || changed[^1] != cs[k] / perLogical) changed.Add(cs[k] / perLogical);
            }
            if (touchesReference || emptyColumnCount > 0)
            {
                for (var j = 0; j < logical; j++)
                {
                    var value = 0 + Array.DecodeColumn(values, 1, j) * _outputScale;
                    if (value == 0) continue;
                    columns.Add(j);
                    weights.Add(value);
                }
            }
            else
            {
                foreach (var j in changed)
                {
                    var value = 0 + Array.DecodeColumn(values, 1, j) * _outputScale;
                    if (value == 0) continue;
                    columns.Add(j);
                    weights.Add(value);
                }
            }
            foreach (var c in cs) values[c] = empty;
            start[i + 1] = columns.Count;
        }
        foreach (var j in emptyColumns)
        {
            columns.Add(j);
            weights.Add(emptyResponse[j]);
        }
        start[^1] = columns.Count;
        return (start, columns.ToArray(), weights.ToArray());
    }

}
