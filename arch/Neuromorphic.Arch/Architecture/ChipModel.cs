using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// The component models of an architecture and the cost table they imply: every model proposes
/// its rows (with sources), the architecture file's <c>cost_table</c> overrides them, and the
/// result is what a run prices its ledger with.
/// </summary>
public sealed class ChipModel
{
    /// <summary>Builds the models of <paramref name="spec"/>.</summary>
    /// <exception cref="Neuromorphic.Traces.InputFormatException">If a cost override names an unknown row or is invalid.</exception>
    public ChipModel(ArchitectureSpec spec)
    {
        Spec = spec;
        var m = spec.Macro;
        Adc = new Adc(m.Adc);
        Driver = new WordLineDriver(new WordLineDriverParameters { Columns = m.Crossbar.Columns, TechnologyNm = spec.TechnologyNm });
        Mux = new ColumnMux(new ColumnMuxParameters { ColumnsPerAdc = m.ColumnsPerAdc, TechnologyNm = spec.TechnologyNm });
        ShiftAdd = new ShiftAdd(new ShiftAddParameters { Bits = m.AccumulatorBits, TechnologyNm = spec.TechnologyNm, ClockHz = m.ClockHz });
        // The core's state SRAM holds the membranes of the neurons it may take: its size prices every state access.
        NeuronUnit = new DigitalNeuronUnit(spec.NeuronCore with { StateSramBytes = StateSramBytes(spec) });
        Device = new RramDevice(m.Device);
        var noc = new MeshNoc(spec.Noc);
        Sdsa = new SdsaUnit(spec.Sdsa);
        // The weight SRAM holds what the workload stores on the core: the file fixes it, an LSM run sizes it for its readout
        // (LsmExperiment.WithReadoutMemory), and otherwise it is the transformers' assumed 64 KB for their digital layers.
        // A workload that puts no work on the cores (CUBA, graphs without digital nodes) counts none of them (Instances).
        var core = new AccumulateCoreParameters { TechnologyNm = spec.TechnologyNm, ClockHz = spec.NeuronCore.ClockHz };
        AccumulateCore = new AccumulateCore(core with { WeightMemoryBytes = spec.AccumulateWeightMemoryBytes ?? core.WeightMemoryBytes });
        ActivationSram = new SramBuffer(new SramBufferParameters
        {
            CapacityBytes = ActivationSramBytes, WordBits = 64, TechnologyNm = spec.TechnologyNm, ClockHz = spec.NeuronCore.ClockHz,
        });
        // The layout (columns per weight, reference columns) is the crossbar's business: ask it once.
        var probe = CrossbarArray.Program(new float[1], 1, 1, m.Crossbar, Device, new Neuromorphic.Sim.Randomness.DeterministicRandom(0));
        var actions = MacroCosts.Defaults(m, Adc, Driver, Mux, ShiftAdd).Concat(NeuronUnit.DefaultCosts()).Concat(noc.DefaultCosts())
            .Concat(AccumulateCore.DefaultCosts()).Concat(Sdsa.DefaultCosts())
            .Concat(TileIoBuffer.DefaultCosts(spec.TechnologyNm)).Concat(ActivationSram.DefaultCosts());
        var instances = MacroCosts.DefaultInstances(m, Adc, probe.ColumnsPerLogical).Concat(NeuronUnit.DefaultComponentCosts()).Concat(noc.DefaultComponentCosts())
            .Concat(AccumulateCore.DefaultComponentCosts()).Concat(Sdsa.DefaultComponentCosts())
            .Concat(TileIoBuffer.DefaultComponentCosts(spec.TechnologyNm)).Concat(ActivationSram.DefaultComponentCosts());
        if (spec.Mapping.WordLines == WordLineMapping.Compacted)
        {
            // Only a compacted mapping has the table: dense runs keep their cost table as it was.
            RowTable = new RowAddressTable(spec.Mapping.RowTableEntries, spec.Chip.Macros, m.Crossbar.Rows, spec.TechnologyNm, spec.Noc.ClockHz);
            actions = actions.Concat(RowTable.DefaultCosts());
            instances = instances.Concat(RowTable.DefaultComponentCosts());
        }
        Defaults = new CostTable(actions, instances);
        LogicalColumnsPerMacro = (m.Crossbar.Columns - probe.ReferenceColumns.Length) / probe.ColumnsPerLogical;
        if (LogicalColumnsPerMacro < 1)
            throw new ArgumentException($"a {m.Crossbar.Columns}-column array cannot hold one {m.Crossbar.WeightBits}-bit weight column ({probe.ColumnsPerLogical} columns each)");
        // One-signed layers on single cells: one column per slice of a weight's magnitude bits (never more than the scheme's).
        SingleCellCrossbar = m.Crossbar with { SignedWeights = SignedWeightScheme.SingleCell };
        var single = CrossbarArray.Program(new float[1], 1, 1, SingleCellCrossbar, Device, new Neuromorphic.Sim.Randomness.DeterministicRandom(0));
        SingleCellColumnsPerMacro = m.Crossbar.Columns / single.ColumnsPerLogical;
        Costs = Defaults.WithOverrides(spec.CostOverrides);
    }

