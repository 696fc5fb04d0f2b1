using System.Net.Http.Json;
using Linli.Api.Tickets;

namespace Linli.Api.Tests.Tickets;

/// <summary>Escalation (issue 13): an overdue ticket climbs a level per configured step, driven by the clock worker.</summary>
public class EscalationTests
{
    /// <summary>Rounds until nothing more climbs: other tests' tickets share the database and the batch.</summary>
    private static async Task EscalateAllAsync(TicketWorld w)
    {
        var worker = w.Service<TicketClockWorker>();
        while (await worker.EscalateAsync(CancellationToken.None) is var (tickets, summonses) && tickets + summonses > 0)
        {
        }
    }

    [Test]
    public async Task AnOverdueTicketClimbsTwoLevelsTellingTheStreetLeadersAndOneResolvedInTimeDoesNot()
    {
        var w = await TicketWorld.CreateAsync();
        var leader = await w.StreetLeaderAsync();
        var due = w.Factory.Clock.GetUtcNow().AddHours(2);
        var (late, onTime, whistled) = (await w.ReportAsync(), await w.ReportAsync(), await w.ReportAsync());
        await TicketWorld.ActOkAsync(w.Staff.Client, late.Id, "dispatch", new { departmentId = w.DepartmentId, dueAt = due });
        await TicketWorld.ActOkAsync(w.Staff.Client, onTime.Id, "dispatch", new { departmentId = w.DepartmentId, dueAt = due });
        await TicketWorld.ActOkAsync(w.Staff.Client, whistled.Id, "whistle", new
        {
            departmentIds = new[] { w.DepartmentId }, leadDepartmentId = w.DepartmentId, reason = "联合处置",
            reportBy = w.Factory.Clock.GetUtcNow().AddHours(1),
        });
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, onTime.Id, "accept");
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, onTime.Id, "resolve", new { result = "已处理" });

        w.Factory.Clock.Advance(TimeSpan.FromHours(2 + 24) + TimeSpan.FromMinutes(1));
        await EscalateAllAsync(w);
        var first = await TicketWorld.GetAsync(w.Staff.Client, late.Id);
        var leaderKindsAfterFirst = await TicketFlowTests.NotificationKindsAsync(leader);

        w.Factory.Clock.Advance(TimeSpan.FromHours(48));
        await EscalateAllAsync(w);
        await EscalateAllAsync(w);
        var second = await TicketWorld.GetAsync(w.Staff.Client, late.Id);
        var resolved = await TicketWorld.GetAsync(w.Staff.Client, onTime.Id);
        var summoned = await TicketWorld.GetAsync(w.Staff.Client, whistled.Id);
        var leaderKinds = await TicketFlowTests.NotificationKindsAsync(leader);
        var escalatedPage = await leader.GetFromJsonAsync<TicketPageDto>("/api/v1/tickets?escalated=true&limit=50", TicketsApp.Json);

        Assert.Multiple(() =>
        {
            Assert.That(first.EscalationLevel, Is.EqualTo(1));
            Assert.That(leaderKindsAfterFirst.Count(k => k == "ticket_escalated"), Is.EqualTo(1));
            Assert.That(second.EscalationLevel, Is.EqualTo(2));
            Assert.That(second.Timeline.Where(e => e.Action == "escalate").Select(e => (e.ActorRole, e.Note)), Is.EqualTo(new[]
                { ("system", "超期 24 小时，升级至第 1 级"), ("system", "超期 72 小时，升级至第 2 级") }));
            Assert.That(leaderKinds.Count(k => k == "ticket_escalated"), Is.EqualTo(2));
            Assert.That(resolved.EscalationLevel, Is.Zero, "resolved in time");
            Assert.That(resolved.Timeline.Select(e => e.Action), Does.Not.Contain("escalate"));
            Assert.That(summoned.Timeline.Count(e => e.Action == "summons_escalate"), Is.EqualTo(1), "a late summons escalates once");
            Assert.That(leaderKinds.Count(k => k == "summons_escalated"), Is.EqualTo(1));
            Assert.That(escalatedPage!.Items.Select(i => i.Id), Does.Contain(late.Id).And.Not.Contain(onTime.Id).And.Not.Contain(whistled.Id));
        });
    }
}
