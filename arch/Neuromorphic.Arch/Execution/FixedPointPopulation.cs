using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A population as the digital neuron core computes it: the NIR models' forward-Euler updates
/// (LIF/LI, CubaLIF/CubaLI, IF/I) in the core's fixed-point format — every coefficient and input
/// quantised to the format, products rounded to nearest (ties up) and every result saturated, as
/// <see cref="FixedPointFormat"/> defines. Same operation order as the floating-point models, so with
/// enough bits the spikes match them. Strict <c>v &gt; v_threshold</c>, reset to <c>v_reset</c>.
/// The CUBA benchmark's neuron (<see cref="CubaNeuronModel"/>) runs in the format too, or, with no
/// format (an ideal core), in IEEE single precision exactly as the functional run computes it.
/// </summary>
public sealed partial class FixedPointPopulation
{
    private enum Form { Lif, CubaLif, Integrator, Cuba }

    private readonly Form _form;
    private readonly FixedPointFormat _f;
    private readonly int[] _decay, _gain, _leak, _synDecay, _synGain, _threshold, _reset;
    private readonly int[] _v, _i;
    private readonly long _half;
    private readonly int _shift;
    private readonly int[] _fired;
    private readonly CubaCore? _cuba;
    private int _firedCount;

    /// <summary>Builds the fixed-point state of <paramref name="model"/> at timestep <paramref name="dt"/>.</summary>
    /// <param name="model">The population.</param>
    /// <param name="dt">Timestep, seconds.</param>
    /// <param name="format">The core's number format; null for an ideal core (IEEE single precision; only CUBA's neuron has that form).</param>
    /// <exception cref="ArgumentException">A model the neuron core does not run.</exception>
    public FixedPointPopulation(NeuronModel model, double dt, FixedPointFormat? format)
    {
        _fired = new int[model.Size];
        if (model is CubaNeuronModel cuba)
        {
            _form = Form.Cuba;
            Size = cuba.Size;
            Spiking = true;
            HasLeakDrive = true;
            _cuba = new CubaCore(cuba, dt, format);
            _f = format ?? new FixedPointFormat(32, 0);
            (_decay, _gain, _leak, _synDecay, _synGain, _threshold, _reset, _v, _i) = ([], [], [], [], [], [], [], [], []);
            return;
        }
        if (format is null) throw new ArgumentException($"an ideal (floating-point) neuron core runs CUBA's neuron only, not {model.Kind}");
        _f = format;
        _shift = format.FractionBits;
        _half = _shift == 0 ? 0 : 1L << (_shift - 1);
        var n = model.Size;
        Size = n;
        int[] Q(Func<int, double> value)
        {
            var raw = new int[n];
            for (var k = 0; k < n; k++) raw[k] = format.Quantise(value(k));
            return raw;
        }
        double[]? threshold, reset;
        switch (model)
        {
            case LifModel m:
                _form = Form.Lif;
                _decay = Q(k => 1 - dt / m.Tau[k]);
                _gain = Q(k => dt / m.Tau[k] * m.R[k]);
                _leak = Q(k => dt / m.Tau[k] * m.VLeak[k]);
                (_synDecay, _synGain, threshold, reset) = ([], [], m.VThreshold, m.VReset);
                break;
            case CubaLifModel m:
                _form = Form.CubaLif;
                _synDecay = Q(k => 1 - dt / m.TauSyn[k]);
                _synGain = Q(k => dt / m.TauSyn[k] * m.WIn[k]);
                _decay = Q(k => 1 - dt / m.TauMem[k]);
                _gain = Q(k => dt / m.TauMem[k] * m.R[k]);
                _leak = Q(k => dt / m.TauMem[k] * m.VLeak[k]);
                (threshold, reset) = (m.VThreshold, m.VReset);
                break;
            case IntegratorModel m:
                _form = Form.Integrator;
                var scale = m.TimeBase == IntegratorTimeBase.PerTimestep ? 1.0 : dt;
                _gain = Q(k => m.R[k] * scale);
                (_decay, _leak, _synDecay, _synGain, threshold, reset) = ([], new int[n], [], [], m.VThreshold, m.VReset);
                break;
            default:
                throw new ArgumentException($"the neuron core runs NIR LIF, LI, CubaLIF, CubaLI, IF and I populations, not {model.Kind}");
        }
        Spiking = threshold is not null;
        _threshold = threshold is null ? [] : Q(k => threshold[k]);
        _reset = reset is null ? [] : Q(k => reset[k]);
        _v = new int[n];
        _i = _form == Form.CubaLif ? new int[n] : [];
        HasLeakDrive = _leak.Any(x => x != 0);
    }

    /// <summary>Neurons.</summary>
    public int Size { get; }

    /// <summary>True if the output is spikes (false: the membrane, for LI / CubaLI / I).</summary>
    public bool Spiking { get; }

    /// <summary>True if a resting neuron still moves (a non-zero leak potential): every neuron is updated every step.</summary>
    public bool HasLeakDrive { get; }

    /// <summary>Results that hit the format's limits so far.</summary>
    public long Saturations { get; private set; }

    /// <summary>Raw membrane values.</summary>
    public ReadOnlySpan<int> Membrane => _v;

    /// <summary>The format (CUBA on an ideal core: a placeholder, the arithmetic is IEEE single precision).</summary>
    public FixedPointFormat Format => _f;

