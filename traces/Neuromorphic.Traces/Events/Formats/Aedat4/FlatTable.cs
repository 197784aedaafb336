using System.Buffers.Binary;
using System.Text;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Reads the fields of one FlatBuffers table with every offset checked against the buffer, so
/// a damaged file raises <see cref="FlatBufferException"/> instead of reading out of bounds.
/// Only what AEDAT 4.0 needs: scalar fields, strings and vectors of fixed-size structs.
/// </summary>
/// <remarks>
/// FlatBuffers layout (flatbuffers.dev, "Internals"): a buffer starts with a uoffset (u32) to
/// the root table; a table starts with an soffset (i32) that, subtracted from the table's
/// position, gives its vtable; a vtable holds u16 vtable size, u16 table size, then one u16
/// per field (the field's offset from the table start, 0 when absent). Strings and vectors are
/// reached by a uoffset stored in the field, counted from the field's own position; they start
/// with a u32 length. All little-endian.
/// </remarks>
internal readonly ref struct FlatTable
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _table;
    private readonly int _vtable;
    private readonly int _vtableSize;
    private readonly int _tableSize;

    private FlatTable(ReadOnlySpan<byte> buffer, int table)
    {
        _buffer = buffer;
        _table = table;
        Require(buffer, table, 4, "table");
        long vtable = table - (long)BinaryPrimitives.ReadInt32LittleEndian(buffer[table..]);
        if (vtable < 0 || vtable > buffer.Length - 4)
        {
            throw new FlatBufferException(table, $"the table's vtable offset points to {vtable}, outside the {buffer.Length}-byte buffer");
        }

        _vtable = (int)vtable;
        _vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(buffer[_vtable..]);
        _tableSize = BinaryPrimitives.ReadUInt16LittleEndian(buffer[(_vtable + 2)..]);
        if (_vtableSize < 4 || (_vtableSize & 1) != 0 || _vtable + _vtableSize > buffer.Length)
        {
            throw new FlatBufferException(_vtable, $"vtable size {_vtableSize} is invalid for a {buffer.Length}-byte buffer");
        }

        if (_tableSize < 4 || (long)table + _tableSize > buffer.Length)
        {
            throw new FlatBufferException(_vtable, $"table size {_tableSize} runs past the {buffer.Length}-byte buffer");
        }
    }

    /// <summary>The root table of a buffer (which starts with the root uoffset).</summary>
    /// <param name="buffer">The FlatBuffer, without any size prefix.</param>
    /// <returns>The root table.</returns>
    public static FlatTable Root(ReadOnlySpan<byte> buffer)
    {
        Require(buffer, 0, 8, "root offset and file identifier");
        uint root = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        if (root < 8 || root > buffer.Length - 4)
        {
            throw new FlatBufferException(0, $"root table offset {root} is outside the {buffer.Length}-byte buffer");
        }

        return new FlatTable(buffer, (int)root);
    }

    /// <summary>The 4-character file identifier after the root offset, printable.</summary>
    public static string Identifier(ReadOnlySpan<byte> buffer)
    {
        Require(buffer, 0, 8, "root offset and file identifier");
        return FormatReader.Printable(buffer.Slice(4, 4), max: 4);
    }

    /// <summary>Position of field <paramref name="field"/> in the buffer, or -1 when the field is absent.</summary>
    public int FieldPosition(int field, int size)
    {
        int entry = 4 + 2 * field;
        if (entry + 2 > _vtableSize)
        {
            return -1;
        }

        int offset = BinaryPrimitives.ReadUInt16LittleEndian(_buffer[(_vtable + entry)..]);
        if (offset == 0)
        {
            return -1;
        }

        if (offset + size > _tableSize)
        {
            throw new FlatBufferException(_vtable + entry, $"field {field} at table offset {offset} runs past the table's {_tableSize} bytes");
        }

        return _table + offset;
    }

    /// <summary>An int32 field, or <paramref name="absent"/> when the field is not stored.</summary>
    public int Int32(int field, int absent)
    {
        int at = FieldPosition(field, 4);
        return at < 0 ? absent : BinaryPrimitives.ReadInt32LittleEndian(_buffer[at..]);
    }

    /// <summary>An int64 field, or <paramref name="absent"/> when the field is not stored.</summary>
    public long Int64(int field, long absent)
    {
        int at = FieldPosition(field, 8);
        return at < 0 ? absent : BinaryPrimitives.ReadInt64LittleEndian(_buffer[at..]);
    }

    /// <summary>A string field (UTF-8), or null when absent.</summary>
    public string? String(int field)
    {
        (int start, int count) = Vector(field, 1);
        return start < 0 ? null : Encoding.UTF8.GetString(_buffer.Slice(start, count));
    }

    /// <summary>
    /// A vector field of <paramref name="elementSize"/>-byte elements: the position of its first
    /// element and the element count, or (-1, 0) when absent.
    /// </summary>
    public (int Start, int Count) Vector(int field, int elementSize)
    {
        int at = FieldPosition(field, 4);
        if (at < 0)
        {
            return (-1, 0);
        }

        long vector = at + (long)BinaryPrimitives.ReadUInt32LittleEndian(_buffer[at..]);
        if (vector > _buffer.Length - 4)
        {
            throw new FlatBufferException(at, $"field {field} points to {vector}, outside the {_buffer.Length}-byte buffer");
        }

        long count = BinaryPrimitives.ReadUInt32LittleEndian(_buffer[(int)vector..]);
        long start = vector + 4;
        if (count * elementSize > _buffer.Length - start)
        {
            throw new FlatBufferException(
                (int)vector, $"field {field} declares {count} elements of {elementSize} bytes, more than the {_buffer.Length - start} bytes left");
        }

        return ((int)start, (int)count);
    }

    private static void Require(ReadOnlySpan<byte> buffer, int at, int length, string what)
    {
        if (at < 0 || (long)at + length > buffer.Length)
        {
            throw new FlatBufferException(Math.Max(0, at), $"the {what} ({length} bytes) runs past the {buffer.Length}-byte buffer");
        }
    }
}

/// <summary>A FlatBuffer that does not hold together; <see cref="Offset"/> is within the buffer.</summary>
internal sealed class FlatBufferException(int offset, string problem) : Exception(problem)
{
    /// <summary>Where in the FlatBuffer the problem was found.</summary>
    public int Offset { get; } = offset;
}
