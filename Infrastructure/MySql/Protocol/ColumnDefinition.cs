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

    public bool IsUnsigned => (Flags & ColumnFlags.Unsigned) != 0;
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
            ColumnLength = columnLength, Type = type, Flags = flags, Decimals = decimals,
        };
    }
}
