using System.Buffers;
using Linli.Infrastructure.MySql.Protocol;

namespace Linli.Infrastructure.MySql.Core;

/// <summary>
/// Packet framing over a byte stream: 3-byte length, sequence id, payload; payloads of 0xFFFFFF bytes or more
/// are split, and one whose length is an exact multiple of 0xFFFFFF ends with an empty packet.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html
/// Reads are buffered in one pooled buffer; a returned payload stays valid until the next read.
/// Every I/O method takes <c>async</c>: false runs the genuinely synchronous stream API, true the asynchronous one.
/// </summary>
internal sealed class PacketStream : IDisposable
{
    public const int MaxPacketPayload = 0xFFFFFF;
    private const int BufferSize = 64 * 1024;

    private Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _start;
    private int _end;
    private byte[] _joined = [];

    public PacketStream(Stream stream) => _stream = stream;

    /// <summary>The sequence id the next packet (in either direction) carries.</summary>
    public byte Sequence { get; set; }

    /// <summary>Swaps the underlying stream (after the TLS upgrade). Nothing may be buffered then.</summary>
    public void ReplaceStream(Stream stream)
    {
        if (_end != _start) throw new InvalidOperationException("Unread bytes are buffered; the stream cannot be replaced.");
        _stream = stream;
    }

    public Stream Stream => _stream;

    public ValueTask<ReadOnlyMemory<byte>> ReadPayloadAsync(bool async, CancellationToken cancellationToken)
    {
        // Fast path: the whole packet is already buffered.
        var available = _end - _start;
        if (available >= 4)
        {
            var length = _buffer[_start] | _buffer[_start + 1] << 8 | _buffer[_start + 2] << 16;
            if (length < MaxPacketPayload && available >= 4 + length)
            {
                CheckSequence(_buffer[_start + 3]);
                var payload = new ReadOnlyMemory<byte>(_buffer, _start + 4, length);
                _start += 4 + length;
                return new ValueTask<ReadOnlyMemory<byte>>(payload);
            }
        }
        return ReadPayloadSlowAsync(async, cancellationToken);
    }

    /// <summary>
    /// Turns a read failure into the exception the caller should see (the session maps I/O errors to "lost connection"
    /// and marks itself broken). Applied here, at the bottom, so no extra async wrapper is needed above.
    /// </summary>
    public Func<Exception, Exception>? ReadFailure { get; set; }

