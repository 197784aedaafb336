namespace Neuromorphic.Sim.Transformers;

/// <summary>What a layer of a spike-driven transformer computes.</summary>
public enum LayerKind
{
    /// <summary>2-D convolution (1x1, kxk, depthwise via groups); BatchNorm folded in when <see cref="ModelLayer.BatchNorm"/>.</summary>
    Conv,
    /// <summary>Fully connected layer on a vector (the classification head).</summary>
    Linear,
    /// <summary>SpikingJelly multi-step LIF (tau 2, hard reset to 0; threshold 1.0, or 0.5 for attention neurons).</summary>
    Lif,
    /// <summary>Max pooling (V1's SPS encoder).</summary>
    MaxPool,
    /// <summary>Spatial mean over all positions (the head's global pooling).</summary>
    GlobalMean,
    /// <summary>Element-wise sum of the inputs: the membrane shortcut (a residual added to membrane potentials before a LIF).</summary>
    Add,
    /// <summary>Element-wise multiply by a constant (V2's 0.125 scaling of attention scores).</summary>
    Scale,
    /// <summary>V1 spike-driven self-attention: kv = sum over tokens of (K AND V) per channel, LIF_0.5(kv), out = Q AND kv'. Inputs Q, K, V.</summary>
    SdsaV1,
    /// <summary>V2 spike-driven self-attention core: A = Q (K^T V) on binary matrices per head (integer counts). Inputs Q, K, V.</summary>
    SdsaV2,
}
