namespace Linli.Infrastructure.MySql.Protocol;

/// <summary>
/// ERR: 0xFF, error code, '#' + SQLSTATE (absent in some handshake errors), message.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html
/// </summary>
internal sealed class ErrPacket
{
    public required int ErrorCode { get; init; }
    public string? SqlState { get; init; }
    public required string Message { get; init; }

    public static bool IsErr(ReadOnlySpan<byte> payload) => payload.Length > 0 && payload[0] == 0xFF;

    public static ErrPacket Create(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var header = reader.ReadByte("ERR header");
        if (header != 0xFF) throw new FormatException($"Expected an ERR packet (0xFF) but the header is 0x{header:X2}.");
        var code = reader.ReadUInt16("error code");
        string? state = null;
        if (!reader.AtEnd && reader.PeekByte("SQLSTATE marker") == (byte)'#')
        {
            reader.Skip(1, "SQLSTATE marker");
            state = System.Text.Encoding.ASCII.GetString(reader.ReadBytes(5, "SQLSTATE"));
        }
        var message = System.Text.Encoding.UTF8.GetString(reader.ReadRest());
        return new ErrPacket { ErrorCode = code, SqlState = state, Message = message };
    }

    public MySqlException ToException() => new(ErrorCode, SqlState, Message);
}
