using Linli.Api.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace Linli.Api.Tests.Wechat;

/// <summary>WeChat and subscribe-message settings that could only fail later are refused at start-up.</summary>
public class WechatSettingsValidationTests
{
    internal static IReadOnlyList<string> Problems(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Main"] = "Server=db;Database=linli",
            ["Jwt:SigningKey"] = "a-signing-key-long-enough-for-the-check-0123456789",
            ["FieldProtection:CurrentKeyId"] = "k1",
            ["FieldProtection:Keys:k1"] = "a2V5",
            ["FieldProtection:HashKey"] = "aGFzaA==",
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        return StartupValidation.Problems(new ConfigurationBuilder().AddInMemoryCollection(all).Build(),
            new HostingEnvironment { EnvironmentName = "Testing" });
    }

    [TestCase("300", true)]
    [TestCase("0", true)]
    [TestCase("301", false)]
    [TestCase("600", false)]
    [TestCase("-1", false)]
    public void TheTokenIsRefreshedAheadOnlyWithinWechatsFiveMinuteWindow(string seconds, bool accepted)
    {
        var problems = Problems(("Wechat:AccessTokenRefreshAheadSeconds", seconds));
        if (accepted)
            Assert.That(problems, Is.Empty);
        else
            Assert.That(problems, Has.One.Contains("Wechat:AccessTokenRefreshAheadSeconds must be 0–300"));
    }

    private static (string, string?)[] Template(params (string Keyword, string Value)[] keywords) =>
        [("Notifications:Templates:ticket_dispatched:Id", "tpl-1"), .. keywords.Select(k => ($"Notifications:Templates:ticket_dispatched:Keywords:{k.Keyword}", (string?)k.Value))];

    [Test]
    public void ATemplateWhoseKeywordsFitItsValuesIsAccepted() =>
        Assert.That(Problems(Template(("character_string1", "ticket_number"), ("thing2", "category"), ("phrase3", "status"), ("thing4", "text"), ("time5", "time"))), Is.Empty);

    [Test]
    public void ATemplateWithAnotherLayoutIsAcceptedWhenEachKeywordFits() =>
        Assert.That(Problems(Template(("thing1", "ticket_number"), ("date3", "time"), ("thing7", "status"))), Is.Empty);

    [Test]
    public void AKeywordOfTheWrongTypeIsRefusedByName()
    {
        var problems = Problems(Template(("character_string1", "ticket_number"), ("thing2", "time")));
        Assert.That(problems, Has.One.Contains("Notifications:Templates:ticket_dispatched:Keywords:thing2 is a thing keyword; 'time' only fills time or date keywords"));
    }

    [Test]
    public void AKeywordTypeLinliCannotFillIsRefusedByName() =>
        Assert.That(Problems(Template(("amount3", "ticket_number"))), Has.One.Contains("Keywords:amount3: Linli cannot fill a keyword of this type"));

    [Test]
    public void AnUnknownValueIsRefusedByName() =>
        Assert.That(Problems(Template(("thing2", "address"))), Has.One.Contains("Keywords:thing2: 'address' is not a notice value"));

    [Test]
    public void TheOldBareTemplateIdIsRefusedWithTheNewShape() =>
        Assert.That(Problems(("Notifications:Templates:ticket_dispatched", "tpl-1")),
            Has.One.Contains("set Notifications:Templates:ticket_dispatched:Id and Notifications:Templates:ticket_dispatched:Keywords"));

    [Test]
    public void ATemplateWithoutKeywordsIsRefused() =>
        Assert.That(Problems(("Notifications:Templates:ticket_dispatched:Id", "tpl-1")), Has.One.Contains("names no keyword"));
}
