using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.PartyMembers;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.PartyMembers;

public class PartyMembersApiTests
{
    private static LinliFactory Factory => SharedApp.Factory;
    private static TestData Data => new(Factory);

    private static object ReportInBody(long communityId, string name = "张党员", bool showBadge = true, string[]? skills = null, long? gridId = null) => new
    {
        name,
        organisation = "某某大学机关第三党支部",
        isFloating = true,
        phone = "138 1234 5678",
        communityId,
        gridId,
        skills = skills ?? ["mediation", "elderly_care"],
        showBadge,
    };

    private static async Task<(long UserId, HttpClient Client, long MemberId)> ReportedInAsync(
        long communityId, string[]? skills = null, bool showBadge = true, long? gridId = null)
    {
        var (userId, client) = await Data.SignedInAsync(Roles.Resident);
        var response = await client.PostAsJsonAsync("/api/v1/party-members/report-in", ReportInBody(communityId, skills: skills, showBadge: showBadge, gridId: gridId));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (userId, client, body.GetProperty("id").GetInt64());
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<long> ActivePartyMemberRolesAsync(long userId, long communityId)
    {
        await using var c = await Factory.Services.GetRequiredService<System.Data.Common.DbDataSource>().OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM user_roles WHERE user_id = @userId AND role = 'party_member' AND community_id = @communityId AND revoked_at IS NULL",
            new { userId, communityId });
    }

