using Linli.Api.Stats;
using Linli.Domain.Stats;

namespace Linli.Api.Tests.Stats;

public class StatsDomainTests
{
    [Test]
    public void AChinaDateRangeIsTheUtcInstantsFromSixteenHundredTheDayBefore()
    {
        var (start, end) = ChinaStandardTime.UtcRange(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31));

        Assert.Multiple(() =>
        {
            Assert.That(start, Is.EqualTo(new DateTime(2025, 12, 31, 16, 0, 0, DateTimeKind.Utc)));
            Assert.That(end, Is.EqualTo(new DateTime(2026, 1, 31, 16, 0, 0, DateTimeKind.Utc)));
            Assert.That(start.Kind, Is.EqualTo(DateTimeKind.Utc));
        });
    }

    [Test]
    public void TheChinaDateTurnsAtSixteenHundredUtc()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ChinaStandardTime.DateOf(new DateTimeOffset(2026, 3, 1, 15, 59, 59, TimeSpan.Zero)), Is.EqualTo(new DateOnly(2026, 3, 1)));
            Assert.That(ChinaStandardTime.DateOf(new DateTimeOffset(2026, 3, 1, 16, 0, 0, TimeSpan.Zero)), Is.EqualTo(new DateOnly(2026, 3, 2)));
        });
    }

    [Test]
    public void WeeksStartOnMondayAndMonthsOnTheFirst()
    {
        // 2026-01-01 is a Thursday.
        Assert.Multiple(() =>
        {
            Assert.That(ChinaStandardTime.BucketStart(new DateOnly(2026, 1, 1), StatsBucket.Week), Is.EqualTo(new DateOnly(2025, 12, 29)));
            Assert.That(ChinaStandardTime.BucketStart(new DateOnly(2026, 1, 4), StatsBucket.Week), Is.EqualTo(new DateOnly(2025, 12, 29)), "Sunday");
            Assert.That(ChinaStandardTime.BucketStart(new DateOnly(2026, 1, 5), StatsBucket.Week), Is.EqualTo(new DateOnly(2026, 1, 5)), "Monday");
            Assert.That(ChinaStandardTime.BucketStart(new DateOnly(2026, 2, 28), StatsBucket.Month), Is.EqualTo(new DateOnly(2026, 2, 1)));
            Assert.That(ChinaStandardTime.Buckets(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 12), StatsBucket.Week),
                Is.EqualTo(new[] { new DateOnly(2025, 12, 29), new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 12) }));
            Assert.That(ChinaStandardTime.Buckets(new DateOnly(2026, 1, 31), new DateOnly(2026, 3, 1), StatsBucket.Month).Count(), Is.EqualTo(3));
        });
    }

    [TestCase(new long[] { 7 }, 7, 7)]
    [TestCase(new long[] { 1, 2 }, 1, 2)]
    [TestCase(new long[] { 1, 2, 3, 4 }, 2, 4)]
    [TestCase(new long[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 }, 50, 90)]
    [TestCase(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, 6, 10)]
    public void PercentilesAreNearestRank(long[] sorted, long median, long p90)
    {
        var summary = DurationSummary.Of(sorted);
        Assert.That(summary, Is.EqualTo(new DurationSummary(sorted.Length, median, p90)));
    }

    [Test]
    public void SelectingTheRanksAgreesWithSortingWhateverTheOrderAndRepeats()
    {
        var random = new Random(13);
        foreach (var count in new[] { 1, 2, 3, 10, 11, 100, 1001, 20_000 })
            foreach (var spread in new[] { 3, 1_000_000 })
            {
                var values = Enumerable.Range(0, count).Select(_ => random.Next(spread)).ToArray();
                var sorted = values.Select(v => (long)v).Order().ToList();
                Assert.That(DurationSummary.OfUnordered(values), Is.EqualTo(DurationSummary.Of(sorted)), $"{count} values below {spread}");
            }
        Assert.That(DurationSummary.OfUnordered([]), Is.EqualTo(DurationSummary.None));
        Assert.That(DurationSummary.OfUnordered(Enumerable.Range(0, 1000).Reverse().ToArray()), Is.EqualTo(new DurationSummary(1000, 499, 899)));
    }

    [Test]
    public void RatesComeFromSumsSoGroupsAddUpAndEmptyGroupsHaveNoRate()
    {
        var a = new TicketCounts { Received = 2, Resolved = 1, Rated = 1, Satisfied = 1, SatisfactionSum = 5 };
        var b = new TicketCounts { Received = 1, Resolved = 1, Cancelled = 0, Rated = 2, Satisfied = 1, SatisfactionSum = 6 };
        var sum = a.Add(b);

        Assert.Multiple(() =>
        {
            Assert.That(sum.ResolutionRate, Is.EqualTo(0.6667));
            Assert.That(sum.SatisfactionRate, Is.EqualTo(0.6667));
            Assert.That(sum.AverageSatisfaction, Is.EqualTo(3.6667));
            Assert.That(TicketCounts.Zero.ResolutionRate, Is.Null);
            Assert.That(new TicketCounts { Received = 2, Cancelled = 1, Rejected = 1 }.ResolutionRate, Is.Null);
        });
    }

    [Test]
    public void TheRangeDefaultsToThirtyDaysAndNamesTheFieldThatBreaksItsRules()
    {
        var now = new DateTimeOffset(2026, 5, 10, 20, 0, 0, TimeSpan.Zero); // 2026-05-11 in China
        var defaults = new StatsRange(null, null, null).ToRequest(null, now);
        var week = new StatsRange("2026-01-01", "2026-01-31", 7).ToRequest("week", now);

        Assert.Multiple(() =>
        {
            Assert.That(defaults, Is.EqualTo(new StatsRequest(new DateOnly(2026, 4, 12), new DateOnly(2026, 5, 11), StatsBucket.Day, null)));
            Assert.That(week, Is.EqualTo(new StatsRequest(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), StatsBucket.Week, 7)));
            Assert.That(Field(() => new StatsRange("2026-02-01", "2026-02-30", null).ToRequest(null, now)), Is.EqualTo("to"), "no such date");
            Assert.That(Field(() => new StatsRange("2026-02-01", "2026-01-01", null).ToRequest(null, now)), Is.EqualTo("from"), "reversed");
            Assert.That(Field(() => new StatsRange("2020-01-01", "2026-01-01", null).ToRequest(null, now)), Is.EqualTo("to"), "too long");
        });

        static string Field(TestDelegate call) =>
            Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(call)!.ValidationResult.MemberNames.Single();
    }
}
