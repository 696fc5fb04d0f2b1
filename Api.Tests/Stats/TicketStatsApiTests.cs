using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Linli.Api.Tests.Csv;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using static Linli.Api.Tests.Stats.StatsJson;

namespace Linli.Api.Tests.Stats;

/// <summary>
/// A community's March 2026 with ten tickets of known timings, several on the edges of China days and weeks.
/// Every expected number below is worked out by hand in the comments.
/// </summary>
public class TicketStatsApiTests
{
    private static LinliFactory Factory => SharedApp.Factory;
    private static TestData Data => new(Factory);
    private static TicketSeed Seed => new(Factory);

    private static TimeSpan H(double hours) => TimeSpan.FromHours(hours);
    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    private sealed record March(
        long CommunityId, long OtherCommunityId, long Grid1, long Grid2, long DepartmentId, long PartyUserId, long PartyMemberId,
        long StaffId, HttpClient Staff, string Grid1Name);

    /// <summary>
    /// In range 2026-03-01..2026-03-31 (China), community C:
    ///  T1 03-02 10:00      dispatch +1h, accept +3h, resolve +24h, closed 5★, due +48h          (grid 1, 邻里纠纷, D1)
    ///  T2 03-02 23:59:59   publish +600s, claim +1200s by P, resolve +7200s, resolved, due +1h  (grid 1, 邻里纠纷)
    ///  T3 03-03 00:00:00   take +1800s, resolve +3600s, reopen, resolve +10800s, closed 3★      (grid 2)
    ///  T4 03-09 00:00:00   dispatch +2h to D1, still dispatched, due +24h → overdue
    ///  T5 03-08 23:59:59   cancelled                                                            (Sunday: the week of 03-02)
    ///  T6 03-31 23:30      rejected
    ///  T10 03-20 08:00     publish +1000s, claim +3000s by P, in progress, due +24h → overdue
    /// Outside: T7 04-01 00:00, T8 02-28 23:59:59 (C); T9 03-15 in another community.
    /// </summary>
    private static async Task<March> SeedMarchAsync()
    {
        var c = await Data.CommunityAsync();
        var c2 = await Data.CommunityAsync();
        var grid1Name = TestData.Unique("一网格, \"东区\"");
        var g1 = await Data.GridAsync(c, grid1Name);
        var g2 = await Data.GridAsync(c, TestData.Unique("二网格"));
        var d1 = await Data.DepartmentAsync();
        var resident = await Data.UserAsync("居民");
        var (staffId, staff) = await Data.SignedInAsync(Roles.CommunityStaff, c);

        var (partyUser, partyClient) = await Data.SignedInAsync(Roles.Resident);
        var reported = await partyClient.PostAsJsonAsync("/api/v1/party-members/report-in", new
        {
            name = "王党员", organisation = "市直机关第二党支部", isFloating = false, phone = "13900001111",
            communityId = c, skills = new[] { "mediation" }, showBadge = true,
        });
        var partyMemberId = (await reported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.That((await staff.PostAsync($"/api/v1/party-members/{partyMemberId}/confirm", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var dispute = await Seed.CategoryIdAsync("邻里纠纷");
        var hygiene = await Seed.CategoryIdAsync("环境卫生");

        await Seed.TicketAsync(c, resident, dispute, TicketSeed.Utc(2026, 3, 2, 10), "closed",
            [new("dispatch", H(1), staffId), new("accept", H(3)), new("resolve", H(24)), new("evaluate", H(25))],
            gridId: g1, departmentId: d1, handlerDepartmentId: d1, dueAfter: H(48), resolvedAfter: H(24), satisfaction: 5,
            description: "楼道灯坏了, 邻居说:\"找物业\"\n已两周");
        await Seed.TicketAsync(c, resident, dispute, TicketSeed.Utc(2026, 3, 2, 23, 59, 59), "resolved",
            [new("publish", S(600), staffId), new("claim", S(1200), partyUser), new("resolve", S(7200), partyUser)],
            gridId: g1, handlerUserId: partyUser, dueAfter: H(1), resolvedAfter: S(7200));
        await Seed.TicketAsync(c, resident, hygiene, TicketSeed.Utc(2026, 3, 3), "closed",
            [new("take", S(1800), staffId), new("resolve", S(3600), staffId), new("reopen", S(5000)), new("resolve", S(10800), staffId), new("evaluate", S(11000))],
            gridId: g2, handlerUserId: staffId, resolvedAfter: S(10800), satisfaction: 3, reopenCount: 1);
        await Seed.TicketAsync(c, resident, hygiene, TicketSeed.Utc(2026, 3, 9), "dispatched",
            [new("dispatch", H(2), staffId)], departmentId: d1, dueAfter: H(24));
        await Seed.TicketAsync(c, resident, hygiene, TicketSeed.Utc(2026, 3, 8, 23, 59, 59), "cancelled", [new("cancel", S(60))]);
        await Seed.TicketAsync(c, resident, hygiene, TicketSeed.Utc(2026, 3, 31, 23, 30), "rejected", [new("reject", S(60), staffId)]);
        await Seed.TicketAsync(c, resident, hygiene, TicketSeed.Utc(2026, 4, 1), "submitted");
        await Seed.TicketAsync(c, resident, hygiene, TicketSeed.Utc(2026, 2, 28, 23, 59, 59), "submitted");
        await Seed.TicketAsync(c2, resident, hygiene, TicketSeed.Utc(2026, 3, 15, 12), "submitted");
        await Seed.TicketAsync(c, resident, dispute, TicketSeed.Utc(2026, 3, 20, 8), "in_progress",
            [new("publish", S(1000), staffId), new("claim", S(3000), partyUser)], handlerUserId: partyUser, dueAfter: H(24));

        return new March(c, c2, g1, g2, d1, partyUser, partyMemberId, staffId, staff, grid1Name);
    }

    private static (long Count, long? Median, long? P90) Duration(JsonElement e, string name)
    {
        var d = e.GetProperty(name);
        return (L(d, "count"),
            d.GetProperty("medianSeconds").ValueKind == JsonValueKind.Null ? null : L(d, "medianSeconds"),
            d.GetProperty("p90Seconds").ValueKind == JsonValueKind.Null ? null : L(d, "p90Seconds"));
    }

    [Test]
    public async Task EveryFigureOfTheMonthIsExact()
    {
        var m = await SeedMarchAsync();

        var stats = await GetJsonAsync(m.Staff, $"/api/v1/stats/tickets?from=2026-03-01&to=2026-03-31&bucket=month&communityId={m.CommunityId}");

        var t = stats.GetProperty("totals");
        Assert.Multiple(() =>
        {
            Assert.That(L(t, "received"), Is.EqualTo(7), "T1–T6 and T10");
            Assert.That(L(t, "dispatched"), Is.EqualTo(5), "T1 T2 T3 T4 T10 were routed");
            Assert.That(L(t, "claimed"), Is.EqualTo(2), "T2 T10");
            Assert.That(L(t, "resolved"), Is.EqualTo(3), "T1 T2 T3");
            Assert.That(L(t, "closed"), Is.EqualTo(2));
            Assert.That(L(t, "cancelled"), Is.EqualTo(1));
            Assert.That(L(t, "rejected"), Is.EqualTo(1));
            Assert.That(D(t, "resolutionRate"), Is.EqualTo(0.6), "3 of 7 − 1 cancelled − 1 rejected");
            Assert.That(D(t, "onTimeRate"), Is.EqualTo(0.5), "T1 on time, T2 late; T3 had no due time");
            Assert.That(Duration(t, "timeToDispatch"), Is.EqualTo((5L, (long?)1800, (long?)7200)), "600 1000 1800 3600 7200");
            Assert.That(Duration(t, "timeToAccept"), Is.EqualTo((4L, (long?)600, (long?)7200)), "0 (take) 600 2000 7200");
            Assert.That(Duration(t, "timeToResolve"), Is.EqualTo((3L, (long?)10800, (long?)86400)), "7200 10800 86400");
            Assert.That(L(t, "rated"), Is.EqualTo(2));
            Assert.That(D(t, "satisfactionRate"), Is.EqualTo(0.5), "5★ yes, 3★ no");
            Assert.That(D(t, "averageSatisfaction"), Is.EqualTo(4.0));
            Assert.That(D(t, "reopenRate"), Is.EqualTo(0.3333), "T3 of T1 T2 T3");
            Assert.That(L(t, "overdue"), Is.EqualTo(2), "T4 dispatched, T10 in progress, both past due");
            Assert.That(stats.GetProperty("buckets").GetArrayLength(), Is.EqualTo(1));
            Assert.That(stats.GetProperty("buckets")[0].GetProperty("start").GetString(), Is.EqualTo("2026-03-01"));
            Assert.That(L(stats.GetProperty("buckets")[0].GetProperty("figures"), "received"), Is.EqualTo(7));
        });
    }

    [Test]
    public async Task DayBucketsTurnAtMidnightChinaStandardTime()
    {
        var m = await SeedMarchAsync();

        var stats = await GetJsonAsync(m.Staff, $"/api/v1/stats/tickets?from=2026-03-01&to=2026-03-31&bucket=day&communityId={m.CommunityId}");

        var buckets = stats.GetProperty("buckets").EnumerateArray()
            .ToDictionary(b => b.GetProperty("start").GetString()!, b => b.GetProperty("figures"));
        var received = buckets.Where(b => L(b.Value, "received") > 0).ToDictionary(b => b.Key, b => L(b.Value, "received"));
        Assert.Multiple(() =>
        {
            Assert.That(buckets, Has.Count.EqualTo(31), "empty days are listed as zero");
            Assert.That(received, Is.EqualTo(new Dictionary<string, long>
            {
                ["2026-03-02"] = 2, ["2026-03-03"] = 1, ["2026-03-08"] = 1, ["2026-03-09"] = 1, ["2026-03-20"] = 1, ["2026-03-31"] = 1,
            }));
            Assert.That(Duration(buckets["2026-03-02"], "timeToDispatch"), Is.EqualTo((2L, (long?)600, (long?)3600)), "ranks 1 and 2 of 600 3600");
            Assert.That(Duration(buckets["2026-03-01"], "timeToDispatch"), Is.EqualTo((0L, (long?)null, (long?)null)));
            Assert.That(D(buckets["2026-03-01"], "resolutionRate"), Is.Null);
        });
    }

    [Test]
    public async Task WeekBucketsStartOnMondayChinaTime()
    {
        var m = await SeedMarchAsync();

        var stats = await GetJsonAsync(m.Staff, $"/api/v1/stats/tickets?from=2026-03-01&to=2026-03-31&bucket=week&communityId={m.CommunityId}");

        var weeks = stats.GetProperty("buckets").EnumerateArray()
            .Select(b => (b.GetProperty("start").GetString(), L(b.GetProperty("figures"), "received"))).ToList();
        // 2026-03-01 is a Sunday, so the first week starts on Monday 02-23.
        Assert.That(weeks, Is.EqualTo(new[]
        {
            ("2026-02-23", 0L), ("2026-03-02", 4L), ("2026-03-09", 1L), ("2026-03-16", 1L), ("2026-03-23", 0L), ("2026-03-30", 1L),
        }));
    }

    [Test]
    public async Task MonthBucketsIncludeTheFirstAndLastSecondsOfTheRange()
    {
        var m = await SeedMarchAsync();

        var stats = await GetJsonAsync(m.Staff, $"/api/v1/stats/tickets?from=2026-02-28&to=2026-04-01&bucket=month&communityId={m.CommunityId}");

        var months = stats.GetProperty("buckets").EnumerateArray()
            .Select(b => (b.GetProperty("start").GetString(), L(b.GetProperty("figures"), "received"))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(months, Is.EqualTo(new[] { ("2026-02-01", 1L), ("2026-03-01", 7L), ("2026-04-01", 1L) }));
            Assert.That(L(stats.GetProperty("totals"), "received"), Is.EqualTo(9));
        });
    }

    [Test]
    public async Task StaffSeeOnlyTheirCommunitiesAndAdminsSeeAny()
    {
        var m = await SeedMarchAsync();
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        var (_, resident) = await Data.SignedInAsync(Roles.Resident);
        const string range = "from=2026-03-01&to=2026-03-31";

        var own = await GetJsonAsync(m.Staff, $"/api/v1/stats/tickets?{range}");
        var other = await m.Staff.GetAsync($"/api/v1/stats/tickets?{range}&communityId={m.OtherCommunityId}");
        var otherByGrid = await m.Staff.GetAsync($"/api/v1/stats/tickets/by-grid?{range}&communityId={m.OtherCommunityId}");
        var byAdmin = await GetJsonAsync(admin, $"/api/v1/stats/tickets?{range}&communityId={m.OtherCommunityId}");
        var byResident = await resident.GetAsync($"/api/v1/stats/tickets?{range}");

        Assert.Multiple(() =>
        {
            Assert.That(L(own.GetProperty("totals"), "received"), Is.EqualTo(7), "without communityId: all of their communities, which is one");
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(otherByGrid.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(L(byAdmin.GetProperty("totals"), "received"), Is.EqualTo(1));
            Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task ByCommunityListsEachOfTheStaffMembersCommunities()
    {
        var m = await SeedMarchAsync();
        await Data.GrantAsync(m.StaffId, Roles.CommunityStaff, m.OtherCommunityId);

        var stats = await GetJsonAsync(m.Staff, "/api/v1/stats/tickets/by-community?from=2026-03-01&to=2026-03-31");

        var rows = stats.GetProperty("rows").EnumerateArray().Select(r => (L(r, "id"), L(r.GetProperty("figures"), "received"))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(new[] { (m.CommunityId, 7L), (m.OtherCommunityId, 1L) }));
            Assert.That(L(stats.GetProperty("totals"), "received"), Is.EqualTo(8));
            Assert.That(stats.GetProperty("by").GetString(), Is.EqualTo("community"));
        });
    }

    [Test]
    public async Task ByGridGroupsTicketsWithoutAGridTogether()
    {
        var m = await SeedMarchAsync();

        var stats = await GetJsonAsync(m.Staff, $"/api/v1/stats/tickets/by-grid?from=2026-03-01&to=2026-03-31&communityId={m.CommunityId}");

        var rows = stats.GetProperty("rows").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.GetProperty("id").ValueKind == JsonValueKind.Null ? (long?)null : L(r, "id")),
                Is.EqualTo(new long?[] { null, m.Grid1, m.Grid2 }), "most tickets first");
            Assert.That(rows.Select(r => L(r.GetProperty("figures"), "received")), Is.EqualTo(new[] { 4L, 2L, 1L }));
            Assert.That(rows[1].GetProperty("name").GetString(), Is.EqualTo(m.Grid1Name));
            Assert.That(L(rows[1].GetProperty("figures"), "resolved"), Is.EqualTo(2));
            Assert.That(D(rows[1].GetProperty("figures"), "onTimeRate"), Is.EqualTo(0.5));
            Assert.That(L(rows[0].GetProperty("figures"), "overdue"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task ByDepartmentAndByCategoryCountWhereTicketsWent()
    {
        var m = await SeedMarchAsync();
        const string range = "from=2026-03-01&to=2026-03-31";

        var byDepartment = await GetJsonAsync(m.Staff, $"/api/v1/stats/tickets/by-department?{range}&communityId={m.CommunityId}");
        var byCategory = await GetJsonAsync(m.Staff, $"/api/v1/stats/tickets/by-category?{range}&communityId={m.CommunityId}");

        var department = byDepartment.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("id").ValueKind != JsonValueKind.Null);
        var categories = byCategory.GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => L(r.GetProperty("figures"), "received"));
        Assert.Multiple(() =>
        {
            Assert.That(L(department, "id"), Is.EqualTo(m.DepartmentId));
            Assert.That(L(department.GetProperty("figures"), "received"), Is.EqualTo(2), "T1 handled by D1, T4 dispatched to it");
            Assert.That(L(department.GetProperty("figures"), "overdue"), Is.EqualTo(1));
            Assert.That(Duration(department.GetProperty("figures"), "timeToAccept"), Is.EqualTo((1L, (long?)7200, (long?)7200)));
            Assert.That(categories, Is.EqualTo(new Dictionary<string, long> { ["环境卫生"] = 4, ["邻里纠纷"] = 3 }));
        });
    }

    [Test]
    public async Task ByPartyMemberCountsTheTicketsTheyClaimed()
    {
        var m = await SeedMarchAsync();

        var stats = await GetJsonAsync(m.Staff, $"/api/v1/stats/tickets/by-party-member?from=2026-03-01&to=2026-03-31&communityId={m.CommunityId}");

        var row = stats.GetProperty("rows").EnumerateArray().Single();
        var f = row.GetProperty("figures");
        Assert.Multiple(() =>
        {
            Assert.That(L(row, "id"), Is.EqualTo(m.PartyUserId));
            Assert.That(row.GetProperty("name").GetString(), Is.EqualTo("王党员"));
            Assert.That(L(f, "received"), Is.EqualTo(2));
            Assert.That(L(f, "claimed"), Is.EqualTo(2));
            Assert.That(L(f, "resolved"), Is.EqualTo(1));
            Assert.That(L(f, "overdue"), Is.EqualTo(1));
            Assert.That(Duration(f, "timeToDispatch"), Is.EqualTo((2L, (long?)600, (long?)1000)));
            Assert.That(Duration(f, "timeToAccept"), Is.EqualTo((2L, (long?)600, (long?)2000)));
        });
    }

    [Test]
    public async Task APartyMembersRecordCountsClaimedResolvedAndOverdueTickets()
    {
        var m = await SeedMarchAsync();

        var detail = await GetJsonAsync(m.Staff, $"/api/v1/party-members/{m.PartyMemberId}");

        var record = detail.GetProperty("record");
        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("member").GetProperty("name").GetString(), Is.EqualTo("王党员"));
            Assert.That(L(record, "ticketsClaimed"), Is.EqualTo(2));
            Assert.That(L(record, "ticketsResolved"), Is.EqualTo(1));
            Assert.That(D(record, "averageSatisfaction"), Is.Null, "T2 is not rated yet");
            Assert.That(L(record, "overdue"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task TheFiguresDownloadAsCsvThatExcelAndAParserRead()
    {
        var m = await SeedMarchAsync();
        var request = new HttpRequestMessage(HttpMethod.Get,
            $"/api/v1/stats/tickets/by-grid?from=2026-03-01&to=2026-03-31&communityId={m.CommunityId}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        var response = await m.Staff.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var table = Rfc4180.Parse(new UTF8Encoding(false, true).GetString(bytes, 3, bytes.Length - 3));
        var grid1 = table.Single(r => r[0] == m.Grid1.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Multiple(() =>
        {
            Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
            Assert.That(table[0].Take(4), Is.EqualTo(new[] { "编号", "名称", "受理数", "派单数" }));
            Assert.That(table, Has.Count.EqualTo(1 + 3 + 1), "header, three grids, total");
            Assert.That(grid1[1], Is.EqualTo(m.Grid1Name), "a name with a comma and quotes survives");
            Assert.That(grid1[2], Is.EqualTo("2"));
            Assert.That(grid1[table[0].IndexOf("按时办结率")], Is.EqualTo("0.5"));
            Assert.That(table[^1][1], Is.EqualTo("合计"));
            Assert.That(table[^1][2], Is.EqualTo("7"));
        });
    }

    [Test]
    public async Task TimeBucketsDownloadAsCsvWithATotalRow()
    {
        var m = await SeedMarchAsync();
        var request = new HttpRequestMessage(HttpMethod.Get,
            $"/api/v1/stats/tickets?from=2026-03-01&to=2026-03-31&bucket=week&communityId={m.CommunityId}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        var response = await m.Staff.SendAsync(request);

        var bytes = await response.Content.ReadAsByteArrayAsync();
        var table = Rfc4180.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        Assert.That(table.Select(r => (r[0], r[1])), Is.EqualTo(new[]
        {
            ("时段", "受理数"), ("2026-02-23", "0"), ("2026-03-02", "4"), ("2026-03-09", "1"), ("2026-03-16", "1"),
            ("2026-03-23", "0"), ("2026-03-30", "1"), ("合计", "7"),
        }));
    }

    [Test]
    public async Task TheTicketListExportsAsCsvInChinaTime()
    {
        var m = await SeedMarchAsync();

        var response = await m.Staff.GetAsync($"/api/v1/stats/tickets/export?from=2026-03-01&to=2026-03-31&communityId={m.CommunityId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var table = Rfc4180.Parse(new UTF8Encoding(false, true).GetString(bytes, 3, bytes.Length - 3));
        Assert.Multiple(() =>
        {
            Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
            Assert.That(table[0], Is.EqualTo(new[] { "编号", "受理时间", "社区", "网格", "类别", "状态", "部门", "期限", "办结时间", "满意度", "重开次数", "诉求内容" }));
            // Newest ticket first, as the ticket list whose download this is (the seed writes a few out of time order).
            Assert.That(table.Skip(1).Select(r => r[1]), Is.EqualTo(new[]
            {
                "2026-03-20 08:00:00", "2026-03-31 23:30:00", "2026-03-08 23:59:59", "2026-03-09 00:00:00",
                "2026-03-03 00:00:00", "2026-03-02 23:59:59", "2026-03-02 10:00:00",
            }));
            Assert.That(table[^1][3], Is.EqualTo(m.Grid1Name));
            Assert.That(table[^1][5], Is.EqualTo("已关闭"));
            Assert.That(table[^1][8], Is.EqualTo("2026-03-03 10:00:00"));
            Assert.That(table[^1][9], Is.EqualTo("5"));
            Assert.That(table[^1][11], Is.EqualTo("楼道灯坏了, 邻居说:\"找物业\"\n已两周"));
        });
    }

    [Test]
    public async Task BadQueriesAreValidationErrorsNamingTheField()
    {
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, await Data.CommunityAsync());

        var response = await staff.GetAsync("/api/v1/stats/tickets?from=2026-13-01&bucket=year");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "from", "bucket" }));
    }
}
