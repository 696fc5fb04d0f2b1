using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;

namespace Linli.Infrastructure.Notifications;

/// <summary>
/// Writes notifications inside the caller's transaction (the transactional outbox): the in-app row
/// and, for delivery by <see cref="OutboxWorker"/>, the outbox row. If the transaction rolls back, nobody is told.
/// </summary>
public sealed class NotificationWriter(TimeProvider clock, IOptions<NotificationOptions> options)
{
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, IEnumerable<long> userIds, Notice notice, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var page = notice.TicketId is { } ticketId
            ? options.Value.TicketPage.Replace("{ticketId}", ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : null;
        var data = JsonSerializer.Serialize(notice.Data);
        foreach (var userId in userIds.Distinct())
        {
            // One round trip per person: the outbox row takes the notification's id from LAST_INSERT_ID().
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO notifications (user_id, ticket_id, kind, title, body, created_at)
                VALUES (@userId, @TicketId, @Kind, @Title, @Body, @now);
                INSERT INTO notification_outbox (notification_id, user_id, kind, data_json, page, status, attempts, next_attempt_at, created_at)
                VALUES (LAST_INSERT_ID(), @userId, @Kind, @data, @page, 'pending', 0, @now, @now)
                """, new { userId, notice.TicketId, notice.Kind, notice.Title, Body = Cut(notice.Body, 500), data, page, now },
                transaction, cancellationToken: ct));
        }
    }

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}
