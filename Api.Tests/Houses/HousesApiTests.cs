using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.Houses;
using Linli.Domain.Houses;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.Houses;

public class HousesApiTests
{
    [Test]
    public async Task StaffRegisterAHouseWithAFreshCodeAndTheLandlordGetsTheLandlordRole()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();

        var house = await world.HouseAsync(landlordId, rooms: 4);

        await using var c = await world.Db.OpenConnectionAsync();
        var roles = await c.QueryAsync<string>("SELECT role FROM user_roles WHERE user_id = @landlordId AND revoked_at IS NULL", new { landlordId });
        Assert.Multiple(() =>
        {
            Assert.That(HouseCode.Normalise(house.Code), Is.EqualTo(house.Code));
            Assert.That(house.Landlord?.UserId, Is.EqualTo(landlordId));
            Assert.That(house.Rooms, Is.EqualTo(4));
            Assert.That(house.RoomsFree, Is.EqualTo(4));
            Assert.That(house.Use, Is.EqualTo(HouseUse.Rental));
            Assert.That(roles, Is.EquivalentTo(new[] { Roles.Landlord }));
        });
    }

    [Test]
    public async Task ASecondHouseOfTheSameLandlordKeepsOneLandlordRole()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();

        await world.HouseAsync(landlordId);
        await world.HouseAsync(landlordId);

        await using var c = await world.Db.OpenConnectionAsync();
        Assert.That(await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM user_roles WHERE user_id = @landlordId AND role = 'landlord' AND revoked_at IS NULL", new { landlordId }), Is.EqualTo(1));
    }

    [Test]
    public async Task NamingAUserAsLandlordOnlyOffersTheHouseAndGrantsNothingUntilTheyAcceptIt()
    {
        var world = await HouseWorld.CreateAsync();
        var (namedId, named) = await world.ResidentAsync();
        var (_, stranger) = await world.ResidentAsync();
        var created = await HouseWorld.ReadAsync<HouseDto>(await world.Staff.PostAsJsonAsync("/api/v1/houses",
            HouseWorld.HouseBody(world.CommunityId, world.GridId, namedId), HousesApp.Json), HttpStatusCode.Created);
        await HouseWorld.TenancyAsync(world.Staff, created.Id, People.IdNumber());
        await using var c = await world.Db.OpenConnectionAsync();
        async Task<long> LandlordRolesAsync() => await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM user_roles WHERE user_id = @namedId AND role = 'landlord' AND revoked_at IS NULL", new { namedId });

        var rolesBefore = await LandlordRolesAsync();
        var houseBefore = await named.GetAsync($"/api/v1/houses/{created.Id}");
        var tenantsBefore = await named.GetAsync($"/api/v1/houses/{created.Id}/tenancies");
        var offers = await HouseWorld.ReadAsync<List<HouseDto>>(await named.GetAsync("/api/v1/houses/landlord-offers"));
        var byStranger = await stranger.PostAsync($"/api/v1/houses/{created.Id}/landlord/accept", null);
        var accepted = await HouseWorld.ReadAsync<HouseDto>(await named.PostAsync($"/api/v1/houses/{created.Id}/landlord/accept", null));
        var tenantsAfter = await named.GetAsync($"/api/v1/houses/{created.Id}/tenancies");
        var again = await named.PostAsync($"/api/v1/houses/{created.Id}/landlord/accept", null);

        Assert.Multiple(async () =>
        {
            Assert.That(created.Landlord, Is.Null);
            Assert.That(created.OfferedLandlordId, Is.EqualTo(namedId));
            Assert.That(rolesBefore, Is.Zero, "no landlord role by assignment");
            Assert.That(houseBefore.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(tenantsBefore.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no tenants' data by assignment");
            Assert.That(offers.Select(h => h.Id), Is.EqualTo(new[] { created.Id }));
            Assert.That(byStranger.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(accepted.Landlord?.UserId, Is.EqualTo(namedId));
            Assert.That(accepted.OfferedLandlordId, Is.Null);
            Assert.That(await LandlordRolesAsync(), Is.EqualTo(1));
            Assert.That(tenantsAfter.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task AGridWorkerRegistersHousesOnlyInTheirOwnGrid()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();

        var own = await world.Worker.PostAsJsonAsync("/api/v1/houses", HouseWorld.HouseBody(world.CommunityId, world.GridId, landlordId), HousesApp.Json);
        var other = await world.Worker.PostAsJsonAsync("/api/v1/houses", HouseWorld.HouseBody(world.CommunityId, world.OtherGridId, landlordId), HousesApp.Json);

        Assert.Multiple(() =>
        {
            Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task AResidentCannotRegisterAHouse()
    {
        var world = await HouseWorld.CreateAsync();
        var (userId, resident) = await world.ResidentAsync();

        var response = await resident.PostAsJsonAsync("/api/v1/houses", HouseWorld.HouseBody(world.CommunityId, world.GridId, userId), HousesApp.Json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task MissingAndWrongFieldsAreNamed()
    {
        var world = await HouseWorld.CreateAsync();
        var otherCommunity = await world.Data.CommunityAsync();
        var otherGrid = await world.Data.GridAsync(otherCommunity);

        var empty = await world.Staff.PostAsJsonAsync("/api/v1/houses", new { communityId = world.CommunityId }, HousesApp.Json);
        var noLandlord = await world.Staff.PostAsJsonAsync("/api/v1/houses", HouseWorld.HouseBody(world.CommunityId, world.GridId, null), HousesApp.Json);
        var badPhone = await world.Staff.PostAsJsonAsync("/api/v1/houses",
            HouseWorld.HouseBody(world.CommunityId, world.GridId, null, landlordPhone: "12"), HousesApp.Json);
        var wrongGrid = await world.Staff.PostAsJsonAsync("/api/v1/houses",
            HouseWorld.HouseBody(world.CommunityId, otherGrid, null, landlordPhone: "13800001111"), HousesApp.Json);

        // Each field's form first, then the rule between fields, then what only the database knows.
        var emptyErrors = await Errors(empty);
        var noLandlordErrors = await Errors(noLandlord);
        var badPhoneErrors = await Errors(badPhone);
        var wrongGridErrors = await Errors(wrongGrid);
        Assert.Multiple(() =>
        {
            Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(emptyErrors, Is.EquivalentTo(new[] { "gridId", "street", "building", "door", "rooms", "use" }));
            Assert.That(noLandlordErrors, Is.EqualTo(new[] { "landlordId" }));
            Assert.That(badPhoneErrors, Is.EqualTo(new[] { "landlordPhone" }));
            Assert.That(wrongGrid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(wrongGridErrors, Is.EqualTo(new[] { "gridId" }));
        });
    }

    [Test]
    public async Task NoHouseIsRegisteredInAGridNoLongerInUse()
    {
        var world = await HouseWorld.CreateAsync();
        await using (var c = await world.Db.OpenConnectionAsync())
            await c.ExecuteAsync("UPDATE grids SET is_active = 0 WHERE id = @OtherGridId", new { world.OtherGridId });

        var response = await world.Staff.PostAsJsonAsync("/api/v1/houses",
            HouseWorld.HouseBody(world.CommunityId, world.OtherGridId, null, landlordPhone: People.Phone()), HousesApp.Json);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Errors(response), Is.EqualTo(new[] { "gridId" }));
        });
    }

    [Test]
    public async Task ALandlordGivenByPhoneIsAttachedWhenThatPhoneSignsIn()
    {
        var world = await HouseWorld.CreateAsync();
        var phone = People.Phone();
        var house = await world.HouseAsync(landlordId: null, landlordPhone: "+86 " + phone);
        Assert.Multiple(() =>
        {
            Assert.That(house.Landlord, Is.Null);
            Assert.That(house.PendingLandlordPhone, Is.EqualTo(phone[..3] + "****" + phone[^4..]));
        });

        var (userId, client) = await world.ResidentAsync();
        await world.SetPhoneAsync(userId, phone);
        var page = await HouseWorld.ReadAsync<HousePage>(await client.GetAsync("/api/v1/houses"));

        await using var c = await world.Db.OpenConnectionAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(page.Items.Select(h => h.Id), Is.EqualTo(new[] { house.Id }));
            Assert.That(page.Items[0].Landlord?.UserId, Is.EqualTo(userId));
            Assert.That(page.Items[0].PendingLandlordPhone, Is.Null);
            Assert.That(await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM user_roles WHERE user_id = @userId AND role = 'landlord' AND revoked_at IS NULL", new { userId }), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task PhoneBindingAttachesWaitingHousesThroughPendingLandlords()
    {
        var world = await HouseWorld.CreateAsync();
        var phone = People.Phone();
        var house = await world.HouseAsync(landlordId: null, landlordPhone: phone);
        var (userId, _) = await world.ResidentAsync();
        await world.SetPhoneAsync(userId, phone);

        var attached = await world.Factory.Services.GetRequiredServiceFor<PendingLandlords>()
            .AttachPendingLandlordsAsync(userId, world.Protector.Hash(phone), CancellationToken.None);

        var read = await HouseWorld.ReadAsync<HouseDto>(await world.Staff.GetAsync($"/api/v1/houses/{house.Id}"));
        Assert.Multiple(() =>
        {
            Assert.That(attached, Is.EqualTo(1));
            Assert.That(read.Landlord?.UserId, Is.EqualTo(userId));
        });
    }

    [Test]
    public async Task ALandlordSeesTheirOwnHousesAndNotAnotherLandlords()
    {
        var world = await HouseWorld.CreateAsync();
        var (aId, a) = await world.ResidentAsync();
        var (bId, _) = await world.ResidentAsync();
        var aHouse = await world.HouseAsync(aId);
        var bHouse = await world.HouseAsync(bId);

        var list = await HouseWorld.ReadAsync<HousePage>(await a.GetAsync("/api/v1/houses"));
        var own = await a.GetAsync($"/api/v1/houses/{aHouse.Id}");
        var others = await a.GetAsync($"/api/v1/houses/{bHouse.Id}");

        Assert.Multiple(() =>
        {
            Assert.That(list.Items.Select(h => h.Id), Is.EqualTo(new[] { aHouse.Id }));
            Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(others.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task AGridWorkerListsOnlyTheHousesOfTheirGrids()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        var mine = await world.HouseAsync(landlordId);
        var other = await world.HouseAsync(landlordId, gridId: world.OtherGridId);

        var workerList = await HouseWorld.ReadAsync<HousePage>(await world.Worker.GetAsync($"/api/v1/houses?communityId={world.CommunityId}"));
        var staffList = await HouseWorld.ReadAsync<HousePage>(await world.Staff.GetAsync($"/api/v1/houses?communityId={world.CommunityId}"));
        var otherRead = await world.Worker.GetAsync($"/api/v1/houses/{other.Id}");

        Assert.Multiple(() =>
        {
            Assert.That(workerList.Items.Select(h => h.Id), Is.EqualTo(new[] { mine.Id }));
            Assert.That(staffList.Items.Select(h => h.Id), Is.EqualTo(new[] { mine.Id, other.Id }));
            Assert.That(otherRead.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task ListsArePagedByKeysetAndFilteredByCodeOrAddress()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        var houses = new[] { await world.HouseAsync(landlordId), await world.HouseAsync(landlordId), await world.HouseAsync(landlordId) };

        var first = await HouseWorld.ReadAsync<HousePage>(await world.Staff.GetAsync($"/api/v1/houses?communityId={world.CommunityId}&limit=2"));
        var second = await HouseWorld.ReadAsync<HousePage>(await world.Staff.GetAsync($"/api/v1/houses?communityId={world.CommunityId}&limit=2&cursor={first.NextCursor}"));
        var byCode = await HouseWorld.ReadAsync<HousePage>(await world.Staff.GetAsync($"/api/v1/houses?q={houses[1].Code.ToLowerInvariant()}"));
        var byBuilding = await HouseWorld.ReadAsync<HousePage>(await world.Staff.GetAsync(
            $"/api/v1/houses?communityId={world.CommunityId}&q={Uri.EscapeDataString(houses[2].Address.Building)}"));

        Assert.Multiple(() =>
        {
            Assert.That(first.Items.Select(h => h.Id), Is.EqualTo(houses.Take(2).Select(h => h.Id)));
            Assert.That(second.Items.Select(h => h.Id), Is.EqualTo(new[] { houses[2].Id }));
            Assert.That(second.NextCursor, Is.Null);
            Assert.That(byCode.Items.Select(h => h.Id), Is.EqualTo(new[] { houses[1].Id }));
            Assert.That(byBuilding.Items.Select(h => h.Id), Is.EqualTo(new[] { houses[2].Id }));
        });
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("cursor=abc", "cursor")]
    public async Task ABadPageRequestNamesTheParameter(string query, string field)
    {
        var world = await HouseWorld.CreateAsync();

        var response = await world.Staff.GetAsync($"/api/v1/houses?{query}");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Errors(response), Is.EqualTo(new[] { field }));
        });
    }

    [Test]
    public async Task AnEmptyCursorIsTheFirstPage()
    {
        var world = await HouseWorld.CreateAsync();

        var response = await world.Staff.GetAsync($"/api/v1/houses?communityId={world.CommunityId}&cursor=");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task StaffChangeAHouseButItsLandlordCannot()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var (newLandlordId, _) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var body = new
        {
            gridId = world.OtherGridId, street = "船房村", building = "9号楼", unit = (string?)null, door = "902",
            rooms = 6, use = HouseUse.OwnUse, landlordId = newLandlordId,
        };

        var byLandlord = await landlord.PutAsJsonAsync($"/api/v1/houses/{house.Id}", body, HousesApp.Json);
        var updated = await HouseWorld.ReadAsync<HouseDto>(await world.Staff.PutAsJsonAsync($"/api/v1/houses/{house.Id}", body, HousesApp.Json));

        Assert.Multiple(() =>
        {
            Assert.That(byLandlord.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(updated.GridId, Is.EqualTo(world.OtherGridId));
            Assert.That(updated.Address, Is.EqualTo(new AddressDto("船房村", "9号楼", null, "902")));
            Assert.That(updated.Use, Is.EqualTo(HouseUse.OwnUse));
            Assert.That(updated.RoomsFree, Is.EqualTo(0), "only rental houses have rooms free");
            Assert.That(updated.Landlord?.UserId, Is.EqualTo(landlordId), "the landlord stays until the new one accepts");
            Assert.That(updated.OfferedLandlordId, Is.EqualTo(newLandlordId));
            Assert.That(updated.Code, Is.EqualTo(house.Code), "the code stays on the door");
        });
    }

    [Test]
    public async Task AHouseUseSentAsANumberIsAFieldErrorAndTheHouseStaysReadable()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        // Enum numbers would bind to any value, defined or not, and then break every read of the row.
        var body = new { gridId = world.GridId, street = "船房村", building = "9号楼", door = "902", rooms = 2, use = 5 };

        var response = await world.Staff.PutAsJsonAsync($"/api/v1/houses/{house.Id}", body);
        var card = await world.Staff.GetAsync($"/api/v1/h/{house.Code}");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Errors(response), Is.EqualTo(new[] { "use" }));
            Assert.That(card.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [TestCase("own_use, vacant")]
    [TestCase("own_use,vacant")]
    [TestCase(" own_use")]
    [TestCase("own_use ")]
    [TestCase("OWN_USE")]
    [TestCase("OwnUse")]
    [TestCase("1")]
    [TestCase("")]
    public async Task AHouseUseThatIsNotExactlyOneDeclaredNameIsAFieldErrorAndNothingChanges(string use)
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        // .NET's own converter ORs comma-joined names together (3, undefined), trims padding and ignores case.
        var body = new { gridId = world.GridId, street = "船房村", building = "9号楼", door = "902", rooms = 2, use };

        var response = await world.Staff.PutAsJsonAsync($"/api/v1/houses/{house.Id}", body);
        await using var c = await world.Db.OpenConnectionAsync();
        var stored = await c.ExecuteScalarAsync<string>("SELECT house_use FROM houses WHERE id = @id", new { id = house.Id });

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Errors(response), Is.EqualTo(new[] { "use" }));
            Assert.That(stored, Is.EqualTo("rental"));
        });
    }

    [Test]
    public async Task AnUnknownStoredHouseUseReadsAsVacantInsteadOfBreakingEveryRead()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        // What the comma bug stored; a hand-written UPDATE could store anything else.
        await using (var c = await world.Db.OpenConnectionAsync())
            await c.ExecuteAsync("UPDATE houses SET house_use = '3' WHERE id = @id", new { id = house.Id });

        var one = await world.Staff.GetAsync($"/api/v1/houses/{house.Id}");
        var list = await world.Staff.GetAsync($"/api/v1/houses?communityId={world.CommunityId}");
        var card = await world.Factory.CreateClient().GetAsync($"/api/v1/h/{house.Code}");

        Assert.Multiple(async () =>
        {
            Assert.That(one.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await HouseWorld.ReadAsync<HouseDto>(one)).Use, Is.EqualTo(HouseUse.Vacant), "the use that grants least");
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(card.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    internal static async Task<IReadOnlyList<string>> Errors(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Select(p => p.Name).ToList()
            : [];
    }
}

internal static class ServiceProviderExtensions
{
    public static T GetRequiredServiceFor<T>(this IServiceProvider services) where T : notnull =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<T>(services);
}
