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
    long Rated, double? SatisfactionRate, double? AverageSatisfaction, double? ReopenRate, long Overdue)
{
    public static TicketFiguresDto From(TicketCounts c, DurationSummary dispatch, DurationSummary accept, DurationSummary resolve) => new(
        c.Received, c.Dispatched, c.Claimed, c.Resolved, c.Closed, c.Cancelled, c.Rejected,
        c.ResolutionRate, c.OnTimeRate,
        DurationDto.From(dispatch), DurationDto.From(accept), DurationDto.From(resolve),
        c.Rated, c.SatisfactionRate, c.AverageSatisfaction, c.ReopenRate, c.Overdue);
}

public sealed record TicketBucketDto(DateOnly Start, TicketFiguresDto Figures);

/// <summary><c>from</c> and <c>to</c> are China dates, both included; week buckets start on Monday.</summary>
public sealed record TicketStatsDto(
    DateOnly From, DateOnly To, StatsBucket Bucket, long? CommunityId, TicketFiguresDto Totals, IReadOnlyList<TicketBucketDto> Buckets);

/// <summary>One community, grid, category, department or party member. Id is null for tickets without one (no grid, not yet dispatched).</summary>
public sealed record TicketBreakdownRowDto(long? Id, string? Name, TicketFiguresDto Figures);

public sealed record TicketBreakdownDto(
    DateOnly From, DateOnly To, string By, long? CommunityId, TicketFiguresDto Totals, IReadOnlyList<TicketBreakdownRowDto> Rows);
