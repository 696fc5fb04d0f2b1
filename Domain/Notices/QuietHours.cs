using Linli.Domain.Stats;

namespace Linli.Domain.Notices;

/// <summary>
/// The hours of the night (China time) in which a notice's subscribe message waits for the morning: a resident is not
/// woken for a water-cut notice at 23:00. An emergency ignores them. <see cref="From"/> after <see cref="Until"/> spans
/// midnight (22:00–07:00); equal times mean no quiet hours at all.
/// </summary>
public sealed record QuietHours(TimeOnly From, TimeOnly Until)
{
    public static readonly QuietHours Default = new(new TimeOnly(22, 0), new TimeOnly(7, 0));

    /// <summary>When a message written at <paramref name="now"/> may go out: now, or the end of the quiet hours it falls in.</summary>
    public DateTimeOffset SendAt(DateTimeOffset now)
    {
        if (From == Until)
            return now;
        var china = now.ToOffset(ChinaStandardTime.Offset);
        var time = TimeOnly.FromDateTime(china.DateTime);
        var spansMidnight = From > Until;
        var quiet = spansMidnight ? time >= From || time < Until : time >= From && time < Until;
        if (!quiet)
            return now;
        // The end is today at Until, or tomorrow's when the quiet began before midnight.
        var day = DateOnly.FromDateTime(china.DateTime);
        if (spansMidnight && time >= From)
            day = day.AddDays(1);
        return new DateTimeOffset(day.ToDateTime(Until), ChinaStandardTime.Offset).ToUniversalTime();
    }
}
