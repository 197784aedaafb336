using Neuromorphic.Arch.Execution;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Lsm;

/// <summary>
/// Tells an <see cref="ILsmChipProbe"/> (the LSM's waveform) what the chip executor does: the input
/// spikes and the recurrent spikes queued at each step's start, every macro operation with its kernel
/// times, and the reservoir's spikes where the step's work drained.
/// </summary>
internal sealed class LsmProbeAdapter(ILsmChipProbe probe, ChipExecutor executor, int inputs, int neurons) : IChipRunProbe
{
    private readonly int[] _active = new int[inputs];
    private readonly float[] _spikes = new float[neurons];
    private SpikeRaster? _input;
    private int _recurrent;

    /// <summary>The next sample starts (the reservoir at rest).</summary>
    public void SampleStarted(int sample, SpikeRaster input)
    {
        (_input, _recurrent) = (input, 0);
        probe.SampleStarted(sample);
    }

    /// <inheritdoc />
    public void Describe(IReadOnlyList<string> macroNodes) => probe.Describe(macroNodes, inputs, neurons);

    /// <inheritdoc />
    public void StepStarted(int step, long cycle)
    {
        var row = _input!.Row(step);
        var count = 0;
        for (var i = 0; i < row.Length; i++) if (row[i] != 0) _active[count++] = i;
        probe.StepStarted(step, cycle, _active.AsSpan(0, count), _recurrent);
    }

    /// <inheritdoc />
    public void MacroOperated(int macro, long start, long end, int reads, long conversions) =>
        probe.MacroOperated(macro, new MacroOperation(start, end, reads, 0, conversions));

    /// <summary>The run's readout timed and trained: its batches and every sample's class.</summary>
    public void Classified(ReadoutTiming readout, IReadOnlyList<int> classes) => probe.Classified(readout, classes);

    /// <inheritdoc />
    public void StepEnded(int step, long cycle)
    {
        var output = executor.OutputOf("reservoir");
        _recurrent = 0;
        for (var i = 0; i < _spikes.Length; i++)
        {
            _spikes[i] = output[i] != 0 ? 1 : 0;
            if (output[i] != 0) _recurrent++;
        }
        probe.StepEnded(cycle, _spikes);
    }
}
