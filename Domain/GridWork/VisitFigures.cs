namespace Linli.Domain.GridWork;

/// <summary>One contact assignment as the figures see it: who, which household, where, how often, since when.</summary>
public sealed record AssignmentFacts(
    long UserId, long HouseholdId, long GridId, long CommunityId, ContactRhythm Rhythm, DateOnly StartsOn, DateOnly? EndedOn);

/// <summary>Due: periods owed in the range; done: those with at least one visit by the assigned person to the household.</summary>
public sealed record VisitTally(int Due, int Done)
{
    /// <summary>见面率: the share of owed periods visited on time, 0..1; null when nothing was due.</summary>
    public double? OnTimeRate => Due == 0 ? null : Math.Round((double)Done / Due, 4);

    public VisitTally Add(VisitTally other) => new(Due + other.Due, Done + other.Done);
    public static readonly VisitTally Zero = new(0, 0);
}

/// <summary>
/// Visits due and done per person, grid and community over a range of China dates. Pure: the figures endpoint
/// reads the assignments and the visit dates, this counts.
/// </summary>
public static class VisitFigures
{
    public sealed record Result(
        IReadOnlyDictionary<long, VisitTally> ByPerson,
        IReadOnlyDictionary<long, VisitTally> ByGrid,
        IReadOnlyDictionary<long, VisitTally> ByCommunity,
        VisitTally Total);

    /// <param name="visitDays">(visitor, household) → the China dates of their visits.</param>
    public static Result Tally(IEnumerable<AssignmentFacts> assignments,
        IReadOnlyDictionary<(long UserId, long HouseholdId), IReadOnlyList<DateOnly>> visitDays, DateOnly from, DateOnly to)
    {
        var byPerson = new Dictionary<long, VisitTally>();
        var byGrid = new Dictionary<long, VisitTally>();
        var byCommunity = new Dictionary<long, VisitTally>();
        var total = VisitTally.Zero;
        foreach (var a in assignments)
        {
            var days = visitDays.TryGetValue((a.UserId, a.HouseholdId), out var d) ? d : [];
            var due = 0;
            var done = 0;
            foreach (var (start, end) in ContactRhythms.PeriodsOwed(a.Rhythm, a.StartsOn, a.EndedOn, from, to))
            {
                due++;
                if (days.Any(day => day >= start && day <= end))
                    done++;
            }
            var tally = new VisitTally(due, done);
            Add(byPerson, a.UserId, tally);
            Add(byGrid, a.GridId, tally);
            Add(byCommunity, a.CommunityId, tally);
            total = total.Add(tally);
        }
        return new Result(byPerson, byGrid, byCommunity, total);
    }

    private static void Add(Dictionary<long, VisitTally> into, long key, VisitTally tally) =>
        into[key] = into.TryGetValue(key, out var existing) ? existing.Add(tally) : tally;
}
