using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
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

    [TestCase(40003)]
    [TestCase(40037)]
    [TestCase(41030)]
    [TestCase(43101)]
    [TestCase(47003)]
    public async Task APermanentErrorIsFinalAndCountedForItsKind(int errCode)
    {
        var counted = new List<(string Kind, string ErrCode)>();
        using var listener = new MeterListener();
        var meters = _factory.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NotificationMetrics.MeterName && instrument.Meter.Scope == meters)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(p => p.Key, p => p.Value?.ToString());
            lock (counted)
                counted.Add((t["kind"]!, t["errcode"]!));
        });
        listener.Start();
        using var http = _factory.CreateClient();
        var w = await TicketWorld.CreateAsync(_factory);
        var ticket = await w.ReportAsync();
        var before = await UndeliverableAsync(http, "ticket_dispatched");
        // The resident's message is the first the worker sends.
        _wechat.Script("subscribe/send", errCode);
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });
        await DrainAsync();
        var after = await UndeliverableAsync(http, "ticket_dispatched");
        _factory.Clock.Advance(TimeSpan.FromHours(2));
        await DrainAsync();

        await using var connection = await _factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Status, int Attempts, string LastError)>(
            "SELECT status, attempts, last_error FROM notification_outbox WHERE user_id = @id AND kind = 'ticket_dispatched'", new { id = w.Resident.Id });
        Assert.Multiple(() =>
        {
            Assert.That(row, Is.EqualTo(("failed", 1, $"errcode {errCode}")), "not retried");
            // The worker delivers every pending row of the shared test database, other tests' too: this row's count is one of them.
            Assert.That(counted.Count(c => c == ("ticket_dispatched", errCode.ToString(System.Globalization.CultureInfo.InvariantCulture))), Is.GreaterThanOrEqualTo(1));
            Assert.That(after, Is.EqualTo(before + 1), "shown in the readiness details");
        });
    }

    private static async Task<int> UndeliverableAsync(HttpClient http, string kind)
    {
        var ready = await http.GetFromJsonAsync<JsonElement>("/health/ready");
        return ready.TryGetProperty("undeliverableMessages", out var counts) && counts.ValueKind == JsonValueKind.Object
            && counts.TryGetProperty(kind, out var count) ? count.GetInt32() : 0;
    }
}
