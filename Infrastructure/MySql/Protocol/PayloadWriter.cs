using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Linli.Infrastructure.MySql.Protocol;

/// <summary>
/// Builds one packet payload in a pooled buffer, leaving room for the 4-byte packet header in front
/// so a payload under 16 MiB goes to the socket in a single write. A further 5 bytes in front can carry a whole
/// empty-bodied command packet (COM_RESET_CONNECTION) sent in the same write.
/// </summary>
internal sealed class PayloadWriter : IBufferWriter<byte>, IDisposable
{
    public const int HeaderSize = 4;
    public const int PrefixPacketSize = 5;
    private const int Start = PrefixPacketSize + HeaderSize;

    private byte[] _buffer;
    private int _position;

    public PayloadWriter(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
        _position = Start;
    }

    public int PayloadLength => _position - Start;

    /// <summary>The payload written so far (without the header slot).</summary>
    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(Start, PayloadLength);

    /// <summary>The header slot followed by the payload.</summary>
    public ArraySegment<byte> HeaderAndPayload => new(_buffer, PrefixPacketSize, _position - PrefixPacketSize);

    /// <summary>A 5-byte packet, then the header slot and the payload.</summary>
    public ArraySegment<byte> WithPrefixPacket(ReadOnlySpan<byte> packet)
    {
        if (packet.Length != PrefixPacketSize) throw new ArgumentException("The prefix packet must be 5 bytes.", nameof(packet));
        packet.CopyTo(_buffer);
        return new ArraySegment<byte>(_buffer, 0, _position);
    }

    public int Capacity => _buffer.Length;

    public void Reset() => _position = Start;

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_position), value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void WriteLengthEncodedInteger(ulong value)
    {
        switch (value)
        {
            case < 0xFB:
                WriteByte((byte)value);
                break;
            case <= 0xFFFF:
                WriteByte(0xFC);
                WriteUInt16((ushort)value);
                break;
            case <= 0xFFFFFF:
                WriteByte(0xFD);
                WriteByte((byte)value);
                WriteByte((byte)(value >> 8));
                WriteByte((byte)(value >> 16));
                break;
            default:
                WriteByte(0xFE);
                Ensure(8);
                BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value);
                _position += 8;
                break;
        }
    }

    public void WriteZeros(int count)
    {
        Ensure(count);
        _buffer.AsSpan(_position, count).Clear();
        _position += count;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    public void WriteUtf8(ReadOnlySpan<char> text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        _position += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_position));
    }

    public void WriteNullTerminated(string text)
    {
        WriteUtf8(text);
        WriteByte(0);
    }

    public void WriteLengthEncodedBytes(ReadOnlySpan<byte> bytes)
    {
        WriteLengthEncodedInteger((ulong)bytes.Length);
        Write(bytes);
    }

    public void Advance(int count) => _position += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 16));
        return _buffer.AsMemory(_position);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 16));
        return _buffer.AsSpan(_position);
    }

    private void Ensure(int count)
    {
        if (_buffer.Length - _position >= count) return;
        var needed = (long)_position + count;
        var size = Math.Max(needed, (long)_buffer.Length * 2);
        if (size > Array.MaxLength) size = needed <= Array.MaxLength ? Array.MaxLength : throw new InvalidOperationException("The packet payload exceeds the largest array .NET can allocate.");
        var bigger = ArrayPool<byte>.Shared.Rent((int)size);
        _buffer.AsSpan(0, _position).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