    [Test]
    public async Task ResidentReportsInAndTheReportInIsPendingWithThePhoneMasked()
    {
        var communityId = await Data.CommunityAsync();
        var (userId, client) = await Data.SignedInAsync(Roles.Resident);

        var response = await client.PostAsJsonAsync("/api/v1/party-members/report-in", ReportInBody(communityId));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var body = await JsonOf(response);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("pending"));
            Assert.That(body.GetProperty("userId").GetInt64(), Is.EqualTo(userId));
            Assert.That(body.GetProperty("communityId").GetInt64(), Is.EqualTo(communityId));
            Assert.That(body.GetProperty("phone").GetString(), Is.EqualTo("138****5678"));
            Assert.That(body.GetProperty("isFloating").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("organisation").GetString(), Is.EqualTo("某某大学机关第三党支部"));
            Assert.That(body.GetProperty("skills").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "elderly_care", "mediation" }));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/party-members/{body.GetProperty("id").GetInt64()}"));
        });
    }

    [Test]
    public async Task ThePhoneIsStoredEncryptedNotInPlainText()
    {
        var communityId = await Data.CommunityAsync();
        var (_, _, memberId) = await ReportedInAsync(communityId);

        await using var c = await Factory.Services.GetRequiredService<System.Data.Common.DbDataSource>().OpenConnectionAsync();
        var cipher = await c.ExecuteScalarAsync<byte[]>("SELECT phone_cipher FROM party_members WHERE id = @memberId", new { memberId });
        Assert.That(System.Text.Encoding.UTF8.GetString(cipher!), Does.Not.Contain("13812345678"));
    }

    [Test]
    public async Task ReportInNamesEveryInvalidField()
    {
        var (_, client) = await Data.SignedInAsync(Roles.Resident);

        var response = await client.PostAsJsonAsync("/api/v1/party-members/report-in", new
        {
            name = " ",
            organisation = "支部",
            isFloating = false,
            phone = "12345",
            communityId = long.MaxValue,
            skills = new[] { "mediation", "juggling" },
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await JsonOf(response)).GetProperty("errors");
        // The shape is checked before anything is looked up: the unknown community is named once the fields are right.
        Assert.That(errors.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "name", "phone", "skills" }));
    }

    [Test]
    public async Task AReportInToAnUnknownCommunityNamesTheCommunity()
    {
        var (_, client) = await Data.SignedInAsync(Roles.Resident);

        var response = await client.PostAsJsonAsync("/api/v1/party-members/report-in", ReportInBody(long.MaxValue));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await JsonOf(response)).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "communityId" }));
    }

    [Test]
    public async Task AGridOfAnotherCommunityIsRejected()
    {
        var communityId = await Data.CommunityAsync();
        var otherGrid = await Data.GridAsync(await Data.CommunityAsync());
        var (_, client) = await Data.SignedInAsync(Roles.Resident);

        var response = await client.PostAsJsonAsync("/api/v1/party-members/report-in", ReportInBody(communityId, gridId: otherGrid));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await JsonOf(response)).GetProperty("errors").TryGetProperty("gridId", out _), Is.True);
    }

    [Test]
    public async Task ASecondReportInToTheSameCommunityWhilePendingIsAConflict()
    {
        var communityId = await Data.CommunityAsync();
        var (_, client, _) = await ReportedInAsync(communityId);

        var response = await client.PostAsJsonAsync("/api/v1/party-members/report-in", ReportInBody(communityId));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await JsonOf(response)).GetProperty("currentStatus").GetString(), Is.EqualTo("pending"));
    }

    [Test]
    public async Task ConfirmationGrantsThePartyMemberRoleForThatCommunity()
    {
        var communityId = await Data.CommunityAsync();
        var (memberUserId, _, memberId) = await ReportedInAsync(communityId);
        var (staffId, staff) = await Data.SignedInAsync(Roles.CommunityStaff, communityId);

        var response = await staff.PostAsync($"/api/v1/party-members/{memberId}/confirm", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = await JsonOf(response);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("confirmed"));
            Assert.That(body.GetProperty("reviewedAt").GetDateTimeOffset(), Is.EqualTo(Factory.Clock.GetUtcNow()).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(await ActivePartyMemberRolesAsync(memberUserId, communityId), Is.EqualTo(1));
        });
        await using var c = await Factory.Services.GetRequiredService<System.Data.Common.DbDataSource>().OpenConnectionAsync();
        Assert.That(await c.ExecuteScalarAsync<long>(
            "SELECT granted_by FROM user_roles WHERE user_id = @memberUserId AND role = 'party_member'", new { memberUserId }), Is.EqualTo(staffId));
    }

    [Test]
    public async Task ConfirmingTwiceIsAConflictNamingTheCurrentState()
    {
        var communityId = await Data.CommunityAsync();
        var (memberUserId, _, memberId) = await ReportedInAsync(communityId);
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, communityId);
        await staff.PostAsync($"/api/v1/party-members/{memberId}/confirm", null);

        var again = await staff.PostAsync($"/api/v1/party-members/{memberId}/confirm", null);
        var decline = await staff.PostAsJsonAsync($"/api/v1/party-members/{memberId}/decline", new { reason = "迟了" });

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await JsonOf(again)).GetProperty("currentStatus").GetString(), Is.EqualTo("confirmed"));
            Assert.That(decline.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await ActivePartyMemberRolesAsync(memberUserId, communityId), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task DeclineKeepsTheReasonGrantsNoRoleAndAllowsANewReportIn()
    {
        var communityId = await Data.CommunityAsync();
        var (memberUserId, member, memberId) = await ReportedInAsync(communityId);
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, communityId);

        var response = await staff.PostAsJsonAsync($"/api/v1/party-members/{memberId}/decline", new { reason = "组织关系信息有误, 请核对" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await JsonOf(response);
        var again = await member.PostAsJsonAsync("/api/v1/party-members/report-in", ReportInBody(communityId));
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("declined"));
            Assert.That(body.GetProperty("declineReason").GetString(), Is.EqualTo("组织关系信息有误, 请核对"));
            Assert.That(await ActivePartyMemberRolesAsync(memberUserId, communityId), Is.Zero);
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        });
    }

    [Test]
    public async Task DeclineWithoutAReasonIsAValidationError()
    {
        var communityId = await Data.CommunityAsync();
        var (_, _, memberId) = await ReportedInAsync(communityId);
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, communityId);

        var response = await staff.PostAsJsonAsync($"/api/v1/party-members/{memberId}/decline", new { reason = "  " });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await JsonOf(response)).GetProperty("errors").TryGetProperty("reason", out _), Is.True);
    }

    [Test]
    public async Task StaffOfAnotherCommunityCanNeitherSeeNorReviewTheReportIn()
    {
        var communityId = await Data.CommunityAsync();
        var (memberUserId, _, memberId) = await ReportedInAsync(communityId);
        var (_, outsider) = await Data.SignedInAsync(Roles.CommunityStaff, await Data.CommunityAsync());

        var confirm = await outsider.PostAsync($"/api/v1/party-members/{memberId}/confirm", null);
        var decline = await outsider.PostAsJsonAsync($"/api/v1/party-members/{memberId}/decline", new { reason = "不认识" });
        var get = await outsider.GetAsync($"/api/v1/party-members/{memberId}");
        var list = await JsonOf(await outsider.GetAsync($"/api/v1/party-members?communityId={communityId}"));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(confirm.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(decline.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(list.GetProperty("items").GetArrayLength(), Is.Zero);
            Assert.That(await ActivePartyMemberRolesAsync(memberUserId, communityId), Is.Zero);
        });
    }

    [Test]
    public async Task ResidentsAndPartyMembersCannotReview()
    {
        var communityId = await Data.CommunityAsync();
        var (_, _, memberId) = await ReportedInAsync(communityId);
        var (_, partyMember) = await Data.SignedInAsync(Roles.PartyMember, communityId);

        var confirm = await partyMember.PostAsync($"/api/v1/party-members/{memberId}/confirm", null);
        var list = await partyMember.GetAsync("/api/v1/party-members");

        Assert.Multiple(() =>
        {
            Assert.That(confirm.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task StaffCannotConfirmTheirOwnReportIn()
    {
        var communityId = await Data.CommunityAsync();
        var (staffId, staff) = await Data.SignedInAsync(Roles.CommunityStaff, communityId);
        var created = await JsonOf(await staff.PostAsJsonAsync("/api/v1/party-members/report-in", ReportInBody(communityId)));

        var response = await staff.PostAsync($"/api/v1/party-members/{created.GetProperty("id").GetInt64()}/confirm", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await ActivePartyMemberRolesAsync(staffId, communityId), Is.Zero);
    }

    [Test]
    public async Task AnonymousCallersAreUnauthorized()
    {
        var response = await Factory.CreateClient().PostAsJsonAsync("/api/v1/party-members/report-in", ReportInBody(1));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task MembersReadTheirOwnReportInButNotSomeoneElses()
    {
        var communityId = await Data.CommunityAsync();
        var (_, member, memberId) = await ReportedInAsync(communityId);
        var (_, other, _) = await ReportedInAsync(communityId);

        var own = await member.GetAsync($"/api/v1/party-members/{memberId}");
        var others = await other.GetAsync($"/api/v1/party-members/{memberId}");

        Assert.Multiple(() =>
        {
            Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(others.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task StaffListFiltersByStatusAndSkillWithinTheirCommunity()
    {
        var communityId = await Data.CommunityAsync();
        var (_, _, mediator) = await ReportedInAsync(communityId, skills: ["mediation"]);
        var (_, _, tutor) = await ReportedInAsync(communityId, skills: ["tutoring", "repairs"]);
        var (_, _, confirmedTutor) = await ReportedInAsync(communityId, skills: ["tutoring"]);
        await ReportedInAsync(await Data.CommunityAsync(), skills: ["tutoring"]);
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, communityId);
        await staff.PostAsync($"/api/v1/party-members/{confirmedTutor}/confirm", null);

        static async Task<long[]> Ids(HttpResponseMessage r) =>
            (await JsonOf(r)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToArray();

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Ids(await staff.GetAsync("/api/v1/party-members")), Is.EqualTo(new[] { confirmedTutor, tutor, mediator }));
            Assert.That(await Ids(await staff.GetAsync("/api/v1/party-members?skill=tutoring")), Is.EqualTo(new[] { confirmedTutor, tutor }));
            Assert.That(await Ids(await staff.GetAsync("/api/v1/party-members?skill=tutoring&status=pending")), Is.EqualTo(new[] { tutor }));
            Assert.That((await staff.GetAsync("/api/v1/party-members?status=bogus")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task GridWorkersReadTheirCommunitysPartyMembersButCannotConfirmThem()
    {
        var communityId = await Data.CommunityAsync();
        var gridId = await Data.GridAsync(communityId);
        var (_, _, memberId) = await ReportedInAsync(communityId);
        var (_, worker) = await Data.SignedInAsync(Roles.GridWorker, communityId, gridId);

        var list = await JsonOf(await worker.GetAsync($"/api/v1/party-members?communityId={communityId}"));
        var confirm = await worker.PostAsync($"/api/v1/party-members/{memberId}/confirm", null);

        Assert.Multiple(() =>
        {
            Assert.That(list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()), Is.EqualTo(new[] { memberId }));
            Assert.That(confirm.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task ListPagesNewestFirstWithAKeyset()
    {
        var communityId = await Data.CommunityAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
            ids.Add((await ReportedInAsync(communityId)).MemberId);
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, communityId);

        var first = await JsonOf(await staff.GetAsync($"/api/v1/party-members?communityId={communityId}&limit=2"));
        var next = first.GetProperty("nextBeforeId").GetInt64();
        var second = await JsonOf(await staff.GetAsync($"/api/v1/party-members?communityId={communityId}&limit=2&beforeId={next}"));

        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()), Is.EqualTo(new[] { ids[2], ids[1] }));
            Assert.That(second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()), Is.EqualTo(new[] { ids[0] }));
            Assert.That(second.GetProperty("nextBeforeId").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task BadgesShowOnlyForConfirmedMembersWhoAgreed()
    {
        var communityId = await Data.CommunityAsync();
        var gridId = await Data.GridAsync(communityId);
        var (shown, _, shownId) = await ReportedInAsync(communityId, showBadge: true, gridId: gridId);
        var (hidden, _, hiddenId) = await ReportedInAsync(communityId, showBadge: false, gridId: gridId);
        var (pending, _, _) = await ReportedInAsync(communityId, showBadge: true, gridId: gridId);
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, communityId);
        await staff.PostAsync($"/api/v1/party-members/{shownId}/confirm", null);
        await staff.PostAsync($"/api/v1/party-members/{hiddenId}/confirm", null);
        var badges = Factory.Services.GetRequiredService<PartyBadges>();

        var byUser = await badges.ForUsersAsync([shown, hidden, pending]);
        var otherCommunity = await badges.ForUsersAsync([shown], communityId + 1_000_000);
        var byGrid = await badges.ForGridAsync(gridId);

        Assert.Multiple(() =>
        {
            Assert.That(byUser.Keys, Is.EquivalentTo(new[] { shown }));
            Assert.That(byUser[shown], Is.EqualTo(new PartyBadge(shown, communityId, "张党员", "某某大学机关第三党支部")));
            Assert.That(otherCommunity, Is.Empty);
            Assert.That(byGrid.Select(b => b.UserId), Is.EqualTo(new[] { shown }));
        });
    }

    [Test]
    public async Task AMemberCanWithdrawConsentToShowTheBadge()
    {
        var communityId = await Data.CommunityAsync();
        var (userId, member, memberId) = await ReportedInAsync(communityId, showBadge: true);
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, communityId);
        await staff.PostAsync($"/api/v1/party-members/{memberId}/confirm", null);

        var response = await member.PutAsJsonAsync($"/api/v1/party-members/{memberId}/badge", new { show = false });
        var byStaff = await staff.PutAsJsonAsync($"/api/v1/party-members/{memberId}/badge", new { show = true });

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await JsonOf(response)).GetProperty("showBadge").GetBoolean(), Is.False);
            Assert.That(byStaff.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await Factory.Services.GetRequiredService<PartyBadges>().ForUsersAsync([userId]), Is.Empty);
        });
    }
}
