using Linli.Api.Auth;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Api.Tests.Wechat;

/// <summary>
/// stable_token as WeChat documents it: normal mode shares one token among everyone holding the AppID; a forced
/// refresh invalidates it for all of them and is rationed (20 a day, 30 s apart).
/// </summary>
public class StableTokenTests
{
    [Test]
    public async Task TwoDeploymentsSharingAnAppIdNeverForceEachOthersToken()
    {
        var appId = TestData.Unique("wx");
        await using var wechat = await FakeWechatServer.StartAsync(appId);
        await using var stagingDatabase = await ThrowawayDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = appId, ["Wechat:AppSecret"] = FakeWechatServer.AppSecret,
            ["Wechat:BaseAddress"] = wechat.BaseAddress.ToString(), ["Wechat:BusyRetryDelayMilliseconds"] = "1",
        };
        // Production and staging share the AppID, not a database: neither knows the other's token; staging keeps its
        // token to the last second. Twice WeChat drops the current token (someone forced a refresh in the console):
        // each deployment meets one rejection, asks normal mode and gets the new shared token. A deployment that
        // forced instead would kill the other's token, which would force in turn, and so on until the quota is gone.
        await using var production = new LinliFactory(settings);
        await using var staging = new LinliFactory(new Dictionary<string, string?>(settings.Concat(stagingDatabase.Settings))
        {
            ["Wechat:AccessTokenRefreshAheadSeconds"] = "0",
        });
        production.Clock.SetUtcNow(staging.Clock.GetUtcNow());
        wechat.Clock = production.Clock;
        var deployments = new[] { production, staging }.Select(f => f.Services.GetRequiredService<IWechatClient>()).ToList();

        var answered = 0;
        // Three token lifetimes, both deployments calling every 30 s.
        for (var step = 0; step < 3 * 7200 / 30; step++)
        {
            if (step is 100 or 400)
                wechat.ExpireAllTokens();
            foreach (var deployment in deployments)
            {
                Assert.That(await deployment.PhoneAsync($"phone-{step}"), Is.EqualTo(FakeWechatServer.PhoneNumber));
                answered++;
            }
            production.Clock.Advance(TimeSpan.FromSeconds(30));
            staging.Clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Multiple(() =>
        {
            Assert.That(wechat.Calls("getuserphonenumber") - answered, Is.EqualTo(2 * 2), "one rejection per deployment per drop, no more");
            Assert.That(wechat.ForceRefreshFlags, Has.None.True, "nobody forced");
            Assert.That(wechat.TokensIssued, Is.LessThanOrEqualTo(6), "about one token per lifetime and per drop, shared by both");
        });
    }

    [Test]
    public async Task AForcedRefreshIsLoggedAndKeepsWechatsSpacing()
    {
        await using var wechat = await FakeWechatServer.StartAsync(TestData.Unique("wx"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        wechat.Clock = clock;
        var capture = new CapturingLoggerProvider();
        using var logs = LoggerFactory.Create(l => l.AddProvider(capture));
        var client = LiveClients.Create(wechat, clock: clock, logs: logs);
        await client.PhoneAsync("phone-1");

        wechat.RefuseCurrentToken();
        Assert.That(await client.PhoneAsync("phone-2"), Is.EqualTo(FakeWechatServer.PhoneNumber));
        Assert.That(capture.Lines, Has.One.Contains("Forcing a new WeChat access token"));

        wechat.RefuseCurrentToken();
        clock.Advance(TimeSpan.FromSeconds(10));
        var refused = Assert.ThrowsAsync<WechatException>(() => client.PhoneAsync("phone-3"))!;
        Assert.Multiple(() =>
        {
            Assert.That(WechatExceptionHandler.StatusFor(refused).Status, Is.EqualTo(502));
            Assert.That(wechat.ForceRefreshFlags.Count(forced => forced), Is.EqualTo(1), "not asked within 30 s of the last");
        });

        clock.Advance(TimeSpan.FromSeconds(21));
        Assert.That(await client.PhoneAsync("phone-4"), Is.EqualTo(FakeWechatServer.PhoneNumber));
        Assert.That(wechat.ForceRefreshFlags.Count(forced => forced), Is.EqualTo(2));
    }

    [Test]
    public async Task NoMoreThanTwentyForcedRefreshesAChinaDay()
    {
        await using var wechat = await FakeWechatServer.StartAsync(TestData.Unique("wx"));
        // 09:00 in China: the 21 attempts below stay within one China day.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
        wechat.Clock = clock;
        var client = LiveClients.Create(wechat, clock: clock);
        await client.PhoneAsync("phone-0");
        for (var i = 1; i <= 20; i++)
        {
            wechat.RefuseCurrentToken();
            clock.Advance(TimeSpan.FromSeconds(31));
            Assert.That(await client.PhoneAsync($"phone-{i}"), Is.EqualTo(FakeWechatServer.PhoneNumber));
        }

        wechat.RefuseCurrentToken();
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.ThrowsAsync<WechatException>(() => client.PhoneAsync("phone-21"));
        Assert.That(wechat.ForceRefreshFlags.Count(forced => forced), Is.EqualTo(20), "the 21st is not even asked for");

        clock.Advance(TimeSpan.FromDays(1));
        await client.PhoneAsync("phone-22");
        wechat.RefuseCurrentToken();
        Assert.That(await client.PhoneAsync("phone-23"), Is.EqualTo(FakeWechatServer.PhoneNumber));
        Assert.That(wechat.ForceRefreshFlags.Count(forced => forced), Is.EqualTo(21), "a new day, a new allowance");
    }
}
