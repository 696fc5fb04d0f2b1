using Linli.Domain.GridWork;

namespace Linli.Api.Tests.Domain.GridWork;

public class ContactRhythmsTests
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [TestCase(ContactRhythm.Weekly, "2026-03-04", "2026-03-02", "2026-03-08", Description = "a Wednesday: Monday to Sunday")]
    [TestCase(ContactRhythm.Weekly, "2026-03-08", "2026-03-02", "2026-03-08", Description = "Sunday ends its own week")]
    [TestCase(ContactRhythm.Monthly, "2026-02-14", "2026-02-01", "2026-02-28")]
    [TestCase(ContactRhythm.Monthly, "2028-02-29", "2028-02-01", "2028-02-29", Description = "leap year")]
    [TestCase(ContactRhythm.Quarterly, "2026-05-20", "2026-04-01", "2026-06-30")]
    [TestCase(ContactRhythm.Quarterly, "2026-12-31", "2026-10-01", "2026-12-31")]
    public void APeriodIsTheCalendarWeekMonthOrQuarter(ContactRhythm rhythm, string day, string start, string end) =>
        Assert.That(ContactRhythms.PeriodOf(rhythm, D(day)), Is.EqualTo((D(start), D(end))));

    [TestCase(ContactRhythm.Weekly, "2026-03-04", null, "2026-03-08", Description = "no visit yet: by the end of the starting week")]
    [TestCase(ContactRhythm.Weekly, "2026-03-04", "2026-03-05", "2026-03-15", Description = "visited this week: by the end of the next")]
    [TestCase(ContactRhythm.Monthly, "2026-01-10", "2026-01-31", "2026-02-28")]
    [TestCase(ContactRhythm.Monthly, "2026-01-10", "2026-03-01", "2026-04-30")]
    [TestCase(ContactRhythm.Quarterly, "2026-01-10", "2026-02-01", "2026-06-30")]
    [TestCase(ContactRhythm.Quarterly, "2026-05-10", "2026-04-01", "2026-06-30", Description = "a visit before the assignment does not count")]
    public void TheNextVisitIsDueByTheEndOfThePeriodAfterTheLastOne(ContactRhythm rhythm, string startsOn, string? lastVisit, string due) =>
        Assert.That(ContactRhythms.DueDate(rhythm, D(startsOn), lastVisit is null ? null : D(lastVisit)), Is.EqualTo(D(due)));

    [Test]
    public void TheDueDayItselfIsStillOnTime()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ContactRhythms.IsOverdue(D("2026-03-08"), D("2026-03-08")), Is.False);
            Assert.That(ContactRhythms.IsOverdue(D("2026-03-08"), D("2026-03-09")), Is.True);
        });
    }

    [Test]
    public void OnlyWholePeriodsInsideTheRangeAndAfterTheStartAreOwed()
    {
        var owed = ContactRhythms.PeriodsOwed(ContactRhythm.Weekly, D("2026-03-04"), null, D("2026-03-01"), D("2026-03-31")).ToList();
        var ended = ContactRhythms.PeriodsOwed(ContactRhythm.Monthly, D("2026-01-01"), D("2026-03-01"), D("2026-01-01"), D("2026-06-30")).ToList();

        Assert.Multiple(() =>
        {
            // 2–8 (holds the start), 9–15, 16–22, 23–29; 30 Mar–5 Apr runs past the range.
            Assert.That(owed.Select(p => p.Start), Is.EqualTo(new[] { D("2026-03-02"), D("2026-03-09"), D("2026-03-16"), D("2026-03-23") }));
            Assert.That(ended.Select(p => p.Start), Is.EqualTo(new[] { D("2026-01-01"), D("2026-02-01") }));
        });
    }
}
