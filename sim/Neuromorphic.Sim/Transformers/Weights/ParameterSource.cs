namespace Neuromorphic.Sim.Transformers.Weights;

/// <summary>
/// Where one conv or linear layer's parameters live in a state dict of the public BICLab code:
/// the weight (and its expected shape), the bias if the layer has one, and the BatchNorms that
/// follow it (module prefixes; each has <c>weight</c>, <c>bias</c>, <c>running_mean</c> and
/// <c>running_var</c>), folded in this order.
/// </summary>
/// <param name="Layer">The model layer's name.</param>
/// <param name="Weight">State-dict key of the weight.</param>
/// <param name="WeightShape">Its shape in the PyTorch module ([out, in / groups, k, k] for Conv2d, [out, in, 1] for Conv1d, [out, in] for Linear).</param>
/// <param name="Bias">State-dict key of the bias, or null.</param>
/// <param name="BatchNorms">Module prefixes of the BatchNorms folded into the layer, in order.</param>
public sealed record ParameterSource(string Layer, string Weight, IReadOnlyList<long> WeightShape, string? Bias, IReadOnlyList<string> BatchNorms);
