using Neuromorphic.Arch.Yaml;
using Neuromorphic.Hw;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Hw.Subarray;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// Reads an architecture YAML file (or a built-in preset by name) into an <see cref="ArchitectureSpec"/>.
/// Every key is checked: a misspelt key, a value out of range or of the wrong type is a one-line
/// error naming the file, the line and the dotted key. Keys and units are documented in
/// <c>docs/architecture.md</c>.
/// </summary>
public static class ArchitectureLoader
{
    /// <summary>Loads a preset by name (e.g. <c>rram-40nm-256kb</c>) or a YAML file by path.</summary>
    public static ArchitectureSpec Load(string nameOrPath)
    {
        if (Presets.TryRead(nameOrPath, out var text, out var origin)) return Parse(text, origin);
        if (string.IsNullOrWhiteSpace(nameOrPath))
            throw new InputFormatException("(architecture)", "", $"an empty name is neither a file nor an architecture preset (presets: {string.Join(", ", Presets.ArchitectureNames)})");
        if (!File.Exists(nameOrPath))
            throw new FileNotFoundException($"{nameOrPath}: no such file or architecture preset (presets: {string.Join(", ", Presets.ArchitectureNames)})");
        return Parse(YamlFile.ReadText(nameOrPath), nameOrPath);
    }

    /// <summary>Parses YAML text; <paramref name="file"/> names it in errors.</summary>
    public static ArchitectureSpec Parse(string text, string file) => Parse(YamlFile.Parse(text, file), file);

    /// <summary>The keys an architecture may have at its top level (checked first, so <c>macr:</c> is named, not reported as a missing <c>macro</c>).</summary>
    private static readonly string[] TopLevelKeys =
    [
        "name", "description", "technology_nm", "base_clock_hz", "macro", "chip", "neuron_core", "noc", "default_input_density", "sdsa_unit", "accumulate_core",
        "placement", "mapping", "floorplan", "power", "cost_table", "cost_table_file",
    ];

    /// <summary>Reads an architecture from a YAML mapping (a whole file, or a section of a run configuration).</summary>
    public static ArchitectureSpec Parse(YamlSection root, string origin)
    {
        var file = origin;
        root.RejectKeysOtherThan(TopLevelKeys);
        var technology = root.Double("technology_nm", 40, 5, 180);
        var baseClock = root.Double("base_clock_hz", 1e9, 1e6, 1e11);
        var spec = new ArchitectureSpec
        {
            Name = root.String("name"),
            Description = root.String("description", ""),
            Origin = file,
            TechnologyNm = technology,
            BaseClockHz = baseClock,
            Macro = ReadMacro(root.Section("macro") ?? throw root.Error("macro", "missing required section"), technology, baseClock),
            Chip = ReadChip(root.Section("chip")),
            NeuronCore = ReadNeuronCore(root.Section("neuron_core"), technology),
            Noc = ReadNoc(root.Section("noc"), technology, baseClock),
            // Above 0: the figures are averages over the rows a read drives, and no rows is no read.
            DefaultInputDensity = root.Double("default_input_density", 0.1, MinInputDensity, 1),
            Sdsa = ReadSdsa(root.Section("sdsa_unit"), technology),
            AccumulateWeightMemoryBytes = ReadAccumulateCore(root.Section("accumulate_core")),
            Placement = ReadPlacement(root.Section("placement")),
            Mapping = ReadMapping(root.Section("mapping")),
            Floorplan = ReadFloorplan(root.Section("floorplan"), root.Section("chip")),
            Power = ReadPower(root.Section("power")),
            CostOverrides = CostFile(root, root.File).Concat(root.Sections("cost_table").Select(ReadCostRow)).ToList(),
        };
        root.RejectUnknownKeys();
        if (!ClockRatio.Divides(baseClock, spec.Noc.ClockHz))
            throw root.Error("base_clock_hz", $"the default NoC clock ({spec.Noc.ClockHz} Hz) does not divide it: give noc.clock_hz");
        Check(root, "macro", spec.Macro.Validate);
        Check(root, "chip", spec.Chip.Validate);
        Check(root, "neuron_core", spec.NeuronCore.Validate);
        Check(root, "noc", spec.Noc.Validate);
        Check(root, "mapping", spec.Mapping.Validate);
        if (spec.Noc.Width * spec.Noc.Height < spec.Chip.Tiles)
            throw root.Error("noc", $"a {spec.Noc.Width} x {spec.Noc.Height} mesh has fewer routers than chip.tiles ({spec.Chip.Tiles})");
        return spec;
    }

