using System.Net;
using System.Net.Http.Json;
using Linli.Api.GridWork;
using Linli.Api.Tests.Houses;
using Linli.Domain.GridWork;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.GridWork;

public class VisitStatsApiTests
{
    [Test]
    public async Task FiguresAreExactOnAKnownMonth()
    {
        // Monday 1 April 2030, noon in China; the figures cover March 2030.
        using var factory = GridWorkApp.Create(new DateTimeOffset(2030, 4, 1, 4, 0, 0, TimeSpan.Zero));
        var world = await HouseWorld.CreateAsync(factory);
        var (staffId, staff) = await world.Data.SignedInAsync(Roles.CommunityStaff, world.CommunityId);
        var (partyId, party) = await world.Data.SignedInAsync(Roles.PartyMember, world.CommunityId);
        var h1 = await GridWorld.RegisterAsync(world.Worker, await GridWorld.HouseAsync(world));
        var h2 = await GridWorld.RegisterAsync(staff, await GridWorld.HouseAsync(world, world.OtherGridId));

        async Task Assign(long household, long user, ContactRhythm rhythm, string startsOn) =>
            await HouseWorld.ReadAsync<ContactAssignmentDto>(await staff.PostAsJsonAsync("/api/v1/contact-assignments",
                new { householdId = household, userId = user, rhythm, startsOn }, HousesApp.Json), HttpStatusCode.Created);
        async Task Visit(HttpClient by, long household, string chinaTime) =>
            await HouseWorld.ReadAsync<VisitDto>(await GridWorld.LogVisitAsync(by,
                new { householdId = household, kind = VisitKind.Visit, note = "走访", visitedAt = chinaTime + "+08:00" }, HousesApp.Json),
                HttpStatusCode.Created);

        // The worker owes h1 four March weeks (4–10, 11–17, 18–24, 25–31) and visits in two of them.
        await Assign(h1.Id, world.WorkerId, ContactRhythm.Weekly, "2030-03-01");
        await Visit(world.Worker, h1.Id, "2030-03-05T10:00:00");
        await Visit(world.Worker, h1.Id, "2030-03-06T10:00:00");
        await Visit(world.Worker, h1.Id, "2030-03-20T23:30:00");
        // Staff owe h1 March and never go: the worker's visits are not theirs.
        await Assign(h1.Id, staffId, ContactRhythm.Monthly, "2030-03-01");
        // The party member owes h2 March and goes; staff also drop by h2 without an assignment, which counts for nobody.
        await Assign(h2.Id, partyId, ContactRhythm.Monthly, "2030-01-01");
        await Visit(party, h2.Id, "2030-03-15T09:00:00");
        await Visit(staff, h2.Id, "2030-03-10T09:00:00");
        // Half past midnight on 1 April in China is still 31 March in UTC: it is April, outside the figures.
        await Visit(world.Worker, h1.Id, "2030-04-01T00:30:00");

        var all = await HouseWorld.ReadAsync<VisitStatsDto>(await staff.GetAsync("/api/v1/stats/visits?from=2030-03-01&to=2030-03-31"));
        var grid = await HouseWorld.ReadAsync<VisitStatsDto>(
            await factory.ClientFor(world.WorkerId, Roles.GridWorker).GetAsync("/api/v1/stats/visits?from=2030-03-01&to=2030-03-31"));
        var backwards = await staff.GetAsync("/api/v1/stats/visits?from=2030-03-31&to=2030-03-01");
        var byParty = await party.GetAsync("/api/v1/stats/visits?from=2030-03-01&to=2030-03-31");

        Assert.Multiple(() =>
        {
            Assert.That((all.Due, all.Done, all.OnTimeRate), Is.EqualTo((6, 3, 0.5)));
            Assert.That(all.People.Select(p => (p.Id, p.Due, p.Done, p.OnTimeRate)), Is.EquivalentTo(new[]
            {
                (world.WorkerId, 4, 2, (double?)0.5), (staffId, 1, 0, (double?)0.0), (partyId, 1, 1, (double?)1.0),
            }));
            Assert.That(all.Grids.Select(g => (g.Id, g.Due, g.Done, g.OnTimeRate)), Is.EquivalentTo(new[]
            {
                (world.GridId, 5, 2, (double?)0.4), (world.OtherGridId, 1, 1, (double?)1.0),
            }));
            Assert.That(all.Communities.Select(c => (c.Id, c.Due, c.Done)), Is.EqualTo(new[] { (world.CommunityId, 6, 3) }));
            Assert.That((grid.Due, grid.Done), Is.EqualTo((5, 2)), "a grid worker sees their grid only");
            Assert.That(grid.Grids.Select(g => g.Id), Is.EqualTo(new[] { world.GridId }));
            Assert.That(backwards.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(byParty.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }
}
