using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.Tickets;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.Tickets;

public class TicketConcurrencyTests
{
    [Test]
    public async Task FiftyPartyMembersClaimOneTicketAndExactlyOneWins()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "publish");
        var members = new List<HttpClient>();
        for (var i = 0; i < 50; i++)
            members.Add((await w.Data.SignedInAsync(Roles.PartyMember, communityId: w.CommunityId)).Client);

        using var start = new SemaphoreSlim(0);
        var claims = members.Select(async client =>
        {
            await start.WaitAsync();
            using var response = await TicketWorld.ActAsync(client, ticket.Id, "claim");
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Conflict))
                TestContext.Out.WriteLine($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return response.StatusCode;
        }).ToList();
        start.Release(claims.Count);
        var statuses = await Task.WhenAll(claims);

        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(statuses.Count(s => s == HttpStatusCode.Conflict), Is.EqualTo(49));
        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        var claimEvents = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = @id AND action = 'claim'", new { id = ticket.Id });
        Assert.That(claimEvents, Is.EqualTo(1));
    }

    [Test]
    public async Task TwentyParallelSubmissionsWithOneIdempotencyKeyMakeOneTicket()
    {
        var w = await TicketWorld.CreateAsync();
        var categoryId = await w.CategoryIdAsync();
        var key = Guid.NewGuid().ToString("N");
        var body = new { categoryId, description = "小区门口井盖丢失，很危险", gridId = w.GridId };

        using var start = new SemaphoreSlim(0);
        var posts = Enumerable.Range(0, 20).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await w.PostReportAsync(w.Resident.Client, body, key);
            var ticket = await response.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json);
            return (response.StatusCode, ticket!.Id, ticket.Number);
        }).ToList();
        start.Release(posts.Count);
        var results = await Task.WhenAll(posts);

        Assert.That(results.Select(r => r.Id).Distinct().Count(), Is.EqualTo(1));
        Assert.That(results.Select(r => r.Number).Distinct().Count(), Is.EqualTo(1));
        Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(19));
        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        var tickets = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM tickets WHERE submitter_id = @me", new { me = w.Resident.Id });
        Assert.That(tickets, Is.EqualTo(1));
    }

    [Test]
    public async Task TwentyParallelReportsGetTwentyDifferentNumbers()
    {
        var w = await TicketWorld.CreateAsync();
        var categoryId = await w.CategoryIdAsync();
        var body = new { categoryId, description = "路灯不亮，晚上出行不便", gridId = w.GridId };

        using var start = new SemaphoreSlim(0);
        var posts = Enumerable.Range(0, 20).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await w.PostReportAsync(w.Resident.Client, body);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            return (await response.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json))!.Number;
        }).ToList();
        start.Release(posts.Count);
        var numbers = await Task.WhenAll(posts);

        Assert.That(numbers.Distinct().Count(), Is.EqualTo(20));
    }

    [Test]
    public async Task TheSameKeyLaterReturnsTheFirstTicketWithTheSameBody()
    {
        var w = await TicketWorld.CreateAsync();
        var body = new { categoryId = await w.CategoryIdAsync(), description = "垃圾桶满了没人清理", communityId = w.CommunityId };

        using var first = await w.PostReportAsync(w.Resident.Client, body, "key-1");
        using var replay = await w.PostReportAsync(w.Resident.Client, body, "key-1");
        using var other = await w.PostReportAsync(w.Resident.Client, body, "key-2");

        var a = await first.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json);
        var b = await replay.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json);
        var c = await other.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(b!.Id, Is.EqualTo(a!.Id));
        Assert.That(b.Number, Is.EqualTo(a.Number));
        Assert.That(c!.Id, Is.Not.EqualTo(a.Id));
    }
}
