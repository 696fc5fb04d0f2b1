using System.Net;
using System.Net.Http.Json;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;

namespace Linli.Api.Tests.Tickets;

/// <summary>吹哨报到 (issue 13): the community summons several departments; each answers once; the lead handles the ticket.</summary>
public class SummonsTests
{
    private static async Task<SummonsDto> AnswerOkAsync(HttpClient client, long ticketId, long summonsId, string answer, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/summons/{summonsId}/{answer}", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{answer}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<SummonsDto>(TicketsApp.Json))!;
    }

    [Test]
    public async Task ThreeDepartmentsAreSummonedTwoReportInOneDeclinesTheLeadResolvesAndEveryStepIsOnTheTimelineOnce()
    {
        var w = await TicketWorld.CreateAsync();
        var (second, third) = (await w.Data.DepartmentAsync(), await w.Data.DepartmentAsync());
        var (_, secondStaff) = await w.Data.SignedInAsync(Roles.DepartmentStaff, departmentId: second);
        var (_, thirdStaff) = await w.Data.SignedInAsync(Roles.DepartmentStaff, departmentId: third);
        var (_, stranger) = await w.Data.SignedInAsync(Roles.DepartmentStaff, departmentId: await w.Data.DepartmentAsync());
        var ticket = await w.ReportAsync();

        var whistled = await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "whistle", new
        {
            departmentIds = new[] { second, third },
            leadDepartmentId = w.DepartmentId,
            reason = "楼道堆物涉及消防、城管、物业",
            reportBy = w.Factory.Clock.GetUtcNow().AddHours(4),
        });
        var byId = whistled.Summonses.ToDictionary(s => s.DepartmentId);
        var secondSees = await secondStaff.GetAsync($"/api/v1/tickets/{ticket.Id}");

        await AnswerOkAsync(w.DepartmentStaff.Client, ticket.Id, byId[w.DepartmentId].Id, "report", new { note = "牵头处理" });
        var reported = await AnswerOkAsync(secondStaff, ticket.Id, byId[second].Id, "report", new { note = "明早到场" });
        var declined = await AnswerOkAsync(thirdStaff, ticket.Id, byId[third].Id, "decline", new { reason = "不属本部门职责" });
        using var twice = await secondStaff.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/summons/{byId[second].Id}/decline", new { reason = "改主意" });
        using var strangers = await stranger.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/summons/{byId[third].Id}/report", new { });
        using var leadDeclines = await w.DepartmentStaff.Client.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/summons/{byId[w.DepartmentId].Id}/decline", new { reason = "不" });
        using var secondAccepts = await TicketWorld.ActAsync(secondStaff, ticket.Id, "accept");
        await TicketWorld.ActOkAsync(secondStaff, ticket.Id, "note", new { text = "已清点堆物" });
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "accept");
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "resolve", new { result = "堆物已清理" });
        await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "evaluate", new { satisfaction = 5 });
        var final = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);
        using var thirdSees = await thirdStaff.GetAsync($"/api/v1/tickets/{ticket.Id}");

        Assert.Multiple(() =>
        {
            Assert.That(whistled.Status, Is.EqualTo(TicketState.Dispatched));
            Assert.That(whistled.DepartmentId, Is.EqualTo(w.DepartmentId), "the lead department is the ticket's department");
            Assert.That(whistled.Summonses.Select(s => (s.DepartmentId, s.IsLead, s.Status)),
                Is.EquivalentTo(new[] { (w.DepartmentId, true, "summoned"), (second, false, "summoned"), (third, false, "summoned") }));
            Assert.That(secondSees.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a summoned department sees the ticket");
            Assert.That(reported.Status, Is.EqualTo("reported"));
            Assert.That(reported.AnsweredAt, Is.Not.Null);
            Assert.That(declined.Status, Is.EqualTo("declined"));
            Assert.That(twice.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(strangers.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(leadDeclines.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(secondAccepts.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "only the lead accepts");
            Assert.That(thirdSees.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a department that declined no longer sees it");
            Assert.That(final.Status, Is.EqualTo(TicketState.Closed));
            Assert.That(final.Summonses.Select(s => (s.DepartmentId, s.Status)),
                Is.EquivalentTo(new[] { (w.DepartmentId, "reported"), (second, "reported"), (third, "declined") }));
            Assert.That(final.Timeline.Select(e => e.Action), Is.EqualTo(new[]
                { "report", "whistle", "summons_report", "summons_report", "summons_decline", "note", "accept", "resolve", "evaluate" }));
        });
        foreach (var staff in new[] { w.DepartmentStaff.Client, secondStaff, thirdStaff })
            Assert.That(await TicketFlowTests.NotificationKindsAsync(staff), Does.Contain("ticket_summoned"));
        Assert.That(await TicketFlowTests.NotificationKindsAsync(w.Staff.Client), Does.Contain("summons_report").And.Contain("summons_decline"));
    }

    [Test]
    public async Task AWhistleNeedsActiveDepartmentsAReportByInTheFutureAndAStaffCaller()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        object Body(long[] ids, DateTimeOffset reportBy) => new { departmentIds = ids, leadDepartmentId = w.DepartmentId, reason = "联合处置", reportBy };
        var later = w.Factory.Clock.GetUtcNow().AddHours(2);

        using var unknown = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "whistle", Body([999_999_999], later));
        using var past = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "whistle", Body([w.DepartmentId], later.AddHours(-3)));
        using var empty = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "whistle", Body([], later));
        using var byResident = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "whistle", Body([w.DepartmentId], later));
        var after = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);

        Assert.Multiple(() =>
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(past.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(after.Status, Is.EqualTo(TicketState.Submitted));
            Assert.That(after.Summonses, Is.Empty);
        });
    }

    [Test]
    public async Task TwoSimultaneousAnswersToOneSummonsAreOneAnswerAndOneConflict()
    {
        var w = await TicketWorld.CreateAsync();
        var other = await w.Data.DepartmentAsync();
        var (_, colleague) = await w.Data.SignedInAsync(Roles.DepartmentStaff, departmentId: other);
        var (_, otherColleague) = await w.Data.SignedInAsync(Roles.DepartmentStaff, departmentId: other);
        var ticket = await w.ReportAsync();
        var whistled = await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "whistle", new
        {
            departmentIds = new[] { other }, leadDepartmentId = w.DepartmentId, reason = "联合处置",
            reportBy = w.Factory.Clock.GetUtcNow().AddHours(4),
        });
        var summonsId = whistled.Summonses.Single(s => s.DepartmentId == other).Id;

        var answers = await Task.WhenAll(
            colleague.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/summons/{summonsId}/report", new { note = "到" }),
            otherColleague.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/summons/{summonsId}/decline", new { reason = "不到" }));
        var after = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);

        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => a.StatusCode),
                Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
            Assert.That(after.Timeline.Count(e => e.Action is "summons_report" or "summons_decline"), Is.EqualTo(1));
        });
        foreach (var answer in answers)
            answer.Dispose();
    }
}
