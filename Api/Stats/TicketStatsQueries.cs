using System.Data.Common;
using System.Globalization;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Stats;
using Linli.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Linli.Api.Stats;

/// <summary>What the ticket figures are grouped by.</summary>
public enum TicketDimension
{
    Time,
    Community,
    Grid,
    Category,
    Department,
    PartyMember,
}

/// <summary>Who asks, and for which tickets: received between two UTC instants, optionally in one community.</summary>
public sealed record StatsScope(Caller Caller, long? CommunityId, DateTime StartUtc, DateTime EndUtc)
{
    /// <summary>
    /// What the caller's figures cover as a predicate over <see cref="Caller.With"/>'s parameters, null for an admin:
    /// the tickets (<c>t</c>) of the communities they are staff of (a street leader's street office folded in), and what
    /// <paramref name="departmentColumn"/> (fixed text) puts in their departments. Each role adds its own indexed
    /// predicate only when the caller holds it.
    /// </summary>
    public string? ScopeSql(string departmentColumn = "t.department_id")
    {
        if (Caller.IsAdmin)
            return null;
        var parts = new List<string>();
        if (Caller.ScopeIds(Roles.CommunityStaff).Count > 0)
            parts.Add("t.community_id IN @staffCommunities");
        if (Caller.ScopeIds(Roles.DepartmentStaff).Count > 0)
            parts.Add($"{departmentColumn} IN @departments");
        return parts.Count switch
        {
            0 => "1 = 0",
            1 => parts[0],
            _ => "(" + string.Join(" OR ", parts) + ")",
        };
    }
}

/// <summary>
/// The ticket figures, computed in SQL. One pass over the scope's tickets (ix_tickets_stats, or ix_tickets_created
/// for admins over every community) joined to their timelines builds per-ticket facts; counts are summed per group;
/// medians and 90th percentiles are taken by nearest rank (see <see cref="DurationSummary"/>) from the durations.
/// </summary>
public sealed class TicketStatsQueries(RequestConnection db, TimeProvider clock, IOptions<TicketOptions> options)
{
    /// <summary>One group's figures. <paramref name="EscalatedTo"/>[i] counts the tickets that climbed to level i + 1 or beyond.</summary>
    public sealed record Group(string? Key, TicketCounts Counts, DurationSummary Dispatch, DurationSummary Accept, DurationSummary Resolve,
        IReadOnlyList<long> EscalatedTo)
    {
        public static readonly Group Empty = new(null, TicketCounts.Zero, DurationSummary.None, DurationSummary.None, DurationSummary.None, []);
    }

    /// <summary>The figures; <paramref name="Levels"/> is how many escalation levels every group reports (the configured steps, or more if reached).</summary>
    public sealed record Result(Group Totals, IReadOnlyList<Group> Groups, int Levels);

    /// <summary>
    /// Whether the caller may see this community's figures: its staff (street leaders of its street office), department
    /// staff (their department's tickets in it) and admins, for a community that exists.
    /// </summary>
    public async Task<bool> MaySeeCommunityAsync(Caller caller, long communityId, CancellationToken ct)
    {
        if (caller.ScopeIds(Roles.CommunityStaff).Contains(communityId))
            return true;
        if (!caller.IsAdmin && !caller.Has(Roles.DepartmentStaff))
            return false;
        var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM communities WHERE id = @communityId", new { communityId }, cancellationToken: ct)) > 0;
    }

