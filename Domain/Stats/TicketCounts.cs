namespace Linli.Domain.Stats;

/// <summary>
/// The raw sums behind the ticket figures for one group of tickets (a bucket, a community, a grid…).
/// Every figure is a ratio of these, so groups add up exactly into totals.
/// Tickets are counted in the group of the day they were received (a cohort), and the figures say what
/// has become of them by now.
/// </summary>
public sealed record TicketCounts
{
    /// <summary>Tickets received (created) in the group.</summary>
    public long Received { get; init; }
    /// <summary>Routed by the community at least once: dispatched to a department, published for party members, or taken by staff.</summary>
    public long Dispatched { get; init; }
    /// <summary>Claimed by a party member at least once.</summary>
    public long Claimed { get; init; }
    /// <summary>Now resolved or closed after resolution (a reopened ticket counts again only when resolved again).</summary>
    public long Resolved { get; init; }
    public long Closed { get; init; }
    public long Cancelled { get; init; }
    public long Rejected { get; init; }
    /// <summary>Resolved tickets that had a due time.</summary>
    public long ResolvedWithDue { get; init; }
    /// <summary>Resolved tickets whose (last) resolution was at or before their due time.</summary>
    public long ResolvedOnTime { get; init; }
    /// <summary>Tickets the resident rated (1–5 stars).</summary>
    public long Rated { get; init; }
    /// <summary>Rated 4 or 5 stars.</summary>
    public long Satisfied { get; init; }
    public long SatisfactionSum { get; init; }
    /// <summary>Resolved at least once, whatever happened next.</summary>
    public long EverResolved { get; init; }
    /// <summary>Reopened by the resident at least once.</summary>
    public long Reopened { get; init; }
    /// <summary>Dispatched or in progress with the due time already passed, at the moment of asking.</summary>
    public long Overdue { get; init; }
    /// <summary>Climbed at least one escalation level (escalation per level is counted beside these sums).</summary>
    public long Escalated { get; init; }
    /// <summary>Rated 1 or 2 stars and so sent to a return visit (回访), at least once.</summary>
    public long ReturnVisits { get; init; }
    /// <summary>Waiting for their return visit now.</summary>
    public long ReturnVisitsPending { get; init; }
    /// <summary>Closed by a recorded return visit.</summary>
    public long ReturnVisited { get; init; }
    /// <summary>Closed by a return visit after which the resident was satisfied.</summary>
    public long SatisfiedAfterVisit { get; init; }

    public static readonly TicketCounts Zero = new();

    public TicketCounts Add(TicketCounts other) => new()
    {
        Received = Received + other.Received,
        Dispatched = Dispatched + other.Dispatched,
        Claimed = Claimed + other.Claimed,
        Resolved = Resolved + other.Resolved,
        Closed = Closed + other.Closed,
        Cancelled = Cancelled + other.Cancelled,
        Rejected = Rejected + other.Rejected,
        ResolvedWithDue = ResolvedWithDue + other.ResolvedWithDue,
        ResolvedOnTime = ResolvedOnTime + other.ResolvedOnTime,
        Rated = Rated + other.Rated,
        Satisfied = Satisfied + other.Satisfied,
        SatisfactionSum = SatisfactionSum + other.SatisfactionSum,
        EverResolved = EverResolved + other.EverResolved,
        Reopened = Reopened + other.Reopened,
        Overdue = Overdue + other.Overdue,
        Escalated = Escalated + other.Escalated,
        ReturnVisits = ReturnVisits + other.ReturnVisits,
        ReturnVisitsPending = ReturnVisitsPending + other.ReturnVisitsPending,
        ReturnVisited = ReturnVisited + other.ReturnVisited,
        SatisfiedAfterVisit = SatisfiedAfterVisit + other.SatisfiedAfterVisit,
    };

    /// <summary>Resolved out of the tickets the community took on: received less cancelled by the resident and rejected as out of scope.</summary>
    public double? ResolutionRate => Ratio(Resolved, Received - Cancelled - Rejected);
    public double? OnTimeRate => Ratio(ResolvedOnTime, ResolvedWithDue);
    /// <summary>Share of ratings with 4 or 5 stars.</summary>
    public double? SatisfactionRate => Ratio(Satisfied, Rated);
    public double? AverageSatisfaction => Ratio(SatisfactionSum, Rated);
    /// <summary>Reopened out of those ever resolved.</summary>
    public double? ReopenRate => Ratio(Reopened, EverResolved);
    /// <summary>Sent to a return visit and then reopened to the handler instead of closed by the visit (by where each stands now).</summary>
    public long ReopenedAfterVisit => ReturnVisits - ReturnVisitsPending - ReturnVisited;
    /// <summary>Satisfied after the visit, out of the visits recorded.</summary>
    public double? SatisfiedAfterVisitRate => Ratio(SatisfiedAfterVisit, ReturnVisited);

    /// <summary>Rounded to 4 decimals (0.9333 = 93.33 %); null when there is nothing to divide by, which is not the same as 0 %.</summary>
    public static double? Ratio(long part, long whole) =>
        whole <= 0 ? null : Math.Round((double)part / whole, 4, MidpointRounding.AwayFromZero);
}
