using System.Net;
using System.Net.Http.Json;
using Linli.Api.Houses;
using Linli.Api.PartyMembers;
using Linli.Api.Tests.PartyMembers;
using Linli.Api.Tests.Support;
using Linli.Domain.Houses;

namespace Linli.Api.Tests.Houses;

public class HouseCardApiTests
{
    [Test]
    public async Task AnAnonymousScanShowsTheBuildingTheGridWorkerAndRoomsFreeButNotTheDoor()
    {
        var world = await HouseWorld.CreateAsync();
        var workerPhone = People.Phone();
        await world.SetPhoneAsync(world.WorkerId, workerPhone);
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId, rooms: 3);
        await HouseWorld.TenancyAsync(landlord, house.Id, People.IdNumber(), room: "A");
        await HouseWorld.TenancyAsync(landlord, house.Id, People.IdNumber(), room: "A");

        var anonymous = world.Factory.CreateClient();
        var card = await HouseWorld.ReadAsync<HouseCardDto>(await anonymous.GetAsync($"/api/v1/h/{house.Code.ToLowerInvariant()}"));

        Assert.Multiple(() =>
        {
            Assert.That(card.Code, Is.EqualTo(house.Code));
            Assert.That(card.Street, Is.EqualTo(house.Address.Street));
            Assert.That(card.Building, Is.EqualTo(house.Address.Building));
            Assert.That(card.Unit, Is.Null);
            Assert.That(card.Door, Is.Null);
            Assert.That(card.CommunityName, Is.EqualTo(house.CommunityName));
            Assert.That(card.GridName, Is.EqualTo(house.GridName));
            Assert.That(card.GridWorkers, Is.EqualTo(new[] { new GridWorkerDto("测试用户", workerPhone[..3] + "****" + workerPhone[^4..]) }));
            Assert.That(card.RoomsFree, Is.EqualTo(2), "two tenants share room A");
            Assert.That(card.Actions, Is.EqualTo(new[]
            {
                new HouseActionDto(HouseActions.ReportProblem, true, house.Code),
                new HouseActionDto(HouseActions.RegisterSelf, true),
            }));
        });
    }

    [Test]
    public async Task TheLandlordStaffAndCurrentTenantsSeeTheDoor()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var (tenantId, tenant) = await world.ResidentAsync();
        var (_, stranger) = await world.ResidentAsync();
        var response = await landlord.PostAsJsonAsync($"/api/v1/houses/{house.Id}/tenancies",
            HouseWorld.TenantBody(People.IdNumber(), tenantUserId: tenantId), HousesApp.Json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var byLandlord = await HouseWorld.ReadAsync<HouseCardDto>(await landlord.GetAsync($"/api/v1/h/{house.Code}"));
        var byWorker = await HouseWorld.ReadAsync<HouseCardDto>(await world.Worker.GetAsync($"/api/v1/h/{house.Code}"));
        var byTenant = await HouseWorld.ReadAsync<HouseCardDto>(await tenant.GetAsync($"/api/v1/h/{house.Code}"));
        var byStranger = await HouseWorld.ReadAsync<HouseCardDto>(await stranger.GetAsync($"/api/v1/h/{house.Code}"));
        var byOtherWorker = await HouseWorld.ReadAsync<HouseCardDto>(await world.OtherWorker.GetAsync($"/api/v1/h/{house.Code}"));

        Assert.Multiple(() =>
        {
            Assert.That(byLandlord.Door, Is.EqualTo(house.Address.Door));
            Assert.That(byLandlord.Unit, Is.EqualTo(house.Address.Unit));
            Assert.That(byLandlord.Actions.Select(a => a.Name), Is.EqualTo(new[] { HouseActions.ReportProblem, HouseActions.RegisterTenant }));
            Assert.That(byWorker.Door, Is.EqualTo(house.Address.Door));
            Assert.That(byWorker.Actions.Select(a => a.Name), Does.Contain(HouseActions.RegisterTenant));
            Assert.That(byTenant.Door, Is.EqualTo(house.Address.Door));
            Assert.That(byTenant.Actions.Select(a => a.Name), Is.EqualTo(new[] { HouseActions.ReportProblem }), "already registered here");
            Assert.That(byStranger.Door, Is.Null);
            Assert.That(byStranger.Actions, Is.EqualTo(new[]
            {
                new HouseActionDto(HouseActions.ReportProblem, false, house.Code),
                new HouseActionDto(HouseActions.RegisterSelf, false),
            }));
            Assert.That(byOtherWorker.Door, Is.Null);
        });
    }

    [Test]
    public async Task AHouseForOwnUseOffersNoRoomAndNoSelfRegistration()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId, use: HouseUse.OwnUse);

        var card = await HouseWorld.ReadAsync<HouseCardDto>(await world.Factory.CreateClient().GetAsync($"/api/v1/h/{house.Code}"));

        Assert.Multiple(() =>
        {
            Assert.That(card.RoomsFree, Is.EqualTo(0));
            Assert.That(card.Actions.Select(a => a.Name), Is.EqualTo(new[] { HouseActions.ReportProblem }));
        });
    }

    [Test]
    public async Task TheCardShowsTheBadgesOfConfirmedPartyMembersServingTheGridWhoAgreedToShowThem()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        async Task<(string Name, long ReportIn, HttpClient Client)> MemberAsync(long gridId, bool showBadge, bool confirm)
        {
            var (_, client) = await world.ResidentAsync();
            var name = TestData.Unique("党员");
            var reportIn = await ReportIns.ReportInAsync(client, world.CommunityId, name, showBadge, gridId);
            if (confirm)
                await ReportIns.ConfirmAsync(world.Staff, reportIn);
            return (name, reportIn, client);
        }
        var shown = await MemberAsync(world.GridId, showBadge: true, confirm: true);
        var hidden = await MemberAsync(world.GridId, showBadge: false, confirm: true);
        await MemberAsync(world.GridId, showBadge: true, confirm: false);
        await MemberAsync(world.OtherGridId, showBadge: true, confirm: true);
        var anonymous = world.Factory.CreateClient();

        var before = await HouseWorld.ReadAsync<HouseCardDto>(await anonymous.GetAsync($"/api/v1/h/{house.Code}"));
        await ReportIns.SetBadgeAsync(hidden.Client, hidden.ReportIn, show: true);
        await ReportIns.SetBadgeAsync(shown.Client, shown.ReportIn, show: false);
        var after = await HouseWorld.ReadAsync<HouseCardDto>(await anonymous.GetAsync($"/api/v1/h/{house.Code}"));

        Assert.Multiple(() =>
        {
            Assert.That(before.PartyMembers, Is.EqualTo(new[] { new PartyBadgeDto(shown.Name, ReportIns.Organisation) }),
                "not the one hiding the badge, the pending one, nor the one serving another grid");
            Assert.That(after.PartyMembers, Is.EqualTo(new[] { new PartyBadgeDto(hidden.Name, ReportIns.Organisation) }));
        });
    }

    [TestCase("ZZZZZZZZZZ")]
    [TestCase("not-a-code")]
    public async Task AnUnknownOrMalformedCodeIsNotFound(string code) =>
        Assert.That((await HousesApp.Factory.CreateClient().GetAsync($"/api/v1/h/{code}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

    [Test]
    public async Task ScanningIsRateLimited()
    {
        await using var factory = new LinliFactory(HousesApp.Settings(scanPermits: 3));
        var world = await HouseWorld.CreateAsync(factory);
        var (landlordId, _) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var anonymous = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await anonymous.GetAsync($"/api/v1/h/{house.Code}")).StatusCode);

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task HouseLookupFindsAHouseByItsCodeForTickets()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var lookup = world.Factory.Services.GetRequiredServiceFor<Linli.Api.Tickets.IHouseLookup>();

        await using var connection = await world.Factory.Services.GetRequiredServiceFor<System.Data.Common.DbDataSource>().OpenConnectionAsync();
        var found = await lookup.FindByCodeAsync(connection, house.Code.ToLowerInvariant(), CancellationToken.None);
        var missing = await lookup.FindByCodeAsync(connection, "ZZZZZZZZZZ", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(lookup, Is.InstanceOf<HouseLookup>());
            Assert.That(found, Is.EqualTo((house.Id, world.CommunityId, world.GridId)));
            Assert.That(missing, Is.Null);
        });
    }
}

public class ReportingFromAHouseCodeTests
{
    [Test]
    public async Task AProblemReportedFromAScannedCodeLandsInTheHousesCommunityAndGrid()
    {
        var w = await Linli.Api.Tests.Tickets.TicketWorld.CreateAsync();
        var otherGrid = await w.Data.GridAsync(w.CommunityId);
        var world = await HouseWorld.CreateAsync(w.Factory);
        var (landlordId, _) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId, gridId: world.GridId);

        var response = await w.PostReportAsync(w.Resident.Client,
            new { categoryId = await w.CategoryIdAsync(), description = "出租屋消防通道堵塞", houseCode = house.Code.ToLowerInvariant(), gridId = otherGrid });
        var ticket = await response.Content.ReadFromJsonAsync<Linli.Api.Tickets.TicketDto>(Linli.Api.Tests.Tickets.TicketsApp.Json);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(ticket!.CommunityId, Is.EqualTo(world.CommunityId));
            Assert.That(ticket.GridId, Is.EqualTo(world.GridId), "the house's grid, not the one the form says");
        });
    }
}
