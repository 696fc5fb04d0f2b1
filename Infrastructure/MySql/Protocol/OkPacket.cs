namespace Linli.Infrastructure.MySql.Protocol;

/// <summary>
/// OK (header 0x00, or 0xFE when it ends a result set under CLIENT_DEPRECATE_EOF).
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html
/// </summary>
internal readonly struct OkPacket
{
    public ulong AffectedRows { get; init; }
    public ulong LastInsertId { get; init; }
    public ServerStatus Status { get; init; }
    public ushort Warnings { get; init; }

    public static bool IsOk(ReadOnlySpan<byte> payload) => payload.Length >= 7 && payload[0] == 0x00;

    /// <summary>Under DEPRECATE_EOF a 0xFE packet shorter than 16 MiB is an OK that ends a result set, not a row.</summary>
    public static bool IsResultSetTerminator(ReadOnlySpan<byte> payload) => payload.Length is > 0 and < 0xFFFFFF && payload[0] == 0xFE;

    public static OkPacket Create(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var header = reader.ReadByte("OK header");
        if (header is not (0x00 or 0xFE)) throw new FormatException($"Expected an OK packet (0x00 or 0xFE) but the header is 0x{header:X2}.");
        var affected = reader.ReadLengthEncodedInteger("affected rows");
        var lastInsertId = reader.ReadLengthEncodedInteger("last insert id");
        var status = (ServerStatus)reader.ReadUInt16("status flags");
        var warnings = reader.Remaining >= 2 ? reader.ReadUInt16("warnings") : (ushort)0;
        return new OkPacket { AffectedRows = affected, LastInsertId = lastInsertId, Status = status, Warnings = warnings };
    }
}

/// <summary>
/// EOF, used between column definitions and rows when CLIENT_DEPRECATE_EOF is off.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html
/// </summary>
internal readonly struct EofPacket
{
    public ushort Warnings { get; init; }
    public ServerStatus Status { get; init; }

    public static bool IsEof(ReadOnlySpan<byte> payload) => payload.Length is > 0 and < 9 && payload[0] == 0xFE;

    public static EofPacket Create(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var header = reader.ReadByte("EOF header");
        if (header != 0xFE || payload.Length >= 9) throw new FormatException($"Expected an EOF packet (0xFE, under 9 bytes) but found header 0x{header:X2} in {payload.Length} bytes.");
        var warnings = reader.ReadUInt16("warnings");
        var status = (ServerStatus)reader.ReadUInt16("status flags");
        return new EofPacket { Warnings = warnings, Status = status };
    }
}
