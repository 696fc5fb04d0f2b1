using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Linli.Infrastructure.MySql;

/// <summary>A value the driver writes into the SQL text as a safe literal (see <c>Core/QueryBuilder</c>).</summary>
public sealed class MySqlParameter : DbParameter
{
    private string _name = "";
    private DbType? _dbType;

    public MySqlParameter() { }

    public MySqlParameter(string? name, object? value)
    {
        ParameterName = name;
        Value = value;
    }

    [AllowNull]
    public override string ParameterName
    {
        get => _name;
        set
        {
            _name = value ?? "";
            NormalizedName = NormalizeName(_name);
        }
    }

    /// <summary>The name without its '@' or '?' prefix, as placeholders are matched.</summary>
    internal string NormalizedName { get; private set; } = "";

    internal MySqlParameterCollection? Collection { get; set; }

    public override DbType DbType
    {
        get => _dbType ?? InferDbType(Value);
        set => _dbType = value;
    }

    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input) throw new NotSupportedException("Only input parameters are supported: values are written into the statement text.");
        }
    }

    public override bool IsNullable { get; set; }

    public override int Size { get; set; }

    [AllowNull]
    public override string SourceColumn { get; set; } = "";

    public override bool SourceColumnNullMapping { get; set; }

    public override object? Value { get; set; }

    public override void ResetDbType() => _dbType = null;

    internal static string NormalizeName(string name) =>
        name.Length > 0 && (name[0] == '@' || name[0] == '?') ? name[1..] : name;

    private static DbType InferDbType(object? value) => value switch
    {
        null or DBNull => DbType.Object,
        string or char => DbType.String,
        bool => DbType.Boolean,
        byte => DbType.Byte,
        sbyte => DbType.SByte,
        short => DbType.Int16,
        ushort => DbType.UInt16,
        int => DbType.Int32,
        uint => DbType.UInt32,
        long => DbType.Int64,
        ulong => DbType.UInt64,
        float => DbType.Single,
        double => DbType.Double,
        decimal => DbType.Decimal,
        DateTime => DbType.DateTime,
        DateTimeOffset => DbType.DateTimeOffset,
        DateOnly => DbType.Date,
        TimeOnly or TimeSpan => DbType.Time,
        Guid => DbType.Guid,
        byte[] => DbType.Binary,
        _ => DbType.Object,
    };
}
