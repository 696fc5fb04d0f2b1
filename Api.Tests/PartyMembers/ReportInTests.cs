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
    public void AReportInIsTrimmedAndItsSkillsDeduplicated()
    {
        var value = ReportIn.From(" 李明 ", " 第一党支部 ", false, "+86 138-1234-5678", ["repairs", "repairs", "tutoring"], null);

        Assert.Multiple(() =>
        {
            Assert.That(value.Name, Is.EqualTo("李明"));
            Assert.That(value.Organisation, Is.EqualTo("第一党支部"));
            Assert.That(value.Phone, Is.EqualTo("13812345678"));
            Assert.That(value.Skills, Is.EqualTo(new[] { "repairs", "tutoring" }));
            Assert.That(value.ShowBadge, Is.False, "the badge shows only with consent");
        });
    }

    [TestCase("13812345678")]
    [TestCase("138 1234 5678")]
    [TestCase("+86 138-1234-5678")]
    [TestCase("8613812345678")]
    [TestCase("12812345678")]
    [TestCase("1381234567")]
    [TestCase("1381234567x")]
    [TestCase("")]
    public void TheSchemaPatternAcceptsExactlyWhatNormaliseAccepts(string input) =>
        Assert.That(System.Text.RegularExpressions.Regex.IsMatch(input, $"^(?:{MobileNumber.Pattern})$"), Is.EqualTo(MobileNumber.Normalise(input) is not null));
}
