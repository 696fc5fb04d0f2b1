using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Api.Homes;
using Linli.Api.Tests.GridWork;
using Linli.Api.Tests.Houses;
using Linli.Domain.Houses;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.Homes;

public class HomesApiTests
{
    private static async Task<HomesApi.HomeDto> PutHomeAsync(HttpClient client, object body, string path = "/api/v1/me/home") =>
        await HouseWorld.ReadAsync<HomesApi.HomeDto>(await client.PutAsJsonAsync(path, body, HousesApp.Json));

    private static async Task<JsonElement> FieldErrorsAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [Test]
    public async Task ResidentWhoChoosesCommunityAndGridReadsItBack()
    {
        var world = await HouseWorld.CreateAsync();
        var (_, resident) = await world.ResidentAsync();

        using (var before = await resident.GetAsync("/api/v1/me/home"))
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var home = await PutHomeAsync(resident, new { communityId = world.CommunityId, gridId = world.GridId });
        var read = await resident.GetFromJsonAsync<HomesApi.HomeDto>("/api/v1/me/home", HousesApp.Json);

        Assert.Multiple(() =>
        {
            Assert.That(home.CommunityId, Is.EqualTo(world.CommunityId));
            Assert.That(home.GridId, Is.EqualTo(world.GridId));
            Assert.That(home.Source, Is.EqualTo(HomeSources.Declared));
            Assert.That(home.HouseCode, Is.Null);
            Assert.That(read, Is.EqualTo(home));
        });
    }

    [Test]
    public async Task ScanningAHouseCodeMakesThatHouseHome()
    {
        var world = await HouseWorld.CreateAsync();
        var house = await world.HouseAsync(null, gridId: world.OtherGridId, landlordPhone: People.Phone());
        var (_, resident) = await world.ResidentAsync();

        var home = await PutHomeAsync(resident, new { houseCode = house.Code.ToLowerInvariant() }, "/api/v1/me/home/house");

        Assert.Multiple(() =>
        {
            Assert.That(home.GridId, Is.EqualTo(world.OtherGridId));
            Assert.That(home.HouseCode, Is.EqualTo(house.Code));
            Assert.That(home.Building, Is.EqualTo(house.Address.Building));
            Assert.That(home.Source, Is.EqualTo(HomeSources.HouseCode));
        });
    }

