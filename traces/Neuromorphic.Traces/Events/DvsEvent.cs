namespace Neuromorphic.Traces.Events;

/// <summary>One event of an event camera: pixel, polarity (1 = ON, brighter; 0 = OFF), time in microseconds.</summary>
/// <param name="X">Column, 0 at the left.</param>
/// <param name="Y">Row, 0 at the top.</param>
/// <param name="Polarity">1 for ON (log intensity rose), 0 for OFF.</param>
/// <param name="TimeUs">Timestamp in microseconds from the start of the recording.</param>
public readonly record struct DvsEvent(ushort X, ushort Y, byte Polarity, long TimeUs);