    private async ValueTask<ReadOnlyMemory<byte>> ReadPayloadSlowAsync(bool async, CancellationToken cancellationToken)
    {
        try
        {
            // The common case (a reply that fits the buffer) reads the stream right here rather than through helper
            // methods: each nested async method would be one more allocation whenever the read has to wait.
            var needed = 4;
            var fits = false;
            while (true)
            {
                if (_end - _start >= needed)
                {
                    if (fits) break;
                    var packetLength = _buffer[_start] | _buffer[_start + 1] << 8 | _buffer[_start + 2] << 16;
                    if (packetLength >= MaxPacketPayload || packetLength + 4 > _buffer.Length) break;
                    needed = 4 + packetLength;
                    fits = true;
                    continue;
                }
                if (_start + needed > _buffer.Length)
                {
                    _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                    _end -= _start;
                    _start = 0;
                }
                var read = async
                    ? await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false)
                    : _stream.Read(_buffer.AsSpan(_end));
                if (read == 0) throw new EndOfStreamException("The server closed the connection.");
                _end += read;
            }
            var length = _buffer[_start] | _buffer[_start + 1] << 8 | _buffer[_start + 2] << 16;
            CheckSequence(_buffer[_start + 3]);
            if (fits)
            {
                var payload = new ReadOnlyMemory<byte>(_buffer, _start + 4, length);
                _start += 4 + length;
                return payload;
            }

            // A payload larger than the buffer, possibly spread over several packets: join it.
            _start += 4;
            var total = 0;
            while (true)
            {
                EnsureJoinedCapacity(total + length);
                var copied = Math.Min(length, _end - _start);
                _buffer.AsSpan(_start, copied).CopyTo(_joined.AsSpan(total));
                _start += copied;
                var remaining = length - copied;
                var offset = total + copied;
                while (remaining > 0)
                {
                    var read = await ReadStreamAsync(_joined.AsMemory(offset, remaining), async, cancellationToken).ConfigureAwait(false);
                    offset += read;
                    remaining -= read;
                }
                total += length;
                if (length < MaxPacketPayload) break;
                await FillAsync(4, async, cancellationToken).ConfigureAwait(false);
                length = _buffer[_start] | _buffer[_start + 1] << 8 | _buffer[_start + 2] << 16;
                CheckSequence(_buffer[_start + 3]);
                _start += 4;
            }
            return new ReadOnlyMemory<byte>(_joined, 0, total);
        }
        catch (Exception e) when (ReadFailure is not null && e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or MySqlProtocolException)
        {
            throw ReadFailure(e);
        }
    }

    private void EnsureJoinedCapacity(int needed)
    {
        if (_joined.Length >= needed) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _joined.Length * 2));
        _joined.CopyTo(bigger, 0);
        if (_joined.Length > 0) ArrayPool<byte>.Shared.Return(_joined);
        _joined = bigger;
    }

    private void CheckSequence(byte sequence)
    {
        if (sequence != Sequence)
            throw new MySqlProtocolException($"Packets out of order: expected sequence id {Sequence} but received {sequence}.");
        Sequence = (byte)(sequence + 1);
    }

    private async ValueTask FillAsync(int count, bool async, CancellationToken cancellationToken)
    {
        if (_end - _start >= count) return;
        if (_start + count > _buffer.Length)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count)
        {
            var read = await ReadStreamAsync(_buffer.AsMemory(_end), async, cancellationToken).ConfigureAwait(false);
            _end += read;
        }
    }

    private async ValueTask<int> ReadStreamAsync(Memory<byte> destination, bool async, CancellationToken cancellationToken)
    {
        var read = async
            ? await _stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false)
            : _stream.Read(destination.Span);
        if (read == 0) throw new EndOfStreamException("The server closed the connection.");
        return read;
    }

    /// <summary>
    /// Sends the payload held by <paramref name="writer"/> (whose first 4 bytes are the header slot) as one or more packets.
    /// </summary>
    public ValueTask WritePayloadAsync(PayloadWriter writer, bool async, CancellationToken cancellationToken)
    {
        var segment = writer.HeaderAndPayload;
        var payloadLength = segment.Count - PayloadWriter.HeaderSize;
        if (payloadLength < MaxPacketPayload)
        {
            WriteHeader(segment.AsSpan(), payloadLength, Sequence++);
            return WriteStreamAsync(segment.AsMemory(), async, cancellationToken);
        }
        return WriteSplitAsync(segment.AsMemory(PayloadWriter.HeaderSize), async, cancellationToken);
    }

    /// <summary>
    /// Sends a complete 5-byte packet (a command without arguments, sequence 0) and then the writer's payload as a
    /// new command (sequence 0 again) in one write: two pipelined commands.
    /// </summary>
    public async ValueTask WritePipelinedAsync(ReadOnlyMemory<byte> firstPacket, PayloadWriter writer, bool async, CancellationToken cancellationToken)
    {
        var payloadLength = writer.PayloadLength;
        Sequence = 0;
        if (payloadLength < MaxPacketPayload)
        {
            var segment = writer.WithPrefixPacket(firstPacket.Span);
            WriteHeader(segment.AsSpan(PayloadWriter.PrefixPacketSize), payloadLength, Sequence++);
            await WriteStreamAsync(segment.AsMemory(), async, cancellationToken).ConfigureAwait(false);
            return;
        }
        await WriteStreamAsync(firstPacket, async, cancellationToken).ConfigureAwait(false);
        await WriteSplitAsync(writer.HeaderAndPayload.AsMemory(PayloadWriter.HeaderSize), async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a payload of any length as framed packets (used for payloads of 16 MiB and more).</summary>
    public async ValueTask WriteSplitAsync(ReadOnlyMemory<byte> payload, bool async, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        var offset = 0;
        while (true)
        {
            var chunk = Math.Min(MaxPacketPayload, payload.Length - offset);
            WriteHeader(header, chunk, Sequence++);
            await WriteStreamAsync(header, async, cancellationToken).ConfigureAwait(false);
            if (chunk > 0) await WriteStreamAsync(payload.Slice(offset, chunk), async, cancellationToken).ConfigureAwait(false);
            offset += chunk;
            // A packet of exactly 0xFFFFFF bytes says "more follows", so an exact multiple ends with an empty packet.
            if (chunk < MaxPacketPayload) break;
        }
    }

    public static void WriteHeader(Span<byte> destination, int payloadLength, byte sequence)
    {
        destination[0] = (byte)payloadLength;
        destination[1] = (byte)(payloadLength >> 8);
        destination[2] = (byte)(payloadLength >> 16);
        destination[3] = sequence;
    }

    private ValueTask WriteStreamAsync(ReadOnlyMemory<byte> bytes, bool async, CancellationToken cancellationToken)
    {
        if (async) return _stream.WriteAsync(bytes, cancellationToken);
        _stream.Write(bytes.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(bool async, CancellationToken cancellationToken)
    {
        if (async) return new ValueTask(_stream.FlushAsync(cancellationToken));
        _stream.Flush();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _stream.Dispose();
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        var joined = Interlocked.Exchange(ref _joined, []);
        if (joined.Length > 0) ArrayPool<byte>.Shared.Return(joined);
    }
}

/// <summary>The server sent something the protocol does not allow here; the connection cannot be trusted afterwards.</summary>
internal sealed class MySqlProtocolException(string message) : Exception(message);
