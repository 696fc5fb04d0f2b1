using Linli.Domain.People;

namespace Linli.Api.Tests.Domain;

public class MaskingTests
{
    [TestCase("13812345678", "138****5678")]
    [TestCase("1234567", "*******")]
    public void PhoneShowsOnlyPrefixAndLastFour(string phone, string expected) =>
        Assert.That(Masking.Phone(phone), Is.EqualTo(expected));

    [TestCase("53010219900101123X", "530102********123X")]
    [TestCase("E12345678", "*******78")]
    public void IdentityNumberHidesTheBirthDate(string number, string expected) =>
        Assert.That(Masking.IdentityNumber(number), Is.EqualTo(expected));
}
