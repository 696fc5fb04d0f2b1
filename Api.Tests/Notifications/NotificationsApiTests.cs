using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.Tests.Tickets;
using Linli.Infrastructure.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Notifications;

public class NotificationsApiTests
{
    [Test]
    public async Task ResidentReadsTheirNotificationAndNobodyElseCan()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });

        var page = await w.Resident.Client.GetFromJsonAsync<JsonElement>("/api/v1/notifications");
        var item = page.GetProperty("items").EnumerateArray().Single();
        var id = item.GetProperty("id").GetInt64();
        using var byOther = await w.Staff.Client.PostAsync($"/api/v1/notifications/{id}/read", null);
        using var byOwner = await w.Resident.Client.PostAsync($"/api/v1/notifications/{id}/read", null);
        var after = await w.Resident.Client.GetFromJsonAsync<JsonElement>("/api/v1/notifications");

        Assert.That(item.GetProperty("kind").GetString(), Is.EqualTo("ticket_dispatched"));
        Assert.That(item.GetProperty("ticketId").GetInt64(), Is.EqualTo(ticket.Id));
        Assert.That(page.GetProperty("unread").GetInt32(), Is.EqualTo(1));
        Assert.That(byOther.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(byOwner.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(after.GetProperty("unread").GetInt32(), Is.Zero);
        Assert.That(after.GetProperty("items")[0].GetProperty("readAt").ValueKind, Is.EqualTo(JsonValueKind.String));
    }

    [Test]
    public async Task DispatchReachesTheResidentAsASubscribeMessageThroughTheOutbox()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });

        var worker = w.Service<OutboxWorker>();
        while (await worker.RunOnceAsync(CancellationToken.None) > 0)
        {
        }

        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        var sent = (await connection.QueryAsync<(string TemplateId, string Page)>("""
            SELECT m.template_id, m.page FROM wechat_simulated_messages m JOIN users u ON u.openid = m.to_openid WHERE u.id = @id
            """, new { id = w.Resident.Id })).ToList();
        Assert.That(sent, Is.EqualTo(new[] { ("tpl-dispatched", $"pages/tickets/detail?id={ticket.Id}") }));
    }

    [Test]
    public void RowsWrittenBeforeTheRulesAreFittedWhenSent()
    {
        var fitted = OutboxWorker.Fit(new Dictionary<string, string>
        {
            ["thing2"] = new string('灯', 30),
            ["character_string1"] = "LL-20261122-0042",
            ["thing4"] = "",
            ["time5"] = "2026-11-22 10:00",
        }, DateTimeOffset.UtcNow);

        Assert.That(fitted["thing2"], Is.EqualTo(new string('灯', 19) + "…"));
        Assert.That(fitted["character_string1"], Is.EqualTo("LL-20261122-0042"));
        Assert.That(fitted["thing4"], Is.EqualTo("无"));
        Assert.That(fitted["time5"], Is.EqualTo("2026年11月22日 10:00"));
    }
}
