namespace Neuromorphic.Traces.Vcd;

/// <summary>The VCD variable type of a <see cref="VcdSignal"/>.</summary>
public enum VcdSignalKind
{
    /// <summary>A <c>wire</c>: 1 bit (written as a scalar, <c>0!</c>) or a vector of up to 64 bits (<c>b101 "</c>).</summary>
    Wire,

    /// <summary>An <c>integer</c> of up to 64 bits, always written as a binary vector (<c>b101 "</c>).</summary>
    Integer,

    /// <summary>A <c>real</c> (64-bit floating point), written as <c>r0.5 #</c>.</summary>
    Real,
}

/// <summary>
/// A variable declared on a <see cref="VcdWriter"/> (by <see cref="VcdWriter.Wire"/>,
/// <see cref="VcdWriter.Integer"/> or <see cref="VcdWriter.Real"/>); pass it to
/// <see cref="VcdWriter.Change(VcdSignal, long, ulong)"/> and friends. It belongs to the writer
/// that declared it.
/// </summary>
public sealed class VcdSignal
{
    internal VcdSignal(VcdWriter owner, int index, string identifier, string scopePath, string name, VcdSignalKind kind, int width)
    {
        Owner = owner;
        Index = index;
        Identifier = identifier;
        ScopePath = scopePath;
        Name = name;
        Kind = kind;
        Width = width;
    }

    internal VcdWriter Owner { get; }

    /// <summary>The declaration index (0 for the first signal declared on the writer).</summary>
    public int Index { get; }

    /// <summary>The VCD identifier code (printable ASCII 33-126, see <see cref="VcdWriter.IdentifierCode"/>).</summary>
    public string Identifier { get; }

    /// <summary>The dotted scope path as written (each segment sanitised), e.g. <c>chip.tile0.macro3</c>.</summary>
    public string ScopePath { get; }

    /// <summary>The variable name as written (sanitised and unique within its scope).</summary>
    public string Name { get; }

    /// <summary>The variable type.</summary>
    public VcdSignalKind Kind { get; }

    /// <summary>The width in bits (64 for reals).</summary>
    public int Width { get; }

    /// <summary>The full dotted name, <c>ScopePath + "." + Name</c>.</summary>
    public string FullName => ScopePath + "." + Name;

    /// <inheritdoc />
    public override string ToString() => $"{FullName} ({Kind}, {Width} bit, id {Identifier})";
}