    /// <summary>The architecture.</summary>
    public ArchitectureSpec Spec { get; }

    /// <summary>Each tile's row-address table (compacted word lines only; null with the dense mapping).</summary>
    public RowAddressTable? RowTable { get; }

    /// <summary>The column ADC model.</summary>
    public Adc Adc { get; }

    /// <summary>The word-line driver model.</summary>
    public WordLineDriver Driver { get; }

    /// <summary>The column multiplexer model.</summary>
    public ColumnMux Mux { get; }

    /// <summary>The shift-add model.</summary>
    public ShiftAdd ShiftAdd { get; }

    /// <summary>The digital neuron unit model.</summary>
    public DigitalNeuronUnit NeuronUnit { get; }

    /// <summary>
    /// Bytes of one core's neuron-state SRAM: <c>chip.neurons_per_core</c> membranes of <c>neuron_core.membrane_bits</c>
    /// each (4096 x 16 bits = 8 KB by default), so the energy of a state access and the core's area and leakage follow
    /// both. (Before, the SRAM stayed at 8 KB whatever the core held.)
    /// </summary>
    public static long StateSramBytes(ArchitectureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ((long)spec.Chip.NeuronsPerCore * spec.NeuronCore.MembraneBits + 7) / 8;
    }

    /// <summary>
    /// Weight columns one macro holds under the architecture's signed-weight scheme (physical columns over the
    /// columns one weight column needs): the capacity for mixed-sign layers.
    /// </summary>
    public int LogicalColumnsPerMacro { get; }

    /// <summary>
    /// Weight columns one macro holds when a one-signed layer's magnitudes sit on single cells
    /// (<see cref="SignedWeightScheme.SingleCell"/>: physical columns over the slices of one weight).
    /// </summary>
    public int SingleCellColumnsPerMacro { get; }

    /// <summary>The macro's crossbar parameters with single cells: how one-signed layers are programmed.</summary>
    public CrossbarParameters SingleCellCrossbar { get; }

    /// <summary>Weight columns one macro holds for a layer on single cells (<paramref name="singleCells"/>) or under the signed scheme.</summary>
    public int ColumnsPerMacro(bool singleCells) => singleCells ? SingleCellColumnsPerMacro : LogicalColumnsPerMacro;

    /// <summary>The most weight columns any macro of this chip holds, whatever its layer's storage (buffers sized for any macro).</summary>
    public int MaxLogicalColumnsPerMacro => Math.Max(LogicalColumnsPerMacro, SingleCellColumnsPerMacro);

    /// <summary>The digital accumulate core (sparse accumulation with zero-skipping: layers off the macros, readouts).</summary>
    public AccumulateCore AccumulateCore { get; }

    /// <summary>The spike-driven self-attention unit.</summary>
    public SdsaUnit Sdsa { get; }

    /// <summary>
    /// Activation and membrane SRAM of a tile, 64 KB (assumed: room for a 14 x 14 x 640 stage of
    /// 16-bit membranes and the spike bitmaps feeding it), 64-bit words.
    /// </summary>
    public const long ActivationSramBytes = 64 * 1024;

    /// <summary>A tile's activation and membrane SRAM (layer outputs, spike bitmaps, LIF membranes).</summary>
    public SramBuffer ActivationSram { get; }

    /// <summary>The cell model.</summary>
    public RramDevice Device { get; }

    /// <summary>The models' own cost rows, before the file's overrides.</summary>
    public CostTable Defaults { get; }

    /// <summary>The cost table in force.</summary>
    public CostTable Costs { get; }

    /// <summary>A fresh network-on-chip (its link occupancy is per run).</summary>
    public MeshNoc CreateNoc() => new(Spec.Noc);

