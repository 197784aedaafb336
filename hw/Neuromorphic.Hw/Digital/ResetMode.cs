namespace Neuromorphic.Hw.Digital;

/// <summary>What a neuron's membrane does after it spikes.</summary>
public enum ResetMode
{
    /// <summary>Hard reset: the membrane is set to 0.</summary>
    Zero,

    /// <summary>Soft reset: the threshold is subtracted from the membrane (saturating).</summary>
    Subtract,
}
