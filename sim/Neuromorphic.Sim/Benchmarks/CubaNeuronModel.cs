using System.Numerics;
using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// The CUBA benchmark's neuron (Brian2's examples/CUBA.py) as a population of a <see cref="Networks.Network"/>:
/// <c>tau_m dv/dt = (El - v) + ge + gi</c>, <c>tau_e dge/dt = -ge</c>, <c>tau_i dgi/dt = -gi</c>,
/// integrated exactly over a step; spike when v exceeds the threshold, then v = Vr, held for the
/// refractory period. Voltages in mV, times in ms (<see cref="CubaParameters"/>). The population
/// takes two inputs per neuron (<see cref="InputSize"/> = 2 x <see cref="Size"/>): the number of
/// excitatory synaptic events of the step at [0, Size), which add <c>w_e</c> each to ge, and of
/// inhibitory ones at [Size, 2 Size), which add <c>w_i</c> each to gi; they count from the next step's
/// integration, as in Brian2. This software form decays ge and gi every step;
/// <see cref="CubaSimulation"/> is the fast functional run of the same equations.
/// </summary>
public sealed record CubaNeuronModel : NeuronModel
{
    /// <summary>Creates the population.</summary>
    /// <param name="parameters">The network's parameters (validated).</param>
    /// <param name="initialMembrane">Each neuron's membrane at step 0 (mV).</param>
    public CubaNeuronModel(CubaParameters parameters, double[] initialMembrane)
    {
        parameters.Validate();
        Cuba = parameters;
        InitialMembrane = initialMembrane;
        if (initialMembrane.Length != parameters.Neurons)
            throw new ArgumentException($"{Kind}: {initialMembrane.Length} initial membranes for {parameters.Neurons} neurons");
        Validate();
    }

    /// <summary>The network's parameters.</summary>
    public CubaParameters Cuba { get; }

    /// <summary>Membrane of each neuron at step 0 (mV).</summary>
    public double[] InitialMembrane { get; }

    /// <inheritdoc />
    public override int Size => InitialMembrane.Length;

    /// <inheritdoc />
    public override int InputSize => 2 * Size;

    /// <inheritdoc />
    public override string Kind => "cuba.LIF";

    /// <inheritdoc />
    public override bool Spiking => true;

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, double[] Values)> Parameters => [("v_initial", InitialMembrane)];

    /// <summary>Checks that <paramref name="dt"/> (seconds) is the model's own timestep: the exact solution is built for it.</summary>
    public void CheckTimestep(double dt)
    {
        if (Math.Abs(dt - Cuba.Dt * 1e-3) > 1e-12 * Math.Max(1, dt))
            throw new ArgumentException($"{Kind}: the population integrates exactly over its own timestep of {Cuba.Dt} ms, not {dt * 1e3} ms");
    }

    /// <inheritdoc />
    public override INeuronDynamics<T> CreateDynamics<T>(double dt)
    {
        CheckTimestep(dt);
        return new Dynamics<T>(this);
    }

    private sealed class Dynamics<T> : INeuronDynamics<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly CubaNeuronModel _m;
        private readonly T[] _v, _ge, _gi;
        private readonly int[] _held;
        private readonly T _em, _ke, _ki, _de, _di, _leak, _threshold, _reset, _we, _wi;
        private readonly int _heldSteps;

        public Dynamics(CubaNeuronModel m)
        {
            _m = m;
            var p = m.Cuba;
            _v = new T[m.Size];
            _ge = new T[m.Size];
            _gi = new T[m.Size];
            _held = new int[m.Size];
            var em = Math.Exp(-p.Dt / p.TauMembrane);
            _em = T.CreateChecked(em);
            _ke = T.CreateChecked(p.TauExcitatory / (p.TauExcitatory - p.TauMembrane) * (Math.Exp(-p.Dt / p.TauExcitatory) - em));
            _ki = T.CreateChecked(p.TauInhibitory / (p.TauInhibitory - p.TauMembrane) * (Math.Exp(-p.Dt / p.TauInhibitory) - em));
            _de = T.CreateChecked(Math.Exp(-p.Dt / p.TauExcitatory));
            _di = T.CreateChecked(Math.Exp(-p.Dt / p.TauInhibitory));
            (_leak, _threshold, _reset) = (T.CreateChecked(p.Leak), T.CreateChecked(p.Threshold), T.CreateChecked(p.Reset));
            (_we, _wi) = (T.CreateChecked(p.WeightExcitatory), T.CreateChecked(p.WeightInhibitory));
            // Brian2 integrates again R steps after a spike: R - 1 steps held.
            _heldSteps = Math.Max(0, p.RefractorySteps - 1);
            Reset();
        }

        public int Size => _v.Length;
        public bool Spiking => true;
        public ReadOnlySpan<T> Membrane => _v;
        public void SetMembrane(ReadOnlySpan<T> membrane) => membrane.CopyTo(_v);

        public void Reset()
        {
            for (var k = 0; k < _v.Length; k++) _v[k] = T.CreateChecked(_m.InitialMembrane[k]);
            Array.Clear(_ge);
            Array.Clear(_gi);
            Array.Clear(_held);
        }

        public void Step(ReadOnlySpan<T> input, Span<T> output)
        {
            var n = _v.Length;
            for (var k = 0; k < n; k++)
            {
                var ge = _ge[k] + input[k] * _we;
                var gi = _gi[k] + input[n + k] * _wi;
                var fired = false;
                if (_held[k] > 0) _held[k]--;
                else
                {
                    var v = _leak + (_v[k] - _leak) * _em + ge * _ke + gi * _ki;
                    fired = v > _threshold;
                    _v[k] = fired ? _reset : v;
                    if (fired) _held[k] = _heldSteps;
                }
                _ge[k] = ge * _de;
                _gi[k] = gi * _di;
                output[k] = fired ? T.One : T.Zero;
            }
        }
    }
}
