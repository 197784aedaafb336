namespace Neuromorphic.Traces.Events.Conversion;

/// <summary>What <see cref="EventConversion"/> keeps of a recording and how it maps it.</summary>
/// <param name="Crop">A window (X0, Y0, width, height) of the sensor; null keeps the whole sensor.</param>
/// <param name="FromUs">Keep events at or after this many µs after the first event (0: from the start).</param>
/// <param name="ToUs">Keep events before this many µs after the first event (null: to the end).</param>
/// <param name="Downsample">Divide x and y (after cropping) by this factor, so the sensor shrinks to ceil(size / K); 1 keeps them.</param>
public sealed record ConversionOptions((int X0, int Y0, int Width, int Height)? Crop = null, long FromUs = 0, long? ToUs = null, int Downsample = 1);