    /// <summary>Neurons that fired in the last step, ascending (spiking populations).</summary>
    public ReadOnlySpan<int> Fired => _fired.AsSpan(0, _firedCount);

    /// <summary>Back to rest.</summary>
    public void Reset()
    {
        Array.Clear(_v);
        Array.Clear(_i);
        _firedCount = 0;
        _cuba?.Reset();
    }

    /// <summary>
    /// One timestep given the input's non-zero entries: <paramref name="activeInputs"/> lists every
    /// index of <paramref name="input"/> that may be non-zero, each once (when <paramref name="inputsKnown"/>;
    /// otherwise every entry is looked at). Spiking populations write only the outputs that change and
    /// list their spikes in <see cref="Fired"/>. Returns the neurons updated (<see cref="Size"/>: all,
    /// and <paramref name="updated"/> is left as it was).
    /// </summary>
    public int Step(ReadOnlySpan<double> input, ReadOnlySpan<int> activeInputs, bool inputsKnown, Span<double> output, Span<byte> updated)
    {
        if (_form != Form.Cuba) return Step(input, output, updated);
        _cuba!.AddInputs(input, activeInputs, inputsKnown);
        return StepAfterInputs(output);
    }

    /// <summary>
    /// True when the step's input is taken entry by entry, each entry into state of its own (CUBA's neuron:
    /// input c at neuron k into ge, at N + k into gi), so the input can be handed over in pieces
    /// (<see cref="AddInputs"/>, then <see cref="StepAfterInputs"/>) in the order a gathered input would list them.
    /// </summary>
    public bool AddsInputsByEntry => _form == Form.Cuba;

    /// <summary>An ideal CUBA core's conductances, where a crossbar may add its events itself (<see cref="CubaEventSink"/>); otherwise null.</summary>
    internal CubaEventSink? EventSink => _cuba?.Events;

    /// <summary>
    /// Adds the step's input at <paramref name="entries"/> (each once, in this step and over all calls of the
    /// step) from <paramref name="values"/>, as <see cref="Step(ReadOnlySpan{double}, ReadOnlySpan{int}, bool, Span{double}, Span{byte})"/>
    /// would take it from a gathered input. Only where <see cref="AddsInputsByEntry"/>.
    /// </summary>
    public void AddInputs(ReadOnlySpan<double> values, ReadOnlySpan<int> entries)
    {
        if (_form != Form.Cuba) throw new InvalidOperationException($"a {_form} population takes its input whole");
        _cuba!.AddInputs(values, entries, known: true);
    }

    /// <summary>Ends the step whose input <see cref="AddInputs"/> handed over: integrates, fires, writes the changed outputs; returns the neurons updated.</summary>
    public int StepAfterInputs(Span<double> output)
    {
        if (_form != Form.Cuba) throw new InvalidOperationException($"a {_form} population takes its input whole");
        foreach (var k in Fired) output[k] = 0;
        _firedCount = _cuba!.Integrate(_fired);
        foreach (var k in Fired) output[k] = 1;
        Saturations = _cuba!.Saturations;
        return Size;
    }

    /// <summary>
    /// One timestep: <paramref name="input"/> (weight units) is quantised, the state updated,
    /// <paramref name="output"/> receives spikes (0/1) or the membrane value. <paramref name="updated"/>
    /// is set to 1 for neurons the core had to update (input, state or leak non-zero); returns their number.
    /// </summary>
    public int Step(ReadOnlySpan<double> input, Span<double> output, Span<byte> updated)
    {
        if (_form == Form.Cuba)
        {
            updated.Fill(1);
            return Step(input, [], false, output, updated);
        }
        var count = 0;
        _firedCount = 0;
        var leakAll = HasLeakDrive;
        for (var k = 0; k < Size; k++)
        {
            var x = _f.Quantise(input[k]);
            var state = _v[k] != 0 || (_i.Length > 0 && _i[k] != 0);
            if (x == 0 && !state && !leakAll && !(Spiking && _threshold[k] < 0))
            {
                updated[k] = 0;
                output[k] = Spiking ? 0 : 0.0;
                continue;
            }
            updated[k] = 1;
            count++;
            int v;
            switch (_form)
            {
                case Form.Lif:
                    v = Add(Mul(_v[k], _decay[k]), Add(Mul(x, _gain[k]), _leak[k]));
                    break;
                case Form.CubaLif:
                    var i = Add(Mul(_i[k], _synDecay[k]), Mul(x, _synGain[k]));
                    _i[k] = i;
                    v = Add(Mul(_v[k], _decay[k]), Add(Mul(i, _gain[k]), _leak[k]));
                    break;
                default:
                    v = Add(_v[k], Mul(x, _gain[k]));
                    break;
            }
            if (Spiking)
            {
                var fired = v > _threshold[k];
                if (fired) { v = _reset[k]; _fired[_firedCount++] = k; }
                output[k] = fired ? 1 : 0;
            }
            else output[k] = _f.ToDouble(v);
            _v[k] = v;
        }
        return count;
    }

    private int Mul(int a, int b) => Sat(((long)a * b + _half) >> _shift);

    private int Add(int a, int b) => Sat((long)a + b);

    private int Sat(long raw)
    {
        if (raw > _f.MaxRaw) { Saturations++; return _f.MaxRaw; }
        if (raw < _f.MinRaw) { Saturations++; return _f.MinRaw; }
        return (int)raw;
    }
}
