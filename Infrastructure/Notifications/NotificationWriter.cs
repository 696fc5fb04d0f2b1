using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;

namespace Linli.Infrastructure.Notifications;

/// <summary>
/// Writes notifications inside the caller's transaction (the transactional outbox): the in-app row
/// and, for delivery by <see cref="OutboxWorker"/>, the outbox row. If the transaction rolls back, nobody is told.
/// The outbox row holds the subscribe message as it will be sent: the kind's template id and its keywords, each
/// filled with the configured value fitted to WeChat's rules (<see cref="SubscribeValueRules"/>). A kind without a
/// template gets its row marked skipped at once.
/// </summary>
public sealed class NotificationWriter(TimeProvider clock, IOptions<NotificationOptions> options)
{
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, IEnumerable<long> userIds, Notice notice, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var page = notice.TicketId is { } ticketId
            ? options.Value.TicketPage.Replace("{ticketId}", ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : null;
        var template = options.Value.Templates.GetValueOrDefault(notice.Kind) is { Id.Length: > 0 } configured ? configured : null;
        var data = template is null ? "{}" : JsonSerializer.Serialize(Fill(template, notice.Values, now));
        var (status, error) = template is null ? ("skipped", "no template configured for this kind") : ("pending", null);
        foreach (var userId in userIds.Distinct())
        {
            // One round trip per person: the outbox row takes the notification's id from LAST_INSERT_ID().
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO notifications (user_id, ticket_id, kind, title, body, created_at)
                VALUES (@userId, @TicketId, @Kind, @Title, @Body, @now);
                INSERT INTO notification_outbox (notification_id, user_id, kind, template_id, data_json, page, status, attempts, next_attempt_at, last_error, created_at)
                VALUES (LAST_INSERT_ID(), @userId, @Kind, @templateId, @data, @page, @status, 0, @now, @error, @now)
                """, new { userId, notice.TicketId, notice.Kind, notice.Title, Body = Cut(notice.Body, 500), templateId = template?.Id, data, page, status, error, now = now.UtcDateTime },
                transaction, cancellationToken: ct));
        }
    }

    /// <summary>Each keyword of the template with the value configured for it, fitted to the keyword's type.</summary>
    public static Dictionary<string, string> Fill(SubscribeTemplate template, IReadOnlyDictionary<string, string?> values, DateTimeOffset now) =>
        template.Keywords.ToDictionary(
            k => k.Key,
            k => SubscribeValueRules.Fit(SubscribeValueRules.TypeOf(k.Key)!, values.GetValueOrDefault(k.Value), now),
            StringComparer.Ordinal);

    private static string Cut(string value, int length) =>
        value.Length <= length ? value : value[..(char.IsHighSurrogate(value[length - 1]) ? length - 1 : length)];
}
