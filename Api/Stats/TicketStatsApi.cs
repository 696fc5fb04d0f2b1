using System.Data.Common;
using System.Globalization;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Api.Csv;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Stats;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Stats;

/// <summary>
/// The ticket figures (issue 7), scoped through the caller: community staff see their communities (a street leader the
/// communities of their street office), department staff the tickets dispatched to their department, admins everything.
/// JSON by default; <c>Accept: text/csv</c> gives the same figures as a spreadsheet.
/// </summary>
public static class TicketStatsApi
{
    public static IServiceCollection AddTicketStats(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<TicketStatsQueries>().AddScoped<SummonsStatsQueries>().AddSingleton<TicketFiguresWorker>();
        if (configuration.GetValue($"{TicketOptions.Section}:{nameof(TicketOptions.RunWorkers)}", true))
            services.AddHostedService(sp => sp.GetRequiredService<TicketFiguresWorker>());
        return services;
    }

    public static RouteGroupBuilder MapTicketStats(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/stats/tickets").WithTags("Stats").RequireAuthorization(Policies.TicketFigures);
        const string who = " Community staff see their own communities, street leaders every community of their street office, department "
            + "staff the tickets dispatched to their department, admins every one; a community that is not theirs (for department staff: "
            + "one that does not exist) is a 404. Changes nothing.";
        const string csv = " Send `Accept: text/csv` for the same figures as a CSV download (UTF-8 with BOM)." + who;
        group.MapGet("/", TicketStats).WithName(nameof(TicketStats))
            .WithSummary("Ticket figures over time")
            .WithDescription("Ticket figures over China dates from–to (inclusive), with day, week (from Monday) or month buckets." + csv);
        group.MapGet("/by-community", TicketStatsByCommunity).WithName(nameof(TicketStatsByCommunity))
            .WithSummary("Ticket figures per community")
            .WithDescription("The figures per community." + csv);
        group.MapGet("/by-grid", TicketStatsByGrid).WithName(nameof(TicketStatsByGrid))
            .WithSummary("Ticket figures per grid")
            .WithDescription("The figures per grid; tickets without a grid form one row with a null id." + csv);
        group.MapGet("/by-category", TicketStatsByCategory).WithName(nameof(TicketStatsByCategory))
            .WithSummary("Ticket figures per category")
            .WithDescription("The figures per ticket category." + csv);
        group.MapGet("/by-department", TicketStatsByDepartment).WithName(nameof(TicketStatsByDepartment))
            .WithSummary("Ticket figures per department")
            .WithDescription("The figures per department handling (or dispatched) the ticket; none forms one row with a null id." + csv);
        group.MapGet("/by-party-member", TicketStatsByPartyMember).WithName(nameof(TicketStatsByPartyMember))
            .WithSummary("Ticket figures per party member")
            .WithDescription("The figures per party member, over the tickets each claimed last." + csv);
        group.MapGet("/summonses", SummonsStats).WithName(nameof(SummonsStats))
            .WithSummary("吹哨报到 figures per department")
            .WithDescription("The summonses (吹哨) issued between China dates from–to (inclusive), per summoned department: how many, "
                + "reported in, declined, still unanswered, reported in by reportBy, escalated, and the time from summons to report-in "
                + "(median and 90th percentile). Department staff see their own department's summonses; the others those of the tickets "
                + "they see." + csv);
        group.MapGet("/export", TicketListExport).WithName(nameof(TicketListExport))
            .WithSummary("Download the tickets of a date range")
            .WithDescription("The tickets received in the range as a CSV download (UTF-8 with BOM), times in China Standard Time: "
                + "the ticket list's own download (`GET /api/v1/tickets` with `Accept: text/csv`) over a date range, newest first. "
                + "Those who may read the figures see the tickets they may list; a community that is not theirs is a 404. Changes nothing.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        return group;
    }

    private static async Task<Results<Ok<TicketStatsDto>, CsvResult, NotFound>> TicketStats(
        [AsParameters] StatsRange range, [OneOf(typeof(StatsRange), nameof(StatsRange.Buckets))] string? bucket,
        HttpContext http, Caller caller, TicketStatsQueries queries, TimeProvider clock, CancellationToken ct)
    {
        var request = range.ToRequest(bucket, clock.GetUtcNow());
        var scope = await ScopeAsync(request, caller, queries, ct);
        if (scope is null)
            return TypedResults.NotFound();

        var result = await queries.ComputeAsync(scope, TicketDimension.Time, request.Bucket, ct);
        var byStart = result.Groups.ToDictionary(g => g.Key!, StringComparer.Ordinal);
        var buckets = ChinaStandardTime.Buckets(request.From, request.To, request.Bucket)
            .Select(start => new TicketBucketDto(start, Figures(
                byStart.GetValueOrDefault(start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), TicketStatsQueries.Group.Empty), result.Levels)))
            .ToList();
        var stats = new TicketStatsDto(request.From, request.To, request.Bucket, request.CommunityId, Figures(result.Totals, result.Levels), buckets);
        return CsvResult.Accepts(http.Request) ? StatsCsv.ForTime(stats) : TypedResults.Ok(stats);
    }

    private static Task<Results<Ok<TicketBreakdownDto>, CsvResult, NotFound>> TicketStatsByCommunity(
        [AsParameters] StatsRange range, HttpContext http, Caller caller, TicketStatsQueries queries, TimeProvider clock, CancellationToken ct) =>
        BreakdownAsync(TicketDimension.Community, "community", range, http, caller, queries, clock, ct);

