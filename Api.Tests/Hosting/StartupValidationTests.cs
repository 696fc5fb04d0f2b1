using Linli.Api.Hosting;
using Linli.Api.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Linli.Api.Tests.Hosting;

public class StartupValidationTests
{
    private static readonly string SecretFieldKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string SecretHashKey = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    private static Dictionary<string, string?> SafeProduction() => new()
    {
        ["ConnectionStrings:Main"] = "Server=db;Database=linli;User ID=linli;Password=x;SslMode=VerifyFull",
        ["Jwt:SigningKey"] = "a-real-secret-that-nobody-has-seen-0123456789",
        ["FieldProtection:CurrentKeyId"] = "k1",
        ["FieldProtection:Keys:k1"] = SecretFieldKey,
        ["FieldProtection:HashKey"] = SecretHashKey,
        ["Wechat:Mode"] = "Live",
        ["Wechat:AppId"] = "wx0123456789",
        ["Wechat:AppSecret"] = "app-secret",
    };

    private static IReadOnlyList<string> Check(Dictionary<string, string?> settings, string environment = "Production") =>
        StartupValidation.Problems(
            new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
            new HostingEnvironment { EnvironmentName = environment });

    [Test]
    public void SafeProductionSettingsPass()
    {
        Assert.That(Check(SafeProduction()), Is.Empty);
    }

    [Test]
    public void ProductionRefusesSimulatedWechatUnlessExplicitlyAllowed()
    {
        var settings = SafeProduction();
        settings["Wechat:Mode"] = "Simulated";
        Assert.That(Check(settings), Has.One.Contains("Wechat:AllowSimulatedInProduction"));
        settings["Wechat:AllowSimulatedInProduction"] = "true";
        Assert.That(Check(settings), Is.Empty);
    }

    [Test]
    public void LiveWechatNeedsItsCredentials()
    {
        var settings = SafeProduction();
        settings.Remove("Wechat:AppSecret");
        Assert.That(Check(settings), Has.One.Contains("Wechat:AppSecret"));
    }

    [Test]
    public void ShortSigningKeyIsRefusedEverywhere()
    {
        var settings = SafeProduction();
        settings["Jwt:SigningKey"] = "too-short";
        Assert.That(Check(settings, "Development"), Has.One.Contains("Jwt:SigningKey must be at least 32 bytes"));
    }

    [Test]
    public void DevelopmentKeysAreFineOutsideProduction()
    {
        var settings = SafeProduction();
        settings["Jwt:SigningKey"] = LinliFactory.TestSigningKey;
        settings["Wechat:Mode"] = "Simulated";
        Assert.That(Check(settings, "Development"), Is.Empty);
    }

    [TestCase("Staging")]
    [TestCase("Production")]
    [TestCase("Demo")]
    public void EveryEnvironmentButDevelopmentAndTestingRefusesTheRepositorysKeysAndSimulatedWechat(string environment)
    {
        var settings = SafeProduction();
        settings["Jwt:SigningKey"] = LinliFactory.TestSigningKey;
        settings["FieldProtection:HashKey"] = Convert.ToBase64String("test-only-hash-key-32-bytes-ok!!"u8.ToArray());
        settings["Wechat:Mode"] = "Simulated";

        var problems = Check(settings, environment);

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.One.Contains("Jwt:SigningKey is a development or test key"));
            Assert.That(problems, Has.One.Contains("FieldProtection keys include a development or test key"));
            Assert.That(problems, Has.One.Contains("Wechat:Mode is Simulated"));
            Assert.That(Check(settings, "Testing"), Is.Empty);
        });
    }

    [Test]
    public void ForwardedHeadersTrustOnlyWellFormedProxiesAndNetworks()
    {
        var settings = SafeProduction();
        settings["Http:TrustedProxies:0"] = "10.0.0.1";
        settings["Http:TrustedNetworks:0"] = "172.16.0.0/12";
        Assert.That(Check(settings), Is.Empty);
        settings["Http:TrustedNetworks:1"] = "everyone";
        Assert.That(Check(settings), Has.One.Contains("Http:TrustedNetworks"));
    }
}
