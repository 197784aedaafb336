using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Hw.Devices;

/// <summary>
/// The random streams of stochastic programming (<see cref="RramDevice.ProgramStochastic(StochasticStreams)"/>), one per
/// kind of draw: the pulse's outcome, the cell's stuck-at fault, and its device-to-device window factor. Each cell takes
/// exactly one draw from each stream that is in use, whatever the other draws gave (a faulty cell still takes its pulse
/// and window draws), so two runs that differ only in a fault rate or in the device-to-device sigma program every cell
/// from the same pulse outcome: a sweep over those knobs compares the same reservoir (common random numbers).
/// </summary>
/// <param name="Pulse">The pulse's outcome within the nominal window (<see cref="RramDeviceParameters.PulseDistribution"/>).</param>
/// <param name="Fault">Stuck-at faults: one uniform draw per cell when a stuck-at rate is not zero.</param>
/// <param name="Window">Device-to-device variation: one normal draw per cell when its sigma is not zero.</param>
public sealed record StochasticStreams(DeterministicRandom Pulse, DeterministicRandom Fault, DeterministicRandom Window)
{
    /// <summary>
    /// The streams of component <paramref name="component"/> in run <paramref name="seed"/>: the pulse stream is the
    /// component's own stream (so runs without faults or variation draw what they always drew), the fault and window
    /// streams are the components <c>component.fault</c> and <c>component.window</c>.
    /// </summary>
    public static StochasticStreams For(ulong seed, string component) => new(
        DeterministicRandom.ForComponent(seed, component),
        DeterministicRandom.ForComponent(seed, component + ".fault"),
        DeterministicRandom.ForComponent(seed, component + ".window"));

    /// <summary>All three kinds of draw from one stream, in the order fault, window, pulse per cell (tests, single-stream callers).</summary>
    public static StochasticStreams Single(DeterministicRandom rng) => new(rng, rng, rng);
}
