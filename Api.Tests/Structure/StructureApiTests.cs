using System.Net;
using System.Net.Http.Json;
using Linli.Api.Structure;
using Linli.Api.Tests.Hosting;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Microsoft.AspNetCore.Http;

namespace Linli.Api.Tests.Structure;

public class StructureApiTests
{
    private static LinliFactory Factory => SharedApp.Factory;
    private static TestData Data => new(Factory);

    [Test]
    public async Task AnAdminCreatesRenamesAndRetiresACommunity()
    {
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var streetName = TestData.Unique("城东街道");
        var street = await Data.StreetOfficeAsync(streetName);
        var name = TestData.Unique("幸福社区");
        var created = await admin.PostAsJsonAsync("/api/v1/communities", new { name, streetOfficeId = street, address = "幸福路1号" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var community = (await created.Content.ReadFromJsonAsync<StructureApi.CommunityDto>())!;
        Assert.That(community, Is.EqualTo(new StructureApi.CommunityDto
        {
            Id = community.Id, Name = name, StreetOfficeId = street, StreetOfficeName = streetName, Address = "幸福路1号", IsActive = true,
        }));

        var renamed = name + "新";
        var updated = await admin.PutAsJsonAsync($"/api/v1/communities/{community.Id}", new { name = renamed, streetOfficeId = street, isActive = false });
        Assert.That((await updated.Content.ReadFromJsonAsync<StructureApi.CommunityDto>())!.IsActive, Is.False);

        var (_, resident) = await Data.SignedInAsync(Roles.Resident);
        var seenByResident = await resident.GetFromJsonAsync<List<StructureApi.CommunityDto>>("/api/v1/communities");
        var seenByAdmin = await admin.GetFromJsonAsync<List<StructureApi.CommunityDto>>("/api/v1/communities");
        Assert.Multiple(() =>
        {
            Assert.That(seenByResident!.Select(c => c.Id), Does.Not.Contain(community.Id), "retired communities are hidden from residents");
            Assert.That(seenByAdmin!.Single(c => c.Id == community.Id).Name, Is.EqualTo(renamed));
        });
    }

    [TestCase(Roles.CommunityStaff)]
    [TestCase(Roles.GridWorker)]
    [TestCase(Roles.Resident)]
    public async Task OnlyAdminsCreateCommunities(string role)
    {
        var community = await Data.CommunityAsync();
        var (_, client) = await Data.SignedInAsync(role, role == Roles.Resident ? null : community, role == Roles.GridWorker ? await Data.GridAsync(community) : null);
        var response = await client.PostAsJsonAsync("/api/v1/communities", new { name = TestData.Unique("社区"), streetOfficeId = 1 });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task WritingWithoutATokenIs401()
    {
        var response = await Factory.CreateClient().PostAsJsonAsync("/api/v1/communities", new { name = "x", streetOfficeId = 1 });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ADuplicateCommunityNameIsAConflict()
    {
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var name = TestData.Unique("社区");
        var streetOfficeId = await Data.StreetOfficeAsync();
        await admin.PostAsJsonAsync("/api/v1/communities", new { name, streetOfficeId });
        var again = await admin.PostAsJsonAsync("/api/v1/communities", new { name, streetOfficeId });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task InvalidCommunitiesNameEachField()
    {
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var response = await admin.PostAsJsonAsync("/api/v1/communities", new { name = new string('社', 101), streetOfficeId = 0 });
        // The validator's problem has the shape of every other error: problem+json, the trace id, JSON field names.
        var problem = await ProblemDetailsTests.ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Multiple(() =>
        {
            Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[] { "name", "streetOfficeId" }));
            Assert.That(errors.GetProperty("name")[0].GetString(), Does.Contain("100"));
            Assert.That(problem.ToString(), Does.Not.Contain(new string('社', 101)), "the bad value is not echoed back");
        });
    }

    [Test]
    public async Task ACommunityWithoutItsRequiredFieldsNamesThemAll()
    {
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var response = await admin.PostAsJsonAsync("/api/v1/communities", new { address = "幸福路1号" });
        var problem = await ProblemDetailsTests.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[] { "name", "streetOfficeId" }));
    }

    [Test]
    public async Task AnUnknownCommunityIs404()
    {
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var response = await admin.PutAsJsonAsync("/api/v1/communities/999999999", new { name = TestData.Unique("社区"), streetOfficeId = 1 });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task CommunityStaffManageTheirOwnCommunitysGrids()
    {
        var community = await Data.CommunityAsync();
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, community);
        var created = await staff.PostAsJsonAsync($"/api/v1/communities/{community}/grids", new { name = "第一网格", households = 320 });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var grid = (await created.Content.ReadFromJsonAsync<StructureApi.GridDto>())!;

        var retired = await staff.PutAsJsonAsync($"/api/v1/communities/{community}/grids/{grid.Id}", new { name = "第一网格", households = 300, isActive = false });
        Assert.That(retired.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var (_, resident) = await Data.SignedInAsync(Roles.Resident);
        var seenByResident = await resident.GetFromJsonAsync<List<StructureApi.GridDto>>($"/api/v1/communities/{community}/grids");
        var seenByStaff = await staff.GetFromJsonAsync<List<StructureApi.GridDto>>($"/api/v1/communities/{community}/grids");
        Assert.Multiple(() =>
        {
            Assert.That(seenByResident, Is.Empty);
            Assert.That(seenByStaff!.Single().Households, Is.EqualTo(300));
        });
    }

    [Test]
    public async Task CommunityStaffCannotTouchAnotherCommunitysGrids()
    {
        var mine = await Data.CommunityAsync();
        var theirs = await Data.CommunityAsync();
        var theirGrid = await Data.GridAsync(theirs);
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, mine);
        var create = await staff.PostAsJsonAsync($"/api/v1/communities/{theirs}/grids", new { name = "入侵网格" });
        var update = await staff.PutAsJsonAsync($"/api/v1/communities/{theirs}/grids/{theirGrid}", new { name = "改名", isActive = false });
        var sneaky = await staff.PutAsJsonAsync($"/api/v1/communities/{mine}/grids/{theirGrid}", new { name = "改名" });
        Assert.Multiple(async () =>
        {
            Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(sneaky.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a grid is addressed through its own community");
            var (_, admin) = await Data.SignedInAsync(Roles.Admin);
            var grids = await admin.GetFromJsonAsync<List<StructureApi.GridDto>>($"/api/v1/communities/{theirs}/grids");
            Assert.That(grids!.Single().IsActive, Is.True);
            Assert.That(grids!.Single().Name, Does.StartWith("网格"));
        });
    }

    [Test]
    public async Task GridWorkersCannotCreateGrids()
    {
        var community = await Data.CommunityAsync();
        var (_, worker) = await Data.SignedInAsync(Roles.GridWorker, community, await Data.GridAsync(community));
        var response = await worker.PostAsJsonAsync($"/api/v1/communities/{community}/grids", new { name = "新网格" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task ADuplicateGridNameInTheSameCommunityIsAConflict()
    {
        var community = await Data.CommunityAsync();
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        await admin.PostAsJsonAsync($"/api/v1/communities/{community}/grids", new { name = "二网格" });
        var again = await admin.PostAsJsonAsync($"/api/v1/communities/{community}/grids", new { name = "二网格" });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task AdminsManageDepartmentsThatServeEveryCommunity()
    {
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var name = TestData.Unique("环卫所");
        var created = await admin.PostAsJsonAsync("/api/v1/departments", new { name, kind = "sanitation", phone = "0871-1234567" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var department = (await created.Content.ReadFromJsonAsync<StructureApi.DepartmentDto>())!;
        var retired = await admin.PutAsJsonAsync($"/api/v1/departments/{department.Id}", new { name, kind = "sanitation", isActive = false });
        Assert.That(retired.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, await Data.CommunityAsync());
        Assert.Multiple(async () =>
        {
            Assert.That((await staff.GetFromJsonAsync<List<StructureApi.DepartmentDto>>("/api/v1/departments"))!.Select(d => d.Id), Does.Not.Contain(department.Id));
            Assert.That((await staff.PostAsJsonAsync("/api/v1/departments", new { name = TestData.Unique("派出所"), kind = "police" })).StatusCode,
                Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task AnUnknownDepartmentKindIsAValidationError()
    {
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var response = await admin.PostAsJsonAsync("/api/v1/departments", new { name = TestData.Unique("部门"), kind = "space-agency" });
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Is.EqualTo(new[] { "kind" }));
    }
}

public class AdminOnlyWriteTests
{
    private static TestData Data => new(SharedApp.Factory);

    [TestCase("PUT", "/api/v1/communities/{community}")]
    [TestCase("POST", "/api/v1/departments")]
    [TestCase("PUT", "/api/v1/departments/{department}")]
    [TestCase("POST", "/api/v1/users/{user}/block")]
    [TestCase("POST", "/api/v1/users/{user}/unblock")]
    public async Task CommunityStaffGet403FromAdminOnlyWrites(string method, string route)
    {
        var community = await Data.CommunityAsync();
        var department = await Data.DepartmentAsync();
        var (userId, staff) = await Data.SignedInAsync(Roles.CommunityStaff, community);
        var path = route.Replace("{community}", $"{community}", StringComparison.Ordinal)
            .Replace("{department}", $"{department}", StringComparison.Ordinal).Replace("{user}", $"{userId}", StringComparison.Ordinal);
        var body = JsonContent.Create(new { name = TestData.Unique("名"), streetOfficeId = 1, kind = "police" });
        var response = await staff.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = body });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task ACommunityJoinsOnlyAnActiveStreetOffice()
    {
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var retired = await admin.PostAsJsonAsync("/api/v1/street-offices", new { name = TestData.Unique("旧街道"), area = "西山区" });
        var office = (await retired.Content.ReadFromJsonAsync<StreetOfficesApi.StreetOfficeDto>())!;
        await admin.PutAsJsonAsync($"/api/v1/street-offices/{office.Id}", new { name = office.Name, isActive = false });

        var response = await admin.PostAsJsonAsync("/api/v1/communities", new { name = TestData.Unique("社区"), streetOfficeId = office.Id });
        var problem = await ProblemDetailsTests.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[] { "streetOfficeId" }));
    }

    [Test]
    public async Task AdminsManageStreetOfficesAndEveryoneReadsTheActiveOnes()
    {
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var (_, resident) = await Data.SignedInAsync(Roles.Resident);
        var name = TestData.Unique("前卫街道");
        using var created = await admin.PostAsJsonAsync("/api/v1/street-offices", new { name, area = "昆明市西山区" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var office = (await created.Content.ReadFromJsonAsync<StreetOfficesApi.StreetOfficeDto>())!;
        using var again = await admin.PostAsJsonAsync("/api/v1/street-offices", new { name });
        using var byResident = await resident.PostAsJsonAsync("/api/v1/street-offices", new { name = TestData.Unique("街道") });
        using var missing = await admin.PutAsJsonAsync("/api/v1/street-offices/999999999", new { name = TestData.Unique("街道") });
        var seen = await resident.GetFromJsonAsync<List<StreetOfficesApi.StreetOfficeDto>>("/api/v1/street-offices");
        Assert.Multiple(() =>
        {
            Assert.That(office, Is.EqualTo(new StreetOfficesApi.StreetOfficeDto { Id = office.Id, Name = name, Area = "昆明市西山区", IsActive = true }));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(seen!.Select(o => o.Id), Does.Contain(office.Id));
        });
    }
}
