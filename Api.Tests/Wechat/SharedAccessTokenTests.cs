using Linli.Api.Tests.Support;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Wechat;

public class SharedAccessTokenTests
{
    [Test]
    public async Task TwoInstancesRefreshingAtTheSameMomentMakeOneUpstreamTokenCall()
    {
        var appId = TestData.Unique("wx");
        await using var server = await FakeWechatServer.StartAsync(appId);
        // A slow WeChat keeps the first refresh in flight while the other instance asks too.
        server.TokenDelay = TimeSpan.FromMilliseconds(500);
        var settings = new Dictionary<string, string?>
        {
            ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = appId, ["Wechat:AppSecret"] = FakeWechatServer.AppSecret,
            ["Wechat:BaseAddress"] = server.BaseAddress.ToString(),
        };
        await using var first = new LinliFactory(settings);
        await using var second = new LinliFactory(settings);
        var clients = new[] { first, second }.Select(f => f.Services.GetRequiredService<IWechatClient>()).ToList();
        Assert.That(clients, Has.All.InstanceOf<LiveWechatClient>());

        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await clients[i % 2].PhoneAsync($"phone-{i}");
        })).ToList();
        start.Set();
        var phones = await Task.WhenAll(calls);

        Assert.Multiple(() =>
        {
            Assert.That(phones, Has.All.EqualTo(FakeWechatServer.PhoneNumber));
            Assert.That(server.Calls("stable_token"), Is.EqualTo(1));
        });
    }
}
