namespace Neuromorphic.Traces.Events.Streaming;

/// <summary>What a recording's header says, before its events are read.</summary>
/// <param name="Format">Format and version as people name it, e.g. <c>AEDAT 4.0</c>, <c>EVT 3.0</c>.</param>
/// <param name="Width">Sensor width in pixels; every event's x is smaller.</param>
/// <param name="Height">Sensor height in pixels; every event's y is smaller.</param>
/// <param name="TimesFromFirstEvent">
/// True for formats whose timestamps are a free-running camera clock with no meaningful origin
/// (the AEDAT family): <see cref="Formats.EventFile.Read"/> shifts them so the first event is at
/// 0. False when times already count from the start of the recording (N-MNIST, CSV, Prophesee).
/// </param>
public sealed record RecordingInfo(string Format, int Width, int Height, bool TimesFromFirstEvent);
