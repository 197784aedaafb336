using System.Collections.Frozen;
using System.Text;
using static Neuromorphic.Arch.Runs.Records.MetricKind;
using static Neuromorphic.Arch.Runs.Records.MetricScope;

namespace Neuromorphic.Arch.Runs.Records;

/// <summary>
/// The one list of metric names a run directory's <c>summary.json</c> may carry, with unit and
/// scope. Every command writes its summary through <see cref="RunRecord"/>, which refuses a name
/// that is not here, so one name always means one thing (docs/metrics.md is generated from this list
/// and a test keeps the two equal).
/// </summary>
public static class MetricCatalogue
{
    private static readonly MetricDefinition[] Entries =
    [
        // Identity: what was run, with what.
        new("tool_version", "-", Identity, Text, "Version of the neuromorphic assembly that wrote the record."),
        new("config", "-", Identity, Text, "The run configuration file or preset the run came from."),
        new("config_hash", "-", Identity, Text, "Hash of the run configuration's text (a sweep point's includes its values and seed); the command line's --seed and --workload-path overrides are not in it (the seed is `seed`), so runs differing only by them share a hash."),
        new("name", "-", Identity, Text, "The run configuration's name."),
        new("seed", "count", Identity, Integer, "The run's seed; every random stream derives from it."),
        new("architecture", "-", Identity, Text, "The architecture's `name` key, in the same form in every command: a preset's name, or the name its file or inline `architecture:` section gives (no `preset:` prefix, no path; the LSM presets' architectures differ and are named apart)."),
        new("model", "-", Identity, Text, "The network model's name (spike-driven transformers)."),
        new("mode", "-", Identity, Text, "Transformers: `rates` (priced from firing rates) or `functional` (run, then priced from the measured activity)."),
        new("pricing", "-", Identity, Text, "Transformers: how the per-layer figures were priced: `event-driven` (from the tensors that occurred) or `rate-based` (Bernoulli spikes at each layer's rate)."),
        new("chip_compute", "-", Identity, Text, "Transformers: what computed the chip's outputs: `hardware` (macros, neuron core, SDSA unit) or `software` (software operators; the chip priced them)."),
        new("activity", "-", Identity, Text, "External replay: the activity file priced."),
        new("network", "-", Identity, Text, "The network run: a NIR graph's file (also on the chip), the built-in example, or (external replay) the graph the activity was recorded on."),
        new("precision", "-", Identity, Text, "Software runs of NIR graphs: float32 or float64 arithmetic."),
        new("semantics", "-", Identity, Text, "NIR graphs: the discretisation used (nir, snntorch, norse); docs/nir-semantics.md."),
        new("reset_mechanism", "-", Identity, Text, "NIR graphs: what a spike does to the membrane (value or subtract)."),
        new("semantics_from", "-", Identity, Text, "NIR graphs: where the semantics came from (an option, the file's metadata, or the default)."),
        new("execution", "-", Identity, Text, "Chip runs: `barrier` (a timestep starts when every unit has drained the previous one) or `pipelined` (a layer starts its next timestep once that step's inputs are there and its hardware is free: layers of successive timesteps overlap)."),
        new("neuron_core_arithmetic", "-", Identity, Text, "Chip runs of CUBA: the neuron cores' arithmetic (the architecture's fixed point, or ideal IEEE single precision)."),
        new("neuron_placement", "-", Identity, Text, "Chip runs: how populations were placed on neuron cores (`packed`, `spread`, `by_layer`, `near_synapses`)."),
        new("macro_order", "-", Identity, Text, "Chip runs: in which order a projection's blocks took consecutive macros (`row_block_major`, `column_block_major`: `mapping.macro_order`; compacted word lines are always column-block-major)."),
        new("one_signed_layers", "-", Identity, Text, "Chip runs (a run directory's summary and CUBA's bench record): how layers whose weights share one sign were stored (`single_cells`: magnitudes on one column per weight, the sign applied digitally; `signed_scheme`: the architecture's `macro.signed_weights`; `mapping.one_signed_layers`, docs/architecture.md)."),
        new("word_lines", "-", Identity, Text, "Chip runs: how sparse projections were laid on word lines (`dense`, `compacted`: `mapping.word_lines`, docs/architecture.md)."),

        // Settings: sizes fixed before the run.
        new("technology_nm", "nm", Setting, Number, "Technology node of the architecture."),
        new("base_clock_hz", "Hz", Setting, Number, "Base clock; cycles are counted in it."),
        new("timesteps", "count", Setting, Integer, "Algorithmic timesteps per inference."),
        new("timestep_s", "s", Setting, Number, "Duration of one algorithmic timestep (the workload's dt or bin width)."),
        new("duration_s", "s", Setting, Number, "Model time simulated (benchmarks without samples)."),
        new("samples", "count", Setting, Integer, "Inferences run (samples); a benchmark without samples counts as one."),
        new("train_samples", "count", Setting, Integer, "Samples the readout was trained on."),
        new("validation_samples", "count", Setting, Integer, "Samples the readout's regularisation was chosen on."),
        new("test_samples", "count", Setting, Integer, "Samples the accuracies are measured on."),
        new("classes", "count", Setting, Integer, "Classes of the workload."),
        new("neurons", "count", Setting, Integer, "Neurons of the network on the chip (the reservoir for the LSM)."),
        new("spiking_neurons", "count", Setting, Integer, "Neurons that can spike (they have a threshold); a NIR graph's firing_rate_Hz is over these, not over its leaky integrators."),
        new("inputs", "count", Setting, Integer, "Input channels."),
        new("synapses", "count", Setting, Integer, "Synapses of the network."),
        new("parameters", "count", Setting, Integer, "Trainable parameters of the model."),
        new("macros", "count", Setting, Integer, "In-memory-compute macros the mapping occupies."),
        new("tiles", "count", Setting, Integer, "Tiles the mapping occupies."),
        new("macro_utilisation", "1", Setting, Number, "Share of the occupied macros' cells holding synapses."),
        new("chip_area_um2", "um^2", Setting, Number, "Area of the occupied hardware."),
        new("footprint_bytes", "B", Setting, Integer, "Memory footprint of the parameters (NeuroBench)."),
        new("flops_first_conv", "count", Setting, Number, "FLOPs of the first convolution (transformers; dense, per inference)."),
        new("bytes_per_synapse", "B", Setting, Number, "Simulator memory per synapse (benchmarks)."),
        new("ridge_lambda", "1", Setting, Number, "Ridge regularisation chosen on the validation split."),
        new("readout", "-", Setting, Text, "LSM: the headline readout behind `accuracy` (`ridge` or `softmax`; the first of `readout.readouts`)."),
        new("features", "-", Setting, Text, "LSM: the headline readout's features: `rates` (spikes per neuron / timesteps) or `binned_counts_N` (spike counts in N time bins)."),
        new("softmax_steps", "count", Setting, Integer, "LSM: Adam steps the softmax readout was trained for."),

        // Energy.
        new("energy_J", "J", WholeRun, Number, "Energy of the whole run: priced ledger (dynamic) plus leakage."),
        new("dynamic_energy_J", "J", WholeRun, Number, "Dynamic energy of the whole run (action counts x cost table)."),
        new("programming_energy_J", "J", WholeRun, Number, "One-time energy of programming the weights (pulses, verify reads); not in energy_J."),
        new("energy_per_inference_J", "J", PerInference, Number, "Energy of one inference: energy_J / samples."),
        new("dynamic_energy_per_inference_J", "J", PerInference, Number, "Dynamic energy of one inference as priced (transformers: event-driven in functional mode)."),
        new("dynamic_energy_by_timestep_J", "J", PerInference, NumberMap, "Transformers, event-driven: dynamic energy of each timestep t = 1..T of one inference."),
        new("rate_based_dynamic_energy_per_inference_J", "J", PerInference, Number, "Transformers: dynamic energy of one inference, rate-based, from the same firing rates."),
        new("theoretical_energy_J", "J", PerInference, Number, "The papers' theoretical energy of one inference: MAC x 4.6 pJ + AC x 0.9 pJ (45 nm)."),
        new("energy_per_synaptic_op_pJ", "pJ", PerOperation, Number, "energy_J / synaptic_events (every synaptic operation, whatever the workload): all energy, dynamic and leakage, of every unit, the neuron updates too (`bench cuba --hardware`'s row \"energy per synaptic event (all energy)\"); not `inspect`'s macro-only \"macro energy per synaptic event\"."),
        new("synaptic_path_energy_per_event_pJ", "pJ", PerOperation, Number, "bench cuba --hardware: the synaptic path's dynamic energy / synaptic_events: all but the neuron core's neuron updates and spikes (macros, tile I/O, NoC, the partial sums added on the neuron core's lanes), leakage excluded."),
        new("energy_by_component_pJ", "pJ", WholeRun, NumberMap, "Energy of the whole run by component class (dynamic + leakage)."),
        new("power_gating", "-", Setting, Text, "Power policy applied (power.gating): none (always on over the real-time period), idle (gated when idle: leaks over the busy time), per_unit (each class leaks over its own busy time); every chip run applies the file's policy (NIR graph runs with --arch and replays too)."),
        new("leakage_power_W", "W", Setting, Number, "Leakage power of every powered instance together."),
        new("leakage_energy_J", "J", WholeRun, Number, "Leakage energy of the whole run under the power policy (included in energy_J)."),
        new("real_time_period_s", "s", PerInference, Number, "Real-time period of one inference: the duration of its input (timesteps x timestep_s; a benchmark's model time)."),
        new("busy_time_s", "s", PerInference, Number, "Time the hardware is busy per inference (its latency, latency_s: for the LSM its timesteps and its readout)."),
        new("energy_per_inference_real_time_J", "J", PerInference, Number, "Energy of one inference with inputs arriving in real time: dynamic + leakage over the time the power policy keeps the chip on within the real-time period (= energy_per_inference_J)."),
        new("energy_per_inference_full_throughput_J", "J", PerInference, Number, "Energy of one inference with inferences back to back: dynamic + leakage over the busy time they then take (the LSM: an inference's readout overlaps the next one's timesteps, so only what overhangs them, and the last readout, count)."),
        new("powered_time_by_component_s", "s", PerInference, NumberMap, "power.gating per_unit only: seconds each component class leaks per inference, its own busy time (measured units of the chip executor, else counts x occupancy), never above busy_time_s (docs/architecture.md, Power gating)."),
        new("powered_time_lower_bound_by_component_s", "s", PerInference, NumberMap, "power.gating per_unit, chip-executor runs: for the classes whose powered time is the sum of units measured apart (mesh_noc: a router's links; io_buffer: its tile's macros and core), the lower end, its busiest unit per tile; their leakage lies between the two."),
        new("area_by_component_um2", "um^2", Setting, NumberMap, "Area of the powered instances by component class (their sum is chip_area_um2)."),

        // Latency and time.
        new("latency_cycles", "cycles", PerInference, Number, "Hardware latency of one inference (mean over inferences), base cycles: from its first timestep's start to its last timestep's end, and for the LSM on until its readout's multiply-accumulates are done (readout_latency_cycles), when the class is known."),
        new("readout_latency_cycles", "cycles", PerInference, Number, "LSM runs: the part of latency_cycles after the last timestep, base cycles (mean over inferences): the accumulate core increments the counters of the last step's spikes, then multiplies the non-zero features by their weights, features x classes multiply-accumulates in ceil(n / lanes) core cycles (docs/lsm.md, Readout timing)."),
        new("latency_s", "s", PerInference, Number, "latency_cycles / base_clock_hz."),
        new("latency_per_timestep_cycles", "cycles", PerTimestep, Number, "Hardware latency of one timestep, from its first input to its last output (mean over timesteps), base cycles. Pipelined, timesteps overlap: their latencies add up to more than the run's time."),
        new("latency_per_timestep_s", "s", PerTimestep, Number, "latency_per_timestep_cycles / base_clock_hz."),
        new("max_latency_per_timestep_s", "s", PerTimestep, Number, "The longest timestep's hardware latency."),
        new("step_interval_cycles", "cycles", PerTimestep, Number, "Chip runs: cycles between successive timestep completions within an inference (mean), base cycles; the step throughput is its inverse. Barrier: the step latency plus the wait for every unit to drain before the next step is admitted (so a little above latency_per_timestep_cycles: 466.8 against 465.9 cycles in the default run); pipelined: the time per step of the slowest stage or shared unit."),
        new("throughput_steps_per_s", "1/s", PerTimestep, Number, "Chip runs: timesteps completed per second of chip time, base_clock_hz / step_interval_cycles."),
        new("real_time_factor", "1", PerTimestep, Number, "Hardware time per timestep / timestep_s (below 1: the chip keeps up with real time)."),
        new("edp_Js", "J s", PerInference, Number, "Energy-delay product of one inference: energy_per_inference_J x latency_s."),
        new("mean_timesteps_run", "count", PerInference, Number, "Timesteps run per inference after early exit (mean)."),

        // Activity and sparsity.
        new("spikes", "count", WholeRun, Integer, "Spikes of the network's neurons over the whole run."),
        new("input_events", "count", WholeRun, Integer, "Active input channel-steps over the whole run."),
        new("synaptic_events", "count", WholeRun, Integer, "Synaptic operations over the whole run (each spike or input event times its fan-out)."),
        new("synaptic_events_per_s", "1/s", WholeRun, Number, "Synaptic events per second of simulation wall time (benchmarks)."),
        new("firing_rate_Hz", "Hz", WholeRun, Number, "Mean firing rate of the spiking neurons over the model time (a NIR graph's leaky integrators, which never spike, are not counted)."),
        new("output_events", "count", WholeRun, Integer, "Non-zero output values (output spikes) over the whole run."),
        new("recorded_nodes", "-", Setting, TextList, "NIR graphs: the nodes whose activity was written to activity/ (--record)."),
        new("firing_rates", "1", WholeRun, NumberMap, "Per population: spikes per neuron per timestep over the whole run."),
        new("activation_sparsity", "1", WholeRun, Number, "Share of neuron-timesteps without a spike (the network's neurons)."),
        new("reservoir_activity", "1", WholeRun, Number, "LSM: share of the chip reservoir's neuron-timesteps with a spike (1 - activation_sparsity); below 0.01 or above 0.5 the run warns."),
        new("software_reservoir_activity", "1", WholeRun, Number, "LSM: share of the software reservoir's neuron-timesteps with a spike."),
        new("input_sparsity", "1", WholeRun, Number, "Share of input channel-timesteps without an event."),
        new("connection_sparsity", "1", Setting, Number, "Share of zero weights (NeuroBench)."),
        new("dense_synaptic_ops", "count", PerInference, Number, "Synaptic operations of one inference if every input were active (NeuroBench)."),
        new("effective_acs", "count", PerInference, Number, "Accumulates actually performed in one inference (binary inputs)."),
        new("effective_macs", "count", PerInference, Number, "Multiply-accumulates actually performed in one inference (real-valued inputs)."),
        new("membrane_updates", "count", PerInference, Number, "Neuron state updates in one inference."),
        new("macro_operations", "count", WholeRun, Integer, "Macro (row-group) operations over the whole run."),
        new("fixed_point_saturations", "count", WholeRun, Integer, "Chip runs: neuron-core results that hit the fixed-point format's limits."),
        new("programming_pulses", "count", WholeRun, Integer, "Programming pulses over all cells (one-time): the cells above level 0 counted one by one, the level-0 cells at their expected count (docs/architecture.md)."),
        new("verify_reads", "count", WholeRun, Integer, "Verify reads over all cells (one-time), counted as `programming_pulses` is."),
        new("warnings", "-", WholeRun, TextList, "Warnings about the run, also printed on the terminal (standard error, `warning: ...`): a silent or saturated reservoir (LSM), saturated neuron-core results, and a failed chip result: a layer silent on the chip while the software's fired, accuracy on the chip at or under chance (1 / classes), the chip's top-1 class equal to the software's on under 50 % of the samples; in an external replay, a graph input the recording lacks (priced as silent) or a NIRGraphData recording (priced as one inference); a transformer's balanced `samples` count the dataset cannot meet."),
        new("priced_projections", "-", Setting, TextList, "External replay: the projections priced on the chip."),
        new("skipped_projections", "-", Setting, TextList, "External replay: projections the chip could not price."),

        // Accuracy and agreement (over the test samples).
        new("accuracy", "1", WholeRun, Number, "Top-1 accuracy on the test samples, on the chip; null without labels."),
        new("train_accuracy", "1", WholeRun, Number, "Top-1 accuracy on the training and validation samples, on the chip."),
        new("software_accuracy", "1", WholeRun, Number, "Top-1 accuracy of the same readout on the ideal software network."),
        new("baseline_accuracy", "1", WholeRun, Number, "Top-1 accuracy of the same readout on the raw input (no network)."),
        new("chip_software_agreement", "1", WholeRun, Number, "Transformers and NIR classifier runs (`network: {nir: ...}`): share of samples whose top-1 class on the chip equals the software's (under 50 %: a warning)."),
        new("layer_spike_agreement", "1", WholeRun, Number, "Transformers: elements of the spiking layers' outputs (every layer, every timestep both ran) where chip and software agree, over all compared (silent elements agree: a silent chip scores near 1 - the firing rate); per layer in layers.csv."),
        new("layer_spike_jaccard", "1", WholeRun, Number, "Transformers: over the spiking layers, spikes both chip and software fired / spikes either fired (the spike agreement a silent chip cannot pass: 0); per layer `spike_jaccard` in layers.csv."),
        new("first_diverging_layer", "-", WholeRun, Text, "Transformers: the first layer (model order) whose output on the chip differed from the software's anywhere; null when every compared output was identical."),
        new("golden_spike_agreement", "1", WholeRun, Number, "Spikes the chip and its golden model agree on / spikes of either (Jaccard); the golden model (the network in software, exact weights) is stepped beside the chip on the same inputs and keeps its own state. In the LSM run this is therefore the same comparison as `free_running_spike_agreement` (the chip against a software reservoir fed the same inputs and never restarted from the chip's state), and the two agree by construction up to the software's arithmetic: the golden model steps the chip's network in single precision (the recurrence as its excitatory and inhibitory projections), the experiment's reservoir the same network in double precision, and in a chaotic reservoir a rounding flips the odd spike (60.755 % and 60.752 % in the default run); a `semantics` other than `nir` discretises only the experiment's reservoir differently. Both names stay: scripts read both."),
        new("ridge_accuracy", "1", WholeRun, Number, "LSM: test accuracy of the ridge readout (binned spike counts) on the chip's reservoir."),
        new("ridge_train_accuracy", "1", WholeRun, Number, "LSM: the ridge readout's accuracy on its training and validation samples (chip)."),
        new("ridge_software_accuracy", "1", WholeRun, Number, "LSM: test accuracy of the ridge readout on the software reservoir."),
        new("ridge_baseline_accuracy", "1", WholeRun, Number, "LSM: test accuracy of the ridge readout on the raw input."),
        new("softmax_accuracy", "1", WholeRun, Number, "LSM: test accuracy of the softmax readout (spike rates, Adam) on the chip's reservoir."),
        new("softmax_train_accuracy", "1", WholeRun, Number, "LSM: the softmax readout's accuracy on its training samples (chip)."),
        new("softmax_software_accuracy", "1", WholeRun, Number, "LSM: test accuracy of the softmax readout on the software reservoir."),
        new("softmax_baseline_accuracy", "1", WholeRun, Number, "LSM: test accuracy of the softmax readout on the raw input's rates."),
        new("free_running_spike_agreement", "1", WholeRun, Number, "The chip's spikes against the software network's, each running on its own (Jaccard). In the LSM run, `golden_spike_agreement` up to the software's precision (see there)."),

        // Simulator (host) figures.
        new("wall_s", "s", WholeRun, Number, "Wall time of the run on the host."),
        new("setup_s", "s", WholeRun, Number, "Host time of building, mapping and programming the network."),
        new("sim_loop_s", "s", WholeRun, Number, "Host time of the simulation loop."),
        new("wall_real_time_factor", "1", WholeRun, Number, "Host simulation time / model time (below 1: faster than real time)."),
        new("hardware_over_functional_time", "1", WholeRun, Number, "Host time of the hardware simulation / host time of the functional one, same process."),
        new("loop_cpu_s", "s", WholeRun, Number, "Process CPU time of the simulation loop (all threads; unlike wall time, not inflated by other processes waiting for the cores)."),
        new("hardware_over_functional_cpu", "1", WholeRun, Number, "CPU time of the hardware simulation loop / CPU time of the functional one, same process."),
        new("threads", "count", Setting, Integer, "Host: threads of the simulation loop (chip runs: 1, or 2 with the function pass on a producer thread ahead of the timing; `functional_only`: the functional loop's). No other value depends on it."),
        new("function_pass_s", "s", WholeRun, Number, "bench cuba --hardware: host time the chip's function pass was busy (two threads: the producer's busy time; it bounds the loop from below)."),
        new("timing_wait_s", "s", WholeRun, Number, "bench cuba --hardware on two threads: host time the timing's thread waited for the function pass (near 0: the timing bounds the loop; large: the function pass does)."),
        new("producer_timed_steps", "count", WholeRun, Integer, "bench cuba --hardware on two threads, barrier execution: steps the producer thread timed in its own engine and the timing's thread took over (both threads time steps; it varies from run to run, the results do not)."),
        new("producer_turned_down_steps", "count", WholeRun, Integer, "bench cuba --hardware on two threads, barrier execution: steps the producer timed that the timing's thread turned down and timed itself: its own start was on another phase of the units' clocks than the producer timed it from, or the producer was late with it (wasted work; it varies from run to run, the results do not)."),
        new("producer_timing_s", "s", WholeRun, Number, "bench cuba --hardware on two threads, barrier execution: host time the producer spent timing steps for the timing's thread, those turned down (`producer_turned_down_steps`) included."),
        new("kernel_events_per_step", "1", PerTimestep, Number, "Simulator: discrete events the kernel dispatched per timestep (the hardware model's event work; a property of the model, not of the host)."),
        new("noc_packets_per_step", "1", PerTimestep, Number, "Simulator: NoC packets sent per timestep (spikes to macros, partial sums to neuron cores; those within a tile included)."),
        new("noc_hops_per_step", "1", PerTimestep, Number, "Simulator: link traversals (packet hops) per timestep."),
        new("noc_queued_share", "1", WholeRun, Number, "Share of link traversals whose packet found the link busy (or the next router's buffer full) and queued."),
        new("spikes_identical_to_functional", "1", WholeRun, Integer, "CUBA on hardware: 1 if the chip's spike train (every neuron, every step) equals the functional run's, else 0."),
        new("functional_only", "-", WholeRun, Section, "The same network run functionally (no hardware model), for comparison; keys from this catalogue."),
    ];

