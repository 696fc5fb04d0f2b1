using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.GridWork;
using Linli.Api.Tests.Houses;
using Linli.Api.Tickets;
using Linli.Domain.GridWork;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;

namespace Linli.Api.Tests.GridWork;

public class VisitsApiTests
{
    private static async Task<long> CategoryAsync(HouseWorld world)
    {
        await using var c = await world.Db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("SELECT id FROM ticket_categories WHERE is_active = 1 ORDER BY id LIMIT 1");
    }

    [Test]
    public async Task AVisitWithTwoIssuesCreatesTwoPatrolTicketsOnTheVisitAndInTheRightStaffsList()
    {
        var world = await HouseWorld.CreateAsync();
        var house = await GridWorld.HouseAsync(world);
        var household = await GridWorld.RegisterAsync(world.Worker, house);
        var category = await CategoryAsync(world);

        var visit = await HouseWorld.ReadAsync<VisitDto>(await GridWorld.LogVisitAsync(world.Worker, new
        {
            householdId = household.Id, kind = VisitKind.Visit, note = "老人身体尚好，反映楼道灯坏了、垃圾清运不及时",
            location = new { latitude = 25.03, longitude = 102.70 },
            issues = new[]
            {
                new { categoryId = category, description = "3号楼楼道灯不亮已一周" },
                new { categoryId = category, description = "楼下垃圾桶两天未清运" },
            },
        }, HousesApp.Json), HttpStatusCode.Created);
        var staffTickets = await HouseWorld.ReadAsync<TicketPageDto>(await world.Staff.GetAsync("/api/v1/tickets?limit=50"));
        var otherGridTickets = await HouseWorld.ReadAsync<TicketPageDto>(await world.OtherWorker.GetAsync("/api/v1/tickets?limit=50"));
        var ticket = await HouseWorld.ReadAsync<TicketDto>(await world.Staff.GetAsync($"/api/v1/tickets/{visit.Tickets[0].TicketId}"));
        var read = await HouseWorld.ReadAsync<VisitDto>(await world.Staff.GetAsync($"/api/v1/visits/{visit.Id}"));

        Assert.Multiple(() =>
        {
            Assert.That(visit.Tickets.Select(t => (t.Description, t.Status)), Is.EqualTo(new[]
            {
                ("3号楼楼道灯不亮已一周", TicketState.Submitted), ("楼下垃圾桶两天未清运", TicketState.Submitted),
            }));
            Assert.That(visit.Unfiled, Is.Empty);
            Assert.That(staffTickets.Items.Select(t => (t.Id, t.Channel)), Is.EquivalentTo(visit.Tickets.Select(t => (t.TicketId, "patrol"))));
            Assert.That(otherGridTickets.Items.Select(t => t.Id), Has.None.AnyOf(visit.Tickets.Select(t => t.TicketId).ToArray()));
            Assert.That(ticket.GridId, Is.EqualTo(world.GridId));
            Assert.That(read.Tickets.Select(t => t.TicketId), Is.EqualTo(visit.Tickets.Select(t => t.TicketId)));
            Assert.That(read.Location, Is.EqualTo(new VisitLocation(25.03, 102.70)));
        });
    }

    [Test]
    public async Task TheVisitLogIsScopedLikeTickets()
    {
        var world = await HouseWorld.CreateAsync();
        var household = await GridWorld.RegisterAsync(world.Worker, await GridWorld.HouseAsync(world));
        var (partyId, party) = await world.Data.SignedInAsync(Roles.PartyMember, world.CommunityId);
        await world.Staff.PostAsJsonAsync("/api/v1/contact-assignments",
            new { householdId = household.Id, userId = partyId, rhythm = ContactRhythm.Monthly }, HousesApp.Json);

        var byWorker = await HouseWorld.ReadAsync<VisitDto>(await GridWorld.LogVisitAsync(world.Worker,
            new { householdId = household.Id, kind = VisitKind.Phone, note = "电话问候" }, HousesApp.Json), HttpStatusCode.Created);
        var byParty = await HouseWorld.ReadAsync<VisitDto>(await GridWorld.LogVisitAsync(party,
            new { householdId = household.Id, kind = VisitKind.Visit, note = "上门走访" }, HousesApp.Json), HttpStatusCode.Created);
        var partyIssue = await GridWorld.LogVisitAsync(party, new
        {
            householdId = household.Id, kind = VisitKind.Visit, note = "上门走访",
            issues = new[] { new { categoryId = await CategoryAsync(world), description = "门口路灯坏了需要维修" } },
        }, HousesApp.Json);
        var otherWorker = await GridWorld.LogVisitAsync(world.OtherWorker,
            new { householdId = household.Id, kind = VisitKind.Visit, note = "走访" }, HousesApp.Json);
        var both = await GridWorld.LogVisitAsync(world.Worker,
            new { householdId = household.Id, houseId = household.HouseId, kind = VisitKind.Visit, note = "走访" }, HousesApp.Json);

        var staffLog = await HouseWorld.ReadAsync<VisitPageDto>(await world.Staff.GetAsync($"/api/v1/visits?householdId={household.Id}"));
        var partyLog = await HouseWorld.ReadAsync<VisitPageDto>(await party.GetAsync($"/api/v1/visits?householdId={household.Id}"));
        var otherLog = await HouseWorld.ReadAsync<VisitPageDto>(await world.OtherWorker.GetAsync($"/api/v1/visits?householdId={household.Id}"));
        var hidden = await world.OtherWorker.GetAsync($"/api/v1/visits/{byWorker.Id}");

        Assert.Multiple(async () =>
        {
            Assert.That(staffLog.Items.Select(v => v.Id), Is.EqualTo(new[] { byParty.Id, byWorker.Id }));
            Assert.That(partyLog.Items.Select(v => v.Id), Is.EqualTo(new[] { byParty.Id }));
            Assert.That(otherLog.Items, Is.Empty);
            Assert.That(hidden.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(partyIssue.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(otherWorker.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await HousesApiTests.Errors(both), Is.EqualTo(new[] { "householdId" }));
        });
    }

    [Test]
    public async Task AnUnknownCategoryIsRefusedBeforeAnythingIsWritten()
    {
        var world = await HouseWorld.CreateAsync();
        var household = await GridWorld.RegisterAsync(world.Worker, await GridWorld.HouseAsync(world));

        var response = await GridWorld.LogVisitAsync(world.Worker, new
        {
            householdId = household.Id, kind = VisitKind.Visit, note = "走访",
            issues = new[] { new { categoryId = 999_999_999L, description = "楼道堆放杂物堵塞通道" } },
        }, HousesApp.Json);
        var log = await HouseWorld.ReadAsync<VisitPageDto>(await world.Staff.GetAsync($"/api/v1/visits?householdId={household.Id}"));

        Assert.Multiple(async () =>
        {
            Assert.That(await HousesApiTests.Errors(response), Is.EqualTo(new[] { "issues[0].categoryId" }));
            Assert.That(log.Items, Is.Empty);
        });
    }
}