    /// <summary>Smallest <c>default_input_density</c> (and <c>--density</c>): at least one row in a million driven.</summary>
    public const double MinInputDensity = 1e-6;

    private static void Check(YamlSection root, string key, Action validate)
    {
        try { validate(); }
        catch (ArgumentException ex) { throw root.Error(key, ex.Message); }
    }

    private static MacroParameters ReadMacro(YamlSection s, double technology, double baseClock)
    {
        var rows = s.Int("rows", 512, 1, CrossbarParameters.MaxSide);
        var columns = s.Int("columns", 512, 1, CrossbarParameters.MaxSide);
        if ((long)rows * columns > CrossbarParameters.MaxCells)
            throw s.Error("rows", $"a {rows} x {columns} array has {(long)rows * columns} cells, more than the {CrossbarParameters.MaxCells} an array may have");
        var device = ReadDevice(s.Section("device") ?? throw s.Error("device", "missing required section"));
        var adc = ReadAdc(s.Section("adc"), technology, device.ReadVoltage);
        var p = new MacroParameters
        {
            Crossbar = new CrossbarParameters
            {
                Rows = rows,
                Columns = columns,
                SignedWeights = s.Choice("signed_weights", "differential_pair", "differential_pair", "reference_column", "offset_binary") switch
                {
                    "differential_pair" => SignedWeightScheme.DifferentialPair,
                    "reference_column" => SignedWeightScheme.ReferenceColumn,
                    _ => SignedWeightScheme.OffsetBinary,
                },
                WeightBits = s.Int("weight_bits", 1, 1, 16),
                IrDrop = s.Bool("ir_drop", false),
                WireResistanceOhm = s.Double("wire_resistance_ohm", 2.0, 0, 1e6),
                SparseStorageMaxOccupancy = s.Double("sparse_storage_max_occupancy", 0.25, 0, 1),
            },
            Device = device,
            Adc = adc,
            ParallelRows = s.Int("parallel_rows", 32, 1, rows),
            ColumnsPerAdc = s.Int("columns_per_adc", 8, 1, columns),
            ClockHz = DividingClock(s, baseClock, 200e6),
            DriveCycles = s.Int("drive_cycles", 1, 0, 1000),
            SettleCycles = s.Int("settle_cycles", 1, 0, 1000),
            ShiftAddCycles = s.Int("shift_add_cycles", 1, 0, 1000),
            AccumulatorBits = s.Int("accumulator_bits", 16, ShiftAddParameters.MinBits, ShiftAddParameters.MaxBits),
            AdcFullScaleLevels = s.Has("adc_full_scale_levels") ? s.Int("adc_full_scale_levels", null, 1) : null,
            ProgramPulseEnergyPj = s.Double("program_pulse_energy_pJ", 10, 0, 1e6),
            Timing = s.Choice("read_timing", "pipelined", "pipelined", "neurosim_synchronous") == "pipelined" ? ReadTiming.Pipelined : ReadTiming.NeuroSimSynchronous,
            SkipEmptyRowGroups = s.Bool("skip_empty_row_groups", true),
            AccessResistanceOhm = s.Double("access_resistance_ohm", 0, 0, 1e9),
        };
        s.RejectUnknownKeys();
        if (device.ReadNoiseModel == ReadNoiseModel.PerColumn && device.ReadNoiseSigma > 0 && p.Crossbar.IrDrop && p.Crossbar.WireResistanceOhm > 0)
            throw s.Error("ir_drop", "device.read_noise_model per_column cannot be drawn with IR drop (the drop is not linear in a cell's conductance): use per_cell or auto");
        return p;
    }

