using Linli.Domain.PartyMembers;

namespace Linli.Api.Tests.PartyMembers;

public class ReportInTests
{
    [TestCase("13812345678", "13812345678")]
    [TestCase("138 1234 5678", "13812345678")]
    [TestCase("+86 138-1234-5678", "13812345678")]
    [TestCase("8613812345678", "13812345678")]
    [TestCase("12812345678", null)]
    [TestCase("1381234567", null)]
    [TestCase("1381234567x", null)]
    [TestCase("", null)]
    public void MobileNumbersAreNormalisedOrRejected(string input, string? expected) =>
        Assert.That(MobileNumber.Normalise(input), Is.EqualTo(expected));

    [Test]
    public void AValidReportInIsTrimmedAndItsSkillsDeduplicated()
    {
        var (value, errors) = ReportIn.Validate(" 李明 ", " 第一党支部 ", false, "13812345678", ["repairs", "repairs", "tutoring"], null);

        Assert.That(errors, Is.Empty);
        Assert.That(value, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(value!.Name, Is.EqualTo("李明"));
            Assert.That(value.Organisation, Is.EqualTo("第一党支部"));
            Assert.That(value.Skills, Is.EqualTo(new[] { "repairs", "tutoring" }));
            Assert.That(value.ShowBadge, Is.False, "the badge shows only with consent");
        });
    }

    [Test]
    public void EveryWrongFieldIsNamed()
    {
        var (value, errors) = ReportIn.Validate(new string('名', 33), "", null, "110", ["cooking"], true);

        Assert.That(value, Is.Null);
        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "name", "organisation", "isFloating", "phone", "skills" }));
    }
}
