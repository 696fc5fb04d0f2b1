using System.Buffers.Binary;
using System.Text;

namespace Linli.Infrastructure.MySql.Protocol;

/// <summary>
/// Reads the basic data types of the client/server protocol from one packet payload.
/// Every read names what it expected so a malformed packet explains itself.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html
/// </summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;

    public int Position { get; private set; }

    public readonly int Remaining => _payload.Length - Position;

    public readonly bool AtEnd => Position >= _payload.Length;

    public readonly byte PeekByte(string what) =>
        Position < _payload.Length ? _payload[Position] : throw Truncated(what, 1);

    public byte ReadByte(string what)
    {
        if (Position >= _payload.Length) throw Truncated(what, 1);
        return _payload[Position++];
    }

    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, what));

    public uint ReadUInt24(string what)
    {
        var bytes = ReadBytes(3, what);
        return (uint)(bytes[0] | bytes[1] << 8 | bytes[2] << 16);
    }

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8, what));

    /// <summary>A length-encoded integer; 0xFB (NULL) is not valid here.</summary>
    public ulong ReadLengthEncodedInteger(string what) =>
        ReadLengthEncodedIntegerOrNull(what) ?? throw new FormatException($"Expected {what} (a length-encoded integer) but found NULL (0xFB) at offset {Position - 1}.");

    public ulong? ReadLengthEncodedIntegerOrNull(string what)
    {
        var first = ReadByte(what);
        return first switch
        {
            < 0xFB => first,
            0xFB => null,
            0xFC => ReadUInt16(what),
            0xFD => ReadUInt24(what),
            0xFE => ReadUInt64(what),
            _ => throw new FormatException($"Expected {what} (a length-encoded integer) but found the invalid prefix 0xFF at offset {Position - 1}."),
        };
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string what)
    {
        if (count < 0 || count > Remaining) throw Truncated(what, count);
        var bytes = _payload.Slice(Position, count);
        Position += count;
        return bytes;
    }

    public void Skip(int count, string what) => ReadBytes(count, what);

    public ReadOnlySpan<byte> ReadLengthEncodedBytes(string what)
    {
        var length = ReadLengthEncodedInteger(what);
        if (length > (ulong)Remaining) throw Truncated(what, length > int.MaxValue ? int.MaxValue : (int)length);
        return ReadBytes((int)length, what);
    }

    public string ReadLengthEncodedString(string what) => Encoding.UTF8.GetString(ReadLengthEncodedBytes(what));

    public ReadOnlySpan<byte> ReadNullTerminatedBytes(string what)
    {
        var rest = _payload[Position..];
        var end = rest.IndexOf((byte)0);
        if (end < 0) throw new FormatException($"Expected {what} (a NUL-terminated string) but no NUL byte follows offset {Position}.");
        Position += end + 1;
        return rest[..end];
    }

    public string ReadNullTerminatedString(string what) => Encoding.UTF8.GetString(ReadNullTerminatedBytes(what));

    /// <summary>Some servers omit the final NUL of the last string in a packet; accept both.</summary>
    public ReadOnlySpan<byte> ReadNullTerminatedOrRestBytes()
    {
        var rest = _payload[Position..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            Position = _payload.Length;
            return rest;
        }
        Position += end + 1;
        return rest[..end];
    }

    public ReadOnlySpan<byte> ReadRest()
    {
        var rest = _payload[Position..];
        Position = _payload.Length;
        return rest;
    }

    private readonly FormatException Truncated(string what, int needed) =>
        new($"Expected {what} ({needed} byte(s)) at offset {Position} but the packet has only {Remaining} byte(s) left.");
}