    private static RramDeviceParameters ReadDevice(YamlSection s)
    {
        var scheme = s.Choice("programming", "write_verify", "write_verify", "stochastic_pulse");
        ConductanceDistribution? pulse = null;
        if (s.Section("pulse_distribution") is { } d)
        {
            var kind = d.Choice("kind", "lognormal", "lognormal", "normal", "uniform");
            pulse = kind switch
            {
                "lognormal" => ConductanceDistribution.LogNormal(d.Double("median_uS", null, 1e-6, 1e6) * 1e-6, d.Double("sigma_ln", null, 0, 10)),
                "normal" => ConductanceDistribution.Normal(d.Double("mean_uS", null, 0, 1e6) * 1e-6, d.Double("sd_uS", null, 0, 1e6) * 1e-6),
                _ => ConductanceDistribution.Uniform(d.Double("low_uS", null, 0, 1e6) * 1e-6, d.Double("high_uS", null, 0, 1e6) * 1e-6),
            };
            d.RejectUnknownKeys();
        }
        var p = new RramDeviceParameters
        {
            RonOhm = s.Double("ron_ohm", 100e3, 1, 1e12),
            OnOffRatio = s.Double("on_off_ratio", 17, 1.0001, 1e9),
            BitsPerCell = s.Int("bits_per_cell", 1, 1, 8),
            ReadVoltage = s.Double("read_voltage", 0.2, 1e-3, 10),
            Programming = scheme == "write_verify" ? ProgrammingScheme.WriteVerify : ProgrammingScheme.StochasticPulse,
            ProgrammingSigma = s.Double("programming_sigma", 0, 0, 10),
            ProgrammingSigmaPerLevel = s.Has("programming_sigma_per_level") ? s.Doubles("programming_sigma_per_level", 0, 10) : null,
            PulseSigma = s.Double("pulse_sigma", 0.25, 0, 10),
            VerifyTolerance = s.Double("verify_tolerance", 0.05, 0, 10),
            MaxVerifyIterations = s.Int("max_verify_iterations", 20, 1, 10000),
            PulseDistribution = pulse,
            DeviceToDeviceSigma = s.Double("device_to_device_sigma", 0, 0, 10),
            ReadNoiseSigma = s.Double("read_noise_sigma", 0, 0, 10),
            ReadNoiseModel = s.Choice("read_noise_model", "auto", "auto", "per_cell", "per_column") switch
            {
                "per_cell" => ReadNoiseModel.PerCell,
                "per_column" => ReadNoiseModel.PerColumn,
                _ => ReadNoiseModel.Auto,
            },
            StuckAtOnRate = s.Double("stuck_at_on_rate", 0, 0, 1),
            StuckAtOffRate = s.Double("stuck_at_off_rate", 0, 0, 1),
            DriftNu = s.Double("drift_nu", 0, 0, 10),
            DriftT0Seconds = s.Double("drift_t0_s", 1, 1e-12, 1e12),
            ReadTimeSeconds = s.Double("read_time_s", 1, 0, 1e12),
        };
        s.RejectUnknownKeys();
        try { p.Validate(); }
        catch (ArgumentException ex) { throw s.Error("", ex.Message); }
        return p;
    }

