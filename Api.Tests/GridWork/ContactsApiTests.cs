using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.GridWork;
using Linli.Api.Tests.Houses;
using Linli.Domain.GridWork;
using Linli.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.GridWork;

public class ContactsApiTests
{
    [Test]
    public async Task AssignmentsAreDueByRhythmAndTheirMistakesAreRefused()
    {
        var world = await HouseWorld.CreateAsync();
        var household = await GridWorld.RegisterAsync(world.Worker, await GridWorld.HouseAsync(world));
        var (partyId, party) = await world.Data.SignedInAsync(Roles.PartyMember, world.CommunityId);
        var (outsiderId, _) = await world.Data.SignedInAsync(Roles.PartyMember, await world.Data.CommunityAsync());

        var weekly = await HouseWorld.ReadAsync<ContactAssignmentDto>(await world.Staff.PostAsJsonAsync("/api/v1/contact-assignments",
            new { householdId = household.Id, userId = world.WorkerId, rhythm = ContactRhythm.Weekly, startsOn = "2026-03-04" }, HousesApp.Json),
            HttpStatusCode.Created);
        var quarterly = await HouseWorld.ReadAsync<ContactAssignmentDto>(await world.Staff.PostAsJsonAsync("/api/v1/contact-assignments",
            new { householdId = household.Id, userId = partyId, rhythm = ContactRhythm.Quarterly, startsOn = "2026-05-10" }, HousesApp.Json),
            HttpStatusCode.Created);
        var twice = await world.Staff.PostAsJsonAsync("/api/v1/contact-assignments",
            new { householdId = household.Id, userId = partyId, rhythm = ContactRhythm.Monthly }, HousesApp.Json);
        var outsider = await world.Staff.PostAsJsonAsync("/api/v1/contact-assignments",
            new { householdId = household.Id, userId = outsiderId, rhythm = ContactRhythm.Monthly }, HousesApp.Json);
        var byWorker = await world.Worker.PostAsJsonAsync("/api/v1/contact-assignments",
            new { householdId = household.Id, userId = partyId, rhythm = ContactRhythm.Monthly }, HousesApp.Json);
        var badRhythm = await world.Staff.PostAsJsonAsync("/api/v1/contact-assignments",
            new { householdId = household.Id, userId = partyId, rhythm = "daily" });
        var mine = await HouseWorld.ReadAsync<List<MyContactDto>>(await party.GetAsync("/api/v1/me/contacts"));
        var ended = await HouseWorld.ReadAsync<ContactAssignmentDto>(await world.Staff.PostAsync($"/api/v1/contact-assignments/{quarterly.Id}/end", null));
        var endedAgain = await world.Staff.PostAsync($"/api/v1/contact-assignments/{quarterly.Id}/end", null);
        var afterEnd = await HouseWorld.ReadAsync<List<MyContactDto>>(await party.GetAsync("/api/v1/me/contacts"));

        Assert.Multiple(async () =>
        {
            Assert.That(weekly.Role, Is.EqualTo(Roles.GridWorker));
            Assert.That(weekly.DueOn, Is.EqualTo(new DateOnly(2026, 3, 8)));
            Assert.That(quarterly.DueOn, Is.EqualTo(new DateOnly(2026, 6, 30)));
            Assert.That(twice.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await HousesApiTests.Errors(outsider), Is.EqualTo(new[] { "userId" }));
            Assert.That(byWorker.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(badRhythm.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(mine.Select(c => (c.HouseholdId, c.HeadName, c.DueOn)), Is.EqualTo(new[] { (household.Id, "王秀英", new DateOnly(2026, 6, 30)) }));
            Assert.That(ended.EndedAt, Is.Not.Null);
            Assert.That(endedAgain.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(afterEnd, Is.Empty);
        });
    }

    [Test]
    public async Task AnOverdueContactTellsThePersonOnceThenTheirCommunityStaff()
    {
        // Monday 6 January 2031, noon in China.
        using var factory = GridWorkApp.Create(new DateTimeOffset(2031, 1, 6, 4, 0, 0, TimeSpan.Zero));
        var world = await HouseWorld.CreateAsync(factory);
        var (staffId, staff) = await world.Data.SignedInAsync(Roles.CommunityStaff, world.CommunityId);
        var household = await GridWorld.RegisterAsync(world.Worker, await GridWorld.HouseAsync(world));
        await HouseWorld.ReadAsync<ContactAssignmentDto>(await staff.PostAsJsonAsync("/api/v1/contact-assignments",
            new { householdId = household.Id, userId = world.WorkerId, rhythm = ContactRhythm.Weekly }, HousesApp.Json), HttpStatusCode.Created);
        var worker = factory.Services.GetRequiredService<ContactOverdueWorker>();
        await using var c = await world.Db.OpenConnectionAsync();
        // The database is shared with other tests' assignments: what counts is what these two people were told.
        async Task<List<(long UserId, string Kind)>> Told() => (await c.QueryAsync<(long UserId, string Kind)>(
            "SELECT user_id, kind FROM notifications WHERE user_id IN @ids ORDER BY id", new { ids = new[] { world.WorkerId, staffId } })).ToList();
        var workerTold = (world.WorkerId, ContactOverdueWorker.OverdueKind);
        var staffTold = (staffId, ContactOverdueWorker.EscalatedKind);

        await worker.RunOnceAsync(CancellationToken.None);
        var onTime = await Told();
        factory.Clock.Advance(TimeSpan.FromDays(7)); // Monday 13th: Sunday 12th was the due date
        await worker.RunOnceAsync(CancellationToken.None);
        await worker.RunOnceAsync(CancellationToken.None);
        var late = await Told();
        var contacts = await HouseWorld.ReadAsync<List<MyContactDto>>(
            await factory.ClientFor(world.WorkerId, Roles.GridWorker).GetAsync("/api/v1/me/contacts"));
        factory.Clock.Advance(TimeSpan.FromDays(7)); // more than 7 days past the due date
        await worker.RunOnceAsync(CancellationToken.None);
        await worker.RunOnceAsync(CancellationToken.None);
        var escalated = await Told();

        Assert.Multiple(() =>
        {
            Assert.That(onTime, Is.Empty);
            Assert.That(late, Is.EqualTo(new[] { workerTold }), "told once, however many rounds");
            Assert.That(contacts.Single().DueOn, Is.EqualTo(new DateOnly(2031, 1, 12)));
            Assert.That(contacts.Single().IsOverdue, Is.True);
            Assert.That(escalated, Is.EqualTo(new[] { workerTold, staffTold }));
        });
    }
}
