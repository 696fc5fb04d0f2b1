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
    /// Takes the day's next number in one autocommit statement (LAST_INSERT_ID(expr) hands the new value back on this
    /// connection only). Numbers are unique and increase through the day; a report that fails after taking its number
    /// leaves a gap, which is the price of not holding the counter's row lock until the report commits.
    /// </summary>
    public static async Task<string> NextAsync(DbConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        var day = ChinaDay(now);
        var n = await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            INSERT INTO ticket_number_counters (day, n) VALUES (@date, LAST_INSERT_ID(1))
            ON DUPLICATE KEY UPDATE n = LAST_INSERT_ID(n + 1);
            SELECT LAST_INSERT_ID();
            """, new { date = day.ToDateTime(TimeOnly.MinValue) }, cancellationToken: ct));
        return Format(day, n);
    }
}
