using System.Net;
using System.Net.Http.Json;
using Linli.Api.Tests.Auth;
using Linli.Api.Tests.Support;
using Linli.Api.Users;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.Users;

public class UsersApiTests
{
    private static LinliFactory Factory => SharedApp.Factory;
    private static TestData Data => new(Factory);

    [Test]
    public async Task CommunityStaffSeeOnlyTheirOwnCommunitysPeople()
    {
        var mine = await Data.CommunityAsync();
        var theirs = await Data.CommunityAsync();
        var (myWorker, _) = await Data.SignedInAsync(Roles.GridWorker, mine, await Data.GridAsync(mine));
        var (theirWorker, _) = await Data.SignedInAsync(Roles.GridWorker, theirs, await Data.GridAsync(theirs));
        var (me, staff) = await Data.SignedInAsync(Roles.CommunityStaff, mine);

        var listed = await staff.GetFromJsonAsync<List<UsersApi.UserDto>>($"/api/v1/users?role=grid_worker&communityId={mine}");
        var all = await staff.GetFromJsonAsync<List<UsersApi.UserDto>>("/api/v1/users?role=grid_worker&limit=200");
        var foreign = await staff.GetAsync($"/api/v1/users?communityId={theirs}");
        Assert.Multiple(() =>
        {
            Assert.That(listed!.Select(u => u.Id), Is.EqualTo(new[] { myWorker }));
            Assert.That(all!.Select(u => u.Id), Does.Not.Contain(theirWorker));
            Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task AdminsSeeEveryCommunity()
    {
        var community = await Data.CommunityAsync();
        var (staffId, _) = await Data.SignedInAsync(Roles.CommunityStaff, community);
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var listed = await admin.GetFromJsonAsync<List<UsersApi.UserDto>>($"/api/v1/users?communityId={community}");
        Assert.That(listed!.Single().Roles.Single().CommunityId, Is.EqualTo(community));
        Assert.That(listed!.Single().Id, Is.EqualTo(staffId));
    }

    [Test]
    public async Task ResidentsAndGridWorkersCannotListUsers()
    {
        var community = await Data.CommunityAsync();
        var (_, worker) = await Data.SignedInAsync(Roles.GridWorker, community, await Data.GridAsync(community));
        var (_, resident) = await Data.SignedInAsync(Roles.Resident);
        Assert.Multiple(async () =>
        {
            Assert.That((await worker.GetAsync("/api/v1/users")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await resident.GetAsync("/api/v1/users")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task CommunityStaffRevokeGridWorkersOfTheirCommunityOnly()
    {
        var mine = await Data.CommunityAsync();
        var theirs = await Data.CommunityAsync();
        var (myWorker, _) = await Data.SignedInAsync(Roles.GridWorker, mine, await Data.GridAsync(mine));
        var (theirWorker, _) = await Data.SignedInAsync(Roles.GridWorker, theirs, await Data.GridAsync(theirs));
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, mine);

        var foreign = await staff.DeleteAsync($"/api/v1/users/{theirWorker}/roles/{await SessionTests.RoleIdAsync(theirWorker, Roles.GridWorker)}");
        var own = await staff.DeleteAsync($"/api/v1/users/{myWorker}/roles/{await SessionTests.RoleIdAsync(myWorker, Roles.GridWorker)}");
        Assert.Multiple(async () =>
        {
            Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(await SessionTests.RoleIdAsync(theirWorker, Roles.GridWorker), Is.Not.Zero, "the other community's worker keeps the role");
            Assert.That(await SessionTests.RoleIdAsync(myWorker, Roles.GridWorker), Is.Zero);
        });
    }

    [Test]
    public async Task CommunityStaffCannotRevokePartyMembershipOrDepartmentRoles()
    {
        var community = await Data.CommunityAsync();
        var (member, _) = await Data.SignedInAsync(Roles.PartyMember, community);
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, community);
        var response = await staff.DeleteAsync($"/api/v1/users/{member}/roles/{await SessionTests.RoleIdAsync(member, Roles.PartyMember)}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task RevokingARoleThatIsNotThereIs404()
    {
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var userId = await Data.UserAsync();
        Assert.That((await admin.DeleteAsync($"/api/v1/users/{userId}/roles/999999999")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task OnlyAdminsBlockUsers()
    {
        var community = await Data.CommunityAsync();
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, community);
        var session = await SignIn.AsAsync(Factory, TestData.Unique("blockee"));
        Assert.That((await staff.PostAsync($"/api/v1/users/{session.User.Id}/block", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await SignIn.RefreshAsync(Factory, session.RefreshToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UsersArePagedByIdWithAfterId()
    {
        var community = await Data.CommunityAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
            ids.Add((await Data.SignedInAsync(Roles.CommunityStaff, community)).UserId);
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var first = await admin.GetFromJsonAsync<List<UsersApi.UserDto>>($"/api/v1/users?communityId={community}&limit=2");
        var second = await admin.GetFromJsonAsync<List<UsersApi.UserDto>>($"/api/v1/users?communityId={community}&limit=2&afterId={first![^1].Id}");
        Assert.Multiple(async () =>
        {
            Assert.That(first.Select(u => u.Id), Is.EqualTo(ids.Take(2)));
            Assert.That(second!.Select(u => u.Id), Is.EqualTo(ids.Skip(2)));
            Assert.That((await admin.GetAsync("/api/v1/users?limit=0")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }
}
