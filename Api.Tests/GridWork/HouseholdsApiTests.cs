using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.GridWork;
using Linli.Api.Tests.Houses;
using Linli.Domain.GridWork;
using Linli.Domain.Houses;

namespace Linli.Api.Tests.GridWork;

public class HouseholdsApiTests
{
    [Test]
    public async Task AResidentRegistersByScanningAndTheGridWorkerConfirmsIt()
    {
        var world = await HouseWorld.CreateAsync();
        var (residentId, resident) = await world.ResidentAsync();
        var house = await GridWorld.HouseAsync(world);
        var number = People.IdNumber();
        var phone = People.Phone();

        var registered = await GridWorld.RegisterAsync(resident, house, GridWorld.Body(Occupancy.OwnerOccupied,
            GridWorld.Member("王秀英", MemberRelation.Head, number, phone, HouseholdTag.ElderlyAlone, HouseholdTag.Aged80Plus),
            GridWorld.Member("李小明", MemberRelation.Grandchild, tags: HouseholdTag.LeftBehindChild)));
        var confirmed = await HouseWorld.ReadAsync<HouseholdDto>(await world.Worker.PostAsync($"/api/v1/households/{registered.Id}/confirm", null));
        var again = await world.Worker.PostAsync($"/api/v1/households/{registered.Id}/confirm", null);
        using var problem = JsonDocument.Parse(await again.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(registered.Status, Is.EqualTo(HouseholdStatus.Pending));
            Assert.That(registered.OwnerUserId, Is.EqualTo(residentId));
            Assert.That(registered.Members[0].IdNumber, Is.EqualTo(number[..2] + new string('*', 14) + number[^2..]));
            Assert.That(registered.Members[0].Phone, Is.EqualTo(phone[..3] + "****" + phone[^4..]));
            Assert.That(registered.Members[0].Tags, Is.EqualTo(new[] { HouseholdTag.ElderlyAlone, HouseholdTag.Aged80Plus }));
            Assert.That(registered.Members[1].IdNumber, Is.Null);
            Assert.That(confirmed.Status, Is.EqualTo(HouseholdStatus.Confirmed));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(problem.RootElement.GetProperty("currentStatus").GetString(), Is.EqualTo("confirmed"));
        });
    }

    [Test]
    public async Task AnotherGridsWorkerCannotSeeConfirmOrListTheHousehold()
    {
        var world = await HouseWorld.CreateAsync();
        var (_, resident) = await world.ResidentAsync();
        var (_, stranger) = await world.ResidentAsync();
        var house = await GridWorld.HouseAsync(world);
        var household = await GridWorld.RegisterAsync(resident, house);

        var read = await world.OtherWorker.GetAsync($"/api/v1/households/{household.Id}");
        var confirm = await world.OtherWorker.PostAsync($"/api/v1/households/{household.Id}/confirm", null);
        var full = await world.OtherWorker.GetAsync($"/api/v1/households/{household.Id}/personal-data?reason=核实身份");
        var list = await HouseWorld.ReadAsync<HouseholdPageDto>(await world.OtherWorker.GetAsync($"/api/v1/households?gridId={world.GridId}"));
        var byStranger = await stranger.GetAsync($"/api/v1/households/{household.Id}");
        var listByResident = await resident.GetAsync("/api/v1/households");

        Assert.Multiple(() =>
        {
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(confirm.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(list.Items, Is.Empty);
            Assert.That(byStranger.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(listByResident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task StaffListTheElderlyLivingAloneInAGrid()
    {
        var world = await HouseWorld.CreateAsync();
        var alone = await GridWorld.RegisterAsync(world.Worker, await GridWorld.HouseAsync(world));
        await GridWorld.RegisterAsync(world.Worker, await GridWorld.HouseAsync(world), GridWorld.Body(Occupancy.Tenancy,
            GridWorld.Member("赵军", MemberRelation.Head, tags: HouseholdTag.Veteran)));
        var otherGrid = await GridWorld.RegisterAsync(world.Staff, await GridWorld.HouseAsync(world, world.OtherGridId));

        var elderly = await HouseWorld.ReadAsync<HouseholdPageDto>(
            await world.Worker.GetAsync($"/api/v1/households?gridId={world.GridId}&tag=elderly_alone"));
        var staffAll = await HouseWorld.ReadAsync<HouseholdPageDto>(await world.Staff.GetAsync("/api/v1/households?tag=elderly_alone"));
        var badTag = await world.Worker.GetAsync("/api/v1/households?tag=rich");

        Assert.Multiple(() =>
        {
            Assert.That(alone.Status, Is.EqualTo(HouseholdStatus.Confirmed), "registered by the grid's worker during a visit");
            Assert.That(elderly.Items.Select(i => i.Id), Is.EqualTo(new[] { alone.Id }));
            Assert.That(elderly.Items[0].HeadName, Is.EqualTo("王秀英"));
            Assert.That(elderly.Items[0].Tags, Is.EqualTo(new[] { HouseholdTag.ElderlyAlone }));
            Assert.That(staffAll.Items.Select(i => i.Id), Is.EquivalentTo(new[] { alone.Id, otherGrid.Id }));
            Assert.That(badTag.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task TheResidentKeepsItCurrentAndTheChangeWaitsForConfirmationAgain()
    {
        var world = await HouseWorld.CreateAsync();
        var (_, resident) = await world.ResidentAsync();
        var house = await GridWorld.HouseAsync(world);
        var household = await GridWorld.RegisterAsync(resident, house);
        await world.Worker.PostAsync($"/api/v1/households/{household.Id}/confirm", null);

        var updated = await HouseWorld.ReadAsync<HouseholdDto>(await resident.PutAsJsonAsync($"/api/v1/households/{household.Id}",
            GridWorld.Body(Occupancy.OwnerOccupied, GridWorld.Member("王秀英", MemberRelation.Head, tags: HouseholdTag.Disabled),
                GridWorld.Member("王芳", MemberRelation.Child, tags: HouseholdTag.Maternity)), HousesApp.Json));
        var second = await resident.PostAsJsonAsync($"/api/v1/h/{house.Code}/households", GridWorld.Body(), HousesApp.Json);
        var byTag = await HouseWorld.ReadAsync<HouseholdPageDto>(await world.Worker.GetAsync("/api/v1/households?tag=elderly_alone"));

        Assert.Multiple(() =>
        {
            Assert.That(updated.Status, Is.EqualTo(HouseholdStatus.Pending));
            Assert.That(updated.Members.Select(m => m.Name), Is.EqualTo(new[] { "王秀英", "王芳" }));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(byTag.Items.Select(i => i.Id), Does.Not.Contain(household.Id), "the old tag is gone with the old members");
        });
    }

    [Test]
    public async Task BadMembersAreRefusedWithTheFieldNamed()
    {
        var world = await HouseWorld.CreateAsync();
        var (_, resident) = await world.ResidentAsync();
        var house = await GridWorld.HouseAsync(world);

        var badNumber = await resident.PostAsJsonAsync($"/api/v1/h/{house.Code}/households", GridWorld.Body(Occupancy.Tenancy,
            GridWorld.Member("张三", MemberRelation.Head, "110105194912310021")), HousesApp.Json);
        var noHead = await resident.PostAsJsonAsync($"/api/v1/h/{house.Code}/households", GridWorld.Body(Occupancy.Tenancy,
            GridWorld.Member("张三", MemberRelation.Child)), HousesApp.Json);
        var empty = await resident.PostAsJsonAsync($"/api/v1/h/{house.Code}/households", new { }, HousesApp.Json);
        var unknownCode = await resident.PostAsJsonAsync("/api/v1/h/ZZZZZZZZ/households", GridWorld.Body(), HousesApp.Json);

        Assert.Multiple(async () =>
        {
            Assert.That(badNumber.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await HousesApiTests.Errors(badNumber), Is.EqualTo(new[] { "members[0].idNumber" }));
            Assert.That(await HousesApiTests.Errors(noHead), Is.EqualTo(new[] { "members" }));
            Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await HousesApiTests.Errors(empty), Is.EquivalentTo(new[] { "occupancy", "members" }));
            Assert.That(unknownCode.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task AFullReadIsAuditedWithItsReasonAndNothingIsPlaintextAtRest()
    {
        var world = await HouseWorld.CreateAsync();
        var (_, resident) = await world.ResidentAsync();
        var house = await GridWorld.HouseAsync(world);
        var number = People.IdNumber();
        var phone = People.Phone();
        var household = await GridWorld.RegisterAsync(resident, house, GridWorld.Body(Occupancy.Tenancy,
            GridWorld.Member("孙继民", MemberRelation.Head, number, phone, HouseholdTag.Dibao, HouseholdTag.SeriouslyIll)));

        var noReason = await world.Worker.GetAsync($"/api/v1/households/{household.Id}/personal-data");
        var full = await HouseWorld.ReadAsync<HouseholdPersonalDataDto>(
            await world.Worker.GetAsync($"/api/v1/households/{household.Id}/personal-data?reason=核实家庭成员"));
        await using var c = await world.Db.OpenConnectionAsync();
        var audit = await c.QuerySingleAsync<(string Action, string Reason)>(
            "SELECT action, reason FROM audit_log WHERE subject_type = 'household' AND subject_id = @id", new { id = household.Id });

        // Every column of every table, as bytes: the number, the phone and the tags' names never appear.
        var needles = new[] { number, phone, "dibao", "seriously_ill" };
        var found = new List<string>();
        var columns = (await c.QueryAsync<(string Table, string Column)>("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position
            """)).ToList();
        foreach (var (table, column) in columns)
            foreach (var needle in needles)
                if (await c.ExecuteScalarAsync<long>(
                        $"SELECT COUNT(*) FROM `{table}` WHERE INSTR(CAST(`{column}` AS BINARY), CAST(@needle AS BINARY)) > 0", new { needle }) > 0)
                    found.Add($"{table}.{column}: {needle}");

        Assert.Multiple(() =>
        {
            Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(full.Members[0].IdNumber, Is.EqualTo(number));
            Assert.That(full.Members[0].Phone, Is.EqualTo(phone));
            Assert.That(full.Members[0].Tags, Is.EqualTo(new[] { HouseholdTag.Dibao, HouseholdTag.SeriouslyIll }));
            Assert.That(audit, Is.EqualTo(("household.personal_data_read", "核实家庭成员")));
            Assert.That(columns.Select(x => x.Table).Distinct(), Is.SupersetOf(new[] { "households", "household_members", "household_tags" }));
            Assert.That(found, Is.Empty);
        });
    }
}
