using System.Data.Common;
using Dapper;

namespace Linli.Api.Stats;

/// <summary>
/// What the figures need to know of one ticket: where it belongs in every breakdown, and what has become of it. Read
/// from the ticket's row (ix_tickets_stats covers it) and its timeline (ix_ticket_events_ticket_action covers that).
/// </summary>
public sealed class TicketFact
{
    public long Id { get; init; }
    public long CommunityId { get; init; }
    /// <summary>The China date it was received.</summary>
    public DateTime Day { get; init; }
    public long? GridId { get; init; }
    public long CategoryId { get; init; }
    /// <summary>The department handling it now, else the one it is dispatched to.</summary>
    public long? DepartmentKey { get; init; }
    /// <summary>The party member who claimed it last; null when never claimed.</summary>
    public long? PartyMemberId { get; init; }
    public DateTime CreatedAt { get; init; }
    public string Status { get; init; } = "";
    public DateTime? DueAt { get; init; }
    public DateTime? ResolvedAt { get; init; }
    public long? Satisfaction { get; init; }
    public long ReopenCount { get; init; }
    public long EscalationLevel { get; init; }
    public long ReturnVisits { get; init; }
    public bool? SatisfiedAfterVisit { get; init; }
    /// <summary>First dispatched, published or taken.</summary>
    public DateTime? RoutedAt { get; init; }
    /// <summary>First accepted, claimed or taken.</summary>
    public DateTime? AcceptedAt { get; init; }
    public long Claimed { get; init; }
    public long EverResolved { get; init; }
}

/// <summary>The one query for <see cref="TicketFact"/>s, for the figures kept per day and for the figures computed when asked.</summary>
public static class TicketFacts
{
    /// <summary>
    /// The facts of the tickets matching <paramref name="where"/> (fixed text over <c>t</c>, values as parameters). A
    /// duplicate merged into its original is not a second problem: its people follow the original, which is counted.
    /// Grouping in ix_tickets_stats' order (community, received, id) spares the server a sort.
    /// </summary>
    public static async Task<List<TicketFact>> ReadAsync(DbConnection connection, string where, object parameters, CancellationToken ct,
        DbTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<TicketFact>(new CommandDefinition($"""
            SELECT t.id, t.community_id, DATE(t.created_at + INTERVAL 8 HOUR) AS day, t.grid_id, t.category_id,
                   COALESCE(t.handler_department_id, t.department_id) AS department_key,
                   CAST(SUBSTRING_INDEX(GROUP_CONCAT(CASE WHEN e.action = 'claim' THEN e.actor_id END
                                                     ORDER BY e.created_at DESC, e.id DESC), ',', 1) AS SIGNED) AS party_member_id,
                   t.created_at, t.status, t.due_at, t.resolved_at, CAST(t.satisfaction AS SIGNED) AS satisfaction, t.reopen_count,
                   CAST(t.escalation_level AS SIGNED) AS escalation_level, CAST(t.return_visits AS SIGNED) AS return_visits,
                   t.satisfied_after_visit,
                   MIN(CASE WHEN e.action IN ('dispatch', 'publish', 'take') THEN e.created_at END) AS routed_at,
                   MIN(CASE WHEN e.action IN ('accept', 'claim', 'take') THEN e.created_at END) AS accepted_at,
                   CAST(COALESCE(MAX(e.action = 'claim'), 0) AS SIGNED) AS claimed,
                   CAST(COALESCE(MAX(e.action = 'resolve'), 0) AS SIGNED) AS ever_resolved
            FROM tickets t
            LEFT JOIN ticket_events e
                   ON e.ticket_id = t.id AND e.action IN ('dispatch', 'publish', 'take', 'accept', 'claim', 'resolve')
            WHERE t.status <> 'merged' AND ({where})
            GROUP BY t.community_id, t.created_at, t.id
            """, parameters, transaction, commandTimeout: 120, cancellationToken: ct));
        return rows.AsList();
    }
}
