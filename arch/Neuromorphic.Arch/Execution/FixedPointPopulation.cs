using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A population as the digital neuron core computes it: the NIR models' forward-Euler updates
/// (LIF/LI, CubaLIF/CubaLI, IF/I) in the core's fixed-point format — every coefficient and input
/// quantised to the format, products rounded to nearest (ties up) and every result saturated, as
/// <see cref="FixedPointFormat"/> defines. Same operation order as the floating-point models, so with
/// enough bits the spikes match them. Strict <c>v &gt; v_threshold</c>, reset to <c>v_reset</c>.
/// </summary>
public sealed class FixedPointPopulation
{
    private enum Form { Lif, CubaLif, Integrator }

    private readonly Form _form;
    private readonly FixedPointFormat _f;
    private readonly int[] _decay, _gain, _leak, _synDecay, _synGain, _threshold, _reset;
    private readonly int[] _v, _i;
    private readonly long _half;
    private readonly int _shift;

    /// <summary>Builds the fixed-point state of <paramref name="model"/> at timestep <paramref name="dt"/>.</summary>
    /// <exception cref="ArgumentException">A model the neuron core does not run.</exception>
    public FixedPointPopulation(NeuronModel model, double dt, FixedPointFormat format)
    {
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

    /// <summary>The format.</summary>
    public FixedPointFormat Format => _f;

    /// <summary>Back to rest.</summary>
    public void Reset()
    {
        Array.Clear(_v);
        Array.Clear(_i);
    }

    /// <summary>
    /// One timestep: <paramref name="input"/> (weight units) is quantised, the state updated,
    /// <paramref name="output"/> receives spikes (0/1) or the membrane value. <paramref name="updated"/>
    /// is set to 1 for neurons the core had to update (input, state or leak non-zero); returns their number.
    /// </summary>
    public int Step(ReadOnlySpan<double> input, Span<double> output, Span<byte> updated)
    {
        var count = 0;
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
                if (fired) v = _reset[k];
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