    public async Task<Result> ComputeAsync(StatsScope scope, TicketDimension dimension, StatsBucket bucket, CancellationToken ct)
    {
        var parameters = scope.Caller.With(new
        {
            communityId = scope.CommunityId,
            startUtc = scope.StartUtc,
            endUtc = scope.EndUtc,
            now = clock.GetUtcNow().UtcDateTime,
        });

        var connection = await db.OpenAsync(ct);
        // The per-ticket facts are gathered once into a temporary table (private to this connection) and
        // both aggregates read it: joining the timeline is the expensive part, so it must not happen twice.
        await connection.ExecuteAsync(new CommandDefinition("DROP TEMPORARY TABLE IF EXISTS stats_facts", cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TEMPORARY TABLE stats_facts AS " + Facts(scope, dimension, bucket), parameters, commandTimeout: 120, cancellationToken: ct));
        try
        {
            return await AggregateAsync(connection, parameters, options.Value.EscalationSteps.Count, ct);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("DROP TEMPORARY TABLE IF EXISTS stats_facts", cancellationToken: CancellationToken.None));
        }
    }

    private static async Task<Result> AggregateAsync(DbConnection connection, object parameters, int configuredLevels, CancellationToken ct)
    {
        var counts = await connection.QueryAsync<CountsRow>(new CommandDefinition("""
            SELECT f.k AS GroupKey,
                   COUNT(*) AS Received,
                   CAST(COALESCE(SUM(f.routed_at IS NOT NULL), 0) AS SIGNED) AS Dispatched,
                   CAST(COALESCE(SUM(f.claimed), 0) AS SIGNED) AS Claimed,
                   CAST(COALESCE(SUM(f.status IN ('resolved', 'return_visit', 'closed')), 0) AS SIGNED) AS Resolved,
                   CAST(COALESCE(SUM(f.status = 'closed'), 0) AS SIGNED) AS Closed,
                   CAST(COALESCE(SUM(f.status = 'cancelled'), 0) AS SIGNED) AS Cancelled,
                   CAST(COALESCE(SUM(f.status = 'rejected'), 0) AS SIGNED) AS Rejected,
                   CAST(COALESCE(SUM(f.status IN ('resolved', 'return_visit', 'closed') AND f.due_at IS NOT NULL), 0) AS SIGNED) AS ResolvedWithDue,
                   CAST(COALESCE(SUM(f.status IN ('resolved', 'return_visit', 'closed') AND f.due_at IS NOT NULL AND f.resolved_at <= f.due_at), 0) AS SIGNED) AS ResolvedOnTime,
                   CAST(COALESCE(SUM(f.satisfaction IS NOT NULL), 0) AS SIGNED) AS Rated,
                   CAST(COALESCE(SUM(f.satisfaction >= 4), 0) AS SIGNED) AS Satisfied,
                   CAST(COALESCE(SUM(f.satisfaction), 0) AS SIGNED) AS SatisfactionSum,
                   CAST(COALESCE(SUM(f.ever_resolved), 0) AS SIGNED) AS EverResolved,
                   CAST(COALESCE(SUM(f.reopen_count > 0), 0) AS SIGNED) AS Reopened,
                   CAST(COALESCE(SUM(f.status IN ('dispatched', 'in_progress') AND f.due_at < @now), 0) AS SIGNED) AS Overdue,
                   CAST(COALESCE(SUM(f.escalation_level > 0), 0) AS SIGNED) AS Escalated,
                   CAST(COALESCE(SUM(f.return_visits > 0), 0) AS SIGNED) AS ReturnVisits,
                   CAST(COALESCE(SUM(f.status = 'return_visit'), 0) AS SIGNED) AS ReturnVisitsPending,
                   CAST(COALESCE(SUM(f.satisfied_after_visit IS NOT NULL), 0) AS SIGNED) AS ReturnVisited,
                   CAST(COALESCE(SUM(f.satisfied_after_visit = 1), 0) AS SIGNED) AS SatisfiedAfterVisit
            FROM stats_facts f
            GROUP BY f.k
            """, parameters, commandTimeout: 120, cancellationToken: ct));

        // Durations in whole seconds (truncated) for the tickets that have them; ranked below.
        var durations = await connection.QueryAsync<DurationRow>(new CommandDefinition("""
            SELECT f.k AS GroupKey,
                   TIMESTAMPDIFF(SECOND, f.created_at, f.routed_at) AS Dispatch,
                   TIMESTAMPDIFF(SECOND, f.routed_at, f.accepted_at) AS Accept,
                   IF(f.status IN ('resolved', 'return_visit', 'closed'), TIMESTAMPDIFF(SECOND, f.created_at, f.resolved_at), NULL) AS Resolve
            FROM stats_facts f
            WHERE f.routed_at IS NOT NULL OR f.status IN ('resolved', 'return_visit', 'closed')
            """, parameters, commandTimeout: 120, cancellationToken: ct));

        // The highest level each escalated ticket reached, per group: few rows, folded into "reached at least" below.
        var levels = (await connection.QueryAsync<LevelRow>(new CommandDefinition("""
            SELECT f.k AS GroupKey, f.escalation_level AS Level, COUNT(*) AS Tickets
            FROM stats_facts f
            WHERE f.escalation_level > 0
            GROUP BY f.k, f.escalation_level
            """, parameters, commandTimeout: 120, cancellationToken: ct))).ToList();
        var levelCount = Math.Max(configuredLevels, levels.Count == 0 ? 0 : levels.Max(l => l.Level));
        var levelsByGroup = levels.ToLookup(l => l.GroupKey);
        IReadOnlyList<long> EscalatedTo(IEnumerable<LevelRow> rows)
        {
            var reached = new long[levelCount];
            foreach (var row in rows)
                for (var level = 0; level < row.Level; level++)
                    reached[level] += row.Tickets;
            return reached;
        }

        // Medians and 90th percentiles are ranked here rather than with window functions: a year of a busy
        // community is about ten thousand durations, which sort in a millisecond, while ranking them in SQL
        // (per group and over all groups) costs a sort of six times as many rows on the server.
        var byGroup = durations.ToLookup(d => d.GroupKey);
        static DurationSummary Summary(IEnumerable<long?> values)
        {
            var sorted = values.OfType<long>().ToList();
            sorted.Sort();
            return DurationSummary.Of(sorted);
        }

        var groups = counts
            .Select(c => new Group(c.GroupKey, c.ToCounts(),
                Summary(byGroup[c.GroupKey].Select(d => d.Dispatch)),
                Summary(byGroup[c.GroupKey].Select(d => d.Accept)),
                Summary(byGroup[c.GroupKey].Select(d => d.Resolve)),
                EscalatedTo(levelsByGroup[c.GroupKey])))
            .ToList();
        var totals = new Group(null, groups.Aggregate(TicketCounts.Zero, (sum, g) => sum.Add(g.Counts)),
            Summary(durations.Select(d => d.Dispatch)), Summary(durations.Select(d => d.Accept)), Summary(durations.Select(d => d.Resolve)),
            EscalatedTo(levels));
        return new Result(totals, groups, levelCount);
    }

    /// <summary>Names for the ids in a breakdown, by dimension.</summary>
    public async Task<IReadOnlyDictionary<long, string>> NamesAsync(TicketDimension dimension, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0 || dimension == TicketDimension.Time)
            return new Dictionary<long, string>();
        var sql = dimension switch
        {
            TicketDimension.Community => "SELECT id AS Id, name AS Name FROM communities WHERE id IN @ids",
            TicketDimension.Grid => "SELECT id AS Id, name AS Name FROM grids WHERE id IN @ids",
            TicketDimension.Category => "SELECT id AS Id, name AS Name FROM ticket_categories WHERE id IN @ids",
            TicketDimension.Department => "SELECT id AS Id, name AS Name FROM departments WHERE id IN @ids",
            // The name the member reported in with; a nickname if they were never confirmed (e.g. later removed).
            TicketDimension.PartyMember => """
                SELECT u.id AS Id,
                       COALESCE((SELECT pm.name FROM party_members pm
                                 WHERE pm.user_id = u.id AND pm.status = 'confirmed'
                                 ORDER BY pm.reviewed_at DESC LIMIT 1), u.nickname, '') AS Name
                FROM users u WHERE u.id IN @ids
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
        };
        var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<NameRow>(new CommandDefinition(sql, new { ids = ids.ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => r.Name);
    }

    /// <summary>
    /// One row per ticket in scope: its group key and the facts the figures need. The timeline is joined once
    /// (ix_ticket_events_ticket_action covers it) and folded per ticket; the ticket's own columns come from
    /// ix_tickets_stats without touching the table, and grouping in that index's order (community, received, id)
    /// spares the server a sort. Only the fragments below are ever interpolated.
    /// </summary>
    private static string Facts(StatsScope scope, TicketDimension dimension, StatsBucket bucket)
    {
        const string local = "(t.created_at + INTERVAL 8 HOUR)";
        var key = dimension switch
        {
            TicketDimension.Time => bucket switch
            {
                StatsBucket.Day => $"DATE_FORMAT({local}, '%Y-%m-%d')",
                StatsBucket.Week => $"DATE_FORMAT(DATE({local}) - INTERVAL WEEKDAY({local}) DAY, '%Y-%m-%d')",
                StatsBucket.Month => $"DATE_FORMAT({local}, '%Y-%m-01')",
                _ => throw new ArgumentOutOfRangeException(nameof(bucket), bucket, null),
            },
            TicketDimension.Community => "CAST(t.community_id AS CHAR(20))",
            TicketDimension.Grid => "CAST(t.grid_id AS CHAR(20))",
            TicketDimension.Category => "CAST(t.category_id AS CHAR(20))",
            // The department handling it now, else the one it is dispatched to.
            TicketDimension.Department => "CAST(COALESCE(t.handler_department_id, t.department_id) AS CHAR(20))",
            // The party member who claimed it last; tickets never claimed are left out of that breakdown (HAVING).
            TicketDimension.PartyMember => """
                CAST(SUBSTRING_INDEX(GROUP_CONCAT(CASE WHEN e.action = 'claim' THEN e.actor_id END
                                                  ORDER BY e.created_at DESC, e.id DESC), ',', 1) AS CHAR(20))
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
        };
        // A duplicate merged into its original is not a second problem: its people follow the original, which is counted.
        // (status is in ix_tickets_stats, so this reads nothing more.)
        var where = new List<string> { "t.created_at >= @startUtc", "t.created_at < @endUtc", "t.status <> 'merged'" };
        if (scope.CommunityId is not null)
            where.Add("t.community_id = @communityId");
        if (scope.ScopeSql() is { } mine)
            where.Add(mine);
        return $"""
            SELECT {key} AS k, t.created_at, t.status, t.due_at, t.resolved_at, t.satisfaction, t.reopen_count,
                   t.escalation_level, t.return_visits, t.satisfied_after_visit,
                   MIN(CASE WHEN e.action IN ('dispatch', 'publish', 'take') THEN e.created_at END) AS routed_at,
                   MIN(CASE WHEN e.action IN ('accept', 'claim', 'take') THEN e.created_at END) AS accepted_at,
                   COALESCE(MAX(e.action = 'claim'), 0) AS claimed,
                   COALESCE(MAX(e.action = 'resolve'), 0) AS ever_resolved
            FROM tickets t
            LEFT JOIN ticket_events e
                   ON e.ticket_id = t.id AND e.action IN ('dispatch', 'publish', 'take', 'accept', 'claim', 'resolve')
            WHERE {string.Join(" AND ", where)}
            GROUP BY t.community_id, t.created_at, t.id
            {(dimension == TicketDimension.PartyMember ? "HAVING k IS NOT NULL" : "")}
            """;
    }