    private static readonly FrozenDictionary<string, MetricDefinition> ByName =
        Entries.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>
    /// Metrics measured on the host's clock (wall or CPU time and rates over it) or set by the host (threads):
    /// they vary from run to run. Everything else in a run directory is a function of the inputs and the seed, byte for byte.
    /// </summary>
    public static IReadOnlySet<string> HostTimed { get; } = new[]
    {
        "wall_s", "setup_s", "sim_loop_s", "wall_real_time_factor", "hardware_over_functional_time", "loop_cpu_s", "hardware_over_functional_cpu",
        "synaptic_events_per_s", "threads", "function_pass_s", "timing_wait_s", "producer_timed_steps", "producer_turned_down_steps", "producer_timing_s",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every metric, in catalogue order.</summary>
    public static IReadOnlyList<MetricDefinition> All => Entries;

    /// <summary>Looks a metric up by its exact name.</summary>
    public static bool TryGet(string name, out MetricDefinition definition) => ByName.TryGetValue(name, out definition!);

    /// <summary>The definition of a metric; an unknown name is a programming error.</summary>
    public static MetricDefinition Get(string name) => TryGet(name, out var d) ? d
        : throw new KeyNotFoundException($"'{name}' is not in the metric catalogue (arch/Neuromorphic.Arch/Runs/Records/MetricCatalogue.cs)");

    /// <summary>docs/metrics.md: the catalogue as a Markdown table.</summary>
    public static string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("# Metrics\n\n");
        text.Append("Every `summary.json` a command writes (`run`, `replay`, `bench cuba --hardware`, sweeps' points) uses\n");
        text.Append("these names and no others; the writer refuses a name that is not in the catalogue\n");
        text.Append("(`arch/Neuromorphic.Arch/Runs/Records/MetricCatalogue.cs`), so one name means one thing in every\n");
        text.Append("workload. This page is generated from that list and a test keeps the two equal.\n\n");
        text.Append("Scope says what a value refers to: *whole run* (every sample and timestep), *per inference* (the\n");
        text.Append("mean over inferences; one inference is one sample, and a benchmark without samples, such as\n");
        text.Append("CUBA, is one inference), *per timestep* (the mean over timesteps), *per operation*, or a\n");
        text.Append("*setting* or *identity* of the run. A number that is not defined for a run (an accuracy\n");
        text.Append("without labels, a ratio over zero events) is written as `null`, never as NaN or infinity.\n\n");
        text.Append("Host metrics (measured on the host's clock, or its thread count, so they differ between runs and machines): ");
        text.Append(string.Join(", ", HostTimed.Order(StringComparer.Ordinal).Select(n => $"`{n}`")));
        text.Append(". Every other value in a run directory depends only on the inputs and the seed: the same\n");
        text.Append("sweep gives byte-identical files at `--jobs 1` and `--jobs 2` once these are set aside.\n\n");
        text.Append("| name | unit | scope | kind | meaning |\n|---|---|---|---|---|\n");
        foreach (var e in Entries)
            text.Append($"| `{e.Name}` | {e.Unit} | {ScopeText(e.Scope)} | {KindText(e.Kind)} | {e.Description} |\n");
        AppendLayerAgreement(text);
        AppendFunctionalBench(text);
        return text.ToString();
    }

