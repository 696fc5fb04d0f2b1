using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;
using Linli.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Auth;

/// <summary>
/// A revoked role stops working on the very next request, whatever the access token still claims: the caller is
/// resolved from the stored roles on every request (issue 12, item 4).
/// </summary>
public class RevokedRolesTests
{
    [Test]
    public async Task RevokedAdminIsRefusedOnTheNextRequest()
    {
        var w = await TicketWorld.CreateAsync();
        var (adminId, admin) = await w.Data.SignedInAsync(Roles.Admin);
        Assert.That((await admin.GetAsync("/api/v1/users")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await RevokeAsync(w, adminId, Roles.Admin);

        Assert.That((await admin.GetAsync("/api/v1/users")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task RevokedCommunityStaffNoLongerSeesTheCommunitysTicketsOrPeople()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        Assert.That((await w.Staff.Client.GetAsync($"/api/v1/tickets/{ticket.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await w.Staff.Client.GetAsync($"/api/v1/users?communityId={w.CommunityId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await RevokeAsync(w, w.Staff.Id, Roles.CommunityStaff);

        Assert.Multiple(async () =>
        {
            Assert.That((await w.Staff.Client.GetAsync($"/api/v1/tickets/{ticket.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await w.Staff.Client.GetAsync($"/api/v1/users?communityId={w.CommunityId}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "dispatch",
                new { departmentId = w.DepartmentId, dueAt = DateTimeOffset.UtcNow.AddDays(2) })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task RevokedGridWorkerNoLongerReachesTheGridsHouses()
    {
        var w = await TicketWorld.CreateAsync();
        Assert.That((await w.GridWorker.Client.GetAsync($"/api/v1/stats/population?gridId={w.GridId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await RevokeAsync(w, w.GridWorker.Id, Roles.GridWorker);

        Assert.That((await w.GridWorker.Client.GetAsync($"/api/v1/stats/population?gridId={w.GridId}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task RevokedDepartmentStaffNoLongerSeesOrAcceptsTheDepartmentsTicket()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId, dueAt = DateTimeOffset.UtcNow.AddDays(2) });
        Assert.That((await w.DepartmentStaff.Client.GetAsync($"/api/v1/tickets/{ticket.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await RevokeAsync(w, w.DepartmentStaff.Id, Roles.DepartmentStaff);

        Assert.Multiple(async () =>
        {
            Assert.That((await w.DepartmentStaff.Client.GetAsync($"/api/v1/tickets/{ticket.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await TicketWorld.ActAsync(w.DepartmentStaff.Client, ticket.Id, "accept")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task RevokedPartyMemberCannotClaimAPublishedTicket()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "publish", new { dueAt = DateTimeOffset.UtcNow.AddDays(2) });
        Assert.That((await w.PartyMember.Client.GetAsync($"/api/v1/tickets/{ticket.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await RevokeAsync(w, w.PartyMember.Id, Roles.PartyMember);

        Assert.Multiple(async () =>
        {
            Assert.That((await w.PartyMember.Client.GetAsync($"/api/v1/tickets/{ticket.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await TicketWorld.ActAsync(w.PartyMember.Client, ticket.Id, "claim")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task BlockedUserIsRefusedOnTheNextRequest()
    {
        var w = await TicketWorld.CreateAsync();
        var (_, admin) = await w.Data.SignedInAsync(Roles.Admin);
        Assert.That((await w.Resident.Client.GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var blocked = await admin.PostAsync($"/api/v1/users/{w.Resident.Id}/block", null);
        Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.That((await w.Resident.Client.GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    /// <summary>Revokes the user's row of that role through the API, as an admin would.</summary>
    private static async Task RevokeAsync(TicketWorld w, long userId, string role)
    {
        await using var connection = await w.Factory.Services.GetRequiredService<System.Data.Common.DbDataSource>().OpenConnectionAsync();
        var roleId = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM user_roles WHERE user_id = @userId AND role = @role AND revoked_at IS NULL", new { userId, role });
        var (_, admin) = await w.Data.SignedInAsync(Roles.Admin);
        using var response = await admin.DeleteAsync($"/api/v1/users/{userId}/roles/{roleId}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
    }
}
