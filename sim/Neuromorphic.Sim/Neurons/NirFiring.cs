using System.Numerics;

namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// NIR's output rule shared by LIF/LI, CubaLIF/CubaLI and IF/I: with a threshold, spike when
/// <c>v &gt; v_threshold</c> and reset to <c>v_reset</c>; without one (the integrators), output v.
/// </summary>
internal sealed class NirFiring<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]? _threshold, _reset;

    public NirFiring(double[]? threshold, double[]? reset)
    {
        if (threshold is null) return;
        _threshold = Coefficients.Map<T>(threshold, x => x);
        _reset = Coefficients.Map<T>(reset!, x => x);
    }

    /// <summary>True if the population spikes.</summary>
    public bool Spiking => _threshold is not null;

    /// <summary>Writes this step's output from the updated membrane (resetting neurons that fire).</summary>
    public void Apply(Span<T> membrane, Span<T> output)
    {
        if (_threshold is null) membrane.CopyTo(output);
        else SpikeKernels.FireHardReset<T>(membrane, _threshold, _reset!, output, inclusive: false);
    }
}