    /// <summary>What the per-layer agreement of a chip run's <c>layers.csv</c> (and its table) measures, and why.</summary>
    private static void AppendLayerAgreement(StringBuilder text)
    {
        text.Append("\n## Agreement per layer (`layers.csv` of a network run on the chip)\n\n");
        text.Append("Every population (and the output node) of a network run with `--arch`, a NIR classifier run or the LSM is compared,\n");
        text.Append("cell by cell ((neuron, timestep) over every sample), with the golden model stepped beside the chip. Two figures:\n\n");
        text.Append("| column | meaning |\n|---|---|\n");
        text.Append("| `spike_jaccard` | **The spike agreement, the headline** (the table's \"spike agreement\" column): cells where both chip and software fired / cells where either fired. Empty when neither fired. |\n");
        text.Append("| `cell_agreement` | Cells where both fired or both stayed silent / all cells. Kept for the record, not a pass mark. |\n\n");
        text.Append("Why the Jaccard is the headline: layers fire in 0.5-3 % of their cells, so the share of equal cells is dominated by\n");
        text.Append("cells silent on both sides. A chip that fires nothing scores 1 - (software's activity): on the Sinabs N-MNIST CNN on\n");
        text.Append("`rram-40nm-256kb` (every layer silent on the chip, accuracy 0 %) `cell_agreement` is 94.4-99.0 % and `spike_jaccard` 0.\n");
        text.Append("The Jaccard counts only spikes: a silent chip scores 0, identical rasters 1, and two unrelated rasters firing in shares\n");
        text.Append("p and q of their cells about pq / (p + q - pq) (p = q = 2 %: 1 %). It is the measure `golden_spike_agreement` and\n");
        text.Append("`free_running_spike_agreement` already use (over the reservoir, or over every population), so one name means one\n");
        text.Append("thing; the F1 score over spikes, 2J / (1 + J), orders runs the same way. `chip_spikes` and `software_spikes` give the\n");
        text.Append("counts behind it; the output node's row counts its own non-zero outputs (the same as its source population's).\n");
    }

