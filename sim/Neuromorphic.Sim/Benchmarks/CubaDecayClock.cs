namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Lazy exponential decay of CUBA's synaptic variables. ge and gi decay by the same factor in every
/// neuron each step, so instead of multiplying every neuron's ge and gi each step (a write of 8 bytes
/// per neuron per step, the larger part of a step's memory traffic), they are stored scaled: the value
/// a step integrates is <c>stored x S(step)</c> with <c>S(step) = exp(-(step - epoch) dt / tau)</c>.
/// The scale enters the step's integration coefficient and divides the weight of new inputs. Every
/// <see cref="RenormaliseEvery"/> steps an integration pass folds the scale back into the stored
/// values (a new epoch), so stored magnitudes stay within a factor of about e^8 of the true ones.
/// Scales are computed from the exact exponent in double precision, never by repeated products.
/// </summary>
public sealed class CubaDecayClock
{
    private readonly double _rateE, _rateI;          // dt / tau_e, dt / tau_i
    private readonly double _ke, _ki, _we, _wi;
    private int _epoch;

    /// <summary>The clock of a network with parameters <paramref name="p"/>, at epoch 0.</summary>
    public CubaDecayClock(CubaParameters p)
    {
        _rateE = p.Dt / p.TauExcitatory;
        _rateI = p.Dt / p.TauInhibitory;
        var em = Math.Exp(-p.Dt / p.TauMembrane);
        // Exact solution over one step of tau_m dv/dt = -(v - El) + ge + gi with ge, gi decaying:
        // v' = El + (v - El) e^(-dt/tau_m) + ge K_e + gi K_i, K_x = tau_x / (tau_x - tau_m) (e^(-dt/tau_x) - e^(-dt/tau_m)).
        _ke = p.TauExcitatory / (p.TauExcitatory - p.TauMembrane) * (Math.Exp(-_rateE) - em);
        _ki = p.TauInhibitory / (p.TauInhibitory - p.TauMembrane) * (Math.Exp(-_rateI) - em);
        _we = p.WeightExcitatory;
        _wi = p.WeightInhibitory;
        RenormaliseEvery = (int)Math.Clamp(Math.Floor(8 / Math.Max(_rateE, _rateI)), 1, 1024);
    }

    /// <summary>Steps between renormalisations.</summary>
    public int RenormaliseEvery { get; }

    /// <summary>The coefficients of integrating step <paramref name="step"/> (and of inputs it will integrate).</summary>
    public StepCoefficients For(int step) => Coefficients(step, _epoch);

    /// <summary>
    /// The coefficients <see cref="For"/> will give for step <paramref name="step"/> + 1 once
    /// <paramref name="step"/> is integrated: the weights of the inputs that step's spikes send.
    /// </summary>
    public StepCoefficients ForNextAfter(int step) => Coefficients(step + 1, EpochAfter(step));

    /// <summary>The epoch once step <paramref name="step"/> is integrated: a new one starts after a renormalising step.</summary>
    private int EpochAfter(int step) => step + 1 - _epoch >= RenormaliseEvery ? step + 1 : _epoch;

    private StepCoefficients Coefficients(int step, int epoch)
    {
        var age = step - epoch;
        double se = Math.Exp(-age * _rateE), si = Math.Exp(-age * _rateI);
        var renormalise = age + 1 >= RenormaliseEvery;
        return new StepCoefficients(
            (float)(_ke * se), (float)(_ki * si),
            (float)(_we / se), (float)(_wi / si),
            se, si,
            renormalise,
            renormalise ? (float)Math.Exp(-(age + 1) * _rateE) : 1f,
            renormalise ? (float)Math.Exp(-(age + 1) * _rateI) : 1f);
    }

    /// <summary>Records that step <paramref name="step"/> was integrated (with <see cref="For"/>'s coefficients): starts a new epoch if it renormalised.</summary>
    public void Integrated(int step)
    {
        _epoch = EpochAfter(step);
    }
}

/// <summary>Per-step scalars of <see cref="CubaDecayClock"/>.</summary>
/// <param name="Ke">Coefficient of stored ge in the membrane update.</param>
/// <param name="Ki">Coefficient of stored gi in the membrane update.</param>
/// <param name="WeightE">Stored increment of ge for an excitatory synaptic event this step will integrate.</param>
/// <param name="WeightI">Stored increment of gi for an inhibitory synaptic event this step will integrate.</param>
/// <param name="ScaleE">True ge = stored ge x this (inputs divide by it).</param>
/// <param name="ScaleI">True gi = stored gi x this.</param>
/// <param name="Renormalise">Whether this step's pass rescales the stored ge and gi (by the next two factors).</param>
/// <param name="RenormaliseE">Factor applied to stored ge when renormalising.</param>
/// <param name="RenormaliseI">Factor applied to stored gi when renormalising.</param>
public readonly record struct StepCoefficients(float Ke, float Ki, float WeightE, float WeightI, double ScaleE, double ScaleI,
    bool Renormalise, float RenormaliseE, float RenormaliseI);
