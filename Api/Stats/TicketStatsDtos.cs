using Linli.Domain.Stats;

namespace Linli.Api.Stats;

/// <summary>Durations in whole seconds: how many tickets had one, the median and the 90th percentile (nearest rank).</summary>
public sealed record DurationDto(long Count, long? MedianSeconds, long? P90Seconds)
{
    public static DurationDto From(DurationSummary s) => new(s.Count, s.MedianSeconds, s.P90Seconds);
}

/// <summary>
/// The figures for one group of tickets, counted by the day they were received (China Standard Time).
/// Rates are fractions rounded to 4 decimals (0.9333 = 93.33 %), null when nothing qualifies.
/// </summary>
public sealed record TicketFiguresDto(
    long Received, long Dispatched, long Claimed, long Resolved, long Closed, long Cancelled, long Rejected,
    double? ResolutionRate, double? OnTimeRate,
    DurationDto TimeToDispatch, DurationDto TimeToAccept, DurationDto TimeToResolve,
    long Rated, double? SatisfactionRate, double? AverageSatisfaction, double? ReopenRate, long Overdue,
    long Escalated, IReadOnlyList<EscalationLevelDto> EscalatedByLevel, ReturnVisitsDto ReturnVisits)
{
    /// <summary>The figures of one group; <paramref name="escalatedTo"/> is padded with zeros to <paramref name="levels"/>.</summary>
    public static TicketFiguresDto From(TicketCounts c, DurationSummary dispatch, DurationSummary accept, DurationSummary resolve,
        IReadOnlyList<long> escalatedTo, int levels) => new(
        c.Received, c.Dispatched, c.Claimed, c.Resolved, c.Closed, c.Cancelled, c.Rejected,
        c.ResolutionRate, c.OnTimeRate,
        DurationDto.From(dispatch), DurationDto.From(accept), DurationDto.From(resolve),
        c.Rated, c.SatisfactionRate, c.AverageSatisfaction, c.ReopenRate, c.Overdue,
        c.Escalated,
        Enumerable.Range(1, levels).Select(level => new EscalationLevelDto(level, level <= escalatedTo.Count ? escalatedTo[level - 1] : 0)).ToList(),
        new ReturnVisitsDto(c.ReturnVisits, c.ReturnVisitsPending, c.ReturnVisited, c.SatisfiedAfterVisit, c.ReopenedAfterVisit, c.SatisfiedAfterVisitRate));
}

/// <summary>The tickets that climbed to this escalation level or beyond (level 1: the street office).</summary>
public sealed record EscalationLevelDto(int Level, long Tickets);

/// <summary>
/// Return visits (回访) of the tickets rated 1 or 2 stars, by where each stands now: waiting for the visit, closed by it
/// (satisfied after it or not), or reopened to the handler. <c>SatisfiedRate</c> is satisfied out of visited.
/// </summary>
public sealed record ReturnVisitsDto(long Total, long Pending, long Visited, long SatisfiedAfterVisit, long Reopened, double? SatisfiedRate);

public sealed record TicketBucketDto(DateOnly Start, TicketFiguresDto Figures);

/// <summary><c>from</c> and <c>to</c> are China dates, both included; week buckets start on Monday.</summary>
public sealed record TicketStatsDto(
    DateOnly From, DateOnly To, StatsBucket Bucket, long? CommunityId, TicketFiguresDto Totals, IReadOnlyList<TicketBucketDto> Buckets);

/// <summary>One community, grid, category, department or party member. Id is null for tickets without one (no grid, not yet dispatched).</summary>
public sealed record TicketBreakdownRowDto(long? Id, string? Name, TicketFiguresDto Figures);

public sealed record TicketBreakdownDto(
    DateOnly From, DateOnly To, string By, long? CommunityId, TicketFiguresDto Totals, IReadOnlyList<TicketBreakdownRowDto> Rows);

/// <summary>
/// 吹哨报到 figures of a set of summonses: summoned, reported in (报到), declined, still unanswered; reported in by their
/// reportBy; the on-time rate out of those due (answered, or with reportBy passed); escalated for no answer in time; and
/// the time from the summons to the report-in, in whole seconds.
/// </summary>
public sealed record SummonsFiguresDto(
    long Summoned, long Reported, long Declined, long Unanswered, long ReportedOnTime, double? OnTimeRate, long Escalated,
    DurationDto TimeToReport);

/// <summary>One summoned department's figures.</summary>
public sealed record SummonsDepartmentRowDto(long Id, string Name, SummonsFiguresDto Figures);

/// <summary>The summonses issued between China dates <c>from</c> and <c>to</c> (both included), per department, most summoned first.</summary>
public sealed record SummonsStatsDto(DateOnly From, DateOnly To, long? CommunityId, SummonsFiguresDto Totals, IReadOnlyList<SummonsDepartmentRowDto> Rows);