    public static long? ParseId(string? key) => key is null ? null : long.Parse(key, CultureInfo.InvariantCulture);

    private sealed class CountsRow
    {
        public string? GroupKey { get; set; }
        public long Received { get; set; }
        public long Dispatched { get; set; }
        public long Claimed { get; set; }
        public long Resolved { get; set; }
        public long Closed { get; set; }
        public long Cancelled { get; set; }
        public long Rejected { get; set; }
        public long ResolvedWithDue { get; set; }
        public long ResolvedOnTime { get; set; }
        public long Rated { get; set; }
        public long Satisfied { get; set; }
        public long SatisfactionSum { get; set; }
        public long EverResolved { get; set; }
        public long Reopened { get; set; }
        public long Overdue { get; set; }
        public long Escalated { get; set; }
        public long ReturnVisits { get; set; }
        public long ReturnVisitsPending { get; set; }
        public long ReturnVisited { get; set; }
        public long SatisfiedAfterVisit { get; set; }

        public TicketCounts ToCounts() => new()
        {
            Received = Received, Dispatched = Dispatched, Claimed = Claimed, Resolved = Resolved, Closed = Closed,
            Cancelled = Cancelled, Rejected = Rejected, ResolvedWithDue = ResolvedWithDue, ResolvedOnTime = ResolvedOnTime,
            Rated = Rated, Satisfied = Satisfied, SatisfactionSum = SatisfactionSum, EverResolved = EverResolved,
            Reopened = Reopened, Overdue = Overdue, Escalated = Escalated, ReturnVisits = ReturnVisits,
            ReturnVisitsPending = ReturnVisitsPending, ReturnVisited = ReturnVisited, SatisfiedAfterVisit = SatisfiedAfterVisit,
        };
    }

    private sealed class LevelRow
    {
        public string? GroupKey { get; set; }
        public int Level { get; set; }
        public long Tickets { get; set; }
    }

    private sealed class DurationRow
    {
        public string? GroupKey { get; set; }
        public long? Dispatch { get; set; }
        public long? Accept { get; set; }
        public long? Resolve { get; set; }
    }

    private sealed class NameRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
    }
}
