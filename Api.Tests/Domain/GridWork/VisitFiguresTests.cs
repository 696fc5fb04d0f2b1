using Linli.Domain.GridWork;

namespace Linli.Api.Tests.Domain.GridWork;

public class VisitFiguresTests
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void DueAndDoneAreCountedPerPeriodPersonGridAndCommunity()
    {
        var from = D("2026-03-01");
        var to = D("2026-03-31");
        AssignmentFacts[] assignments =
        [
            // Weekly from 2 March: four weeks owed in March, visited in two of them (twice in one).
            new(UserId: 1, HouseholdId: 10, GridId: 100, CommunityId: 1000, ContactRhythm.Weekly, D("2026-03-02"), null),
            // Monthly: March owed, visited — but only by someone else, which does not count for person 2.
            new(UserId: 2, HouseholdId: 11, GridId: 101, CommunityId: 1000, ContactRhythm.Monthly, D("2026-01-01"), null),
            // Quarterly: no whole quarter inside March, nothing owed.
            new(UserId: 2, HouseholdId: 12, GridId: 101, CommunityId: 1000, ContactRhythm.Quarterly, D("2026-01-01"), null),
        ];
        var visits = new Dictionary<(long, long), IReadOnlyList<DateOnly>>
        {
            [(1, 10)] = [D("2026-03-03"), D("2026-03-05"), D("2026-03-20")],
            [(1, 11)] = [D("2026-03-10")],
        };

        var result = VisitFigures.Tally(assignments, visits, from, to);

        Assert.Multiple(() =>
        {
            Assert.That(result.ByPerson[1], Is.EqualTo(new VisitTally(4, 2)));
            Assert.That(result.ByPerson[2], Is.EqualTo(new VisitTally(1, 0)));
            Assert.That(result.ByGrid[101], Is.EqualTo(new VisitTally(1, 0)));
            Assert.That(result.ByCommunity[1000], Is.EqualTo(new VisitTally(5, 2)));
            Assert.That(result.Total.OnTimeRate, Is.EqualTo(0.4));
            Assert.That(VisitTally.Zero.OnTimeRate, Is.Null);
        });
    }
}
