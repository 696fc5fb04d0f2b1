using Linli.Infrastructure.Notifications;

namespace Linli.Api.Tests.Notifications;

/// <summary>WeChat's value rules, applied where the outbox row is written (subscribeMessage.send, 订阅消息参数值内容限制说明).</summary>
public class SubscribeValueRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 5, 0, TimeSpan.Zero);

    private static string Thing(string? value) => SubscribeValueRules.Fit(SubscribeValueRules.Thing, value, Now);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("    ")]
    [TestCase("\r\n\t")]
    public void AThingWithNothingToShowGetsAFallbackNotAnEmptyValue(string? value) =>
        Assert.That(Thing(value), Is.EqualTo("无"));

    [Test]
    public void LineBreaksAndControlCharactersBecomeSingleSpaces() =>
        Assert.That(Thing("路灯\r\n不亮\n\n\t了\u0007"), Is.EqualTo("路灯 不亮 了"));

    [Test]
    public void ALongThingIsCutWithoutSplittingAnEmoji()
    {
        var note = new string('灯', 18) + "👍" + new string('亮', 10); // the emoji's two halves straddle the 19th unit
        var fitted = Thing(note);
        Assert.Multiple(() =>
        {
            Assert.That(fitted.Length, Is.LessThanOrEqualTo(20));
            Assert.That(fitted, Does.EndWith("…"));
            Assert.That(fitted.Any(char.IsSurrogate), Is.False, "no half of the emoji is left");
            Assert.That(SubscribeValueRules.Problem(SubscribeValueRules.Thing, fitted), Is.Null);
        });
    }

    [Test]
    public void AThingOfTwentyCharactersIsKeptWhole() =>
        Assert.That(Thing(new string('灯', 20)), Is.EqualTo(new string('灯', 20)));

    [TestCase("已派单", "已派单")]
    [TestCase("办理中（加急）", "办理中加急")]
    [TestCase("", "无")]
    public void APhraseIsAtMostFiveChineseCharacters(string value, string expected) =>
        Assert.That(SubscribeValueRules.Fit(SubscribeValueRules.Phrase, value, Now), Is.EqualTo(expected));

    [Test]
    public void ACharacterStringKeepsLettersDigitsAndSymbolsUpToThirtyTwo()
    {
        Assert.That(SubscribeValueRules.Fit(SubscribeValueRules.CharacterString, "LL-20261122-0042", Now), Is.EqualTo("LL-20261122-0042"));
        Assert.That(SubscribeValueRules.Fit(SubscribeValueRules.CharacterString, new string('A', 40), Now), Has.Length.EqualTo(32));
    }

    [Test]
    public void TimesAreWrittenInChinaTimeAsTheDocumentationShowsThem()
    {
        Assert.That(SubscribeValueRules.Fit(SubscribeValueRules.Time, "2026-03-02T01:05:00.0000000+00:00", Now), Is.EqualTo("2026年3月2日 09:05"));
        Assert.That(SubscribeValueRules.Fit(SubscribeValueRules.Date, "2026-03-02T17:00:00Z", Now), Is.EqualTo("2026年3月3日"));
        Assert.That(SubscribeValueRules.Fit(SubscribeValueRules.Time, "2026-03-02 09:05", Now), Is.EqualTo("2026年3月2日 09:05"), "rows written before the change");
    }

    [Test]
    public void FittingTwiceChangesNothing()
    {
        foreach (var (type, value) in new[] { ("thing", new string('灯', 30)), ("phrase", "已派单"), ("time", "2026-03-02T01:05:00Z"), ("character_string", "LL-1") })
        {
            var once = SubscribeValueRules.Fit(type, value, Now);
            Assert.That(SubscribeValueRules.Fit(type, once, Now), Is.EqualTo(once), type);
        }
    }
}
