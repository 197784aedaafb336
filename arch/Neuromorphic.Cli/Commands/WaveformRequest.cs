using System.CommandLine;
using System.Globalization;
using Neuromorphic.Arch.Reports.Waveforms;
using Neuromorphic.Traces.Vcd;

namespace Neuromorphic.Cli.Commands;

/// <summary>The <c>--vcd</c> options of <c>run</c>: where, which neurons, which samples, which time window.</summary>
internal sealed record WaveformRequest(string Path, SpikeSelection? Neurons, int FirstSample, int LastSample, string? Window)
{
    /// <summary>The options, to add to a command.</summary>
    public static (Option<string?> File, Option<string> Neurons, Option<string> Samples, Option<string?> Window) Options() =>
    (
        new Option<string?>("--vcd") { Description = "LSM runs: write a VCD waveform (IEEE 1364; open with GTKWave) of spikes and per-cycle hardware signals: macro busy, ADC conversions, queue depths, timestep boundaries, the readout on the accumulate core and the class decided." },
        new Option<string>("--vcd-neurons") { Description = "Spikes to dump: POPULATION[:RANGE][,...] over input and reservoir, e.g. 'reservoir:0-15,input:*'; 'none' for hardware signals only.", DefaultValueFactory = _ => "*" },
        new Option<string>("--vcd-samples") { Description = "Samples to dump: N or FIRST-LAST (0-based; the run executes them back to back).", DefaultValueFactory = _ => "0" },
        new Option<string?>("--vcd-window") { Description = "Hardware time window to dump, FROM:TO with units s, ms, us, ns, ps or cycles (e.g. 0:20us); default: all of the dumped samples." }
    );

    /// <summary>Reads the options; null when <c>--vcd</c> is not given.</summary>
    /// <exception cref="UsageException">A malformed selection or sample range.</exception>
    public static WaveformRequest? From(string? path, string neurons, string samples, string? window)
    {
        if (path is null) return null;
        SpikeSelection? selection;
        try
        {
            selection = neurons.Trim() == "none" ? null : SpikeSelection.Parse(neurons);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--vcd-neurons '{neurons}': {ex.Message}");
        }
        // A misspelt population selected nothing and the waveform silently had no spikes.
        if (selection?.UnmatchedPatterns(LsmWaveform.Populations) is [var unmatched, ..])
            throw new UsageException($"--vcd-neurons '{neurons}': '{unmatched}' matches no population (populations: {string.Join(", ", LsmWaveform.Populations)})");
        var parts = samples.Split('-', 2);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(parts.Length == 2 ? parts[1] : parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var last) || last < first)
            throw new UsageException($"--vcd-samples '{samples}' is not N or FIRST-LAST with FIRST <= LAST");
        return new WaveformRequest(path, selection, first, last, window);
    }

    /// <summary>Runs <paramref name="run"/> with a recorder attached and writes the file atomically.</summary>
    public T Record<T>(double baseClockHz, Func<LsmWaveform, T> run)
    {
        var (from, to) = (0L, long.MaxValue - 2);
        if (Window is not null)
        {
            var ends = Window.Split(':');
            try
            {
                if (ends.Length != 2) throw new FormatException("expected FROM:TO");
                (from, to) = (LsmWaveform.ParseTime(ends[0], baseClockHz), LsmWaveform.ParseTime(ends[1], baseClockHz));
            }
            catch (FormatException ex)
            {
                throw new UsageException($"--vcd-window '{Window}': {ex.Message}");
            }
            if (to < from) throw new UsageException($"--vcd-window '{Window}': the end is before the start");
        }
        T result = default!;
        VcdFile.Write(Path, vcd =>
        {
            if (Window is not null) vcd.Window(from, to);
            var waveform = new LsmWaveform(vcd, baseClockHz, Neurons, FirstSample, LastSample);
            result = run(waveform);
            // The values are written once the readout is decided: a run that never got there has no waveform to keep.
            if (!waveform.Complete) throw new InvalidOperationException("the run ended before its readout was drawn in the waveform");
        }, LsmWaveform.Timescale(baseClockHz), version: "neuromorphic " + typeof(WaveformRequest).Assembly.GetName().Version);
        return result;
    }
}
