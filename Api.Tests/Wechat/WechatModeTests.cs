using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Linli.Api.Tests.Wechat;

public class WechatModeTests
{
    private sealed class Env(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Api";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    [TestCase("Development", WechatMode.Simulated)]
    [TestCase("Testing", WechatMode.Simulated)]
    [TestCase("Production", WechatMode.Live)]
    [TestCase("Staging", WechatMode.Live)]
    public void AnUnsetModeFollowsTheEnvironment(string environment, WechatMode expected) =>
        Assert.That(WechatServiceCollectionExtensions.ResolveMode(new WechatOptions(), new Env(environment)), Is.EqualTo(expected));

    [Test]
    public void ProductionRefusesSimulatedUnlessExplicitlyAllowed()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            WechatServiceCollectionExtensions.ResolveMode(new WechatOptions { Mode = WechatMode.Simulated }, new Env("Production")))!;
        Assert.That(e.Message, Does.Contain("AllowSimulatedInProduction"));
        Assert.That(WechatServiceCollectionExtensions.ResolveMode(
            new WechatOptions { Mode = WechatMode.Simulated, AllowSimulatedInProduction = true }, new Env("Production")), Is.EqualTo(WechatMode.Simulated));
    }
}
