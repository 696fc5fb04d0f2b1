using System.Net;
using System.Net.Http.Json;
using Linli.Api.Auth;
using Linli.Api.Invitations;
using Linli.Api.Me;
using Linli.Api.Tests.Auth;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Microsoft.AspNetCore.Http;

namespace Linli.Api.Tests.Invitations;

public class InvitationsApiTests
{
    private static LinliFactory Factory => SharedApp.Factory;
    private static TestData Data => new(Factory);

    private static async Task<InvitationsApi.InvitationDto> InviteAsync(HttpClient inviter, object request)
    {
        var response = await inviter.PostAsJsonAsync("/api/v1/invitations", request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<InvitationsApi.InvitationDto>())!;
    }

    [Test]
    public async Task AnInvitedPersonSignsInRedeemsAndHoldsTheRole()
    {
        var community = await Data.CommunityAsync();
        var grid = await Data.GridAsync(community);
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var invitation = await InviteAsync(admin, new { role = Roles.GridWorker, communityId = community, gridId = grid });
        Assert.Multiple(() =>
        {
            Assert.That(invitation.Code, Has.Length.EqualTo(12));
            Assert.That(invitation.ExpiresAt, Is.EqualTo(Factory.Clock.GetUtcNow().AddDays(7)).Within(TimeSpan.FromSeconds(1)));
        });

        var session = await SignIn.AsAsync(Factory, TestData.Unique("invitee"));
        using var invitee = SignIn.Bearer(Factory, session.AccessToken);
        var redeem = await invitee.PostAsync($"/api/v1/invitations/{invitation.Code}/redeem", null);
        var role = await redeem.Content.ReadFromJsonAsync<RoleDto>();
        Assert.Multiple(() =>
        {
            Assert.That(redeem.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(role!.Role, Is.EqualTo(Roles.GridWorker));
            Assert.That(role.GridId, Is.EqualTo(grid));
        });
        var refreshed = await (await SignIn.RefreshAsync(Factory, session.RefreshToken)).Content.ReadFromJsonAsync<SessionDto>();
        Assert.That(refreshed!.User.Roles, Does.Contain(Roles.GridWorker));
        using var me = SignIn.Bearer(Factory, refreshed.AccessToken);
        var profile = await me.GetFromJsonAsync<MeApi.MeDto>("/api/v1/me");
        Assert.That(profile!.Roles.Select(r => (r.Role, r.CommunityId, r.GridId)), Does.Contain((Roles.GridWorker, (long?)community, (long?)grid)));
    }

    [Test]
    public async Task AnInvitationWorksOnceEvenUnder20ParallelRedemptions()
    {
        var community = await Data.CommunityAsync();
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var invitation = await InviteAsync(admin, new { role = Roles.CommunityStaff, communityId = community });
        var clients = new List<HttpClient>();
        for (var i = 0; i < 20; i++)
            clients.Add((await Data.SignedInAsync(Roles.Resident)).Client);

        var responses = await Task.WhenAll(clients.Select(c => c.PostAsync($"/api/v1/invitations/{invitation.Code}/redeem", null)));

        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Conflict), Is.EqualTo(19));
        });
        var (_, staffLister) = await Data.SignedInAsync(Roles.Admin);
        var holders = await staffLister.GetFromJsonAsync<List<Linli.Api.Users.UsersApi.UserDto>>($"/api/v1/users?role=community_staff&communityId={community}");
        Assert.That(holders, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AnExpiredInvitationIsAConflictNamingItsState()
    {
        await using var factory = new LinliFactory(); // its own clock
        var data = new TestData(factory);
        var community = await data.CommunityAsync();
        var (_, admin) = await data.SignedInAsync(Roles.Admin);
        var invitation = await InviteAsync(admin, new { role = Roles.PartyMember, communityId = community, expiresInDays = 2 });
        factory.Clock.Advance(TimeSpan.FromDays(2).Add(TimeSpan.FromSeconds(1)));
        var (_, invitee) = await data.SignedInAsync(Roles.Resident);
        var response = await invitee.PostAsync($"/api/v1/invitations/{invitation.Code}/redeem", null);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(problem!.Extensions["state"]!.ToString(), Is.EqualTo("expired"));
        });
    }

    [Test]
    public async Task AnUnknownCodeIs404()
    {
        var (_, invitee) = await Data.SignedInAsync(Roles.Resident);
        Assert.That((await invitee.PostAsync("/api/v1/invitations/NOSUCHCODE23/redeem", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task CommunityStaffInviteGridWorkersAndStaffOfTheirOwnCommunity()
    {
        var community = await Data.CommunityAsync();
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, community);
        await InviteAsync(staff, new { role = Roles.GridWorker, communityId = community, gridId = await Data.GridAsync(community) });
        await InviteAsync(staff, new { role = Roles.CommunityStaff, communityId = community });
    }

    [Test]
    public async Task CommunityStaffCannotInviteBeyondTheirScope()
    {
        var mine = await Data.CommunityAsync();
        var theirs = await Data.CommunityAsync();
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, mine);
        var otherCommunity = await staff.PostAsJsonAsync("/api/v1/invitations", new { role = Roles.CommunityStaff, communityId = theirs });
        var department = await staff.PostAsJsonAsync("/api/v1/invitations", new { role = Roles.DepartmentStaff, departmentId = await Data.DepartmentAsync() });
        var admin = await staff.PostAsJsonAsync("/api/v1/invitations", new { role = Roles.Admin });
        Assert.Multiple(() =>
        {
            Assert.That(otherCommunity.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(department.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [TestCase(Roles.GridWorker)]
    [TestCase(Roles.DepartmentStaff)]
    [TestCase(Roles.Resident)]
    public async Task OthersCannotInviteAtAll(string role)
    {
        var community = await Data.CommunityAsync();
        var (_, client) = await Data.SignedInAsync(role, role == Roles.GridWorker ? community : null,
            role == Roles.GridWorker ? await Data.GridAsync(community) : null, role == Roles.DepartmentStaff ? await Data.DepartmentAsync() : null);
        var response = await client.PostAsJsonAsync("/api/v1/invitations", new { role = Roles.GridWorker, communityId = community, gridId = await Data.GridAsync(community) });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task AnInvitationMustCarryExactlyItsRolesScope()
    {
        var community = await Data.CommunityAsync();
        var otherGrid = await Data.GridAsync(await Data.CommunityAsync());
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var missing = await admin.PostAsJsonAsync("/api/v1/invitations", new { role = Roles.GridWorker, communityId = community });
        var wrongGrid = await admin.PostAsJsonAsync("/api/v1/invitations", new { role = Roles.GridWorker, communityId = community, gridId = otherGrid });
        var landlord = await admin.PostAsJsonAsync("/api/v1/invitations", new { role = Roles.Landlord });
        Assert.Multiple(async () =>
        {
            Assert.That((await missing.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!.Errors.Keys, Is.EqualTo(new[] { "gridId" }));
            Assert.That((await wrongGrid.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!.Errors.Keys, Is.EqualTo(new[] { "gridId" }));
            Assert.That((await landlord.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!.Errors.Keys, Is.EqualTo(new[] { "role" }));
        });
    }

    [Test]
    public async Task TheInvitationIsAlsoAQrImage()
    {
        var community = await Data.CommunityAsync();
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, community);
        var invitation = await InviteAsync(staff, new { role = Roles.CommunityStaff, communityId = community });
        var response = await staff.GetAsync(invitation.QrImageUrl);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
            Assert.That(bytes.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        });
        var (_, outsider) = await Data.SignedInAsync(Roles.CommunityStaff, await Data.CommunityAsync());
        Assert.That((await outsider.GetAsync(invitation.QrImageUrl)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
