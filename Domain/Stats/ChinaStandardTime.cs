namespace Linli.Domain.Stats;

/// <summary>
/// China Standard Time: UTC+8 all year, no daylight saving. Stats take dates as residents and staff
/// see them on the wall calendar, while the database stores UTC.
/// </summary>
public static class ChinaStandardTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The calendar date in China at this instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The UTC instants [start, end) covering the China dates <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    public static (DateTime StartUtc, DateTime EndUtc) UtcRange(DateOnly from, DateOnly to) =>
        (MidnightUtc(from), MidnightUtc(to.AddDays(1)));

    private static DateTime MidnightUtc(DateOnly day) =>
        DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue) - Offset, DateTimeKind.Utc);

    /// <summary>The first day of the bucket holding <paramref name="day"/>: itself, its Monday, or the 1st of its month.</summary>
    public static DateOnly BucketStart(DateOnly day, StatsBucket bucket) => bucket switch
    {
        StatsBucket.Day => day,
        StatsBucket.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        StatsBucket.Month => new DateOnly(day.Year, day.Month, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(bucket), bucket, null),
    };

    /// <summary>Every bucket touching the range, in order, so charts show empty days as zero rather than leaving them out.</summary>
    public static IEnumerable<DateOnly> Buckets(DateOnly from, DateOnly to, StatsBucket bucket)
    {
        for (var start = BucketStart(from, bucket); start <= to; start = Next(start, bucket))
            yield return start;
    }

    private static DateOnly Next(DateOnly start, StatsBucket bucket) => bucket switch
    {
        StatsBucket.Day => start.AddDays(1),
        StatsBucket.Week => start.AddDays(7),
        StatsBucket.Month => start.AddMonths(1),
        _ => throw new ArgumentOutOfRangeException(nameof(bucket), bucket, null),
    };
}