    private static AdcParameters ReadAdc(YamlSection? s, double technology, double readVoltage)
    {
        if (s is null) return new AdcParameters { TechnologyNm = technology, ReadVoltage = readVoltage };
        var kind = s.Choice("kind", "sar", "sar", "flash", "sense_amp");
        var p = new AdcParameters
        {
            Kind = kind switch { "sar" => AdcKind.Sar, "flash" => AdcKind.Flash, _ => AdcKind.SenseAmp },
            Bits = kind == "sense_amp" ? s.Int("bits", 1, 1, 1) : s.Int("bits", 5, 1, 16),
            TechnologyNm = technology,
            ClockHz = s.Double("clock_hz", 1e9, 1e3, 1e11),
            SenseThresholdFraction = s.Double("sense_threshold_fraction", 0.5, 0, 1),
            ReadVoltage = readVoltage,
        };
        s.RejectUnknownKeys();
        return p;
    }

    private static SdsaUnitParameters ReadSdsa(YamlSection? s, double technology)
    {
        if (s is null) return new SdsaUnitParameters { TechnologyNm = technology };
        var p = new SdsaUnitParameters
        {
            Lanes = s.Int("lanes", 64, 1, 1 << 20),
            CountBits = s.Int("count_bits", 12, 1, 32),
            ClockHz = s.Double("clock_hz", 200e6, 1e3, 1e11),
            TechnologyNm = technology,
        };
        s.RejectUnknownKeys();
        return p;
    }

    /// <summary>Largest <c>accumulate_core.weight_memory_bytes</c>: 1 GiB.</summary>
    public const int MaxWeightMemoryBytes = 1 << 30;

    private static long? ReadAccumulateCore(YamlSection? s)
    {
        if (s is null) return null;
        long? bytes = s.Has("weight_memory_bytes") ? s.Int("weight_memory_bytes", null, 0, MaxWeightMemoryBytes) : null;
        s.RejectUnknownKeys();
        return bytes;
    }

    private static MappingParameters ReadMapping(YamlSection? s)
    {
        if (s is null) return new MappingParameters();
        var p = new MappingParameters
        {
            WordLines = s.Choice("word_lines", "dense", "dense", "compacted") == "compacted" ? WordLineMapping.Compacted : WordLineMapping.Dense,
            RowTableEntries = s.Int("row_table_entries", 65536, 1, MappingParameters.MaxRowTableEntries),
            MacroOrder = ArchitectureChoices.MacroOrder.Parse(s.Choice("macro_order", ArchitectureChoices.MacroOrder.All[0], [.. ArchitectureChoices.MacroOrder.All])),
            OneSignedLayers = ArchitectureChoices.OneSignedLayers.Parse(s.Choice("one_signed_layers", ArchitectureChoices.OneSignedLayers.All[0], [.. ArchitectureChoices.OneSignedLayers.All])),
        };
        s.RejectUnknownKeys();
        return p;
    }

    private static LayerPlacement ReadPlacement(YamlSection? s)
    {
        if (s is null) return new LayerPlacement();
        LayerTarget Target(YamlSection section, string key, string fallback) =>
            section.Choice(key, fallback, "rram", "digital") == "rram" ? LayerTarget.Rram : LayerTarget.Digital;
        var rules = s.Sections("rules").Select(r =>
        {
            var rule = (r.String("layers"), Target(r, "on", "rram"));
            r.RejectUnknownKeys();
            return rule;
        }).ToList();
        var p = new LayerPlacement { Default = Target(s, "default", "rram"), Rules = rules };
        s.RejectUnknownKeys();
        return p;
    }

    private static PowerGating ReadPower(YamlSection? s)
    {
        if (s is null) return PowerGating.Idle;
        var gating = s.Choice("gating", "idle", "none", "idle", "per_unit") switch
        {
            "none" => PowerGating.None,
            "idle" => PowerGating.Idle,
            _ => PowerGating.PerUnit,
        };
        s.RejectUnknownKeys();
        return gating;
    }

