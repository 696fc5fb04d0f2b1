using System.Data.Common;
using Dapper;
using Linli.Api.Hosting;
using Linli.Domain.Stats;

namespace Linli.Api.Stats;

/// <summary>
/// The 吹哨报到 figures: the summonses issued in a range, per summoned department. Summonses are few beside tickets (one
/// whistle summons a handful of departments), so the rows come back whole and are counted and ranked here.
/// </summary>
public sealed class SummonsStatsQueries(RequestConnection db, TimeProvider clock)
{
    /// <summary>The figures of every summons in scope, and per summoned department (most summoned first, then by id).</summary>
    public sealed record Result(SummonsFiguresDto Totals, IReadOnlyList<SummonsDepartmentRowDto> Rows);

    public async Task<Result> ComputeAsync(StatsScope scope, CancellationToken ct)
    {
        var where = new List<string> { "s.created_at >= @startUtc", "s.created_at < @endUtc" };
        if (scope.CommunityId is not null)
            where.Add("s.community_id = @communityId");
        // Those of the tickets of their communities, and their own departments' summonses.
        if (scope.ScopeSql(communityColumn: "s.community_id", departmentColumn: "s.department_id") is { } mine)
            where.Add(mine);
        var connection = await db.OpenAsync(ct);
        // ix_ticket_summonses_community_created per community (ix_ticket_summonses_department_created for department staff,
        // ix_ticket_summonses_created for admins); the summons carries its ticket's community, so no ticket is read.
        var rows = (await connection.QueryAsync<SummonsRow>(new CommandDefinition($"""
            SELECT s.department_id, d.name AS department_name, s.status, s.report_by, s.answered_at, s.escalated_at, s.created_at
            FROM ticket_summonses s
            JOIN departments d ON d.id = s.department_id
            WHERE {string.Join(" AND ", where)}
            """, scope.Caller.With(new { communityId = scope.CommunityId, startUtc = scope.StartUtc, endUtc = scope.EndUtc }),
            commandTimeout: 120, cancellationToken: ct))).ToList();

        var now = clock.GetUtcNow().UtcDateTime;
        var departments = rows.GroupBy(r => r.DepartmentId)
            .Select(g => new SummonsDepartmentRowDto(g.Key, g.First().DepartmentName, Figures(g.ToList(), now)))
            .OrderByDescending(r => r.Figures.Summoned).ThenBy(r => r.Id)
            .ToList();
        return new Result(Figures(rows, now), departments);
    }

    private static SummonsFiguresDto Figures(IReadOnlyList<SummonsRow> rows, DateTime now)
    {
        var reported = rows.Where(r => r.Status == "reported").ToList();
        var onTime = reported.Count(r => r.ReportBy is not { } by || r.AnsweredAt <= by);
        // Due: answered, or no longer answerable in time. A summons whose reportBy is still ahead counts for nothing yet.
        var due = rows.Count(r => r.Status != "summoned" || r.ReportBy is not { } by || by <= now);
        var toReport = reported.Select(r => (long)(r.AnsweredAt!.Value - r.CreatedAt).TotalSeconds).Order().ToList();
        return new SummonsFiguresDto(
            rows.Count, reported.Count, rows.Count(r => r.Status == "declined"), rows.Count(r => r.Status == "summoned"),
            onTime, TicketCounts.Ratio(onTime, due), rows.Count(r => r.EscalatedAt is not null),
            DurationDto.From(DurationSummary.Of(toReport)));
    }

    private sealed class SummonsRow
    {
        public long DepartmentId { get; set; }
        public string DepartmentName { get; set; } = "";
        public string Status { get; set; } = "";
        public DateTime? ReportBy { get; set; }
        public DateTime? AnsweredAt { get; set; }
        public DateTime? EscalatedAt { get; set; }
        public DateTime CreatedAt { get; set; }
    }
}
