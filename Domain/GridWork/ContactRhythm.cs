namespace Linli.Domain.GridWork;

/// <summary>How often the assigned person keeps in touch with a household (4113: monthly for cadres, quarterly for party members).</summary>
public enum ContactRhythm
{
    Weekly,
    Monthly,
    Quarterly,
}

/// <summary>
/// The due-date rule of contact assignments. A rhythm cuts the calendar (China dates) into periods: Monday–Sunday
/// weeks, calendar months, calendar quarters. Each period needs at least one visit: a visit in a period satisfies
/// that period, so the next visit is due by the end of the following one. Without a visit yet, the first is due by
/// the end of the period in which the assignment starts.
/// </summary>
public static class ContactRhythms
{
    /// <summary>The first and last day of the period holding <paramref name="day"/>.</summary>
    public static (DateOnly Start, DateOnly End) PeriodOf(ContactRhythm rhythm, DateOnly day)
    {
        var start = rhythm switch
        {
            ContactRhythm.Weekly => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            ContactRhythm.Monthly => new DateOnly(day.Year, day.Month, 1),
            ContactRhythm.Quarterly => new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(rhythm), rhythm, null),
        };
        return (start, Next(rhythm, start).AddDays(-1));
    }

    /// <summary>The last day by which the next visit is due.</summary>
    public static DateOnly DueDate(ContactRhythm rhythm, DateOnly startsOn, DateOnly? lastVisit)
    {
        if (lastVisit is not { } last || last < startsOn)
            return PeriodOf(rhythm, startsOn).End;
        var (_, end) = PeriodOf(rhythm, last);
        return PeriodOf(rhythm, end.AddDays(1)).End;
    }

    /// <summary>Overdue: the due date has passed (the due day itself is still on time).</summary>
    public static bool IsOverdue(DateOnly due, DateOnly today) => today > due;

    /// <summary>
    /// The periods an assignment owes within <paramref name="from"/>..<paramref name="to"/>: every period lying wholly
    /// inside the range that ends on or after <paramref name="startsOn"/> and starts before <paramref name="endedOn"/>.
    /// </summary>
    public static IEnumerable<(DateOnly Start, DateOnly End)> PeriodsOwed(
        ContactRhythm rhythm, DateOnly startsOn, DateOnly? endedOn, DateOnly from, DateOnly to)
    {
        for (var (start, end) = PeriodOf(rhythm, from); start <= to; (start, end) = PeriodOf(rhythm, end.AddDays(1)))
        {
            if (start < from || end > to || end < startsOn || (endedOn is { } e && start >= e))
                continue;
            yield return (start, end);
        }
    }

    private static DateOnly Next(ContactRhythm rhythm, DateOnly start) => rhythm switch
    {
        ContactRhythm.Weekly => start.AddDays(7),
        ContactRhythm.Monthly => start.AddMonths(1),
        ContactRhythm.Quarterly => start.AddMonths(3),
        _ => throw new ArgumentOutOfRangeException(nameof(rhythm), rhythm, null),
    };
}
