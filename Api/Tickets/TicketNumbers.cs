using System.Data.Common;
using Dapper;

namespace Linli.Api.Tickets;

/// <summary>Human-readable ticket numbers: <c>LL-yyyyMMdd-NNNN</c>, by China Standard Time day.</summary>
public static class TicketNumbers
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static DateOnly ChinaDay(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(ChinaStandardTime).DateTime);

    public static string Format(DateOnly day, int sequence) =>
        $"LL-{day:yyyyMMdd}-{sequence.ToString("0000", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Takes the day's next number inside the caller's transaction. The upsert locks the day's row until commit,
    /// so numbers are unique and a rolled-back ticket gives its number back.
    /// </summary>
    public static async Task<string> NextAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now, CancellationToken ct)
    {
        var day = ChinaDay(now);
        var date = day.ToDateTime(TimeOnly.MinValue);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO ticket_number_counters (day, n) VALUES (@date, 1)
            ON DUPLICATE KEY UPDATE n = n + 1
            """, new { date }, transaction, cancellationToken: ct));
        var n = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT n FROM ticket_number_counters WHERE day = @date", new { date }, transaction, cancellationToken: ct));
        return Format(day, n);
    }
}
