using Linli.Domain.Houses;

namespace Linli.Api.Tests.Domain.Houses;

public class HouseCodeTests
{
    [Test]
    public void HundredThousandCodesAreUniqueAndUseOnlyUnambiguousCharacters()
    {
        var codes = Enumerable.Range(0, 100_000).Select(_ => HouseCode.New()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(codes.Distinct(StringComparer.Ordinal).Count(), Is.EqualTo(codes.Count));
            Assert.That(codes.All(c => c.Length is >= 8 and <= 10), Is.True, "8–10 characters");
            Assert.That(codes.All(c => c.Length <= 32), Is.True, "fits WeChat's scene");
            Assert.That(codes.SelectMany(c => c).Distinct().Where(ch => !HouseCode.Alphabet.Contains(ch)), Is.Empty);
            Assert.That(HouseCode.Alphabet.Intersect("0O1IL"), Is.Empty);
        });
    }

    [Test]
    public void EveryCharacterOfTheAlphabetTurnsUpInEveryPosition()
    {
        // A generator stuck on a subset (or derived from a counter) would leave some position/character pairs empty.
        var codes = Enumerable.Range(0, 100_000).Select(_ => HouseCode.New()).ToList();
        for (var position = 0; position < HouseCode.Length; position++)
        {
            var seen = codes.Select(c => c[position]).Distinct().Count();
            Assert.That(seen, Is.EqualTo(HouseCode.Alphabet.Length), $"position {position}");
        }
    }

    [Test]
    public void ConsecutiveCodesShareNoPrefix()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => HouseCode.New()).ToList();
        var sharedPrefixes = codes.Zip(codes.Skip(1)).Count(p => p.First[..4] == p.Second[..4]);
        Assert.That(sharedPrefixes, Is.LessThan(3), "codes made one after another must not look alike");
    }

    [TestCase(" ab23cd45ef ", "AB23CD45EF")]
    [TestCase("AB23CD45", "AB23CD45")]
    public void TypedCodesAreNormalised(string typed, string expected) =>
        Assert.That(HouseCode.Normalise(typed), Is.EqualTo(expected));

    [TestCase("AB23CD4")]
    [TestCase("AB23CD45EF2")]
    [TestCase("AB23CD45E0")]
    [TestCase("AB23CD45EI")]
    [TestCase("AB23CD45EL")]
    [TestCase("AB23CD45E-")]
    public void MalformedCodesAreRejected(string typed) =>
        Assert.That(HouseCode.Normalise(typed), Is.Null);
}