    private static LayerFloorplan ReadFloorplan(YamlSection? s, YamlSection? chip)
    {
        // Tiles and subarrays per tile are the chip section's; the floorplan section adds the buffers and bus.
        var tiles = chip?.Int("tiles", 16, 1, 1 << 20) ?? 16;
        var perTile = chip?.Int("macros_per_tile", 4, 1, 1 << 16) ?? 4;
        if (s is null) return new LayerFloorplan { Tiles = tiles, SubarraysPerTile = perTile, PesPerTile = DefaultPesPerTile(perTile) };
        var p = new LayerFloorplan
        {
            Tiles = tiles,
            SubarraysPerTile = perTile,
            PesPerTile = s.Has("pes_per_tile") ? s.Int("pes_per_tile", null, 1, perTile) : DefaultPesPerTile(perTile),
            InputBits = s.Int("input_bits", 1, 1, 32),
            OutputBits = s.Has("output_bits") ? s.Int("output_bits", null, 1, 64) : null,
            BufferInterfaceBits = s.Int("buffer_interface_bits", 32, 1, 1 << 16),
            BusWidthBits = s.Int("bus_width_bits", 128, 1, 1 << 16),
            InputToggle = s.Double("input_toggle", 0.18, 0, 1),
            OutputToggle = s.Double("output_toggle", 0.5, 0, 1),
        };
        s.RejectUnknownKeys();
        try { p.Validate(); }
        catch (ArgumentException ex) { throw s.Error("pes_per_tile", ex.Message); }
        return p;
    }

    // NeuroSim's 2 x 2 PEs per tile where the tile's subarrays allow it, else one PE holding them all.
    private static int DefaultPesPerTile(int subarraysPerTile) => subarraysPerTile % 4 == 0 ? 4 : 1;

    private static ChipParameters ReadChip(YamlSection? s)
    {
        if (s is null) return new ChipParameters();
        var p = new ChipParameters
        {
            Tiles = s.Int("tiles", 16, 1, 1 << 20),
            MacrosPerTile = s.Int("macros_per_tile", 4, 1, 1 << 16),
            NeuronsPerCore = s.Int("neurons_per_core", 4096, 1, 1 << 24),
            NeuronPlacement = ArchitectureChoices.NeuronPlacement.Parse(s.Choice("neuron_placement", ArchitectureChoices.NeuronPlacement.All[0], [.. ArchitectureChoices.NeuronPlacement.All])),
            Execution = s.Choice("execution", "barrier", "barrier", "pipelined") == "pipelined" ? ExecutionMode.Pipelined : ExecutionMode.Barrier,
        };
        s.RejectUnknownKeys();
        return p;
    }

    private static DigitalNeuronUnitParameters ReadNeuronCore(YamlSection? s, double technology)
    {
        if (s is null) return new DigitalNeuronUnitParameters { TechnologyNm = technology };
        var p = new DigitalNeuronUnitParameters
        {
            Lanes = s.Int("lanes", 16, 1, 1 << 16),
            MembraneBits = s.Int("membrane_bits", 16, 2, 32),
            FractionBits = s.Int("fraction_bits", 8, 0, 31),
            ClockHz = s.Double("clock_hz", 200e6, 1e3, 1e11),
            PipelineLatencyCycles = s.Int("pipeline_latency_cycles", 2, 0, 1000),
            TechnologyNm = technology,
        };
        s.RejectUnknownKeys();
        return p;
    }

    /// <summary>A component's <c>clock_hz</c>, which must divide the base clock (<see cref="ClockRatio"/>).</summary>
    private static double DividingClock(YamlSection s, double baseClock, double fallback)
    {
        var hz = s.Double("clock_hz", fallback, 1e3, 1e11);
        if (!ClockRatio.Divides(baseClock, hz))
            throw s.Error("clock_hz", $"{hz.ToString(System.Globalization.CultureInfo.InvariantCulture)} Hz does not divide base_clock_hz ({baseClock.ToString(System.Globalization.CultureInfo.InvariantCulture)} Hz): the component must run every whole number of base cycles");
        return hz;
    }

