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
    /// Writes several notices, each to its people, in two statements whatever their number: the in-app rows in one
    /// multi-row INSERT that returns their ids (MariaDB's INSERT … RETURNING, rows in the order written), then their
    /// outbox rows in another.
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
            var template = options.Value.Templates.GetValueOrDefault(notice.Kind) is { Id.Length: > 0 } configured ? configured : null;
            var (status, error) = template is null ? ("skipped", "no template configured for this kind") : ("pending", null);
            parameters.AddDynamicParams(new Dictionary<string, object?>
            {
                [$"ticket{n}"] = notice.TicketId,
                [$"kind{n}"] = notice.Kind,
                [$"title{n}"] = notice.Title,
                [$"body{n}"] = Cut(notice.Body, 500),
                [$"template{n}"] = template?.Id,
                [$"data{n}"] = template is null ? "{}" : JsonSerializer.Serialize(Fill(template, notice.Values, now)),
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

        var ids = (await connection.QueryAsync<(long Id, long UserId)>(new CommandDefinition($"""
            INSERT INTO notifications (user_id, ticket_id, kind, title, body, created_at)
            VALUES {string.Join(",\n       ", rows.Select((row, r) => $"(@user{r}, @ticket{row.Notice}, @kind{row.Notice}, @title{row.Notice}, @body{row.Notice}, @now)"))}
            RETURNING id, user_id
            """, parameters, transaction, cancellationToken: ct))).ToList();
        if (ids.Count != rows.Count || ids.Where((written, r) => written.UserId != rows[r].UserId).Any())
            throw new InvalidOperationException("The notifications came back in another order than they were written.");
        for (var r = 0; r < rows.Count; r++)
            parameters.Add($"notification{r}", ids[r].Id);
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO notification_outbox (notification_id, user_id, kind, template_id, data_json, page, status, attempts, next_attempt_at, last_error, created_at)
            VALUES {string.Join(",\n       ", rows.Select((row, r) =>
                $"(@notification{r}, @user{r}, @kind{row.Notice}, @template{row.Notice}, @data{row.Notice}, @page{row.Notice}, @status{row.Notice}, 0, @now, @error{row.Notice}, @now)"))}
            """, parameters, transaction, cancellationToken: ct));
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
