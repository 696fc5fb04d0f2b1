using System.Net;
using Linli.Api.Tests.Support;

namespace Linli.Api.Tests.Tickets;

/// <summary>
/// What one request asks of the database (issue 11, item 6), counted by a wrapper around the service's data source:
/// SQL statements (a batch of two counts two; a transaction's begin and commit count one each) and round trips.
/// Every request runs on one connection.
/// </summary>
public class StatementBudgetTests
{
    private static readonly Lazy<CountingFactory> Instance = new(() =>
    {
        var factory = new CountingFactory(TicketsApp.Settings());
        _ = factory.Server;
        return factory;
    });

    private sealed record Cost(int Statements, int RoundTrips, int Connections);

    private static async Task<Cost> MeasureAsync(Func<Task<HttpResponseMessage>> request, HttpStatusCode expected)
    {
        var counter = Instance.Value.Counter!;
        counter.Reset();
        using var response = await request();
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return new Cost(counter.Statements, counter.RoundTrips, counter.Connections);
    }

    private static async Task<TicketWorld> WorldAsync() => await TicketWorld.CreateAsync(Instance.Value);

    [Test]
    public async Task ReportingAProblemTakesAtMostTenStatementsOnOneConnection()
    {
        var w = await WorldAsync();
        var category = await w.CategoryIdAsync();

        var cost = await MeasureAsync(() => w.PostReportAsync(w.Resident.Client,
            new { categoryId = category, description = "楼道灯坏了，晚上很黑", gridId = w.GridId, contactPhone = "13912345678" }), HttpStatusCode.Created);

        TestContext.Out.WriteLine($"report: {cost}");
        Assert.Multiple(() =>
        {
            Assert.That(cost.Statements, Is.LessThanOrEqualTo(10));
            Assert.That(cost.Connections, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ATicketActionTakesAtMostEightStatementsPlusOnePerPersonTold()
    {
        var w = await WorldAsync();
        var taken = await w.ReportAsync();
        var dispatched = await w.ReportAsync();
        var published = await w.ReportAsync();

        // take tells nobody; dispatch tells the resident and the department's one staff member; accept tells the resident;
        // publish tells the community's one party member.
        var take = await MeasureAsync(() => TicketWorld.ActAsync(w.Staff.Client, taken.Id, "take"), HttpStatusCode.OK);
        var dispatch = await MeasureAsync(() => TicketWorld.ActAsync(w.Staff.Client, dispatched.Id, "dispatch", new { departmentId = w.DepartmentId }),
            HttpStatusCode.OK);
        var accept = await MeasureAsync(() => TicketWorld.ActAsync(w.DepartmentStaff.Client, dispatched.Id, "accept"), HttpStatusCode.OK);
        var publish = await MeasureAsync(() => TicketWorld.ActAsync(w.Staff.Client, published.Id, "publish"), HttpStatusCode.OK);

        TestContext.Out.WriteLine($"take: {take}; dispatch: {dispatch}; accept: {accept}; publish: {publish}");
        Assert.Multiple(() =>
        {
            Assert.That(take.Statements, Is.LessThanOrEqualTo(8), "take");
            Assert.That(dispatch.Statements, Is.LessThanOrEqualTo(8 + 2), "dispatch");
            Assert.That(accept.Statements, Is.LessThanOrEqualTo(8 + 1), "accept");
            Assert.That(publish.Statements, Is.LessThanOrEqualTo(8 + 1), "publish");
            Assert.That(new[] { take.Connections, dispatch.Connections, accept.Connections, publish.Connections }, Is.All.EqualTo(1));
        });
    }

    [Test]
    public async Task EachFollowerToldCostsOneRoundTripMore()
    {
        var w = await WorldAsync();
        var plain = await w.ReportAsync();
        var followed = await w.ReportAsync();
        for (var i = 0; i < 2; i++)
        {
            var (_, neighbour) = await w.Data.SignedInAsync(Linli.Domain.Identity.Roles.Resident);
            using var follow = await neighbour.PostAsync($"/api/v1/tickets/{followed.Id}/follow", null);
            Assert.That(follow.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var alone = await MeasureAsync(() => TicketWorld.ActAsync(w.Staff.Client, plain.Id, "dispatch", new { departmentId = w.DepartmentId }),
            HttpStatusCode.OK);
        var withFollowers = await MeasureAsync(() => TicketWorld.ActAsync(w.Staff.Client, followed.Id, "dispatch", new { departmentId = w.DepartmentId }),
            HttpStatusCode.OK);

        TestContext.Out.WriteLine($"dispatch: {alone}; with two followers: {withFollowers}");
        Assert.That(withFollowers.RoundTrips, Is.LessThanOrEqualTo(alone.RoundTrips + 2));
    }

    [Test]
    public async Task AListPageTakesAtMostTwoStatements()
    {
        var w = await WorldAsync();
        await w.ReportAsync();

        var cost = await MeasureAsync(() => w.Staff.Client.GetAsync("/api/v1/tickets?limit=20"), HttpStatusCode.OK);

        TestContext.Out.WriteLine($"list: {cost}");
        Assert.That(cost, Is.EqualTo(new Cost(2, 2, 1)));
    }

    [Test]
    public async Task ATicketsDetailTakesAtMostThreeStatements()
    {
        var w = await WorldAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "take");

        var cost = await MeasureAsync(() => w.Staff.Client.GetAsync($"/api/v1/tickets/{ticket.Id}"), HttpStatusCode.OK);

        TestContext.Out.WriteLine($"detail: {cost}");
        // The caller's read, then the ticket with its timeline in one round trip.
        Assert.Multiple(() =>
        {
            Assert.That(cost.Statements, Is.LessThanOrEqualTo(3));
            Assert.That(cost.RoundTrips, Is.LessThanOrEqualTo(2));
            Assert.That(cost.Connections, Is.EqualTo(1));
        });
    }
}
