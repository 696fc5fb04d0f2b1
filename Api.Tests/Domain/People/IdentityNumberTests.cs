using Linli.Domain.People;

namespace Linli.Api.Tests.Domain.People;

public class IdentityNumberTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [TestCase("11010519491231002X")]
    [TestCase("530102199001011231")]
    [TestCase("530112200002290015")]
    [TestCase("440304198506153216")]
    public void ValidNumbersPass(string number) =>
        Assert.That(IdentityNumber.Problem(number, Today), Is.Null);

    [TestCase("110105194912310021")]
    [TestCase("530102199001011232")]
    [TestCase("53010219900101123X")]
    public void AWrongCheckDigitIsNamed(string number) =>
        Assert.That(IdentityNumber.Problem(number, Today), Does.Contain("check digit"));

    [Test]
    public void XIsTheCheckCharacterWhenTheSumLeavesTen()
    {
        Assert.Multiple(() =>
        {
            Assert.That(IdentityNumber.CheckCharacter("11010519491231002"), Is.EqualTo('X'));
            Assert.That(IdentityNumber.Problem("11010519491231002X", Today), Is.Null);
            Assert.That(IdentityNumber.Problem("110105194912310020", Today), Does.Contain("check digit"));
        });
    }

    [Test]
    public void ALowerCaseXIsAcceptedOnceNormalised() =>
        Assert.That(IdentityDocument.Problem(DocumentType.MainlandIdCard, IdentityDocument.Normalise("11010519491231002x"), Today), Is.Null);

    [TestCase("11010519491231002")]
    [TestCase("11010519491231002XX")]
    [TestCase("")]
    [TestCase("110105491231002")]
    public void WrongLengthIsRejected(string number) =>
        Assert.That(IdentityNumber.Problem(number, Today), Does.Contain("18 characters"));

    [TestCase("53010220010229001X", Description = "29 February of a year that is not a leap year")]
    [TestCase("530102199013011238", Description = "month 13")]
    [TestCase("530102203001011235", Description = "born in the future")]
    [TestCase("530102180001011230", Description = "before 1900")]
    public void AnImpossibleBirthDateIsRejected(string number)
    {
        // Give each case its correct check digit, so only the birth date is wrong.
        var withCheck = number[..17] + IdentityNumber.CheckCharacter(number.AsSpan(0, 17));
        Assert.That(IdentityNumber.Problem(withCheck, Today), Does.Contain("birth date"));
    }

    [TestCase("5301021990010112A1")]
    [TestCase("53010219900101123Y")]
    public void LettersOtherThanAFinalXAreRejected(string number) =>
        Assert.That(IdentityNumber.Problem(number, Today), Is.Not.Null);

    [TestCase(DocumentType.Passport, "E12345678", true)]
    [TestCase(DocumentType.Passport, "E1", false)]
    [TestCase(DocumentType.HongKongMacauPermit, "H12345678", true)]
    [TestCase(DocumentType.HongKongMacauPermit, "M1234567890", true)]
    [TestCase(DocumentType.HongKongMacauPermit, "X12345678", false)]
    [TestCase(DocumentType.TaiwanPermit, "12345678", true)]
    [TestCase(DocumentType.TaiwanPermit, "1234567", false)]
    public void OtherDocumentsAreCheckedForTheirShape(DocumentType type, string number, bool valid) =>
        Assert.That(IdentityDocument.Problem(type, number, Today), valid ? Is.Null : Is.Not.Null);

    [TestCase("+86 138-1234-5678", "13812345678")]
    [TestCase("138 1234 5678", "13812345678")]
    [TestCase("0871-63123456", "087163123456")]
    public void PhonesAreNormalisedToDigits(string typed, string expected) =>
        Assert.That(PhoneNumber.Normalise(typed), Is.EqualTo(expected));
}
