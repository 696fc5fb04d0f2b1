using System.Data.Common;
using System.Globalization;
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
    public Task WriteAsync(DbConnection connection, DbTransaction transaction, IEnumerable<long> userIds, Notice notice, CancellationToken ct) =>
        WriteAsync(connection, transaction, [(userIds, notice)], ct);

    /// <summary>
    /// Writes several notices, each to its people, in two statements and one round trip whatever their number: the
    /// in-app rows in one multi-row INSERT, then their outbox rows in another.
    /// </summary>
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(IEnumerable<long> UserIds, Notice Notice)> notices,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var parameters = new DynamicParameters(new { now = now.UtcDateTime });
        var rows = new List<(long UserId, int Notice)>();
        for (var n = 0; n < notices.Count; n++)
        {
            var notice = notices[n].Notice;
            var page = notice.TicketId is { } ticketId
                ? options.Value.TicketPage.Replace("{ticketId}", ticketId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                : null;
            var (templateId, data, status, error) = Message(notice, now);
            parameters.AddDynamicParams(new Dictionary<string, object?>
            {
                [$"ticket{n}"] = notice.TicketId,
                [$"kind{n}"] = notice.Kind,
                [$"title{n}"] = notice.Title,
                [$"body{n}"] = Cut(notice.Body, 500),
                [$"template{n}"] = templateId,
                [$"data{n}"] = data,
                [$"page{n}"] = page,
                [$"status{n}"] = status,
                [$"error{n}"] = error,
            });
            rows.AddRange(notices[n].UserIds.Distinct().Select(userId => (userId, n)));
        }
        if (rows.Count == 0)
            return;
        for (var r = 0; r < rows.Count; r++)
            parameters.Add($"user{r}", rows[r].UserId);

        // One round trip: the in-app rows in one multi-row INSERT, then their outbox rows, each taking its notification's
        // id from LAST_INSERT_ID() (the first id the previous statement generated) plus its position. A multi-row
        // VALUES insert is a "simple insert": InnoDB gives its rows consecutive ids in every autoinc lock mode
        // (MySQL 8's default 2 included), TiDB within one statement too; auto_increment_increment is the step
        // (Galera and multi-primary setups raise it). This is portable where INSERT … RETURNING (MariaDB only) is not.
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO notifications (user_id, ticket_id, kind, title, body, created_at)
            VALUES {string.Join(",\n       ", rows.Select((row, r) => $"(@user{r}, @ticket{row.Notice}, @kind{row.Notice}, @title{row.Notice}, @body{row.Notice}, @now)"))};
            INSERT INTO notification_outbox (notification_id, user_id, kind, template_id, data_json, page, status, attempts, next_attempt_at, last_error, created_at)
            VALUES {string.Join(",\n       ", rows.Select((row, r) =>
                $"(LAST_INSERT_ID() + {r} * @@auto_increment_increment, @user{r}, @kind{row.Notice}, @template{row.Notice}, @data{row.Notice}, @page{row.Notice}, @status{row.Notice}, 0, @now, @error{row.Notice}, @now)"))}
            """, parameters, transaction, cancellationToken: ct));
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
