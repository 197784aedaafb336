namespace Neuromorphic.Hw.Subarray;

/// <summary>How a subarray read is clocked.</summary>
public enum ReadTiming
{
    /// <summary>
    /// Our design: the word lines are driven once per row group, the bit lines are sampled and held, and
    /// the ADC converts the multiplexed columns back to back, each in its own conversion time.
    /// </summary>
    Pipelined,

    /// <summary>
    /// NeuroSim V1.4 (Param.cpp synchronous = true): one conversion per clock of period
    /// beta x (ADC latency + word-line/mux delay), beta = 1.4, and the word lines and switch matrix
    /// re-driven for every column-mux step (SubArray.cpp CalculateLatency/CalculatePower).
    /// </summary>
    NeuroSimSynchronous,
}
