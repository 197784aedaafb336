namespace Neuromorphic.Sim.Workloads;

/// <summary>How one instance of a <see cref="SceneShape"/> is drawn: the per-sample jitter of the workload.</summary>
/// <param name="CentreX">Shape centre, canvas column (pixel centres are at integers).</param>
/// <param name="CentreY">Shape centre, canvas row.</param>
/// <param name="Scale">Size relative to the nominal size (1 = nominal).</param>
/// <param name="RotationRadians">Rotation, clockwise on screen (y points down).</param>
/// <param name="StrokeWidth">Width of strokes in pixels (outline shapes only).</param>
/// <param name="Contrast">Intensity of the shape, in [0, 1], on a black (0) canvas.</param>
public sealed record ShapeStyle(double CentreX, double CentreY, double Scale, double RotationRadians, double StrokeWidth, double Contrast);
