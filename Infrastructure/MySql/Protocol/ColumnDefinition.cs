namespace Linli.Infrastructure.MySql.Protocol;

/// <summary>
/// ColumnDefinition41.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html
/// </summary>
internal sealed class ColumnDefinition
{
    public const ushort BinaryCharacterSet = 63;

    public required string Schema { get; init; }
    public required string Table { get; init; }
    public required string Name { get; init; }
    public required ushort CharacterSet { get; init; }
    public required uint ColumnLength { get; init; }
    public required ColumnType Type { get; init; }
    public required ColumnFlags Flags { get; init; }
    public required byte Decimals { get; init; }

    /// <summary>The packet this definition was parsed from, to recognise the same column in the next result set.</summary>
    private byte[] Raw { get; init; } = [];

    public bool HasLayout(ReadOnlySpan<byte> payload) => payload.SequenceEqual(Raw);

    public bool IsUnsigned => (Flags & ColumnFlags.Unsigned) != 0;

    /// <summary>
    /// CHAR(36) in any character set: read as a Guid, as MySqlConnector does by default (its GuidFormat=Char36),
    /// so Dapper maps such columns to Guid properties. The column length is in bytes: characters × the charset's maximum width.
    /// </summary>
    public bool IsChar36 => Type == ColumnType.String && !IsBinary && ColumnLength == 36 * MaxBytesPerCharacter(CharacterSet);

    // https://mariadb.com/kb/en/supported-character-sets-and-collations/ (ids of the utf8mb4 and utf8mb3 collations)
    private static uint MaxBytesPerCharacter(ushort collation) => collation switch
    {
        45 or 46 or (>= 224 and <= 247) or (>= 255 and <= 323) or (>= 2048 and <= 2303) => 4,
        33 or 76 or 83 or (>= 192 and <= 215) or 223 => 3,
        _ => 1,
    };
    public bool IsBinary => CharacterSet == BinaryCharacterSet;

    public static ColumnDefinition Create(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var catalog = reader.ReadLengthEncodedBytes("catalog");
        if (!catalog.SequenceEqual("def"u8)) throw new FormatException("Expected a column definition starting with catalog \"def\".");
        var schema = reader.ReadLengthEncodedString("schema");
        var table = reader.ReadLengthEncodedString("table");
        reader.ReadLengthEncodedBytes("org_table");
        var name = reader.ReadLengthEncodedString("name");
        reader.ReadLengthEncodedBytes("org_name");
        var fixedLength = reader.ReadLengthEncodedInteger("length of fixed-length fields");
        if (fixedLength < 0x0C) throw new FormatException($"Expected fixed-length fields of 0x0C bytes but found {fixedLength}.");
        var characterSet = reader.ReadUInt16("character set");
        var columnLength = reader.ReadUInt32("column length");
        var type = (ColumnType)reader.ReadByte("column type");
        var flags = (ColumnFlags)reader.ReadUInt16("flags");
        var decimals = reader.ReadByte("decimals");
        return new ColumnDefinition
        {
            Schema = schema, Table = table, Name = name, CharacterSet = characterSet,
            ColumnLength = columnLength, Type = type, Flags = flags, Decimals = decimals, Raw = payload.ToArray(),
        };
    }
}
