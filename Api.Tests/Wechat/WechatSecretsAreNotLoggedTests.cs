using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Linli.Api.Auth;
using Linli.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Linli.Api.Tests.Wechat;

public class WechatSecretsAreNotLoggedTests
{
    [Test]
    public async Task NeitherTheAppSecretNorCodesTokensOrTheSessionKeyReachTheLogs()
    {
        var appId = TestData.Unique("wx");
        await using var server = await FakeWechatServer.StartAsync(appId);
        var capture = new CapturingLoggerProvider();
        await using var live = new LinliFactory(new Dictionary<string, string?>
        {
            ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = appId, ["Wechat:AppSecret"] = FakeWechatServer.AppSecret,
            ["Wechat:BaseAddress"] = server.BaseAddress.ToString(),
        });
        await using var factory = live.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(capture).SetMinimumLevel(LogLevel.Trace)));
        using var client = factory.CreateClient();

        var loginCode = "code-" + Guid.NewGuid().ToString("N");
        var login = await client.PostAsJsonAsync("/api/v1/auth/wechat-login", new { code = loginCode });
        var session = (await login.Content.ReadFromJsonAsync<SessionDto>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        var phoneCode = "phone-" + Guid.NewGuid().ToString("N");
        Assert.That((await client.PostAsJsonAsync("/api/v1/me/phone", new { code = phoneCode })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        server.ExpireAllTokens(); // a rejected token is replaced: the refresh path logs too
        Assert.That((await client.PostAsJsonAsync("/api/v1/me/phone", new { code = phoneCode })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        server.Script("jscode2session", 40029);
        var usedCode = "code-" + Guid.NewGuid().ToString("N");
        await client.PostAsJsonAsync("/api/v1/auth/wechat-login", new { code = usedCode });
        await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = session.RefreshToken });

        var logs = string.Join("\n", capture.Lines);
        Assert.Multiple(() =>
        {
            Assert.That(logs, Does.Contain("WeChat"), "the WeChat calls were logged at all");
            Assert.That(logs, Does.Not.Contain(FakeWechatServer.AppSecret));
            Assert.That(logs, Does.Not.Contain(FakeWechatServer.SessionKey));
            Assert.That(logs, Does.Not.Contain("fake-token-"), "WeChat access tokens");
            Assert.That(logs, Does.Not.Contain(loginCode));
            Assert.That(logs, Does.Not.Contain(usedCode));
            Assert.That(logs, Does.Not.Contain(phoneCode));
            Assert.That(logs, Does.Not.Contain(FakeWechatServer.PhoneNumber));
            Assert.That(logs, Does.Not.Contain(session.RefreshToken));
            Assert.That(logs, Does.Not.Contain(session.AccessToken));
        });
    }
}
