using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.Stats;
using Linli.Domain.Houses;

namespace Linli.Api.Tests.Houses;

public class PopulationApiTests
{
    [Test]
    public async Task FiguresCountHousesRentalsRoomsFreeAndCurrentTenantsPerGrid()
    {
        var world = await HouseWorld.CreateAsync();
        await using (var c = await world.Db.OpenConnectionAsync())
            await c.ExecuteAsync("UPDATE grids SET households = 4 WHERE id = @GridId", new { world.GridId });
        var (landlordId, landlord) = await world.ResidentAsync();
        var rented = await world.HouseAsync(landlordId, rooms: 3);
        await world.HouseAsync(landlordId, rooms: 2);
        await world.HouseAsync(landlordId, use: HouseUse.OwnUse, rooms: 5);
        var other = await world.HouseAsync(landlordId, gridId: world.OtherGridId, rooms: 1);
        await HouseWorld.TenancyAsync(landlord, rented.Id, People.IdNumber(), room: "A");
        await HouseWorld.TenancyAsync(landlord, rented.Id, People.IdNumber(), room: "A");
        await HouseWorld.TenancyAsync(landlord, rented.Id, People.IdNumber(), room: "B");
        var gone = await HouseWorld.TenancyAsync(landlord, rented.Id, People.IdNumber(), room: "C");
        await landlord.PostAsJsonAsync($"/api/v1/tenancies/{gone.Id}/move-out", new { date = "2026-04-01" }, HousesApp.Json);
        var (_, tenant) = await world.ResidentAsync();
        await tenant.PostAsJsonAsync($"/api/v1/h/{other.Code}/tenancies", HouseWorld.TenantBody(People.IdNumber()), HousesApp.Json);

        var figures = await HouseWorld.ReadAsync<PopulationDto>(await world.Staff.GetAsync($"/api/v1/stats/population?communityId={world.CommunityId}"));

        var grid = figures.Grids.Single(g => g.GridId == world.GridId);
        var otherGrid = figures.Grids.Single(g => g.GridId == world.OtherGridId);
        Assert.Multiple(() =>
        {
            Assert.That(figures.Grids, Has.Count.EqualTo(2));
            Assert.That((grid.Houses, grid.RentalHouses, grid.RentedHouses, grid.RoomsFree, grid.CurrentTenants), Is.EqualTo((3L, 2L, 1L, 3L, 3L)),
                "3 rooms − rooms A and B taken + 2 free in the empty rental; own-use rooms and moved-out tenants don't count");
            Assert.That(grid.TenantsPerHousehold, Is.EqualTo(0.75m));
            Assert.That((otherGrid.Houses, otherGrid.RentedHouses, otherGrid.RoomsFree, otherGrid.CurrentTenants), Is.EqualTo((1L, 0L, 1L, 0L)),
                "a pending self-registration is nobody living there yet");
            Assert.That(otherGrid.TenantsPerHousehold, Is.Null);
            Assert.That((figures.Houses, figures.RentalHouses, figures.RentedHouses, figures.RoomsFree, figures.CurrentTenants), Is.EqualTo((4L, 3L, 1L, 4L, 3L)));
        });
    }

    [Test]
    public async Task AGridWorkerGetsFiguresForTheirGridsOnly()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        await world.HouseAsync(landlordId);
        await world.HouseAsync(landlordId, gridId: world.OtherGridId);

        var figures = await HouseWorld.ReadAsync<PopulationDto>(await world.Worker.GetAsync($"/api/v1/stats/population?communityId={world.CommunityId}"));
        var askingForOther = await HouseWorld.ReadAsync<PopulationDto>(await world.Worker.GetAsync($"/api/v1/stats/population?gridId={world.OtherGridId}"));
        var (_, resident) = await world.ResidentAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(figures.Grids.Select(g => g.GridId), Is.EqualTo(new[] { world.GridId }));
            Assert.That(figures.Houses, Is.EqualTo(1));
            Assert.That(askingForOther.Grids, Is.Empty);
            Assert.That((await resident.GetAsync("/api/v1/stats/population")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }
}
