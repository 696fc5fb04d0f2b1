using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;

namespace Linli.Api.Tests.Tickets;

/// <summary>Return visits (回访, issue 13): a poor evaluation sends the ticket to its community instead of closing it.</summary>
public class ReturnVisitTests
{
    /// <summary>A ticket dispatched, accepted and resolved by the world's department, then rated by the resident.</summary>
    private static async Task<(TicketDto Ticket, TicketDto Evaluated)> RatedAsync(TicketWorld w, int stars)
    {
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "accept");
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "resolve", new { result = "已更换灯泡" });
        var evaluated = await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "evaluate", new { satisfaction = stars, comment = "还是不亮" });
        return (ticket, evaluated);
    }

    [Test]
    public async Task OneStarSendsTheTicketToAReturnVisitThatStaffRecordAndThatClosesIt()
    {
        var w = await TicketWorld.CreateAsync();
        var (ticket, evaluated) = await RatedAsync(w, 1);
        var staffView = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);
        using var byResident = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "return-visit", new { note = "我自己回访", satisfiedAfterVisit = true });
        var staffKinds = await TicketFlowTests.NotificationKindsAsync(w.Staff.Client);

        var visited = await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "return-visit",
            new { note = "上门回访，灯已修好，居民表示满意", satisfiedAfterVisit = true });

        Assert.Multiple(() =>
        {
            Assert.That(evaluated.Status, Is.EqualTo(TicketState.ReturnVisit));
            Assert.That(evaluated.Satisfaction, Is.EqualTo(1));
            Assert.That(evaluated.AllowedActions, Is.Empty, "the resident has nothing more to do");
            Assert.That(staffView.AllowedActions, Is.SupersetOf(new[] { TicketAction.ReturnVisit, TicketAction.Reopen }));
            Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(staffKinds, Does.Contain("ticket_return_visit"), "the community's staff are told to visit");
            Assert.That(visited.Status, Is.EqualTo(TicketState.Closed));
            Assert.That(visited.SatisfiedAfterVisit, Is.True);
            Assert.That(visited.Satisfaction, Is.EqualTo(1), "the resident's own rating stays");
            Assert.That(visited.Timeline.Select(e => e.Action), Is.EqualTo(new[] { "report", "dispatch", "accept", "resolve", "evaluate", "return_visit" }));
            Assert.That(visited.Timeline[4].ToStatus, Is.EqualTo(TicketState.ReturnVisit));
            Assert.That(visited.Timeline[5].ActorRole, Is.EqualTo("community_staff"));
            Assert.That(visited.Timeline[5].Note, Is.EqualTo("上门回访，灯已修好，居民表示满意"));
        });
        Assert.That(await TicketFlowTests.NotificationKindsAsync(w.Resident.Client), Does.Contain("ticket_closed"));
        await using var c = await w.Service<DbDataSource>().OpenConnectionAsync();
        var row = await c.QuerySingleAsync<(int ReturnVisits, bool? Satisfied, DateTime? ClosedAt)>(
            "SELECT return_visits, satisfied_after_visit, closed_at FROM tickets WHERE id = @id", new { id = ticket.Id });
        Assert.Multiple(() =>
        {
            Assert.That(row.ReturnVisits, Is.EqualTo(1));
            Assert.That(row.Satisfied, Is.True);
            Assert.That(row.ClosedAt, Is.Not.Null);
        });
    }

    [Test]
    public async Task ThreeStarsCloseTheTicketWithoutAReturnVisit()
    {
        var w = await TicketWorld.CreateAsync();
        var (ticket, evaluated) = await RatedAsync(w, 3);
        using var late = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "return-visit", new { note = "回访", satisfiedAfterVisit = true });

        Assert.That(evaluated.Status, Is.EqualTo(TicketState.Closed));
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        using var problem = JsonDocument.Parse(await late.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("currentState").GetString(), Is.EqualTo("closed"));
        Assert.That(await TicketFlowTests.NotificationKindsAsync(w.Staff.Client), Does.Not.Contain("ticket_return_visit"));
    }

    [Test]
    public async Task AStreetLeaderReopensAPoorlyRatedTicketToItsHandlerWhoResolvesItAgain()
    {
        var w = await TicketWorld.CreateAsync();
        var leader = await w.StreetLeaderAsync();
        var (ticket, _) = await RatedAsync(w, 2);

        var reopened = await TicketWorld.ActOkAsync(leader, ticket.Id, "reopen", new { reason = "回访发现灯仍不亮，请部门再处理" });
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "resolve", new { result = "更换了线路" });
        var closed = await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "evaluate", new { satisfaction = 5 });

        Assert.Multiple(() =>
        {
            Assert.That(reopened.Status, Is.EqualTo(TicketState.InProgress));
            Assert.That(reopened.Handler!.UserId, Is.EqualTo(w.DepartmentStaff.Id), "back to the same handler");
            Assert.That(reopened.ReopenCount, Is.EqualTo(1));
            Assert.That(reopened.Timeline[^1].FromStatus, Is.EqualTo(TicketState.ReturnVisit));
            Assert.That(closed.Status, Is.EqualTo(TicketState.Closed));
            Assert.That(closed.SatisfiedAfterVisit, Is.Null, "no visit closed it");
        });
        Assert.That(await TicketFlowTests.NotificationKindsAsync(w.DepartmentStaff.Client), Does.Contain("ticket_reopened"));
    }

    [Test]
    public async Task StaffOfAnotherCommunityAndTheDepartmentCannotRecordTheVisit()
    {
        var w = await TicketWorld.CreateAsync();
        var (ticket, _) = await RatedAsync(w, 1);
        var (_, stranger) = await w.Data.SignedInAsync(Roles.CommunityStaff, await w.Data.CommunityAsync());

        using var byStranger = await TicketWorld.ActAsync(stranger, ticket.Id, "return-visit", new { note = "回访", satisfiedAfterVisit = false });
        using var byDepartment = await TicketWorld.ActAsync(w.DepartmentStaff.Client, ticket.Id, "return-visit", new { note = "回访", satisfiedAfterVisit = false });

        Assert.That(byStranger.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(byDepartment.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("note")]
    [TestCase("satisfiedAfterVisit")]
    public async Task AVisitWithoutItsNoteOrOutcomeIsA400NamingTheField(string missing)
    {
        var w = await TicketWorld.CreateAsync();
        var (ticket, _) = await RatedAsync(w, 1);
        var body = new Dictionary<string, object> { ["note"] = "回访", ["satisfiedAfterVisit"] = false };
        body.Remove(missing);

        using var response = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "return-visit", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { missing }));
        Assert.That((await TicketWorld.GetAsync(w.Staff.Client, ticket.Id)).Status, Is.EqualTo(TicketState.ReturnVisit));
    }
}
