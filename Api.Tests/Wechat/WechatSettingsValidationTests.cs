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
}
