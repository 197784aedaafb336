using System.Numerics;
using System.Runtime.InteropServices;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Benchmarks;

namespace Neuromorphic.Arch.Execution;

public sealed partial class FixedPointPopulation
{
    /// <summary>
    /// CUBA's neuron on the core. A step first adds the step's synaptic events (input c at neuron k:
    /// c events of weight w_e into ge, at N + k of w_i into gi), then integrates every neuron exactly
    /// (<c>v = El + (v - El) e_m + ge K_e + gi K_i</c>), fires where v exceeds the threshold and holds
    /// fired neurons for the refractory period.
    /// <para><b>Fixed point</b> (the architecture's format, e.g. 16 bits with 8 fractional: v, ge, gi,
    /// every coefficient and weight in that format, products rounded and saturated): ge and gi decay by
    /// their factors every step.</para>
    /// <para><b>Ideal core</b> (no format): IEEE single precision, with the functional run's own
    /// operations in its order (<see cref="CubaDecayClock"/>'s lazily scaled ge and gi, each event one
    /// addition of the weight, the same vector expression for the membrane), so the spikes are those
    /// of <see cref="CubaSimulation"/> bit for bit.</para>
    /// </summary>
    private sealed class CubaCore
    {
        private readonly CubaNeuronModel _model;
        private readonly FixedPointFormat? _f;
        private readonly int _n, _holdAfter;
        // Ideal core.
        private readonly float[] _v, _ge, _gi;
        private readonly int[] _hold;
        private readonly float _em, _leak, _threshold, _reset;
        private CubaDecayClock _clock;
        private StepCoefficients _next;
        private int _step;
        // Fixed point.
        private readonly int[] _vq, _geq, _giq;
        private readonly int _emq, _keq, _kiq, _deq, _diq, _leakq, _thresholdq, _resetq;
        private readonly double _we, _wi;
        private readonly long _half;
        private readonly int _shift;

        public CubaCore(CubaNeuronModel model, double dt, FixedPointFormat? format)
        {
            model.CheckTimestep(dt);
            _model = model;
            _f = format;
            var p = model.Cuba;
            _n = model.Size;
            // Brian2 integrates again R steps after a spike: R - 1 steps held.
            _holdAfter = Math.Max(0, p.RefractorySteps - 1);
            _hold = new int[_n];
            _clock = new CubaDecayClock(p);
            (_we, _wi) = (p.WeightExcitatory, p.WeightInhibitory);
            if (format is null)
            {
                (_v, _ge, _gi) = (new float[_n], new float[_n], new float[_n]);
                (_vq, _geq, _giq) = ([], [], []);
                // The functional run's own constants, rounded to float as it rounds them.
                _em = (float)Math.Exp(-p.Dt / p.TauMembrane);
                (_leak, _threshold, _reset) = ((float)p.Leak, (float)p.Threshold, (float)p.Reset);
            }
            else
            {
                (_v, _ge, _gi) = ([], [], []);
                (_vq, _geq, _giq) = (new int[_n], new int[_n], new int[_n]);
                var em = Math.Exp(-p.Dt / p.TauMembrane);
                _emq = format.Quantise(em);
                _keq = format.Quantise(p.TauExcitatory / (p.TauExcitatory - p.TauMembrane) * (Math.Exp(-p.Dt / p.TauExcitatory) - em));
                _kiq = format.Quantise(p.TauInhibitory / (p.TauInhibitory - p.TauMembrane) * (Math.Exp(-p.Dt / p.TauInhibitory) - em));
                _deq = format.Quantise(Math.Exp(-p.Dt / p.TauExcitatory));
                _diq = format.Quantise(Math.Exp(-p.Dt / p.TauInhibitory));
                (_leakq, _thresholdq, _resetq) = (format.Quantise(p.Leak), format.Quantise(p.Threshold), format.Quantise(p.Reset));
                _shift = format.FractionBits;
                _half = _shift == 0 ? 0 : 1L << (_shift - 1);
            }
            Reset();
        }

        public long Saturations { get; private set; }

        public void Reset()
        {
            Array.Clear(_hold);
            _clock = new CubaDecayClock(_model.Cuba);
            _step = 0;
            _next = _clock.For(0);
            var initial = _model.InitialMembrane;
            if (_f is null)
            {
                for (var k = 0; k < _n; k++) _v[k] = (float)initial[k];
                Array.Clear(_ge);
                Array.Clear(_gi);
            }
            else
            {
                for (var k = 0; k < _n; k++) _vq[k] = _f.Quantise(initial[k]);
                Array.Clear(_geq);
                Array.Clear(_giq);
            }
        }

        /// <summary>One step; writes the spiking neurons, ascending, to <paramref name="fired"/> and returns their number.</summary>
        public int Step(ReadOnlySpan<double> input, ReadOnlySpan<int> active, bool known, Span<int> fired)
        {
            if (known)
                foreach (var a in active) Input(a, input[a]);
            else
                for (var a = 0; a < input.Length; a++)
                    if (input[a] != 0) Input(a, input[a]);
            var count = _f is null ? IntegrateIdeal(fired) : IntegrateFixed(fired);
            _clock.Integrated(_step);
            _next = _clock.For(++_step);
            return count;
        }

