namespace Neuromorphic.Sim.Workloads;

/// <summary>The procedural shapes of <see cref="SaccadeWorkload"/>'s scenes (see <see cref="ShapeRenderer"/> for their sizes).</summary>
public enum SceneShape
{
    /// <summary>A vertical stroke.</summary>
    VerticalBar,
    /// <summary>A horizontal stroke.</summary>
    HorizontalBar,
    /// <summary>A stroke from bottom-left to top-right, "/".</summary>
    Slash,
    /// <summary>A stroke from top-left to bottom-right, "\".</summary>
    Backslash,
    /// <summary>A circle outline.</summary>
    Ring,
    /// <summary>A filled square.</summary>
    FilledSquare,
    /// <summary>Two strokes crossing at right angles, "+".</summary>
    Plus,
    /// <summary>Two diagonal strokes crossing, "X".</summary>
    Cross,
    /// <summary>A small filled disc.</summary>
    Blob,
    /// <summary>A capital "L": a vertical stroke with a horizontal foot to the right.</summary>
    LShape,
}
