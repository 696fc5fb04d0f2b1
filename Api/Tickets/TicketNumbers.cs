using System.Data.Common;
using Dapper;

namespace Linli.Api.Tickets;

/// <summary>Human-readable ticket numbers: <c>LL-yyyyMMdd-NNNN</c>, by China Standard Time day.</summary>
public static class TicketNumbers
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static DateOnly ChinaDay(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(ChinaStandardTime).DateTime);

    /// <summary>
    /// Takes the day's next number in one autocommit statement, so the day's counter row is locked for that statement
    /// only: LAST_INSERT_ID(expr) leaves the new value on this connection, where <see cref="TakenSql"/> formats it into the
    /// ticket's INSERT. Numbers are unique and increase through the day; a report that fails after taking its number
    /// leaves a gap, which is the price of not holding the counter's row lock until the report commits.
    /// </summary>
    public static async Task<DateOnly> TakeAsync(DbConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        var day = ChinaDay(now);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO ticket_number_counters (day, n) VALUES (@date, LAST_INSERT_ID(1))
            ON DUPLICATE KEY UPDATE n = LAST_INSERT_ID(n + 1)
            """, new { date = day.ToDateTime(TimeOnly.MinValue) }, cancellationToken: ct));
        return day;
    }

    /// <summary>
    /// The number <see cref="TakeAsync"/> took, as <c>LL-yyyyMMdd-NNNN</c> (at least four digits), for the next statement on the same
    /// connection (before any other auto-increment insert): <c>@numberPrefix</c> is <see cref="Prefix"/> of the day.
    /// </summary>
    public const string TakenSql = "CONCAT(@numberPrefix, LPAD(LAST_INSERT_ID(), GREATEST(4, CHAR_LENGTH(LAST_INSERT_ID())), '0'))";

    public static string Prefix(DateOnly day) => $"LL-{day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)}-";
}