    private static MeshNocParameters ReadNoc(YamlSection? s, double technology, double baseClock)
    {
        // Without a section the mesh is the default one at the chip's node, as every other section's defaults are
        // (MeshNocParameters' own default node is Loihi's 14 nm, the node of its energy figures).
        if (s is null) return new MeshNocParameters { TechnologyNm = technology };
        // One way of pricing each part of a flit: a second key beside it would be ignored without a word.
        if (s.Has("router_energy_pJ_per_flit") && s.Has("router_energy_pJ_per_bit"))
            throw s.Error("router_energy_pJ_per_bit", "give router_energy_pJ_per_flit or router_energy_pJ_per_bit, not both");
        var linkKeys = new[] { "link_energy_pJ_per_flit", "link_energy_pJ_per_bit", "link_length_um" }.Where(s.Has).ToList();
        if (linkKeys.Count > 1)
            throw s.Error(linkKeys[1], $"give one of link_energy_pJ_per_flit, link_energy_pJ_per_bit and link_length_um, not {string.Join(" and ", linkKeys)}");
        var p = new MeshNocParameters
        {
            Width = s.Int("width", 4, 1, 1 << 12),
            Height = s.Int("height", 4, 1, 1 << 12),
            LinkWidthBits = s.Int("link_width_bits", 32, 1, 1 << 16),
            HopLatencyCycles = s.Int("hop_latency_cycles", 1, 1, 1 << 16),
            // Per bit at Loihi's 14 nm, scaled by the flit's width and the node; a per-flit figure, when given, is taken as is.
            RouterEnergyPjPerBit = s.OptionalDouble("router_energy_pJ_per_bit", 0, 1e6),
            LinkEnergyPjPerBit = s.OptionalDouble("link_energy_pJ_per_bit", 0, 1e6),
            RouterEnergyPjPerFlit = s.OptionalDouble("router_energy_pJ_per_flit", 0, 1e6),
            LinkEnergyPjPerFlit = s.OptionalDouble("link_energy_pJ_per_flit", 0, 1e6),
            LinkLengthUm = s.OptionalDouble("link_length_um", 1e-3, 1e6),
            ClockHz = DividingClock(s, baseClock, 200e6),
            TechnologyNm = s.Double("technology_nm", technology, 5, 180),
            BufferFlits = s.Int("buffer_flits", 4, 1, 1 << 16),
        };
        s.RejectUnknownKeys();
        return p;
    }

    /// <summary>Rows of <c>cost_table_file</c> (a CSV cost table, relative to the architecture file), applied before inline rows.</summary>
    private static IReadOnlyList<CostTableRow> CostFile(YamlSection root, string file)
    {
        if (!root.Has("cost_table_file")) return [];
        var name = root.String("cost_table_file");
        var folder = File.Exists(file) ? Path.GetDirectoryName(Path.GetFullPath(file)) ?? "." : ".";
        var path = Path.IsPathRooted(name) ? name : Path.Combine(folder, name);
        if (!File.Exists(path)) throw root.Error("cost_table_file", $"no such file: {path}");
        return CostTableCsv.Read(path);
    }

    private static CostTableRow ReadCostRow(YamlSection s)
    {
        var row = new CostTableRow(s.String("component"), s.String("action"), s.OptionalDouble("energy_pJ", double.NegativeInfinity, CostTableRow.MaxFigure), s.OptionalDouble("latency_ns", double.NegativeInfinity, CostTableRow.MaxFigure),
            s.OptionalDouble("area_um2", double.NegativeInfinity, CostTableRow.MaxFigure), s.OptionalDouble("leakage_uW", double.NegativeInfinity, CostTableRow.MaxFigure), s.Has("source") ? s.String("source") : null, s.File, $"line {s.Line}");
        s.RejectUnknownKeys();
        return row;
    }
}
