using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Runs;

/// <summary>
/// Checks a run makes once its workload's size is known and before the workload is loaded: the
/// resource guard (<see cref="RunMemory"/>) and the settings that depend on the number of inputs.
/// </summary>
public static class RunPlan
{
    /// <summary>The check to hand to <see cref="WorkloadLoader.Load"/> as its <c>plan</c>.</summary>
    /// <param name="config">The run configuration.</param>
    /// <param name="budget">The memory the run may plan to use.</param>
    /// <exception cref="InputFormatException">Naming the configuration file and the key.</exception>
    public static Action<long, int> Check(RunConfig config, MemoryBudget budget) => (samples, inputs) =>
    {
        // "all" is the explicit dense choice; a number above the inputs is a mistake, not a request for dense input.
        if (config.Transformer is null && config.Network is null && config.Lsm.InputFanIn != Lsm.LsmParameters.AllInputs && config.Lsm.InputFanIn > inputs)
            throw new InputFormatException(config.Origin, "lsm.input_fan_in",
                $"each neuron would listen to {config.Lsm.InputFanIn} inputs, but the encoded workload has {inputs} input channels (input_fan_in: all for dense input)");
        RunMemory.Require(config, samples, inputs, budget);
    };
}
