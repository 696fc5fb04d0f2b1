using System.Data;
using Dapper;

namespace Linli.Infrastructure.Data;

/// <summary>
/// Dapper mappings Linli's values need. Times are stored as UTC DATETIME(6) and used as DateTimeOffset in code;
/// Dapper cannot convert the DateTime a reader returns into a DateTimeOffset by itself.
/// Registered once by <see cref="LinliDataSource.Create"/>, before the first connection, so no caller has to remember.
/// </summary>
public static class DapperTypeHandlers
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        SqlMapper.AddTypeHandler(new UtcDateTimeOffsetHandler());
    }

    private sealed class UtcDateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        // MySqlConnector writes a DateTimeOffset parameter as its UTC DATETIME text.
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value;

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
            DateTimeOffset dateTimeOffset => dateTimeOffset,
            string text => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
            _ => throw new InvalidCastException($"A {value.GetType().Name} cannot be read as a DateTimeOffset."),
        };
    }
}
