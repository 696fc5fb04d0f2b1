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
        var (templateId, data, status, error) = Message(notice, now);
        foreach (var userId in userIds.Distinct())
        {
            // One round trip per person: the outbox row takes the notification's id from LAST_INSERT_ID().
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO notifications (user_id, ticket_id, kind, title, body, created_at)
                VALUES (@userId, @TicketId, @Kind, @Title, @Body, @now);
                INSERT INTO notification_outbox (notification_id, user_id, kind, template_id, data_json, page, status, attempts, next_attempt_at, last_error, created_at)
                VALUES (LAST_INSERT_ID(), @userId, @Kind, @templateId, @data, @page, @status, 0, @now, @error, @now)
                """, new { userId, notice.TicketId, notice.Kind, notice.Title, Body = Cut(notice.Body, 500), templateId, data, page, status, error, now = now.UtcDateTime },
                transaction, cancellationToken: ct));
        }
    }

    /// <summary>
    /// One notification and one outbox row for each recipient of a notice (<c>notice_recipients</c>), in two set-based
    /// statements whatever the audience's size; <c>ux_notifications_notice_user</c> holds it to exactly one each. The
    /// subscribe messages are due at <paramref name="sendAt"/> (after quiet hours, or now). Returns how many were written.
    /// </summary>
    public async Task<int> WriteForNoticeAsync(DbConnection connection, DbTransaction transaction, long noticeId, Notice notice,
        DateTimeOffset sendAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var page = options.Value.NoticePage.Replace("{noticeId}", noticeId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var (templateId, data, status, error) = Message(notice, now);
        var written = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO notifications (user_id, ticket_id, notice_id, kind, title, body, created_at)
            SELECT user_id, NULL, notice_id, @Kind, @title, @body, @now FROM notice_recipients WHERE notice_id = @noticeId
            """, new { noticeId, notice.Kind, title = Cut(notice.Title, 100), body = Cut(notice.Body, 500), now = now.UtcDateTime },
            transaction, cancellationToken: ct));
        // ux_notifications_notice_user finds the rows just written.
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO notification_outbox (notification_id, user_id, kind, template_id, data_json, page, status, attempts, next_attempt_at, last_error, created_at)
            SELECT id, user_id, @Kind, @templateId, @data, @page, @status, 0, @sendAt, @error, @now FROM notifications WHERE notice_id = @noticeId
            """, new { noticeId, notice.Kind, templateId, data, page, status, error, sendAt = sendAt.UtcDateTime, now = now.UtcDateTime },
            transaction, cancellationToken: ct));
        return written;
    }

    /// <summary>The subscribe message of an outbox row: the kind's template with its keywords filled, or skipped without one.</summary>
    private (string? TemplateId, string Data, string Status, string? Error) Message(Notice notice, DateTimeOffset now) =>
        options.Value.Templates.GetValueOrDefault(notice.Kind) is { Id.Length: > 0 } template
            ? (template.Id, JsonSerializer.Serialize(Fill(template, notice.Values, now)), "pending", null)
            : (null, "{}", "skipped", "no template configured for this kind");

    /// <summary>Each keyword of the template with the value configured for it, fitted to the keyword's type.</summary>
    public static Dictionary<string, string> Fill(SubscribeTemplate template, IReadOnlyDictionary<string, string?> values, DateTimeOffset now) =>
        template.Keywords.ToDictionary(
            k => k.Key,
            k => SubscribeValueRules.Fit(SubscribeValueRules.TypeOf(k.Key)!, values.GetValueOrDefault(k.Value), now),
            StringComparer.Ordinal);

    private static string Cut(string value, int length) =>
        value.Length <= length ? value : value[..(char.IsHighSurrogate(value[length - 1]) ? length - 1 : length)];
}
