using System.Data.Common;
using Dapper;

namespace Linli.Infrastructure.Notifications;

/// <summary>
/// How many subscribe messages of each kind were given up for good in the last day (final WeChat errors or retries
/// exhausted): shown in the readiness details, so a misconfigured template is noticed the day it happens.
/// </summary>
public static class UndeliverableMessages
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public static async Task<IReadOnlyDictionary<string, int>> PerKindAsync(DbConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        // ix_notification_outbox_due (status, next_attempt_at): a failed row's next_attempt_at is its last attempt's lease.
        var rows = await connection.QueryAsync<(string Kind, int Count)>(new CommandDefinition("""
            SELECT kind, COUNT(*) FROM notification_outbox
            WHERE status = 'failed' AND next_attempt_at >= @since
            GROUP BY kind
            """, new { since = (now - Window).UtcDateTime }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Kind, r => r.Count, StringComparer.Ordinal);
    }
}
