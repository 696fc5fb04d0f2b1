using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Invitations;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;
using Linli.Api.Tickets;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.Structure;

/// <summary>The street office as a level (issue 13): a street leader works in every community of their street office, and no other.</summary>
public class StreetLeaderTests
{
    [Test]
    public async Task AStreetLeaderSeesAndDispatchesTicketsOfEveryCommunityOfTheirStreetOfficeAndNoneOfAnothers()
    {
        var (mine, alsoMine, theirs) = (await TicketWorld.CreateAsync(), await TicketWorld.CreateAsync(), await TicketWorld.CreateAsync());
        var data = mine.Data;
        var (street, otherStreet) = (await data.StreetOfficeAsync(), await data.StreetOfficeAsync());
        await MoveAsync(mine, street);
        await MoveAsync(alsoMine, street);
        await MoveAsync(theirs, otherStreet);
        var (t1, t2, t3) = (await mine.ReportAsync(), await alsoMine.ReportAsync(), await theirs.ReportAsync());
        var leader = await LeaderAsync(mine, street);

        var page = await leader.GetFromJsonAsync<TicketPageDto>("/api/v1/tickets?limit=50", TicketsApp.Json);
        using var foreign = await leader.GetAsync($"/api/v1/tickets/{t3.Id}");
        using var foreignDispatch = await TicketWorld.ActAsync(leader, t3.Id, "dispatch",
            new { departmentId = theirs.DepartmentId, dueAt = DateTimeOffset.UtcNow.AddDays(2) });
        var dispatched = await TicketWorld.ActOkAsync(leader, t2.Id, "dispatch",
            new { departmentId = alsoMine.DepartmentId, dueAt = DateTimeOffset.UtcNow.AddDays(2) });
        using var figures = await leader.GetAsync($"/api/v1/stats/tickets?communityId={mine.CommunityId}");
        using var foreignFigures = await leader.GetAsync($"/api/v1/stats/tickets?communityId={theirs.CommunityId}");
        using var population = await leader.GetAsync($"/api/v1/stats/population?gridId={alsoMine.GridId}");
        Assert.Multiple(() =>
        {
            Assert.That(page!.Items.Select(i => i.Id), Is.SupersetOf(new[] { t1.Id, t2.Id }));
            Assert.That(page.Items.Select(i => i.Id), Does.Not.Contain(t3.Id));
            Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(foreignDispatch.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(dispatched.Status.ToString(), Is.EqualTo("Dispatched"));
            Assert.That(figures.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(foreignFigures.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(population.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task AnAdminInvitesAStreetLeaderAndTheRedeemedRoleNamesTheStreetOffice()
    {
        var w = await TicketWorld.CreateAsync();
        var street = await w.Data.StreetOfficeAsync();
        var (_, admin) = await w.Data.SignedInAsync(Roles.Admin);
        using var missingScope = await admin.PostAsJsonAsync("/api/v1/invitations", new { role = "street_leader" });
        using var byStaff = await w.Staff.Client.PostAsJsonAsync("/api/v1/invitations", new { role = "street_leader", streetOfficeId = street });
        using var created = await admin.PostAsJsonAsync("/api/v1/invitations", new { role = "street_leader", streetOfficeId = street });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var invitation = (await created.Content.ReadFromJsonAsync<InvitationsApi.InvitationDto>())!;

        var (_, invited) = await w.Data.SignedInAsync(Roles.Resident);
        using var redeemed = await invited.PostAsync($"/api/v1/invitations/{invitation.Code}/redeem", null);
        var role = (await redeemed.Content.ReadFromJsonAsync<RoleDto>())!;
        Assert.Multiple(() =>
        {
            Assert.That(missingScope.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(byStaff.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(redeemed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((role.Role, role.StreetOfficeId, role.CommunityId), Is.EqualTo(("street_leader", (long?)street, (long?)null)));
        });
    }

    private static async Task MoveAsync(TicketWorld w, long streetOfficeId)
    {
        await using var c = await w.Service<System.Data.Common.DbDataSource>().OpenConnectionAsync();
        await c.ExecuteAsync("UPDATE communities SET street_office_id = @streetOfficeId WHERE id = @id", new { streetOfficeId, id = w.CommunityId });
    }

    private static async Task<HttpClient> LeaderAsync(TicketWorld w, long streetOfficeId)
    {
        var userId = await w.Data.UserAsync("街道领导");
        await w.Data.GrantAsync(userId, Roles.StreetLeader, streetOfficeId: streetOfficeId);
        return w.Factory.ClientFor(userId, Roles.StreetLeader);
    }
}
