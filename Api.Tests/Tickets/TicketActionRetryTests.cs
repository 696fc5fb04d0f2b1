using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Api.Tickets;
using Linli.Domain.Tickets;

namespace Linli.Api.Tests.Tickets;

/// <summary>
/// A ticket action sent again with the same Idempotency-Key after its answer was lost: the phone gets the ticket
/// (200), and nothing is done twice.
/// </summary>
public class TicketActionRetryTests
{
    private static async Task<HttpResponseMessage> ActAsync(HttpClient client, long ticketId, string action, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{ticketId}/{action}") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<(TicketWorld World, TicketDto Ticket)> InProgressAsync()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "accept");
        return (w, ticket);
    }

    [Test]
    public async Task ARetriedProgressReportIsWrittenOnce()
    {
        var (w, ticket) = await InProgressAsync();
        var key = Guid.NewGuid().ToString("N");

        using var first = await ActAsync(w.DepartmentStaff.Client, ticket.Id, "progress", new { note = "已联系物业，明天上门" }, key);
        using var retry = await ActAsync(w.DepartmentStaff.Client, ticket.Id, "progress", new { note = "已联系物业，明天上门" }, key);
        var now = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retry.Content.ReadAsStringAsync());
            Assert.That(now.Timeline.Count(e => e.Action == "progress"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ARetriedEvaluationThatLandedAnswersTheClosedTicket()
    {
        var (w, ticket) = await InProgressAsync();
        await TicketWorld.ActOkAsync(w.DepartmentStaff.Client, ticket.Id, "resolve", new { result = "已更换灯泡" });
        var key = Guid.NewGuid().ToString("N");

        using var first = await ActAsync(w.Resident.Client, ticket.Id, "evaluate", new { satisfaction = 4 }, key);
        using var retry = await ActAsync(w.Resident.Client, ticket.Id, "evaluate", new { satisfaction = 4 }, key);
        using var unkeyed = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "evaluate", new { satisfaction = 4 });
        var answered = await retry.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json);

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the key says it is the same evaluation");
            Assert.That((answered!.Status, answered.Satisfaction), Is.EqualTo((TicketState.Closed, (int?)4)));
            Assert.That(answered.Timeline.Count(e => e.Action == "evaluate"), Is.EqualTo(1));
            Assert.That(unkeyed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "without the key it cannot be told from a second evaluation");
        });
    }

    [Test]
    public async Task SimultaneousRetriesActOnce()
    {
        var (w, ticket) = await InProgressAsync();
        var key = Guid.NewGuid().ToString("N");
        using var start = new SemaphoreSlim(0);

        var posts = Enumerable.Range(0, 6).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await ActAsync(w.DepartmentStaff.Client, ticket.Id, "note", new { text = "已与居民电话沟通" }, key);
            return response.StatusCode;
        }).ToList();
        start.Release(posts.Count);
        var answers = await Task.WhenAll(posts);
        var now = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);

        Assert.Multiple(() =>
        {
            Assert.That(answers, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(now.Timeline.Count(e => e.Action == "note"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AKeyUsedForAnotherActionIsRefused()
    {
        var (w, ticket) = await InProgressAsync();
        var key = Guid.NewGuid().ToString("N");

        using var progress = await ActAsync(w.DepartmentStaff.Client, ticket.Id, "progress", new { note = "已联系物业" }, key);
        using var resolve = await ActAsync(w.DepartmentStaff.Client, ticket.Id, "resolve", new { result = "已更换灯泡" }, key);
        var now = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);

        Assert.Multiple(async () =>
        {
            Assert.That(progress.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(resolve.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await resolve.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name),
                Is.EqualTo(new[] { "Idempotency-Key" }));
            Assert.That(now.Status, Is.EqualTo(TicketState.InProgress), "the resolution was not applied");
        });
    }
}
