using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Api.Tests.Wechat;

/// <summary>The Live client end to end against <see cref="FakeWechatServer"/>; the access token is kept in the test database.</summary>
public class LiveWechatClientTests
{
    private FakeWechatServer _server = null!;
    private string _appId = null!;

    [SetUp]
    public async Task StartFakeWechat()
    {
        _appId = TestData.Unique("wx");
        _server = await FakeWechatServer.StartAsync(_appId);
    }

    [TearDown]
    public async Task StopFakeWechat() => await _server.DisposeAsync();

    private LiveWechatClient Client(Action<WechatOptions>? configure = null, TimeProvider? clock = null, Uri? baseAddress = null) =>
        LiveClients.Create(_server, configure, clock, baseAddress);

    private static int StatusOf(WechatException e) => WechatExceptionHandler.StatusFor(e).Status;

    [Test]
    public async Task Code2SessionGivesTheOpenIdAndKeepsTheSessionKeyServerSide()
    {
        var session = await Client().Code2SessionAsync("code-alice", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(session.OpenId, Is.EqualTo("o-alice"));
            Assert.That(session.SessionKey, Is.EqualTo(FakeWechatServer.SessionKey));
        });
    }

    [TestCase(WechatErrors.InvalidCode, 401)]
    [TestCase(WechatErrors.CodeUsed, 401)]
    [TestCase(WechatErrors.HighRiskUser, 403)]
    [TestCase(WechatErrors.TooFrequent, 429)]
    [TestCase(40013, 502)]
    public void EachErrcodeBecomesItsStatus(int errCode, int status)
    {
        _server.Script("jscode2session", errCode);
        var e = Assert.ThrowsAsync<WechatException>(() => Client().Code2SessionAsync("code-bob", CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ErrCode, Is.EqualTo(errCode));
            Assert.That(StatusOf(e), Is.EqualTo(status));
            Assert.That(_server.Calls("jscode2session"), Is.EqualTo(1), "only -1 and token errors are retried");
        });
    }

    [Test]
    public async Task ACodeUsedTwiceIsRejectedAs401()
    {
        var client = Client();
        await client.Code2SessionAsync("code-carol", CancellationToken.None);
        var e = Assert.ThrowsAsync<WechatException>(() => client.Code2SessionAsync("code-carol", CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ErrCode, Is.EqualTo(WechatErrors.CodeUsed));
            Assert.That(StatusOf(e), Is.EqualTo(401));
        });
    }

    [Test]
    public async Task SystemBusyIsRetriedWithBackoff()
    {
        _server.Script("msg_sec_check", -1, -1);
        var result = await Client().CheckTextAsync("o-dave", "你好", 2, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Suggestion, Is.EqualTo(ContentSuggestion.Pass));
            Assert.That(_server.Calls("msg_sec_check"), Is.EqualTo(3));
        });
    }

    [Test]
    public void SystemBusyThatLastsBeyondTheRetriesIsA503()
    {
        _server.Script("msg_sec_check", -1, -1, -1);
        var e = Assert.ThrowsAsync<WechatException>(() => Client(o => o.BusyRetries = 2).CheckTextAsync("o-erin", "你好", 2, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ErrCode, Is.EqualTo(-1));
            Assert.That(StatusOf(e), Is.EqualTo(503));
            Assert.That(_server.Calls("msg_sec_check"), Is.EqualTo(3));
        });
    }

    [Test]
    public void ABusyLoginIsNotRetriedWithTheSameSingleUseCode()
    {
        _server.Script("jscode2session", -1);
        var e = Assert.ThrowsAsync<WechatException>(() => Client().Code2SessionAsync("code-erin", CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(StatusOf(e), Is.EqualTo(503), "try again with a new code, not signed out");
            Assert.That(e.Message, Does.Contain("new code"));
            Assert.That(_server.Calls("jscode2session"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ABusyPhoneCodeIsNotRetriedWithTheSameSingleUseCode()
    {
        var client = Client();
        await client.PhoneAsync("phone-0");
        _server.Script("getuserphonenumber", -1);
        var e = Assert.ThrowsAsync<WechatException>(() => client.PhoneAsync("phone-1"))!;
        Assert.Multiple(() =>
        {
            Assert.That(StatusOf(e), Is.EqualTo(503));
            Assert.That(_server.Calls("getuserphonenumber"), Is.EqualTo(2), "one call for phone-0, one for phone-1");
        });
    }

    [Test]
    public async Task TheAccessTokenIsFetchedOnceAndReused()
    {
        var client = Client();
        await client.PhoneAsync("phone-1");
        await client.CheckTextAsync("o-x", "你好", 2, CancellationToken.None);
        await Client().GetUnlimitedQrCodeAsync("h=1", "pages/index/index", CancellationToken.None); // a second instance: from the database
        Assert.That(_server.Calls("stable_token"), Is.EqualTo(1));
    }

    [TestCase(WechatErrors.InvalidAccessToken)]
    [TestCase(WechatErrors.IllegalAccessToken)]
    [TestCase(WechatErrors.ExpiredAccessToken)]
    public async Task ARejectedTokenThatNormalModeStillReturnsIsForcedOnceAndTheCallRepeated(int errCode)
    {
        var client = Client();
        await client.PhoneAsync("phone-1");
        _server.Script("getuserphonenumber", errCode);
        var phone = await client.PhoneAsync("phone-2");
        Assert.Multiple(() =>
        {
            Assert.That(phone, Is.EqualTo(FakeWechatServer.PhoneNumber));
            Assert.That(_server.ForceRefreshFlags, Is.EqualTo(new[] { false, false, true }), "normal mode first; forced only because it gave the rejected token back");
        });
    }

    [TestCase(WechatErrors.InvalidAccessToken)]
    [TestCase(WechatErrors.IllegalAccessToken)]
    public async Task ATokenWechatDroppedIsReplacedInNormalModeAndNotKept(int errCode)
    {
        _server.InvalidTokenErrCode = errCode;
        var client = Client();
        await client.PhoneAsync("phone-1");
        _server.ExpireAllTokens();
        Assert.That(await client.PhoneAsync("phone-2"), Is.EqualTo(FakeWechatServer.PhoneNumber));
        Assert.That(await client.PhoneAsync("phone-3"), Is.EqualTo(FakeWechatServer.PhoneNumber));
        Assert.Multiple(() =>
        {
            Assert.That(_server.ForceRefreshFlags, Is.EqualTo(new[] { false, false }), "never forced");
            Assert.That(_server.Calls("getuserphonenumber"), Is.EqualTo(4), "one rejection, then the new token is kept");
        });
    }

    [Test]
    public async Task ATokenRejectedAgainAfterReplacementIsA502()
    {
        var client = Client();
        await client.PhoneAsync("phone-1");
        _server.Script("getuserphonenumber", WechatErrors.InvalidAccessToken, WechatErrors.InvalidAccessToken);
        var e = Assert.ThrowsAsync<WechatException>(() => client.PhoneAsync("phone-2"))!;
        Assert.Multiple(() =>
        {
            Assert.That(StatusOf(e), Is.EqualTo(502));
            Assert.That(_server.Calls("stable_token"), Is.EqualTo(3), "replaced once, not in a loop");
        });
    }

    [Test]
    public async Task TheAccessTokenIsRefreshedAheadOfItsExpiry()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _server.Clock = clock;
        var client = Client(o => o.AccessTokenRefreshAheadSeconds = 300, clock);
        await client.PhoneAsync("phone-1");
        clock.Advance(TimeSpan.FromSeconds(7200 - 301));
        await client.PhoneAsync("phone-2");
        Assert.That(_server.Calls("stable_token"), Is.EqualTo(1), "still well within its lifetime");
        clock.Advance(TimeSpan.FromSeconds(2));
        await client.PhoneAsync("phone-3");
        Assert.Multiple(() =>
        {
            Assert.That(_server.Calls("stable_token"), Is.EqualTo(2), "replaced before WeChat would reject it");
            Assert.That(_server.TokensIssued, Is.EqualTo(2), "asked within WeChat's 5-minute window, so normal mode gave a new one");
            Assert.That(_server.ForceRefreshFlags, Has.None.True);
        });
    }

    [Test]
    public async Task TheStoredAccessTokenIsEncrypted()
    {
        await Client().PhoneAsync("phone-1");
        await using var connection = await SharedApp.Factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        var cipher = await connection.ExecuteScalarAsync<byte[]>("SELECT token_cipher FROM wechat_access_tokens WHERE app_id = @_appId", new { _appId });
        Assert.That(System.Text.Encoding.UTF8.GetString(cipher!), Does.Not.Contain("fake-token-"));
    }

    [Test]
    public void AWechatThatNeverAnswersIsA503AtTheDeadline()
    {
        _server.Hanging["jscode2session"] = 0;
        var e = Assert.ThrowsAsync<WechatException>(() => Client(o => o.TimeoutSeconds = 1).Code2SessionAsync("code-frank", CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.IsUnavailable, Is.True);
            Assert.That(StatusOf(e), Is.EqualTo(503));
        });
    }

    [Test]
    public void AWechatThatCannotBeReachedIsA503()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: connections are refused
        var e = Assert.ThrowsAsync<WechatException>(() => Client(baseAddress: new Uri($"http://127.0.0.1:{port}/")).Code2SessionAsync("code-gina", CancellationToken.None))!;
        Assert.That(StatusOf(e), Is.EqualTo(503));
    }

    [Test]
    public async Task MiniProgramCodesComeBackAsTheImageWechatSent()
    {
        var image = await Client().GetUnlimitedQrCodeAsync("h=42", "pages/house/index", CancellationToken.None);
        Assert.That(image.Take(2), Is.EqualTo(new byte[] { 0xFF, 0xD8 }));
    }

    [Test]
    public async Task APhoneOutsideMainlandChinaKeepsItsCountryCodeAndTheCallersOpenIdIsSent()
    {
        _server.ForeignPhone = (852, "61234567");
        var phone = await Client().GetPhoneNumberAsync("phone-hk", "o-kate", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(phone, Is.EqualTo(new WechatPhone("+85261234567", "61234567", "852")));
            Assert.That(phone.WithCountryCode, Is.EqualTo("85261234567"));
            Assert.That(_server.PhoneRequests.Single()["openid"]!.GetValue<string>(), Is.EqualTo("o-kate"));
        });
    }

    [Test]
    public async Task AMainlandPhoneIsStoredWithoutItsCountryCode()
    {
        var phone = await Client().GetPhoneNumberAsync("phone-cn", null, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(phone.WithCountryCode, Is.EqualTo(FakeWechatServer.PhoneNumber));
            Assert.That(_server.PhoneRequests.Single().ContainsKey("openid"), Is.False);
        });
    }

    [TestCase("empty")]
    [TestCase("application/octet-stream")]
    [TestCase("text/plain")]
    public void AnEmptyImageOrOneNotLabelledAsAnImageIsA502(string answer)
    {
        _server.OddImages.Enqueue(answer);
        var e = Assert.ThrowsAsync<WechatException>(() => Client().GetUnlimitedQrCodeAsync("h=43", "pages/house/index", CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ErrCode, Is.EqualTo(WechatErrors.UnreadableResponse));
            Assert.That(StatusOf(e), Is.EqualTo(502));
        });
    }

    [Test]
    public void AMiniProgramCodeErrorIsA502()
    {
        var e = Assert.ThrowsAsync<WechatException>(() => Client().GetUnlimitedQrCodeAsync(new string('x', 40), "pages/house/index", CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ErrCode, Is.EqualTo(40169));
            Assert.That(StatusOf(e), Is.EqualTo(502));
        });
    }

    [Test]
    public async Task SubscribeMessagesAreSentInWechatsFormat()
    {
        _server.Templates["tmpl-1"] = ["thing1", "phrase2"];
        await Client().SendSubscribeMessageAsync(new SubscribeMessage("o-henry", "tmpl-1", "pages/ticket/index?id=7",
            new Dictionary<string, string> { ["thing1"] = "路灯不亮", ["phrase2"] = "已派单" }), CancellationToken.None);
        var sent = _server.SentMessages.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sent["touser"]!.GetValue<string>(), Is.EqualTo("o-henry"));
            Assert.That(sent["template_id"]!.GetValue<string>(), Is.EqualTo("tmpl-1"));
            Assert.That(sent["page"]!.GetValue<string>(), Is.EqualTo("pages/ticket/index?id=7"));
            Assert.That(sent["data"]!["thing1"]!["value"]!.GetValue<string>(), Is.EqualTo("路灯不亮"));
        });
    }

    [TestCase("", "thing1", "is empty")]
    [TestCase("第一行\n第二行", "thing1", "invalid")]
    [TestCase("一二三四五六七八九十一二三四五六七八九十一", "thing1", "invalid")]
    [TestCase("派单", "phrase2", null)]
    [TestCase("已经派单了啊", "phrase2", "invalid")]
    public void ASubscribeValueBreakingWechatsRulesIs47003(string value, string keyword, string? problem)
    {
        _server.Templates["tmpl-2"] = ["thing1", "phrase2"];
        var data = new Dictionary<string, string> { ["thing1"] = "路灯不亮", ["phrase2"] = "已派单", [keyword] = value };
        var send = () => Client().SendSubscribeMessageAsync(new SubscribeMessage("o-jack", "tmpl-2", null, data), CancellationToken.None);
        if (problem is null)
        {
            Assert.DoesNotThrowAsync(() => send());
            return;
        }
        var e = Assert.ThrowsAsync<WechatException>(() => send())!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ErrCode, Is.EqualTo(47003));
            Assert.That(e.Message, Does.Contain($"data.{keyword}.value {problem}"));
        });
    }

    [TestCase("楼道灯坏了", ContentSuggestion.Pass)]
    [TestCase("有点可疑的内容", ContentSuggestion.Review)]
    [TestCase("网上赌博", ContentSuggestion.Risky)]
    public async Task TextChecksUseVersion2AndReadTheSuggestion(string content, ContentSuggestion expected)
    {
        var result = await Client().CheckTextAsync("o-ivy", content, 2, CancellationToken.None);
        var sent = _server.SecurityChecks.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Suggestion, Is.EqualTo(expected));
            Assert.That(sent["version"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(sent["openid"]!.GetValue<string>(), Is.EqualTo("o-ivy"));
            Assert.That(sent["scene"]!.GetValue<int>(), Is.EqualTo(2));
        });
    }
}
