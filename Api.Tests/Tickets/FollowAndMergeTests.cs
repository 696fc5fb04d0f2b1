using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.Tests.Uploads;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;

namespace Linli.Api.Tests.Tickets;

public class FollowAndMergeTests
{
    private static async Task<TicketFollowersApi.FollowDto> FollowAsync(HttpClient client, long ticketId)
    {
        using var response = await client.PostAsync($"/api/v1/tickets/{ticketId}/follow", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TicketFollowersApi.FollowDto>(TicketsApp.Json))!;
    }

    private static async Task<List<string>> KindsToldAsync(TicketWorld w, long userId, long ticketId)
    {
        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        return (await connection.QueryAsync<string>("SELECT kind FROM notifications WHERE user_id = @userId AND ticket_id = @ticketId ORDER BY id",
            new { userId, ticketId })).ToList();
    }

    private static async Task<List<string>> TitlesToldAsync(TicketWorld w, long userId, long ticketId)
    {
        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        return (await connection.QueryAsync<string>("SELECT title FROM notifications WHERE user_id = @userId AND ticket_id = @ticketId ORDER BY id",
            new { userId, ticketId })).ToList();
    }

    private static async Task<int> OutboxRowsAsync(TicketWorld w, long userId, string kind)
    {
        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notification_outbox WHERE user_id = @userId AND kind = @kind",
            new { userId, kind });
    }

    private static Task<HttpResponseMessage> MergeAsync(HttpClient client, long id, long intoTicketId) =>
        client.PostAsJsonAsync($"/api/v1/tickets/{id}/merge", new { intoTicketId });

    [Test]
    public async Task AFollowerIsToldAsTheReporterIsUntilTheyStop()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        var (neighbourId, neighbour) = await w.Data.SignedInAsync(Roles.Resident);

        var first = await FollowAsync(neighbour, ticket.Id);
        var again = await FollowAsync(neighbour, ticket.Id);
        var staffSees = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);
        using var own = await w.Resident.Client.PostAsync($"/api/v1/tickets/{ticket.Id}/follow", null);
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });
        using var stop = await neighbour.DeleteAsync($"/api/v1/tickets/{ticket.Id}/follow");
        var stopped = await stop.Content.ReadFromJsonAsync<TicketFollowersApi.FollowDto>(TicketsApp.Json);
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "accept");
        var staffView = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);
        using var page = await neighbour.GetAsync($"/api/v1/tickets/{ticket.Id}");
        var card = await neighbour.GetFromJsonAsync<TicketFollowersApi.FollowedTicketDto>($"/api/v1/tickets/{ticket.Id}/follow", TicketsApp.Json);

        Assert.Multiple(async () =>
        {
            Assert.That(first, Is.EqualTo(new TicketFollowersApi.FollowDto(ticket.Id, 1, true)));
            Assert.That(again.Followers, Is.EqualTo(1), "following twice counts once");
            Assert.That(staffSees.Followers, Is.EqualTo(1));
            Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(stop.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(stopped, Is.EqualTo(new TicketFollowersApi.FollowDto(ticket.Id, 0, false)));
            Assert.That(await KindsToldAsync(w, neighbourId, ticket.Id), Is.EqualTo(new[] { "ticket_dispatched" }));
            Assert.That(await OutboxRowsAsync(w, neighbourId, "ticket_dispatched"), Is.EqualTo(1), "one subscribe message, as the reporter gets");
            Assert.That(await KindsToldAsync(w, w.Resident.Id, ticket.Id), Is.EqualTo(new[] { "ticket_dispatched", "ticket_accepted" }));
            Assert.That(staffView.Followers, Is.EqualTo(0));
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a follower sees the public card, not the ticket page");
            Assert.That(card!.Status, Is.EqualTo(TicketState.InProgress));
            Assert.That(card.Following, Is.False);
        });
    }

    [Test]
    public async Task OnlyAnOpenTicketCanBeFollowed()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Resident.Client, ticket.Id, "cancel");

        using var response = await w.GridWorker.Client.PostAsync($"/api/v1/tickets/{ticket.Id}/follow", null);
        using var missing = await w.GridWorker.Client.PostAsync("/api/v1/tickets/999999999/follow", null);
        using var missingStop = await w.GridWorker.Client.DeleteAsync("/api/v1/tickets/999999999/follow");
        using var closedCard = await w.GridWorker.Client.GetAsync($"/api/v1/tickets/{ticket.Id}/follow");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentState").GetString(), Is.EqualTo("cancelled"));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(missingStop.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(closedCard.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a closed ticket nobody follows is not public");
        });
    }

    [Test]
    public async Task TheDispatchQueuePutsTheMostFollowedFirstAPageAtATime()
    {
        var w = await TicketWorld.CreateAsync();
        var older = await w.ReportAsync();
        var newer = await w.ReportAsync();
        foreach (var _ in Enumerable.Range(0, 2))
            await FollowAsync((await w.Data.SignedInAsync(Roles.Resident)).Client, older.Id);

        var first = await w.Staff.Client.GetFromJsonAsync<TicketPageDto>($"/api/v1/tickets?status=submitted&communityId={w.CommunityId}&limit=1", TicketsApp.Json);
        var second = await w.Staff.Client.GetFromJsonAsync<TicketPageDto>(
            $"/api/v1/tickets?status=submitted&communityId={w.CommunityId}&limit=1&cursor={first!.NextCursor}", TicketsApp.Json);
        var everything = await w.Staff.Client.GetFromJsonAsync<TicketPageDto>($"/api/v1/tickets?communityId={w.CommunityId}", TicketsApp.Json);
        using var plainCursor = await w.Staff.Client.GetAsync($"/api/v1/tickets?status=submitted&communityId={w.CommunityId}&cursor={older.Id}");
        using var queueCursorElsewhere = await w.Staff.Client.GetAsync($"/api/v1/tickets?communityId={w.CommunityId}&cursor=2.{older.Id}");

        Assert.Multiple(async () =>
        {
            Assert.That(first.Items.Select(t => (t.Id, t.Followers)), Is.EqualTo(new[] { (older.Id, 2) }));
            Assert.That(first.NextCursor, Is.EqualTo($"2.{older.Id}"));
            Assert.That(second!.Items.Select(t => t.Id), Is.EqualTo(new[] { newer.Id }));
            Assert.That(everything!.Items.Select(t => t.Id), Is.EqualTo(new[] { newer.Id, older.Id }), "other lists stay newest first");
            Assert.That(plainCursor.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(queueCursorElsewhere.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await queueCursorElsewhere.Content.ReadAsStringAsync(), Does.Contain("cursor"));
        });
    }

    [Test]
    public async Task MergingMakesTheDuplicatesPeopleFollowersAndShowsItsPhotosOnTheOriginal()
    {
        var w = await TicketWorld.CreateAsync();
        var original = await w.ReportAsync();
        var (reporterId, reporter) = await w.Data.SignedInAsync(Roles.Resident);
        var (_, photoId) = await UploadsTests.UploadAsync(reporter, UploadsTests.Photo(32, 24));
        using var reported = await w.PostReportAsync(reporter,
            new { categoryId = await w.CategoryIdAsync(), description = "同一个路灯坏了", gridId = w.GridId, photoIds = new[] { photoId } });
        var duplicate = (await reported.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json))!;
        var (followerId, follower) = await w.Data.SignedInAsync(Roles.Resident);
        await FollowAsync(follower, duplicate.Id);

        using var merge = await MergeAsync(w.Staff.Client, duplicate.Id, original.Id);
        var merged = (await merge.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json))!;
        var after = await TicketWorld.GetAsync(w.Staff.Client, original.Id);
        var reporterSees = await TicketWorld.GetAsync(reporter, duplicate.Id);
        using var cardResponse = await reporter.GetAsync($"/api/v1/tickets/{original.Id}/follow");
        var cardBody = await cardResponse.Content.ReadAsStringAsync();
        var card = JsonSerializer.Deserialize<TicketFollowersApi.FollowedTicketDto>(cardBody, TicketsApp.Json);
        var mergedCard = await follower.GetFromJsonAsync<TicketFollowersApi.FollowedTicketDto>($"/api/v1/tickets/{duplicate.Id}/follow", TicketsApp.Json);
        using var photo = await w.Staff.Client.GetAsync($"/api/v1/uploads/{photoId}");
        await TicketWorld.ActOkAsync(w.Staff.Client, original.Id, "take");
        await TicketWorld.ActOkAsync(w.Staff.Client, original.Id, "resolve", new { result = "已更换灯泡" });

        Assert.Multiple(async () =>
        {
            Assert.That(merge.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(merged.Status, Is.EqualTo(TicketState.Merged));
            Assert.That(merged.MergedIntoId, Is.EqualTo(original.Id));
            Assert.That(merged.AllowedActions, Is.Empty, "merged is final");
            Assert.That(merged.Timeline[^1].Action, Is.EqualTo("merge"));
            Assert.That(merged.Timeline[^1].ToStatus, Is.EqualTo(TicketState.Merged));
            Assert.That(merged.Timeline[^1].Note, Does.Contain(original.Number));
            Assert.That(reporterSees.Status, Is.EqualTo(TicketState.Merged), "the reporter still sees their own ticket, merged");
            Assert.That(after.Followers, Is.EqualTo(2), "the duplicate's reporter and its follower");
            Assert.That(after.Status, Is.EqualTo(TicketState.Submitted));
            Assert.That(after.Timeline[^1].Action, Is.EqualTo("merge"));
            Assert.That(after.Timeline[^1].Note, Does.Contain(duplicate.Number));
            Assert.That(after.Timeline[^1].Photos.Select(p => p.Id), Is.EqualTo(new[] { photoId }));
            Assert.That(photo.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(card!.Following, Is.True, "the duplicate's reporter now follows the original");
            Assert.That(card.Followers, Is.EqualTo(2));
            Assert.That(cardBody, Does.Not.Contain("submitter").And.Not.Contain("13912345678"));
            Assert.That(mergedCard!.Status, Is.EqualTo(TicketState.Merged), "a follower still reads the merged duplicate it followed");
            Assert.That(mergedCard.MergedIntoId, Is.EqualTo(original.Id));
            Assert.That(await KindsToldAsync(w, reporterId, duplicate.Id), Is.EqualTo(new[] { "ticket_merged" }));
            Assert.That(await KindsToldAsync(w, followerId, duplicate.Id), Is.EqualTo(new[] { "ticket_merged" }));
            Assert.That(await KindsToldAsync(w, reporterId, original.Id), Is.EqualTo(new[] { "ticket_resolved" }));
            Assert.That(await KindsToldAsync(w, followerId, original.Id), Is.EqualTo(new[] { "ticket_resolved" }));
            Assert.That(await KindsToldAsync(w, w.Resident.Id, original.Id), Is.EqualTo(new[] { "ticket_resolved" }),
                "the original's reporter is told once, not again as a follower");
            Assert.That(await TitlesToldAsync(w, w.Resident.Id, original.Id), Is.EqualTo(new[] { "您的诉求已办结，请评价" }));
            Assert.That(await TitlesToldAsync(w, followerId, original.Id), Is.EqualTo(new[] { "您关注的诉求已办结" }),
                "a follower is not asked to evaluate what they did not report");
            Assert.That(await TitlesToldAsync(w, followerId, duplicate.Id), Is.EqualTo(new[] { "您关注的诉求已与相同问题合并办理" }));
        });
    }

    [Test]
    public async Task MergingIntoAClosedOrMergedTicketIsAConflictAndOnlyStaffOfBothMerge()
    {
        var w = await TicketWorld.CreateAsync();
        var elsewhere = await TicketWorld.CreateAsync();
        var cancelled = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Resident.Client, cancelled.Id, "cancel");
        var original = await w.ReportAsync();
        var mergedAway = await w.ReportAsync();
        using (var first = await MergeAsync(w.Staff.Client, mergedAway.Id, original.Id))
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var duplicate = await w.ReportAsync();
        var otherCommunity = await elsewhere.ReportAsync();

        using var intoCancelled = await MergeAsync(w.Staff.Client, duplicate.Id, cancelled.Id);
        using var intoMerged = await MergeAsync(w.Staff.Client, duplicate.Id, mergedAway.Id);
        using var mergedAgain = await MergeAsync(w.Staff.Client, mergedAway.Id, duplicate.Id);
        using var byResident = await MergeAsync(w.Resident.Client, duplicate.Id, original.Id);
        using var byDepartment = await MergeAsync(w.DepartmentStaff.Client, duplicate.Id, original.Id);
        using var intoItself = await MergeAsync(w.Staff.Client, duplicate.Id, duplicate.Id);
        using var intoAnotherCommunity = await MergeAsync(w.Staff.Client, duplicate.Id, otherCommunity.Id);
        using var withoutOriginal = await w.Staff.Client.PostAsJsonAsync($"/api/v1/tickets/{duplicate.Id}/merge", new { });

        Assert.Multiple(async () =>
        {
            Assert.That(intoCancelled.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await intoCancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentState").GetString(), Is.EqualTo("cancelled"));
            Assert.That(intoMerged.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await intoMerged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentState").GetString(), Is.EqualTo("merged"));
            Assert.That(mergedAgain.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(byDepartment.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(intoItself.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await intoItself.Content.ReadAsStringAsync(), Does.Contain("intoTicketId"));
            Assert.That(intoAnotherCommunity.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(withoutOriginal.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await withoutOriginal.Content.ReadAsStringAsync(), Does.Contain("intoTicketId"));
            var unchanged = await TicketWorld.GetAsync(w.Staff.Client, duplicate.Id);
            Assert.That(unchanged.Status, Is.EqualTo(TicketState.Submitted));
            Assert.That(unchanged.Timeline.Select(e => e.Action), Is.EqualTo(new[] { "report" }), "a refused merge leaves nothing behind");
            Assert.That((await TicketWorld.GetAsync(w.Staff.Client, cancelled.Id)).Timeline.Select(e => e.Action), Does.Not.Contain("merge"));
        });
    }

    [Test]
    public async Task AMergedDuplicateIsNotCountedAsASecondProblemReceived()
    {
        var w = await TicketWorld.CreateAsync();
        var original = await w.ReportAsync();
        var duplicate = await w.ReportAsync();
        using (var merge = await MergeAsync(w.Staff.Client, duplicate.Id, original.Id))
            Assert.That(merge.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var day = DateOnly.FromDateTime(original.CreatedAt.UtcDateTime.AddHours(8));

        var stats = await w.Staff.Client.GetFromJsonAsync<JsonElement>(FormattableString.Invariant(
            $"/api/v1/stats/tickets?from={day.AddDays(-1):yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}&communityId={w.CommunityId}"));

        Assert.That(stats.GetProperty("totals").GetProperty("received").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task CrossingMergesLeaveExactlyOneMerged()
    {
        var w = await TicketWorld.CreateAsync();
        var a = await w.ReportAsync();
        var b = await w.ReportAsync();

        var answers = await Task.WhenAll(MergeAsync(w.Staff.Client, a.Id, b.Id), MergeAsync(w.Staff.Client, b.Id, a.Id));
        var states = new[] { (await TicketWorld.GetAsync(w.Staff.Client, a.Id)).Status, (await TicketWorld.GetAsync(w.Staff.Client, b.Id)).Status };

        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(r => r.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
            Assert.That(states.Count(s => s == TicketState.Merged), Is.EqualTo(1));
        });
        foreach (var answer in answers)
            answer.Dispose();
    }
}
