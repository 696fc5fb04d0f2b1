using Linli.Domain.People;

namespace Linli.Api.Tests.Domain;

public class MaskingTests
{
    [TestCase("13812345678", "138****5678")]
    [TestCase("087165123456", "**********56")]
    [TestCase("85291234567", "*********67")]
    [TestCase("1234567", "*****67")]
    [TestCase("123", "***")]
    public void AMainlandMobileShowsItsPrefixAndLastFourAndAnyOtherPhoneAtMostTwoDigits(string phone, string expected) =>
        Assert.That(Masking.Phone(phone), Is.EqualTo(expected));

    [TestCase(DocumentType.MainlandIdCard, "53010219900101123X", "53**************3X")]
    [TestCase(DocumentType.Passport, "E12345678", "E*******8")]
    [TestCase(DocumentType.HongKongMacauPermit, "H1234567890", "H*********0")]
    [TestCase(DocumentType.TaiwanPermit, "12345678", "1******8")]
    [TestCase(DocumentType.Passport, "AB1", "***")]
    public void AnIdentityNumberShowsAtMostTwoCharactersAtEachEndOfAMainlandCardAndOneOfAnyOtherDocument(
        DocumentType type, string number, string expected) =>
        Assert.That(Masking.IdentityNumber(type, number), Is.EqualTo(expected));

    [Test]
    public void NoMaskOfAMainlandCardShowsAnyDigitOfItsAreaBeyondTheProvinceOrOfItsBirthDate()
    {
        var masked = Masking.IdentityNumber(DocumentType.MainlandIdCard, "530102199001011234");
        Assert.That(masked[2..16], Is.EqualTo(new string('*', 14)));
    }
}