        private void Input(int a, double events)
        {
            if (events == 0) return;
            var excitatory = a < _n;
            var k = excitatory ? a : a - _n;
            if (_f is not null)
            {
                ref var g = ref (excitatory ? ref _geq[k] : ref _giq[k]);
                g = Sat((long)g + _f.Quantise(events * (excitatory ? _we : _wi)));
                return;
            }
            ref var x = ref (excitatory ? ref _ge[k] : ref _gi[k]);
            var w = excitatory ? _next.WeightE : _next.WeightI;
            // Each synaptic event is one addition of the (scaled) weight, as the functional run delivers it.
            // A count read through the converted path (many rows of a group at once) comes back from the
            // conductances with rounding error of the order of 1e-15: it is still that many events.
            var count = Math.Round(events);
            if (count > 0 && count <= 1 << 16 && Math.Abs(events - count) <= 1e-9 * count)
                for (var c = (int)count; c > 0; c--) x += w;
            else x += (float)(events * w);
        }

        private int IntegrateIdeal(Span<int> fired)
        {
            var c = _next;
            var count = 0;
            var i = 0;
            ref var v0 = ref MemoryMarshal.GetArrayDataReference(_v);
            ref var ge0 = ref MemoryMarshal.GetArrayDataReference(_ge);
            ref var gi0 = ref MemoryMarshal.GetArrayDataReference(_gi);
            ref var h0 = ref MemoryMarshal.GetArrayDataReference(_hold);
            if (Vector.IsHardwareAccelerated && Vector<float>.Count == Vector<int>.Count)
            {
                var width = Vector<float>.Count;
                var leak = new Vector<float>(_leak);
                var reset = new Vector<float>(_reset);
                var threshold = new Vector<float>(_threshold);
                var em = new Vector<float>(_em);
                var ke = new Vector<float>(c.Ke);
                var ki = new Vector<float>(c.Ki);
                var re = new Vector<float>(c.RenormaliseE);
                var ri = new Vector<float>(c.RenormaliseI);
                var holdAfter = new Vector<int>(_holdAfter);
                for (; i <= _n - width; i += width)
                {
                    var offset = (nuint)i;
                    var v = Vector.LoadUnsafe(ref v0, offset);
                    var ge = Vector.LoadUnsafe(ref ge0, offset);
                    var gi = Vector.LoadUnsafe(ref gi0, offset);
                    var hold = Vector.LoadUnsafe(ref h0, offset);
                    var held = Vector.GreaterThan(hold, Vector<int>.Zero);
                    // The functional run's expression, operation for operation.
                    var integrated = leak + (v - leak) * em + ge * ke + gi * ki;
                    v = Vector.ConditionalSelect(held.As<int, float>(), v, integrated);
                    if (c.Renormalise)
                    {
                        (ge * re).StoreUnsafe(ref ge0, offset);
                        (gi * ri).StoreUnsafe(ref gi0, offset);
                    }
                    var fire = Vector.AndNot(Vector.GreaterThan(v, threshold), held);
                    v = Vector.ConditionalSelect(fire.As<int, float>(), reset, v);
                    v.StoreUnsafe(ref v0, offset);
                    Vector.ConditionalSelect(fire, holdAfter, Vector.Max(hold - Vector<int>.One, Vector<int>.Zero)).StoreUnsafe(ref h0, offset);
                    if (fire == Vector<int>.Zero) continue;
                    for (var lane = 0; lane < width; lane++)
                        if (fire[lane] != 0) fired[count++] = i + lane;
                }
            }
            for (; i < _n; i++)
            {
                var held = _hold[i] > 0;
                var v = _v[i];
                if (held) _hold[i]--;
                else v = _leak + (v - _leak) * _em + _ge[i] * c.Ke + _gi[i] * c.Ki;
                if (c.Renormalise)
                {
                    _ge[i] *= c.RenormaliseE;
                    _gi[i] *= c.RenormaliseI;
                }
                if (!held && v > _threshold)
                {
                    v = _reset;
                    _hold[i] = _holdAfter;
                    fired[count++] = i;
                }
                _v[i] = v;
            }
            return count;
        }

        private int IntegrateFixed(Span<int> fired)
        {
            var count = 0;
            for (var k = 0; k < _n; k++)
            {
                int ge = _geq[k], gi = _giq[k];
                if (_hold[k] > 0) _hold[k]--;
                else
                {
                    var v = Add(Add(_leakq, Mul(Add(_vq[k], -_leakq), _emq)), Add(Mul(ge, _keq), Mul(gi, _kiq)));
                    if (v > _thresholdq)
                    {
                        v = _resetq;
                        _hold[k] = _holdAfter;
                        fired[count++] = k;
                    }
                    _vq[k] = v;
                }
                _geq[k] = Mul(ge, _deq);
                _giq[k] = Mul(gi, _diq);
            }
            return count;
        }

        private int Mul(int a, int b) => Sat(((long)a * b + _half) >> _shift);

        private int Add(int a, int b) => Sat((long)a + b);

        private int Sat(long raw)
        {
            if (raw > _f!.MaxRaw) { Saturations++; return _f.MaxRaw; }
            if (raw < _f.MinRaw) { Saturations++; return _f.MinRaw; }
            return (int)raw;
        }
    }
}
