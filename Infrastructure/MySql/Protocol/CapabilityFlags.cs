namespace Linli.Infrastructure.MySql.Protocol;

/// <summary>https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html</summary>
[Flags]
internal enum CapabilityFlags : uint
{
    None = 0,
    LongPassword = 0x1,
    FoundRows = 0x2,
    LongFlag = 0x4,
    ConnectWithDb = 0x8,
    LocalFiles = 0x80,
    Protocol41 = 0x200,
    Ssl = 0x800,
    Transactions = 0x2000,
    SecureConnection = 0x8000,
    MultiStatements = 0x10000,
    MultiResults = 0x20000,
    PluginAuth = 0x80000,
    ConnectAttrs = 0x100000,
    PluginAuthLengthEncodedClientData = 0x200000,
    DeprecateEof = 0x1000000,
}

/// <summary>https://dev.mysql.com/doc/dev/mysql-server/latest/mysql__com_8h.html (SERVER_STATUS_*)</summary>
[Flags]
internal enum ServerStatus : ushort
{
    None = 0,
    InTransaction = 0x1,
    AutoCommit = 0x2,
    MoreResultsExist = 0x8,
    NoBackslashEscapes = 0x200,
}

/// <summary>https://dev.mysql.com/doc/dev/mysql-server/latest/field__types_8h.html</summary>
internal enum ColumnType : byte
{
    Decimal = 0,
    Tiny = 1,
    Short = 2,
    Long = 3,
    Float = 4,
    Double = 5,
    Null = 6,
    Timestamp = 7,
    LongLong = 8,
    Int24 = 9,
    Date = 10,
    Time = 11,
    DateTime = 12,
    Year = 13,
    NewDate = 14,
    VarChar = 15,
    Bit = 16,
    Json = 0xF5,
    NewDecimal = 0xF6,
    Enum = 0xF7,
    Set = 0xF8,
    TinyBlob = 0xF9,
    MediumBlob = 0xFA,
    LongBlob = 0xFB,
    Blob = 0xFC,
    VarString = 0xFD,
    String = 0xFE,
    Geometry = 0xFF,
}

/// <summary>https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__column__definition__flags.html</summary>
[Flags]
internal enum ColumnFlags : ushort
{
    None = 0,
    NotNull = 0x1,
    PrimaryKey = 0x2,
    UniqueKey = 0x4,
    Blob = 0x10,
    Unsigned = 0x20,
    Binary = 0x80,
    Enum = 0x100,
    AutoIncrement = 0x200,
    Set = 0x800,
}

internal static class CommandKind
{
    public const byte Quit = 0x01;
    public const byte Query = 0x03;
    public const byte Ping = 0x0E;
    public const byte ResetConnection = 0x1F;
}