    /// <summary>
    /// The functional <c>bench cuba --json</c> (and <c>--sweep-neurons</c>) prints a benchmark record, not a
    /// summary: its names predate the catalogue and scripts (scripts/bench) read them, so the page says
    /// where they differ instead of the record changing.
    /// </summary>
    private static void AppendFunctionalBench(StringBuilder text)
    {
        text.Append("\n## The functional benchmark's record (`bench cuba --json` without `--hardware`)\n\n");
        text.Append("`bench cuba --json` and `bench cuba --sweep-neurons ... --json` print a benchmark record, not a\n");
        text.Append("`summary.json`; `scripts/bench` reads its names, so they stay as they are. `neurons`, `synapses`,\n");
        text.Append("`spikes`, `sim_loop_s`, `setup_s`, `duration_s`, `synaptic_events`, `synaptic_events_per_s`,\n");
        text.Append("`bytes_per_synapse`, `seed` and `loop_cpu_s` mean what the table above says. The others:\n\n");
        text.Append("| name | unit | meaning |\n|---|---|---|\n");
        text.Append("| `rate_hz` | Hz | Mean firing rate of the neurons (`firing_rate_Hz` in a summary). |\n");
        text.Append("| `real_time_factor` | 1 | Host loop time / simulated time (`wall_real_time_factor` in a summary; **not** the hardware's `real_time_factor` above). |\n");
        text.Append("| `rate_quantiles_hz` | Hz | Per-neuron firing rate at the 10, 25, 50, 75 and 90 % quantiles. |\n");
        text.Append("| `threads` | count | Threads requested (`--threads`; all of them draw the synapses). |\n");
        text.Append("| `loop_threads` | count | Threads that ran the simulation loop (at most one per destination block of 65,536 neurons). |\n");
        text.Append("| `heap_bytes_per_synapse` | B | Managed heap grown by building the network and its state, per synapse (full collections; other allocations at the same time distort it). |\n");
        text.Append("| `setup_cpu_s` | s | Processor time of the set-up (all threads). |\n");
        text.Append("| `loop_idle_thread_s` | s | Thread-seconds the loop's threads spent in steps without work; 0 on one thread. |\n");
        text.Append("| `loop_groups_taken` | count | Groups of destination blocks a loop thread integrated for another that fell behind. |\n");
    }

    private static string ScopeText(MetricScope scope) => scope switch
    {
        Identity => "identity",
        Setting => "setting",
        WholeRun => "whole run",
        PerInference => "per inference",
        PerTimestep => "per timestep",
        PerOperation => "per operation",
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };

    private static string KindText(MetricKind kind) => kind switch
    {
        Number => "number",
        Integer => "integer",
        Text => "text",
        NumberMap => "name -> number",
        TextList => "list of text",
        Section => "nested record",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
