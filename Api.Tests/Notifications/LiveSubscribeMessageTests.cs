using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;
using Linli.Api.Tests.Wechat;
using Linli.Infrastructure.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Notifications;

/// <summary>
/// Ticket notifications delivered by the outbox through the Live client to <see cref="FakeWechatServer"/>, which refuses
/// any value breaking WeChat's rules (47003), an unknown template (40037), a bad openid (40003) or page (41030).
/// </summary>
public class LiveSubscribeMessageTests
{
    private static readonly string[] UsualLayout = ["character_string1", "thing2", "phrase3", "thing4", "time5"];
    // ticket_assigned uses a template with another layout, as one chosen in the WeChat console might have.
    private static readonly string[] AssignedLayout = ["thing1", "date3", "character_string7"];

    private FakeWechatServer _wechat = null!;
    private LinliFactory _factory = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var appId = TestData.Unique("wx");
        _wechat = await FakeWechatServer.StartAsync(appId);
        var settings = TicketsApp.Settings(
            ("Wechat:Mode", "Live"), ("Wechat:AppId", appId), ("Wechat:AppSecret", FakeWechatServer.AppSecret),
            ("Wechat:BaseAddress", _wechat.BaseAddress.ToString()), ("Notifications:BatchSize", "1000"));
        foreach (var key in settings.Keys.Where(k => k.StartsWith("Notifications:Templates:ticket_assigned:", StringComparison.Ordinal)).ToList())
            settings.Remove(key);
        settings["Notifications:Templates:ticket_assigned:Id"] = "tpl-assigned";
        settings["Notifications:Templates:ticket_assigned:Keywords:thing1"] = "category";
        settings["Notifications:Templates:ticket_assigned:Keywords:date3"] = "time";
        settings["Notifications:Templates:ticket_assigned:Keywords:character_string7"] = "ticket_number";
        foreach (var kind in new[] { "dispatched", "published", "accepted", "claimed", "resolved", "overdue" })
            _wechat.Templates[$"tpl-{kind}"] = UsualLayout;
        _wechat.Templates["tpl-assigned"] = AssignedLayout;
        _factory = new LinliFactory(settings);
        _ = _factory.Server;
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _factory.DisposeAsync();
        await _wechat.DisposeAsync();
    }

    private async Task DrainAsync()
    {
        var worker = _factory.Services.GetRequiredService<OutboxWorker>();
        while (await worker.RunOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    private async Task<string> OpenIdAsync(long userId)
    {
        await using var connection = await _factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT openid FROM users WHERE id = @userId", new { userId }) ?? "";
    }

    private JsonObject SentTo(string openid, string templateId) =>
        _wechat.SentMessages.Single(m => m["touser"]!.GetValue<string>() == openid && m["template_id"]!.GetValue<string>() == templateId);

    private static string Value(JsonObject message, string keyword) => message["data"]![keyword]!["value"]!.GetValue<string>();

    [TestCase("     ", "楼道灯坏了，晚上很黑")]
    // 30 characters, the emoji's two UTF-16 halves at the 19th and 20th places.
    [TestCase("已联系环卫所师傅明天上午来修理请您保👍持电话畅通谢谢了好的吗", "已联系环卫所师傅明天上午来修理请您保…")]
    [TestCase("第一行\n第二行\r\n\r\n第三行", "第一行 第二行 第三行")]
    public async Task EveryNoteArrivesAsAValidThing(string note, string expected)
    {
        var w = await TicketWorld.CreateAsync(_factory);
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId, note });

        await DrainAsync();

        var sent = SentTo(await OpenIdAsync(w.Resident.Id), "tpl-dispatched");
        Assert.Multiple(() =>
        {
            Assert.That(Value(sent, "thing4"), Is.EqualTo(expected));
            Assert.That(Value(sent, "character_string1"), Is.EqualTo(ticket.Number));
            Assert.That(Value(sent, "phrase3"), Is.EqualTo("已派单"));
            Assert.That(Value(sent, "time5"), Does.Match(@"^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$"));
        });
    }

    [Test]
    public async Task EachTemplateGetsItsOwnKeywordLayout()
    {
        var w = await TicketWorld.CreateAsync(_factory);
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });

        await DrainAsync();

        var sent = SentTo(await OpenIdAsync(w.DepartmentStaff.Id), "tpl-assigned");
        Assert.Multiple(() =>
        {
            Assert.That(sent["data"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(AssignedLayout));
            Assert.That(Value(sent, "character_string7"), Is.EqualTo(ticket.Number));
            Assert.That(Value(sent, "date3"), Does.Match(@"^\d{4}年\d{1,2}月\d{1,2}日$"));
        });
    }
}
