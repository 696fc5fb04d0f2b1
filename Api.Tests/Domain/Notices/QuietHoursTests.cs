using Linli.Domain.Notices;

namespace Linli.Api.Tests.Domain.Notices;

public class QuietHoursTests
{
    private static DateTimeOffset China(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(8));

    [TestCase(2, 21, 59, 2, 21, 59, TestName = "Before the quiet hours a message goes at once")]
    [TestCase(2, 22, 0, 3, 7, 0, TestName = "At 22:00 it waits for 07:00 the next morning")]
    [TestCase(2, 23, 30, 3, 7, 0, TestName = "Before midnight it waits for the next morning")]
    [TestCase(3, 2, 15, 3, 7, 0, TestName = "After midnight it waits for the same morning")]
    [TestCase(3, 7, 0, 3, 7, 0, TestName = "At 07:00 it goes at once")]
    public void ADefaultNightWaitsForTheMorning(int day, int hour, int minute, int sendDay, int sendHour, int sendMinute) =>
        Assert.That(QuietHours.Default.SendAt(China(day, hour, minute)), Is.EqualTo(China(sendDay, sendHour, sendMinute)));

    [Test]
    public void QuietHoursWithinOneDayAndNoneAtAll()
    {
        var lunch = new QuietHours(new TimeOnly(12, 0), new TimeOnly(14, 0));
        var none = new QuietHours(new TimeOnly(0, 0), new TimeOnly(0, 0));

        Assert.Multiple(() =>
        {
            Assert.That(lunch.SendAt(China(2, 12, 30)), Is.EqualTo(China(2, 14, 0)));
            Assert.That(lunch.SendAt(China(2, 11, 0)), Is.EqualTo(China(2, 11, 0)));
            Assert.That(lunch.SendAt(China(2, 23, 0)), Is.EqualTo(China(2, 23, 0)));
            Assert.That(none.SendAt(China(2, 3, 0)), Is.EqualTo(China(2, 3, 0)));
        });
    }

    [Test]
    public void OnlyAnEmergencyIgnoresQuietHoursAndOnlyAConventionIsAcknowledged()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Enum.GetValues<NoticeKind>().Where(k => k.IgnoresQuietHours()), Is.EqualTo(new[] { NoticeKind.Emergency }));
            Assert.That(Enum.GetValues<NoticeKind>().Where(k => k.NeedsAcknowledgement()), Is.EqualTo(new[] { NoticeKind.Convention }));
            Assert.That(Enum.GetValues<NoticeKind>().Select(k => k.Label().Length), Is.All.InRange(2, 5));
        });
    }
}
