using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Tickets;

public class NearbyTicketsTests
{
    // Metres per degree of latitude on ST_Distance_Sphere's sphere.
    private const double MetresPerDegree = TicketLocations.EarthRadiusMeters * Math.PI / 180;

    /// <summary>A place no other test reports at: somewhere in Yunnan, at random.</summary>
    private static (double Latitude, double Longitude) SomewhereNew() =>
        (Math.Round(23 + Random.Shared.NextDouble() * 4, 6), Math.Round(99 + Random.Shared.NextDouble() * 5, 6));

    private static async Task<TicketDto> ReportAtAsync(TicketWorld w, long categoryId, double latitude, double longitude, string description = "路灯不亮，晚上很黑")
    {
        using var response = await w.PostReportAsync(w.Resident.Client,
            new { categoryId, description, gridId = w.GridId, location = new { latitude, longitude }, contactPhone = "13912345678" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json))!;
    }

    [Test]
    public async Task OnlyTheNearOpenTicketOfTheCategoryIsListedWithoutWhoReportedIt()
    {
        var w = await TicketWorld.CreateAsync();
        var lamps = await w.CategoryIdAsync("设施维修");
        var litter = await w.CategoryIdAsync("环境卫生");
        var (lat, lng) = SomewhereNew();
        var near = await ReportAtAsync(w, lamps, Math.Round(lat + 50 / MetresPerDegree, 6), lng);
        await ReportAtAsync(w, lamps, Math.Round(lat + 500 / MetresPerDegree, 6), lng);
        await ReportAtAsync(w, litter, lat, Math.Round(lng + 20 / MetresPerDegree, 6));
        var cancelled = await ReportAtAsync(w, lamps, lat, lng);
        await TicketWorld.ActOkAsync(w.Resident.Client, cancelled.Id, "cancel");
        var (_, neighbour) = await w.Data.SignedInAsync(Roles.Resident);
        using (var follow = await neighbour.PostAsync($"/api/v1/tickets/{near.Id}/follow", null))
            Assert.That(follow.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var body = await neighbour.GetStringAsync(FormattableString.Invariant($"/api/v1/tickets/nearby?latitude={lat}&longitude={lng}&categoryId={lamps}"));
        var listed = JsonSerializer.Deserialize<List<NearbyTicketsApi.NearbyTicketDto>>(body, TicketsApp.Json)!;
        var anyCategory = (await neighbour.GetFromJsonAsync<List<NearbyTicketsApi.NearbyTicketDto>>(
            FormattableString.Invariant($"/api/v1/tickets/nearby?latitude={lat}&longitude={lng}"), TicketsApp.Json))!;

        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(t => t.Id), Is.EqualTo(new[] { near.Id }));
            Assert.That(listed[0].DistanceMeters, Is.InRange(49, 51));
            Assert.That(listed[0].Status, Is.EqualTo(TicketState.Submitted));
            Assert.That(listed[0].CategoryName, Is.EqualTo("设施维修"));
            Assert.That(listed[0].Followers, Is.EqualTo(1));
            Assert.That(anyCategory.Select(t => t.Id).ToList(), Has.Member(near.Id).And.Count.EqualTo(2));
            Assert.That(body, Does.Not.Contain("submitter").And.Not.Contain("contact").And.Not.Contain("number").And.Not.Contain("13912345678"));
        });
    }

    [Test]
    public async Task BadCoordinatesAreFieldErrors()
    {
        var w = await TicketWorld.CreateAsync();

        using var missing = await w.Resident.Client.GetAsync("/api/v1/tickets/nearby?latitude=25");
        using var outside = await w.Resident.Client.GetAsync("/api/v1/tickets/nearby?latitude=91&longitude=102");

        Assert.Multiple(async () =>
        {
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await missing.Content.ReadAsStringAsync(), Does.Contain("longitude"));
            Assert.That(outside.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await outside.Content.ReadAsStringAsync(), Does.Contain("latitude"));
        });
    }

    [Test]
    public async Task PointsAreLongitudeFirstSoTheDistanceBetweenZenicaAndSarajevoIsRight()
    {
        await using var connection = await TicketsApp.Factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();

        // MariaDB's documentation gives 55878.59 m for these two towns on its default sphere.
        var metres = await connection.ExecuteScalarAsync<double>(
            $"SELECT ST_Distance_Sphere({TicketLocations.Sql("zenica")}, {TicketLocations.Sql("sarajevo")})",
            new { zenica = TicketLocations.Point(44.203438, 17.907743), sarajevo = TicketLocations.Point(43.856258, 18.413076) });

        Assert.That(metres, Is.EqualTo(55878.59).Within(0.5));
    }

    [Test]
    public async Task TheSearchWalksTheSpatialIndex()
    {
        var w = await TicketWorld.CreateAsync();
        var (lat, lng) = SomewhereNew();
        await ReportAtAsync(w, await w.CategoryIdAsync(), lat, lng);
        await using var connection = await TicketsApp.Factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();

        var plan = (await connection.QueryAsync("EXPLAIN " + NearbyTicketsApi.Sql(byCategory: true),
            NearbyTicketsApi.Parameters(lat, lng, 1, 100))).Cast<IDictionary<string, object?>>().ToList();

        var tickets = plan.Single(row => Equals(row["table"], "t"));
        Assert.That(tickets["key"], Is.EqualTo("sx_tickets_location"), string.Join("; ", plan.Select(r => string.Join(",", r.Values))));
    }

    [Test]
    public async Task ATicketReportedWithoutALocationIsNeverNearby()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await using var connection = await TicketsApp.Factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();

        var listed = await w.Resident.Client.GetFromJsonAsync<List<NearbyTicketsApi.NearbyTicketDto>>("/api/v1/tickets/nearby?latitude=0&longitude=0", TicketsApp.Json);
        var stored = await connection.ExecuteScalarAsync<string>("SELECT ST_AsText(location) FROM tickets WHERE id = @Id", new { ticket.Id });

        Assert.Multiple(() =>
        {
            Assert.That(listed!.Select(t => t.Id), Does.Not.Contain(ticket.Id));
            Assert.That(stored, Is.EqualTo("POINT(0 0)"));
        });
    }
}
