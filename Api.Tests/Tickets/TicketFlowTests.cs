using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using System.Data.Common;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;

namespace Linli.Api.Tests.Tickets;

public class TicketFlowTests
{
    [Test]
    public async Task ReportDispatchAcceptResolveEvaluateClosesTheTicket()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        Assert.That(ticket.Status, Is.EqualTo(TicketState.Submitted));

        var due = w.Factory.Clock.GetUtcNow().AddDays(3);
        var dispatched = await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId, dueAt = due, note = "请尽快处理" });
        Assert.That(dispatched.Status, Is.EqualTo(TicketState.Dispatched));
        Assert.That(dispatched.DepartmentId, Is.EqualTo(w.DepartmentId));

        var accepted = await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "accept");
        Assert.That(accepted.Handler!.UserId, Is.EqualTo(w.DepartmentStaff.Id));
        Assert.That(accepted.AllowedActions, Does.Contain(TicketAction.Resolve));

        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "progress", new { note = "已联系物业" });
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "resolve", new { result = "已更换灯泡" });
        var closed = await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "evaluate", new { satisfaction = 5, comment = "很快" });

        Assert.Multiple(() =>
        {
            Assert.That(closed.Status, Is.EqualTo(TicketState.Closed));
            Assert.That(closed.Satisfaction, Is.EqualTo(5));
            Assert.That(closed.Timeline.Select(e => e.Action), Is.EqualTo(new[] { "report", "dispatch", "accept", "progress", "resolve", "evaluate" }));
            Assert.That(closed.Timeline[1].ActorRole, Is.EqualTo("community_staff"));
            Assert.That(closed.Timeline[2].ActorRole, Is.EqualTo("department_staff"));
            Assert.That(closed.AllowedActions, Is.Empty);
        });

        var residentKinds = await NotificationKindsAsync(w.Resident.Client);
        Assert.That(residentKinds, Is.SupersetOf(new[] { "ticket_dispatched", "ticket_accepted", "ticket_resolved" }));
        Assert.That(await NotificationKindsAsync(w.DepartmentStaff.Client), Does.Contain("ticket_assigned").And.Contain("ticket_evaluated"));
    }

    [Test]
    public async Task ReportPublishClaimResolveReopenResolveEvaluate()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();

        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "publish", new { note = "党员同志请领单" });
        Assert.That(await NotificationKindsAsync(w.PartyMember.Client), Does.Contain("ticket_published"));
        var claimed = await TicketWorld.ActOkAsync(w.PartyMember.Client, ticket.Id, "claim");
        Assert.That(claimed.Status, Is.EqualTo(TicketState.InProgress));

        await TicketWorld.ActOkAsync(w.PartyMember.Client, ticket.Id, "resolve", new { result = "已修好" });
        var reopened = await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "reopen", new { reason = "又坏了" });
        Assert.That(reopened.Status, Is.EqualTo(TicketState.InProgress));
        Assert.That(reopened.Handler!.UserId, Is.EqualTo(w.PartyMember.Id), "reopen keeps the same handler");
        Assert.That(await NotificationKindsAsync(w.PartyMember.Client), Does.Contain("ticket_reopened"));

        await TicketWorld.ActOkAsync(w.PartyMember.Client, ticket.Id, "resolve", new { result = "换了新灯" });
        var closed = await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "evaluate", new { satisfaction = 4 });

        Assert.That(closed.Status, Is.EqualTo(TicketState.Closed));
        Assert.That(closed.ReopenCount, Is.EqualTo(1));
        Assert.That(closed.Timeline.Select(e => e.Action),
            Is.EqualTo(new[] { "report", "publish", "claim", "resolve", "reopen", "resolve", "evaluate" }));
        Assert.That(closed.Timeline.Single(e => e.Action == "claim").ActorRole, Is.EqualTo("party_member"));
    }

    [Test]
    public async Task DepartmentReturnAndStaffRecallBringTheTicketBackToTheCommunity()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();

        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });
        var returned = await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "return", new { reason = "不属于本部门职责" });
        Assert.That(returned.Status, Is.EqualTo(TicketState.Submitted));
        Assert.That(returned.DepartmentId, Is.Null);
        using (var gone = await w.DepartmentStaff.Client.GetAsync($"/api/v1/tickets/{ticket.Id}"))
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a department no longer sees what it returned");

        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });
        var recalled = await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "recall", new { note = "派错部门" });
        Assert.That(recalled.Status, Is.EqualTo(TicketState.Submitted));

        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "take");
        var handedBack = await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "return", new { reason = "需要部门处理" });
        Assert.That(handedBack.Status, Is.EqualTo(TicketState.Submitted));
        Assert.That(handedBack.Handler, Is.Null);
        Assert.That(handedBack.Timeline.Select(e => e.Action),
            Is.EqualTo(new[] { "report", "dispatch", "return", "dispatch", "recall", "take", "return" }));
        Assert.That(handedBack.Timeline.Single(e => e.Action == "return" && e.FromStatus == TicketState.Dispatched).Note, Is.EqualTo("不属于本部门职责"));
    }

    [Test]
    public async Task SubmitterCancelsATicketNobodyHandlesYet()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "publish");

        var cancelled = await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "cancel");

        Assert.That(cancelled.Status, Is.EqualTo(TicketState.Cancelled));
        using var late = await TicketWorld.ActAsync(w.PartyMember.Client, ticket.Id, "claim");
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "the party member was told of it when published");
        Assert.That((await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentState").GetString(), Is.EqualTo("cancelled"));
        using var read = await w.PartyMember.Client.GetAsync($"/api/v1/tickets/{ticket.Id}");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "but it is no longer in their list or readable");
    }

    [Test]
    public async Task PartyMemberClaimingATicketNeverPublishedToThemLearnsNothing()
    {
        var w = await TicketWorld.CreateAsync();
        var submitted = await w.ReportAsync();
        var taken = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, taken.Id, "take");
        var otherCommunity = await TicketWorld.CreateAsync();
        var publishedElsewhere = await otherCommunity.ReportAsync();
        await TicketWorld.ActOkAsync(otherCommunity.Staff.Client, publishedElsewhere.Id, "publish");

        foreach (var id in new[] { submitted.Id, taken.Id, publishedElsewhere.Id })
        {
            using var claim = await TicketWorld.ActAsync(w.PartyMember.Client, id, "claim");
            var body = await claim.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(claim.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"ticket {id}");
            Assert.That(body.TryGetProperty("currentState", out _), Is.False, "a 404 names no state");
        }
        Assert.That((await TicketWorld.GetAsync(w.Resident.Client, submitted.Id)).Status, Is.EqualTo(TicketState.Submitted));
    }

    [Test]
    public async Task PartyMemberWhoLostTheRaceForAPublishedTicketHearsItsState()
    {
        var w = await TicketWorld.CreateAsync();
        var (_, rival) = await w.Data.SignedInAsync(Roles.PartyMember, communityId: w.CommunityId);
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "publish");
        await TicketWorld.ActOkAsync(rival, ticket.Id, "claim");

        using var late = await TicketWorld.ActAsync(w.PartyMember.Client, ticket.Id, "claim");

        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await late.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("currentState").GetString(), Is.EqualTo("in_progress"));
        Assert.That(problem.GetProperty("allowedActions").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task ResolvedTicketClosesItselfAfterSevenDaysWithoutEvaluation()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "take");
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "resolve", new { result = "已处理" });
        var worker = w.Service<TicketClockWorker>();

        w.Factory.Clock.Advance(TimeSpan.FromDays(6));
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.That((await TicketWorld.GetAsync(w.Resident.Client, ticket.Id)).Status, Is.EqualTo(TicketState.Resolved));

        w.Factory.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await worker.RunOnceAsync(CancellationToken.None);

        var closed = await TicketWorld.GetAsync(w.Resident.Client, ticket.Id);
        Assert.That(closed.Status, Is.EqualTo(TicketState.Closed));
        Assert.That(closed.Timeline[^1].Action, Is.EqualTo("auto_close"));
        Assert.That(closed.Timeline[^1].ActorRole, Is.EqualTo("system"));
        Assert.That(closed.Timeline[^1].Actor, Is.Null);
        Assert.That(await NotificationKindsAsync(w.Resident.Client), Does.Contain("ticket_closed"));
    }

    [Test]
    public async Task ActionInTheWrongStateIsAConflictNamingTheStateAndWhatIsAllowed()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();

        using var response = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "recall");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("currentState").GetString(), Is.EqualTo("submitted"));
        Assert.That(problem.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()),
            Is.EquivalentTo(new[] { "dispatch", "publish", "take", "reject", "note", "recategorize", "whistle", "merge" }));
    }

    [Test]
    public async Task ActionTheCallersRoleDoesNotAllowIsForbiddenAndAStrangerDoesNotSeeTheTicket()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        var (_, stranger) = await w.Data.SignedInAsync(Roles.Resident);
        var otherCommunity = await w.Data.CommunityAsync();
        var (_, otherStaff) = await w.Data.SignedInAsync(Roles.CommunityStaff, communityId: otherCommunity);

        using var residentDispatch = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });
        using var strangerCancel = await TicketWorld.ActAsync(stranger, ticket.Id, "cancel");
        using var otherStaffDispatch = await TicketWorld.ActAsync(otherStaff, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });
        using var gridWorkerDispatch = await TicketWorld.ActAsync(w.GridWorker.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });

        Assert.Multiple(() =>
        {
            Assert.That(residentDispatch.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(strangerCancel.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(otherStaffDispatch.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(gridWorkerDispatch.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "grid workers see their grid's tickets but do not dispatch");
        });
    }

    [Test]
    public async Task InternalNotesAreHiddenFromTheResident()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "note", new { text = "该居民多次反映，注意态度" });

        var asStaff = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);
        var asResident = await TicketWorld.GetAsync(w.Resident.Client, ticket.Id);

        Assert.That(asStaff.Timeline.Any(e => e.IsInternal && e.Note == "该居民多次反映，注意态度"), Is.True);
        Assert.That(asResident.Timeline.Select(e => e.Action), Is.EqualTo(new[] { "report" }));
        using var residentNote = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "note", new { text = "我也要备注" });
        Assert.That(residentNote.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task ATimelineLongerThanTheServersJsonLimitIsShownWhole()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        // 400 notes of 1000 Chinese characters (3 bytes each): 1.2 MB of timeline, over group_concat_max_len (1 MB),
        // where the page's one statement cuts its JSON and the timeline is read on its own.
        await using (var connection = await w.Service<DbDataSource>().OpenConnectionAsync())
            await connection.ExecuteAsync("""
                INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, from_status, to_status, note, is_internal, created_at)
                SELECT @id, @staff, 'community_staff', 'note', 'submitted', 'submitted', REPEAT('记', 1000), 1, @now FROM seq_1_to_400
                """, new { id = ticket.Id, staff = w.Staff.Id, now = w.Factory.Clock.GetUtcNow().UtcDateTime });

        var page = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);

        Assert.Multiple(() =>
        {
            Assert.That(page.Timeline, Has.Count.EqualTo(401));
            Assert.That(page.Timeline[0].Action, Is.EqualTo("report"));
            Assert.That(page.Timeline.Skip(1).All(e => e.Note!.Length == 1000 && e.IsInternal), Is.True);
        });
    }

    [Test]
    public async Task ResidentUrgesOnceADayAndTheHandlerHearsOfIt()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "accept");

        await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "urge");
        using var again = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "urge");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await NotificationKindsAsync(w.DepartmentStaff.Client), Does.Contain("ticket_urged"));

        w.Factory.Clock.Advance(TimeSpan.FromHours(24));
        await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "urge");
    }

    [Test]
    public async Task ThirdReopenIsRefused()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "take");
        for (var i = 0; i < 2; i++)
        {
            await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "resolve", new { result = "处理了" });
            await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "reopen", new { reason = "没处理好" });
        }
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "resolve", new { result = "再次处理" });

        using var third = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "reopen", new { reason = "还是不行" });

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await third.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "evaluate" }));
    }

    [Test]
    public async Task OverdueTicketIsFlaggedAndStaffAreToldOnce()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch",
            new { departmentId = w.DepartmentId, dueAt = w.Factory.Clock.GetUtcNow().AddHours(2) });
        var worker = w.Service<TicketClockWorker>();

        w.Factory.Clock.Advance(TimeSpan.FromHours(3));
        await worker.RunOnceAsync(CancellationToken.None);
        await worker.RunOnceAsync(CancellationToken.None);

        Assert.That((await TicketWorld.GetAsync(w.Staff.Client, ticket.Id)).IsOverdue, Is.True);
        Assert.That((await NotificationKindsAsync(w.Staff.Client)).Count(k => k == "ticket_overdue"), Is.EqualTo(1));
        using var overdueList = await w.Staff.Client.GetAsync($"/api/v1/tickets?overdue=true&communityId={w.CommunityId}");
        var page = await overdueList.Content.ReadFromJsonAsync<TicketPageDto>(TicketsApp.Json);
        Assert.That(page!.Items.Select(i => i.Id), Is.EqualTo(new[] { ticket.Id }));
    }

    [Test]
    public async Task EveryTransitionIsOnTheTimelineInTheDatabase()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "reject", new { reason = "重复诉求" });

        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        var events = (await connection.QueryAsync<(string Action, string ToStatus, long? ActorId)>(
            "SELECT action, to_status, actor_id FROM ticket_events WHERE ticket_id = @id ORDER BY id", new { id = ticket.Id })).ToList();
        Assert.That(events, Is.EqualTo(new[] { ("report", "submitted", (long?)w.Resident.Id), ("reject", "rejected", (long?)w.Staff.Id) }));
    }

    [Test]
    public async Task ActionBodiesAreValidatedFieldByField()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();

        using var noDepartment = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "dispatch", new { note = "派给谁？" });
        using var noBody = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "reject", new { });
        using var longNote = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "publish", new { note = new string('长', 1001) });
        using var unknownDepartment = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = 999999999 });
        using var pastDue = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "dispatch",
            new { departmentId = w.DepartmentId, dueAt = w.Factory.Clock.GetUtcNow().AddHours(-1) });
        using var noReason = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "reject", new { reason = " " });
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "take");
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "resolve", new { result = "已处理" });
        using var badScore = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "evaluate", new { satisfaction = 6 });
        using var noScore = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "evaluate", new { comment = "没打分" });
        using var unknownAction = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "auto_close");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await ErrorFieldsAsync(noDepartment), Is.EqualTo(new[] { "departmentId" }));
            Assert.That(await ErrorFieldsAsync(noBody), Is.EqualTo(new[] { "reason" }));
            Assert.That(await ErrorFieldsAsync(longNote), Is.EqualTo(new[] { "note" }));
            Assert.That(await ErrorFieldsAsync(noScore), Is.EqualTo(new[] { "satisfaction" }));
            Assert.That(await ErrorFieldsAsync(unknownDepartment), Is.EqualTo(new[] { "departmentId" }));
            Assert.That(await ErrorFieldsAsync(pastDue), Is.EqualTo(new[] { "dueAt" }));
            Assert.That(await ErrorFieldsAsync(noReason), Is.EqualTo(new[] { "reason" }));
            Assert.That(await ErrorFieldsAsync(badScore), Is.EqualTo(new[] { "satisfaction" }));
            Assert.That(unknownAction.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "auto_close is the system's alone");
        });
        Assert.That((await TicketWorld.GetAsync(w.Resident.Client, ticket.Id)).Status, Is.EqualTo(TicketState.Resolved), "nothing changed");
    }

    [Test]
    public async Task OnlyTheDepartmentItWasDispatchedToSeesAndAcceptsIt()
    {
        var w = await TicketWorld.CreateAsync();
        var otherDepartment = await w.Data.DepartmentAsync();
        var (_, otherStaff) = await w.Data.SignedInAsync(Roles.DepartmentStaff, departmentId: otherDepartment);
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });

        using var byOther = await TicketWorld.ActAsync(otherStaff, ticket.Id, "accept");
        var noted = await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "note", new { text = "明天上午派人去看" });

        Assert.That(byOther.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(noted.Timeline[^1].ActorRole, Is.EqualTo(Roles.DepartmentStaff));
        Assert.That(noted.AllowedActions, Is.EquivalentTo(new[] { TicketAction.Accept, TicketAction.Return, TicketAction.Note }));
    }

    [Test]
    public async Task EveryActionIsItsOwnOperationWithItsOwnBodyAndAnswers()
    {
        var document = await TicketsApp.Factory.CreateClient().GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var paths = document.GetProperty("paths");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var spec in TicketActionTable.All.Where(s => s.Action != TicketAction.AutoClose))
        {
            var code = spec.Action.ToCode();
            // A path segment is kebab case: return_visit is /return-visit.
            var operation = paths.GetProperty($"/api/v1/tickets/{{id}}/{code.Replace('_', '-')}").GetProperty("post");
            var schemaRef = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
                .GetProperty("schema").GetProperty("$ref").GetString()!;
            var schema = schemas.GetProperty(schemaRef.Split('/')[^1]);
            var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(operation.GetProperty("operationId").GetString(), Is.EqualTo($"{spec.Action}Ticket"));
                Assert.That(operation.GetProperty("summary").GetString(), Is.EqualTo(spec.Summary));
                Assert.That(operation.GetProperty("description").GetString(), Does.StartWith(spec.Description));
                Assert.That(schemaRef, Does.EndWith($"{spec.Action}Request"), code);
                Assert.That(responses, Is.SupersetOf(new[] { "200", "400", "403", "404", "409", "422" }), code);
                Assert.That(schema.GetProperty("properties").EnumerateObject().Select(p => p.Name),
                    Is.SubsetOf(new[] { "departmentId", "dueAt", "note", "reason", "result", "text", "photoIds", "satisfaction", "comment", "categoryId", "departmentIds", "leadDepartmentId", "reportBy", "intoTicketId", "satisfiedAfterVisit" }), code);
            });
        }
        Assert.That(paths.TryGetProperty("/api/v1/tickets/{id}/{action}", out _), Is.False, "no generic action route is left");
    }

    private static async Task<string[]> ErrorFieldsAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();
    }

    internal static async Task<List<string>> NotificationKindsAsync(HttpClient client)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications?limit=50");
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()!).ToList();
    }
}
