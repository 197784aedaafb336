namespace Neuromorphic.Traces.Events.Formats;

/// <summary>The event-file formats <see cref="EventFile"/> reads.</summary>
public enum EventFileFormat
{
    /// <summary>N-MNIST / N-Caltech101 <c>.bin</c> (<see cref="NmnistBin"/>).</summary>
    NmnistBin,

    /// <summary>CSV with columns t_us, x, y, p (<see cref="EventCsv"/>).</summary>
    Csv,

    /// <summary>AEDAT 2.0 (<see cref="Formats.Aedat2"/>).</summary>
    Aedat2,

    /// <summary>AEDAT 3.1 polarity packets (<see cref="Formats.Aedat31"/>).</summary>
    Aedat31,

    /// <summary>Prophesee <c>.dat</c> CD events (<see cref="Formats.PropheseeDat"/>).</summary>
    PropheseeDat,

    /// <summary>AEDAT 4.0 polarity packets (<see cref="Formats.Aedat4"/>).</summary>
    Aedat4,

    /// <summary>Prophesee Metavision <c>.raw</c>, EVT 2.0 or EVT 3.0 (<see cref="Formats.PropheseeRaw"/>).</summary>
    PropheseeRaw,
}