    [Test]
    public async Task BadHomesAreFieldErrors()
    {
        var world = await HouseWorld.CreateAsync();
        var elsewhere = await world.Data.GridAsync(await world.Data.CommunityAsync());
        var (_, resident) = await world.ResidentAsync();

        var nothing = await FieldErrorsAsync(await resident.PutAsJsonAsync("/api/v1/me/home", new { }));
        var noGrid = await FieldErrorsAsync(await resident.PutAsJsonAsync("/api/v1/me/home", new { communityId = world.CommunityId }));
        var foreignGrid = await FieldErrorsAsync(await resident.PutAsJsonAsync("/api/v1/me/home", new { communityId = world.CommunityId, gridId = elsewhere }));
        var noCode = await FieldErrorsAsync(await resident.PutAsJsonAsync("/api/v1/me/home/house", new { }));
        var unknownCode = await FieldErrorsAsync(await resident.PutAsJsonAsync("/api/v1/me/home/house", new { houseCode = "ZZZZZZZZ" }));
        var tooLong = await FieldErrorsAsync(await resident.PutAsJsonAsync("/api/v1/me/home/house", new { houseCode = new string('A', 40) }));
        using var after = await resident.GetAsync("/api/v1/me/home");

        Assert.Multiple(() =>
        {
            Assert.That(nothing.TryGetProperty("communityId", out _), Is.True, nothing.ToString());
            Assert.That(noGrid.TryGetProperty("gridId", out _), Is.True, noGrid.ToString());
            Assert.That(foreignGrid.GetProperty("gridId")[0].GetString(), Does.Contain("not in that community"));
            Assert.That(unknownCode.TryGetProperty("houseCode", out _), Is.True, unknownCode.ToString());
            Assert.That(noCode.TryGetProperty("houseCode", out _), Is.True, noCode.ToString());
            Assert.That(tooLong.TryGetProperty("houseCode", out _), Is.True, tooLong.ToString());
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task AnActiveTenancySetsTheTenantsHomeAndMovingOutTakesItAway()
    {
        var world = await HouseWorld.CreateAsync();
        var house = await world.HouseAsync(null, landlordPhone: People.Phone());
        var (tenantId, tenant) = await world.ResidentAsync();

        var tenancy = await HouseWorld.ReadAsync<Linli.Api.Tenancies.TenancyDto>(await world.Staff.PostAsJsonAsync(
            $"/api/v1/houses/{house.Id}/tenancies", HouseWorld.TenantBody(People.IdNumber(), tenantUserId: tenantId), HousesApp.Json),
            HttpStatusCode.Created);
        var home = await tenant.GetFromJsonAsync<HomesApi.HomeDto>("/api/v1/me/home", HousesApp.Json);
        using var moveOut = await world.Staff.PostAsJsonAsync($"/api/v1/tenancies/{tenancy.Id}/move-out", new { date = "2026-06-01" });
        using var after = await tenant.GetAsync("/api/v1/me/home");

        Assert.Multiple(() =>
        {
            Assert.That(home!.HouseCode, Is.EqualTo(house.Code));
            Assert.That(home.Source, Is.EqualTo(HomeSources.Tenancy));
            Assert.That(moveOut.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task AnOwnUseHouseIsItsOwnersHomeButARentedOneIsNot()
    {
        var world = await HouseWorld.CreateAsync();
        var (ownerId, owner) = await world.ResidentAsync();
        var (landlordId, landlord) = await world.ResidentAsync();

        var own = await world.HouseAsync(ownerId, HouseUse.OwnUse);
        await world.HouseAsync(landlordId, HouseUse.Rental);
        var home = await owner.GetFromJsonAsync<HomesApi.HomeDto>("/api/v1/me/home", HousesApp.Json);
        using var landlordHome = await landlord.GetAsync("/api/v1/me/home");

        Assert.Multiple(() =>
        {
            Assert.That(home!.HouseCode, Is.EqualTo(own.Code));
            Assert.That(home.Source, Is.EqualTo(HomeSources.Owner));
            Assert.That(landlordHome.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task ARegisteredHouseholdIsTheResidentsHomeAndAHouseMovedToAnotherGridTakesItsHomesAlong()
    {
        var world = await HouseWorld.CreateAsync();
        var house = await world.HouseAsync(null, landlordPhone: People.Phone());
        var (_, resident) = await world.ResidentAsync();

        using var registered = await resident.PostAsJsonAsync($"/api/v1/h/{house.Code}/households", GridWorld.Body(), HousesApp.Json);
        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await registered.Content.ReadAsStringAsync());
        var home = await resident.GetFromJsonAsync<HomesApi.HomeDto>("/api/v1/me/home", HousesApp.Json);
        using var moved = await world.Staff.PutAsJsonAsync($"/api/v1/houses/{house.Id}", new
        {
            gridId = world.OtherGridId, street = house.Address.Street, building = house.Address.Building, unit = house.Address.Unit,
            door = house.Address.Door, rooms = house.Rooms, use = house.Use,
        }, HousesApp.Json);
        var after = await resident.GetFromJsonAsync<HomesApi.HomeDto>("/api/v1/me/home", HousesApp.Json);

        Assert.Multiple(() =>
        {
            Assert.That(home!.HouseCode, Is.EqualTo(house.Code));
            Assert.That(home.Source, Is.EqualTo(HomeSources.Household));
            Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(after!.GridId, Is.EqualTo(world.OtherGridId));
        });
    }

    [Test]
    public async Task StaffAndStreetLeadersSeeHowManyLiveInEachGridAndNothingElse()
    {
        var world = await HouseWorld.CreateAsync();
        foreach (var grid in new[] { world.GridId, world.GridId, world.OtherGridId })
        {
            var (_, neighbour) = await world.ResidentAsync();
            await PutHomeAsync(neighbour, new { communityId = world.CommunityId, gridId = grid });
        }
        var (_, otherStaff) = await world.Data.SignedInAsync(Roles.CommunityStaff, await world.Data.CommunityAsync());
        var (_, someResident) = await world.ResidentAsync();
        var path = $"/api/v1/communities/{world.CommunityId}/resident-counts";

        var street = await world.Data.StreetOfficeAsync();
        await using (var c = await world.Db.OpenConnectionAsync())
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE communities SET street_office_id = @street WHERE id = @CommunityId", new { street, world.CommunityId });
        var leaderId = await world.Data.UserAsync("街道领导");
        await world.Data.GrantAsync(leaderId, Roles.StreetLeader, streetOfficeId: street);
        var leader = world.Factory.ClientFor(leaderId, Roles.StreetLeader);

        var counts = await world.Staff.GetFromJsonAsync<HomesApi.ResidentCountsDto>(path, HousesApp.Json);
        var byLeader = await leader.GetFromJsonAsync<HomesApi.ResidentCountsDto>(path, HousesApp.Json);
        using var raw = await world.Staff.GetAsync(path);
        using var foreign = await otherStaff.GetAsync(path);
        using var resident = await someResident.GetAsync(path);

        Assert.Multiple(async () =>
        {
            Assert.That(counts!.Residents, Is.EqualTo(3));
            Assert.That(counts.Grids.Single(g => g.GridId == world.GridId).Residents, Is.EqualTo(2));
            Assert.That(counts.Grids.Single(g => g.GridId == world.OtherGridId).Residents, Is.EqualTo(1));
            Assert.That(byLeader!.Residents, Is.EqualTo(3));
            Assert.That(await raw.Content.ReadAsStringAsync(), Does.Not.Contain("userId").And.Not.Contain("nickname"));
            Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(resident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }
}
