namespace Neuromorphic.Traces.Events;

/// <summary>Which event polarities <see cref="EventBinning"/> turns into channels.</summary>
public enum PolarityMode
{
    /// <summary>Both polarities, as two blocks of channels: OFF (p = 0) first, then ON (p = 1).</summary>
    Both,

    /// <summary>Only ON events (p = 1); OFF events are dropped.</summary>
    On,

    /// <summary>Only OFF events (p = 0); ON events are dropped.</summary>
    Off,
}
