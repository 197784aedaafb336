namespace Neuromorphic.Hw.Devices;

/// <summary>A permanent defect of one RRAM cell, drawn when the cell is first programmed.</summary>
public enum CellFault
{
    /// <summary>The cell is programmable.</summary>
    None,

    /// <summary>Stuck in the low-resistance state (conductance GMax) whatever it is programmed to.</summary>
    StuckOn,

    /// <summary>Stuck in the high-resistance state (conductance GMin) whatever it is programmed to.</summary>
    StuckOff,
}
