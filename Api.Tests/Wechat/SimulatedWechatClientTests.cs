using System.Data.Common;
using Dapper;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Wechat;

public class SimulatedWechatClientTests
{
    private static IWechatClient Wechat => SharedApp.Factory.Services.GetRequiredService<IWechatClient>();

    [Test]
    public void TestsGetTheSimulatedClientByDefault() => Assert.That(Wechat, Is.InstanceOf<SimulatedWechatClient>());

    [Test]
    public async Task ASimLoginCodeSignsInItsOpenId()
    {
        var session = await Wechat.Code2SessionAsync("sim:zhang", CancellationToken.None);
        Assert.That(session.OpenId, Is.EqualTo("sim-zhang"));
    }

    [TestCase("not-a-sim-code", WechatErrors.InvalidCode)]
    [TestCase("sim-error:40226", WechatErrors.HighRiskUser)]
    public void OtherCodesFailLikeWechatWould(string code, int errCode)
    {
        var e = Assert.ThrowsAsync<WechatException>(() => Wechat.Code2SessionAsync(code, CancellationToken.None))!;
        Assert.That(e.ErrCode, Is.EqualTo(errCode));
    }

    [Test]
    public async Task PhoneCodesGiveTheFixedTestNumber() =>
        Assert.That(await Wechat.PhoneAsync("any"), Is.EqualTo("13812345678"));

    [Test]
    public async Task ASimulatedNumberOutsideMainlandChinaComesWithItsCountryCode()
    {
        var wechat = new SimulatedWechatClient(null!, TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new WechatOptions { SimulatedPhoneNumber = "+852 61234567" }));
        var phone = await wechat.GetPhoneNumberAsync("any", null, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(phone, Is.EqualTo(new WechatPhone("+852 61234567", "61234567", "852")));
            Assert.That(phone.WithCountryCode, Is.EqualTo("85261234567"));
        });
    }

    [Test]
    public async Task MiniProgramCodesAreDrawnLocallyAsPng()
    {
        var png = await Wechat.GetUnlimitedQrCodeAsync("h=1", "pages/house/index", CancellationToken.None);
        Assert.That(png.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
    }

    [Test]
    public async Task SubscribeMessagesAreRecordedNotSent()
    {
        var openId = TestData.Unique("sim");
        await Wechat.SendSubscribeMessageAsync(new SubscribeMessage(openId, "tmpl-9", "pages/x",
            new Dictionary<string, string> { ["thing1"] = "已受理" }), CancellationToken.None);
        await using var connection = await SharedApp.Factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string TemplateId, string DataJson)>(
            "SELECT template_id, data_json FROM wechat_simulated_messages WHERE to_openid = @openId", new { openId });
        Assert.Multiple(() =>
        {
            Assert.That(row.TemplateId, Is.EqualTo("tmpl-9"));
            Assert.That(row.DataJson, Does.Contain("thing1"));
        });
    }

    [TestCase("路灯坏了", ContentSuggestion.Pass)]
    [TestCase("请审核 [review]", ContentSuggestion.Review)]
    [TestCase("违规 [risky]", ContentSuggestion.Risky)]
    public async Task TextChecksFollowTheMarkers(string content, ContentSuggestion expected) =>
        Assert.That((await Wechat.CheckTextAsync("sim-a", content, 2, CancellationToken.None)).Suggestion, Is.EqualTo(expected));
}