    private static Task<Results<Ok<TicketBreakdownDto>, CsvResult, NotFound>> TicketStatsByGrid(
        [AsParameters] StatsRange range, HttpContext http, Caller caller, TicketStatsQueries queries, TimeProvider clock, CancellationToken ct) =>
        BreakdownAsync(TicketDimension.Grid, "grid", range, http, caller, queries, clock, ct);

    private static Task<Results<Ok<TicketBreakdownDto>, CsvResult, NotFound>> TicketStatsByCategory(
        [AsParameters] StatsRange range, HttpContext http, Caller caller, TicketStatsQueries queries, TimeProvider clock, CancellationToken ct) =>
        BreakdownAsync(TicketDimension.Category, "category", range, http, caller, queries, clock, ct);

    private static Task<Results<Ok<TicketBreakdownDto>, CsvResult, NotFound>> TicketStatsByDepartment(
        [AsParameters] StatsRange range, HttpContext http, Caller caller, TicketStatsQueries queries, TimeProvider clock, CancellationToken ct) =>
        BreakdownAsync(TicketDimension.Department, "department", range, http, caller, queries, clock, ct);

    private static Task<Results<Ok<TicketBreakdownDto>, CsvResult, NotFound>> TicketStatsByPartyMember(
        [AsParameters] StatsRange range, HttpContext http, Caller caller, TicketStatsQueries queries, TimeProvider clock, CancellationToken ct) =>
        BreakdownAsync(TicketDimension.PartyMember, "party_member", range, http, caller, queries, clock, ct);

    private static async Task<Results<Ok<TicketBreakdownDto>, CsvResult, NotFound>> BreakdownAsync(
        TicketDimension dimension, string by, StatsRange range,
        HttpContext http, Caller caller, TicketStatsQueries queries, TimeProvider clock, CancellationToken ct)
    {
        var request = range.ToRequest(null, clock.GetUtcNow());
        var scope = await ScopeAsync(request, caller, queries, ct);
        if (scope is null)
            return TypedResults.NotFound();

        var result = await queries.ComputeAsync(scope, dimension, request.Bucket, ct);
        var ids = result.Groups.Select(g => TicketStatsQueries.ParseId(g.Key)).OfType<long>().ToList();
        var names = await queries.NamesAsync(dimension, ids, ct);
        var rows = result.Groups
            .Select(g => (Id: TicketStatsQueries.ParseId(g.Key), Group: g))
            .OrderByDescending(r => r.Group.Counts.Received).ThenBy(r => r.Id ?? long.MaxValue)
            .Select(r => new TicketBreakdownRowDto(r.Id, r.Id is { } id ? names.GetValueOrDefault(id) : null, Figures(r.Group, result.Levels)))
            .ToList();
        var stats = new TicketBreakdownDto(request.From, request.To, by, request.CommunityId, Figures(result.Totals, result.Levels), rows);
        return CsvResult.Accepts(http.Request) ? StatsCsv.ForBreakdown(stats) : TypedResults.Ok(stats);
    }

    private static async Task<Results<Ok<SummonsStatsDto>, CsvResult, NotFound>> SummonsStats(
        [AsParameters] StatsRange range, HttpContext http, Caller caller, TicketStatsQueries queries, SummonsStatsQueries summonses,
        TimeProvider clock, CancellationToken ct)
    {
        var request = range.ToRequest(null, clock.GetUtcNow());
        var scope = await ScopeAsync(request, caller, queries, ct);
        if (scope is null)
            return TypedResults.NotFound();

        var (totals, rows) = await summonses.ComputeAsync(scope, ct);
        var stats = new SummonsStatsDto(request.From, request.To, request.CommunityId, totals, rows);
        return CsvResult.Accepts(http.Request) ? StatsCsv.ForSummonses(stats) : TypedResults.Ok(stats);
    }

    /// <summary>
    /// The tickets themselves as CSV, whatever the Accept header: this address exists to download them. The rows are
    /// the ticket list's download (one query, one format), limited to tickets received in the range.
    /// </summary>
    private static async Task<Results<CsvResult, NotFound>> TicketListExport(
        [AsParameters] StatsRange range, HttpContext http, Caller caller, TicketStatsQueries queries, TicketListQuery list,
        RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var request = range.ToRequest(null, clock.GetUtcNow());
        var scope = await ScopeAsync(request, caller, queries, ct);
        if (scope is null)
            return TypedResults.NotFound();
                var filter = new TicketListFilter([], CommunityId: request.CommunityId, CreatedFromUtc: scope.StartUtc, CreatedBeforeUtc: scope.EndUtc);
        return list.Csv(await db.OpenAsync(ct), new CallerScope(caller), filter, $"工单列表_{request.From:yyyyMMdd}-{request.To:yyyyMMdd}.csv");
    }

    /// <summary>The caller's scope; null when they asked for a community that is not theirs (or does not exist).</summary>
    private static async Task<StatsScope?> ScopeAsync(StatsRequest request, Caller caller, TicketStatsQueries queries, CancellationToken ct)
    {
        if (request.CommunityId is { } communityId && !await queries.MaySeeCommunityAsync(caller, communityId, ct))
            return null;
        var (start, end) = ChinaStandardTime.UtcRange(request.From, request.To);
        return new StatsScope(caller, request.CommunityId, start, end);
    }

    private static TicketFiguresDto Figures(TicketStatsQueries.Group g, int levels) =>
        TicketFiguresDto.From(g.Counts, g.Dispatch, g.Accept, g.Resolve, g.EscalatedTo, levels);
}