    /// <summary>A macro around a programmed array, counting into <paramref name="ledger"/> under <paramref name="layer"/>; outputs are multiplied by <paramref name="outputScale"/>.</summary>
    public RramMacro CreateMacro(CrossbarArray array, Ledger ledger, string layer, double outputScale = 1.0, MacroScratch? scratch = null) =>
        new(Spec.Macro, array, Spec.BaseClockHz, ledger, layer, outputScale, scratch);

    /// <summary>Working buffers any macro of this chip fits, for macros that run one at a time to share (see <see cref="RramMacro"/>).</summary>
    public MacroScratch CreateMacroScratch() =>
        new(Spec.Macro.Crossbar.Columns, Spec.Macro.Crossbar.Columns, Spec.Macro.ParallelRows);

    /// <summary>
    /// Powered instances of each component class, for leakage: per macro one array, its ADCs, one
    /// word-line driver per row, one mux and one shift-add per ADC; per tile one neuron unit (whose lanes also add the
    /// partial sums of row blocks: there is no separate partial-sum adder), one router, one I/O buffer, and one accumulate
    /// core where the workload uses it (<paramref name="accumulateCores"/>); with compacted word lines one row-address table per tile that holds source neurons of a compacted
    /// projection (<paramref name="rowTables"/>; all <paramref name="tiles"/> if not given): a tile with macros only has
    /// no sources to look up.
    /// </summary>
    /// <param name="macros">Macros the workload occupies.</param>
    /// <param name="tiles">Tiles it occupies.</param>
    /// <param name="adcsPerMacro">ADCs of each macro.</param>
    /// <param name="rowTables">Tiles with a row-address table (compacted word lines); all <paramref name="tiles"/> if null.</param>
    /// <param name="accumulateCores">Accumulate cores the workload uses (an LSM's readout, a transformer's digital layers, a graph's
    /// digital nodes); 0, the default, for a workload that puts no work on them: a unit no workload uses takes no area and leaks nothing.</param>
    public IReadOnlyDictionary<string, long> Instances(int macros, int tiles, int adcsPerMacro, int? rowTables = null, int accumulateCores = 0)
    {
        var rows = Spec.Macro.Crossbar.Rows;
        var instances = new Dictionary<string, long>
        {
            [MacroCosts.ArrayComponent] = macros,
            [Adc.Component] = (long)macros * adcsPerMacro,
            [WordLineDriver.Component] = (long)macros * rows,
            [ColumnMux.Component] = (long)macros * adcsPerMacro,
            [Hw.Periphery.ShiftAdd.Component] = (long)macros * adcsPerMacro,
            [DigitalNeuronUnit.Component] = tiles,
            [MeshNoc.Component] = tiles,
            [AccumulateCore.Component] = accumulateCores,
            [TileIoBuffer.Component] = tiles,
        };
        if (RowTable is not null) instances[RowAddressTable.Component] = rowTables ?? tiles;
        return instances;
    }

    /// <summary>
    /// The powered instances of a mapped program (<see cref="Instances(int, int, int, int?, int)"/>): its macros, their ADCs and
    /// the per-tile units of its tiles, with an accumulate core on each only where the program puts work there (a digital
    /// node's adds, or the <paramref name="readout"/> an LSM run adds): a CUBA network or a graph of crossbars and
    /// populations leaves the cores unused, and they take no area and leak nothing.
    /// </summary>
    /// <param name="program">The mapping.</param>
    /// <param name="readout">Whether the run adds a readout on the accumulate cores (LSM).</param>
    public IReadOnlyDictionary<string, long> Instances(Mapping.ChipProgram program, bool readout = false)
    {
        ArgumentNullException.ThrowIfNull(program);
        var used = readout || program.Nodes.Any(n => n.Kind == Mapping.ChipNodeKind.Digital);
        return Instances(program.MacrosUsed, program.TilesUsed, program.AdcsPerMacro(), program.RowTableTiles, used ? program.TilesUsed : 0);
    }

    /// <summary>Hardware block of each component class, for the breakdown's unit column.</summary>
    public static string BlockOf(string component) => component switch
    {
        DigitalNeuronUnit.Component => "neuron_core",
        MeshNoc.Component => "noc",
        AccumulateCore.Component => "accumulate_core",
        SdsaUnit.Component => "sdsa_unit",
        TileIoBuffer.Component => "tile_io",
        SramBuffer.Component => "activation_sram",
        _ => "macro",
    };
}
