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
    /// addition of the weight, and its integration kernel, <see cref="CubaIntegration"/>), so the spikes
    /// are those of <see cref="CubaSimulation"/> bit for bit.</para>
    /// </summary>
    private sealed class CubaCore
    {
        // Relative error, per event, within which a count read back from the conductances is still a whole number of
        // events (the converted path's rounding is of the order of 1e-15).
        private const double EventTolerance = 1e-9;
        private readonly CubaNeuronModel _model;
        private readonly FixedPointFormat? _f;
        private readonly int _n, _holdAfter;
        // Ideal core: v holds CubaIntegration.HeldMark + steps while a neuron is held (the functional run's encoding).
        private readonly float[] _v, _ge, _gi;
        private readonly CubaMembrane _membrane;
        // Fixed point: steps a neuron stays held.
        private readonly int[] _hold;
        private CubaDecayClock _clock;
        private StepCoefficients _next;
        private int _step;
        // Fixed point.
        private readonly int[] _vq, _geq, _giq;
        private readonly int _emq, _keq, _kiq, _deq, _diq, _leakq, _thresholdq, _resetq;
        private readonly double _we, _wi;
        private readonly long _half;
        private readonly int _shift;
        // Ideal core: where a crossbar may add its events directly (its weights kept current with _next).
        private readonly CubaEventSink? _events;

        public CubaCore(CubaNeuronModel model, double dt, FixedPointFormat? format)
        {
            model.CheckTimestep(dt);
            _model = model;
            _f = format;
            var p = model.Cuba;
            _n = model.Size;
            // Brian2 integrates again R steps after a spike: R - 1 steps held.
            _holdAfter = Math.Max(0, p.RefractorySteps - 1);
            _clock = new CubaDecayClock(p);
            (_we, _wi) = (p.WeightExcitatory, p.WeightInhibitory);
            if (format is null)
            {
                (_v, _ge, _gi) = (new float[_n], new float[_n], new float[_n]);
                (_vq, _geq, _giq) = ([], [], []);
                _hold = [];
                _membrane = CubaMembrane.Of(p);
                _events = new CubaEventSink(_ge, _gi);
            }
            else
            {
                (_v, _ge, _gi) = ([], [], []);
                (_vq, _geq, _giq) = (new int[_n], new int[_n], new int[_n]);
                _hold = new int[_n];
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

        /// <summary>Ideal core: the conductances and this step's weights, for a crossbar that adds its events itself; null in fixed point.</summary>
        public CubaEventSink? Events => _events;

        private void SetNext(StepCoefficients next)
        {
            _next = next;
            if (_events is null) return;
            (_events.WeightE, _events.WeightI) = (next.WeightE, next.WeightI);
        }

        public void Reset()
        {
            Array.Clear(_hold);
            _clock = new CubaDecayClock(_model.Cuba);
            _step = 0;
            SetNext(_clock.For(0));
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

        /// <summary>
        /// Adds the step's synaptic events: <paramref name="input"/> at <paramref name="active"/> (each once) when
        /// <paramref name="known"/>, otherwise at every non-zero entry. Each entry goes into state of its own, so
        /// the step's input may come in several calls.
        /// </summary>
        public void AddInputs(ReadOnlySpan<double> input, ReadOnlySpan<int> active, bool known)
        {
            if (!known)
            {
                for (var a = 0; a < input.Length; a++)
                    if (input[a] != 0) Input(a, input[a]);
                return;
            }
            if (_f is not null)
            {
                foreach (var a in active) Input(a, input[a]);
                return;
            }
            // Ideal core: Input's arithmetic, with the step's weights and arrays held for the loop.
            var (ge, gi, n) = (_ge, _gi, _n);
            var (we, wi) = (_next.WeightE, _next.WeightI);
            foreach (var a in active)
            {
                var events = input[a];
                if (events == 0) continue;
                var excitatory = a < n;
                ref var x = ref (excitatory ? ref ge[a] : ref gi[a - n]);
                // One event (a spike through one synapse; read back within AddEvents' tolerance), by far the most
                // common count: AddEvents' one addition of the weight, without its call and rounding.
                if (Math.Abs(events - 1) <= EventTolerance) x += excitatory ? we : wi;
                else AddEvents(ref x, excitatory ? we : wi, events);
            }
        }

        /// <summary>
        /// Each synaptic event is one addition of the (scaled) weight, as the functional run delivers it. A count
        /// read through the converted path (many rows of a group at once) comes back from the conductances with
        /// rounding error of the order of 1e-15: it is still that many events.
        /// </summary>
        private static void AddEvents(ref float x, float w, double events)
        {
            var count = Math.Round(events);
            if (count > 0 && count <= 1 << 16 && Math.Abs(events - count) <= EventTolerance * count)
                for (var c = (int)count; c > 0; c--) x += w;
            else x += (float)(events * w);
        }

        /// <summary>Integrates the step (its input added); writes the spiking neurons, ascending, to <paramref name="fired"/> and returns their number.</summary>
        public int Integrate(Span<int> fired)
        {
            var count = _f is null ? IntegrateIdeal(fired) : IntegrateFixed(fired);
            _clock.Integrated(_step);
            SetNext(_clock.For(++_step));
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
            AddEvents(ref (excitatory ? ref _ge[k] : ref _gi[k]), excitatory ? _next.WeightE : _next.WeightI, events);
        }

        private int IntegrateIdeal(Span<int> fired)
        {
            var count = CubaIntegration.Integrate(_v, _ge, _gi, _next, _membrane, 0, fired);
            foreach (var k in fired[..count]) _v[k] = _membrane.HeldAfterSpike;
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
