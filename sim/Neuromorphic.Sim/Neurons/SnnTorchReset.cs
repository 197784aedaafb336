using System.Numerics;

namespace Neuromorphic.Sim.Neurons;

/// <summary>snnTorch's <c>reset_mechanism</c>.</summary>
public enum SnnTorchResetMechanism
{
    /// <summary>Subtract the threshold from the membrane of a neuron that spiked (snnTorch's default).</summary>
    Subtract,
    /// <summary>Set the membrane of a neuron that spiked to zero.</summary>
    Zero,
    /// <summary>No reset.</summary>
    None,
}

/// <summary>
/// The reset arithmetic shared by snnTorch's Leaky and Synaptic, written as snnTorch computes it:
/// the reset term comes from the previous membrane (<c>reset = H(mem_prev - threshold)</c>),
/// and with <c>reset_delay=False</c> a correction <c>spk - reset</c> is applied at once.
/// </summary>
internal static class SnnTorchReset
{
    /// <summary>The membrane before spiking, given the leaky update <paramref name="updated"/> = beta mem + drive.</summary>
    public static T BeforeSpike<T>(SnnTorchResetMechanism mechanism, T updated, T decayedPrevious, T reset, T threshold)
        where T : unmanaged, IFloatingPointIeee754<T> => mechanism switch
        {
            SnnTorchResetMechanism.Subtract => updated - reset * threshold,
            // zero: mem = (1 - reset) mem_prev before the update, so the decayed previous term vanishes.
            SnnTorchResetMechanism.Zero => updated - reset * decayedPrevious,
            _ => updated,
        };

    /// <summary>The membrane after an immediate (<c>reset_delay=False</c>) reset.</summary>
    public static T AfterSpike<T>(SnnTorchResetMechanism mechanism, T mem, T spike, T reset, T threshold)
        where T : unmanaged, IFloatingPointIeee754<T> => mechanism switch
        {
            SnnTorchResetMechanism.Subtract => mem - (spike - reset) * threshold,
            SnnTorchResetMechanism.Zero => mem - (spike - reset) * mem,
            _ => mem,
        };
}
