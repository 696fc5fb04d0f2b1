using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Houses;
using Linli.Domain.GridWork;
using Linli.Domain.Stats;
using Microsoft.AspNetCore.Http.HttpResults;
using Linli.Api.Hosting;

namespace Linli.Api.GridWork;

public sealed record VisitTallyDto(long Id, string Name, int Due, int Done, double? OnTimeRate);

/// <summary>Visits due and done over China dates <c>from</c>..<c>to</c>, per person, grid and community, and in total.</summary>
public sealed record VisitStatsDto(
    DateOnly From, DateOnly To, int Due, int Done, double? OnTimeRate,
    IReadOnlyList<VisitTallyDto> People, IReadOnlyList<VisitTallyDto> Grids, IReadOnlyList<VisitTallyDto> Communities);

/// <summary>The figures of the field work: how many contact visits were due and how many were made on time (见面率).</summary>
public static class VisitStatsApi
{
    public const int MaxDays = 366;

    public static RouteHandlerBuilder MapVisitStats(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/stats/visits", GetVisitStats).WithName(nameof(GetVisitStats)).WithTags("Stats")
            .RequireAuthorization(Policies.GridStaff)
            .WithSummary("Visits due and done, and 见面率")
            .WithDescription("Over the China dates `from`..`to` (at most 366 days): every week, month or quarter of a contact "
                + "assignment lying wholly inside the range is one visit due; it is done when the assigned person logged a visit "
                + "to the household within it. Per person, grid and community, and the share done on time (`onTimeRate`, 0–1, "
                + "null when nothing was due). Community staff see their communities, grid workers their grids, admins all.");

    private sealed class AssignmentRow
    {
        public long UserId { get; init; }
        public long HouseholdId { get; init; }
        public long GridId { get; init; }
        public long CommunityId { get; init; }
        public string Rhythm { get; init; } = "";
        public DateTime StartsOn { get; init; }
        public DateTime? EndedAt { get; init; }
    }

    public static async Task<Results<Ok<VisitStatsDto>, ValidationProblem>> GetVisitStats(
        DateOnly from, DateOnly to, Caller caller, RequestConnection db, CancellationToken ct)
    {
        var (first, last) = (from, to);
        if (last < first || last.DayNumber - first.DayNumber >= MaxDays)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = [$"On or after from, at most {MaxDays} days in all."] });
        var (start, end) = ChinaStandardTime.UtcRange(first, last);
        var connection = await db.OpenAsync(ct);
        var parameters = caller.With(new { start, end, lastDay = last.ToDateTime(TimeOnly.MinValue) });
        // Assignments of households the caller manages that overlap the range.
        var assignments = (await connection.QueryAsync<AssignmentRow>(new CommandDefinition($$"""
            SELECT a.user_id AS UserId, a.household_id AS HouseholdId, h.grid_id AS GridId, h.community_id AS CommunityId,
                   a.rhythm AS Rhythm, a.starts_on AS StartsOn, a.ended_at AS EndedAt
            FROM contact_assignments a
            JOIN households hh ON hh.id = a.household_id
            JOIN houses h ON h.id = hh.house_id
            WHERE {{Scope.ManagesHouse}} AND a.starts_on <= @lastDay AND (a.ended_at IS NULL OR a.ended_at >= @start)
            """, parameters, cancellationToken: ct))).ToList();
        // The assigned people's visits to their households within the range (ix_visits_household).
        var visits = (await connection.QueryAsync<(long VisitorId, long HouseholdId, DateTime VisitedAt)>(new CommandDefinition($$"""
            SELECT DISTINCT v.visitor_id, v.household_id, v.visited_at
            FROM contact_assignments a
            JOIN households hh ON hh.id = a.household_id
            JOIN houses h ON h.id = hh.house_id
            JOIN visits v ON v.household_id = a.household_id AND v.visitor_id = a.user_id
            WHERE {{Scope.ManagesHouse}} AND v.visited_at >= @start AND v.visited_at < @end
            """, parameters, cancellationToken: ct))).ToList();

        var facts = assignments.Select(a => new AssignmentFacts(a.UserId, a.HouseholdId, a.GridId, a.CommunityId,
            DbEnum.Parse(a.Rhythm, ContactRhythm.Weekly), DateOnly.FromDateTime(a.StartsOn),
            a.EndedAt is { } e ? ChinaStandardTime.DateOf(HouseRow.Utc(e)) : null)).ToList();
        var days = visits.GroupBy(v => (v.VisitorId, v.HouseholdId)).ToDictionary(
            g => g.Key, g => (IReadOnlyList<DateOnly>)g.Select(v => ChinaStandardTime.DateOf(HouseRow.Utc(v.VisitedAt))).ToList());
        var result = VisitFigures.Tally(facts, days, first, last);

        var names = await NamesAsync(connection, result, ct);
        return TypedResults.Ok(new VisitStatsDto(first, last, result.Total.Due, result.Total.Done, result.Total.OnTimeRate,
            Lines(result.ByPerson, names.People), Lines(result.ByGrid, names.Grids), Lines(result.ByCommunity, names.Communities)));
    }

    private static List<VisitTallyDto> Lines(IReadOnlyDictionary<long, VisitTally> tallies, IReadOnlyDictionary<long, string> names) =>
        tallies.OrderBy(t => t.Key)
            .Select(t => new VisitTallyDto(t.Key, names.GetValueOrDefault(t.Key, ""), t.Value.Due, t.Value.Done, t.Value.OnTimeRate))
            .ToList();

    private static async Task<(Dictionary<long, string> People, Dictionary<long, string> Grids, Dictionary<long, string> Communities)> NamesAsync(
        DbConnection connection, VisitFigures.Result result, CancellationToken ct)
    {
        async Task<Dictionary<long, string>> Read(string sql, IEnumerable<long> keys)
        {
            var ids = keys.ToList();
            return ids.Count == 0 ? [] : (await connection.QueryAsync<(long Id, string? Name)>(new CommandDefinition(sql, new { ids }, cancellationToken: ct)))
                .ToDictionary(x => x.Id, x => x.Name ?? "");
        }
        return (await Read("SELECT id, nickname FROM users WHERE id IN @ids", result.ByPerson.Keys),
            await Read("SELECT id, name FROM grids WHERE id IN @ids", result.ByGrid.Keys),
            await Read("SELECT id, name FROM communities WHERE id IN @ids", result.ByCommunity.Keys));
    }
}
