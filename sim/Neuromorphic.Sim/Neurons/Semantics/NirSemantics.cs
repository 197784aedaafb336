namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// Whose discretisation a NIR graph runs with. NIR states continuous-time equations; every
/// framework turns them into a timestep its own way (docs/nir-semantics.md lists the differences).
/// </summary>
public enum NirSemantics
{
    /// <summary>NIR's equations by forward Euler at the run's dt, state in NIR's units; recurrent edges start from the graph at rest (default).</summary>
    Nir,

    /// <summary>As snnTorch's <c>import_from_nir</c> builds the graph: Leaky/Synaptic arithmetic with the input unscaled and the threshold divided by the input scale; snnTorch's reset rule (<c>reset_delay=False</c>).</summary>
    SnnTorch,

    /// <summary>As Norse's <c>from_nir</c> builds the graph: LIFBox/LIBox cells (no <c>r</c> for LIF and IF, reset to 0) run by NIRTorch, whose recurrent edges carry zero in the first step.</summary>
    Norse,
}

/// <summary>What a spiking neuron's membrane does after a spike.</summary>
public enum ResetMechanism
{
    /// <summary>Set to <c>v_reset</c> (NIR's rule; snnTorch's <c>zero</c> and Norse's <c>reset_value</c> when v_reset = 0). Default.</summary>
    ToValue,

    /// <summary>Lose the threshold (snnTorch's <c>subtract</c>, Norse's <c>reset_subtract</c>). NIR files cannot say so; trainers use it often.</summary>
    Subtract,
}
