namespace Neuromorphic.Hw.Devices;

/// <summary>
/// How a crossbar read draws the cells' cycle-to-cycle read noise (<see cref="RramDeviceParameters.ReadNoiseSigma"/>).
/// Each driven cell's conductance is G (1 + sigma N) with N standard normal, clipped at zero. A column sums its driven
/// cells, so without the clip its current is sum G + sigma sqrt(sum G^2) N': one normal draw per column gives the same
/// distribution as one per cell (the sum of independent normals is normal), at a cost that no longer grows with the
/// driven rows. IBM's aihwkit also refers its weight read noise to the output, one draw per output and read
/// (<c>IOParameters.w_noise</c>, src/aihwkit/simulator/parameters/io.py), though with variance laws of its own.
/// </summary>
public enum ReadNoiseModel
{
    /// <summary>
    /// <see cref="PerColumn"/> where it is exact in distribution (sigma at most
    /// <see cref="RramDeviceParameters.MaxPerColumnReadNoiseSigma"/> and no IR drop), <see cref="PerCell"/> otherwise.
    /// </summary>
    Auto,

    /// <summary>One draw per driven cell per read, clipped at zero conductance cell by cell.</summary>
    PerCell,

    /// <summary>
    /// One draw per column per read, with the column's standard deviation sigma sqrt(sum G^2) over its driven cells.
    /// Requires sigma at most <see cref="RramDeviceParameters.MaxPerColumnReadNoiseSigma"/> (a cell's clip at zero then has
    /// probability under 1e-15) and no IR drop (the drop is not linear in a cell's conductance).
    /// </summary>
    PerColumn,
}
