using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Linli.Api.Tests.Csv;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using static Linli.Api.Tests.Stats.StatsJson;

namespace Linli.Api.Tests.Stats;

/// <summary>
/// The figures of issue 13 — escalation per level, return visits, 吹哨报到 — and who reads them: community staff their
/// community, a street leader every community of their street office, department staff their department's tickets.
/// March 2026 of a street office with two communities (C, C2) and a community of another street office (C3).
/// </summary>
public class StreetFiguresTests
{
    private static LinliFactory Factory => SharedApp.Factory;
    private static TestData Data => new(Factory);
    private static TicketSeed Seed => new(Factory);
    private const string March = "from=2026-03-01&to=2026-03-31";

    private static TimeSpan H(double hours) => TimeSpan.FromHours(hours);

    private sealed record Street(
        long C, long C2, long C3, long D1, long D2, long D3, HttpClient Staff, HttpClient Leader, HttpClient D1Staff, HttpClient D2Staff);

    /// <summary>
    /// C:  A 03-02 closed 5★ · B 03-03 in progress (D1), escalated to level 2 · Cc 03-04 dispatched (D1), level 1 ·
    ///     Dd 03-05 return_visit 1★ (D2) · E 03-06 closed 2★ (D1), visited, satisfied · F 03-07 closed 1★ (D1), visited,
    ///     not satisfied · G 03-08 in progress 2★ (D2), reopened after the visit · X 04-01 level 1 (out of range).
    /// C2: H 03-10 dispatched (D2), level 1.   C3: I 03-10 dispatched (D1), level 1.
    /// Summonses (issued, report-by, answer): on B at 03-03 10:00 D1 lead reported +1 h of 2 h; D2 reported +3 h of 2 h;
    /// D3 declined +0.5 h. On H at 03-10 10:00 D1 reported +2 h of 4 h; D2 unanswered past its 1 h, escalated.
    /// On I at 03-10 D1 reported +1 h of 2 h. On X at 04-01 D1 reported (out of range).
    /// </summary>
    private static async Task<Street> SeedAsync()
    {
        var street = await Data.StreetOfficeAsync();
        var c = await Data.CommunityAsync(streetOfficeId: street);
        var c2 = await Data.CommunityAsync(streetOfficeId: street);
        var c3 = await Data.CommunityAsync();
        var d1 = await Data.DepartmentAsync();
        var d2 = await Data.DepartmentAsync();
        var d3 = await Data.DepartmentAsync();
        var resident = await Data.UserAsync("居民");
        var (_, staff) = await Data.SignedInAsync(Roles.CommunityStaff, c);
        var leaderId = await Data.UserAsync("街道领导");
        await Data.GrantAsync(leaderId, Roles.StreetLeader, streetOfficeId: street);
        var (_, d1Staff) = await Data.SignedInAsync(Roles.DepartmentStaff, departmentId: d1);
        var (_, d2Staff) = await Data.SignedInAsync(Roles.DepartmentStaff, departmentId: d2);
        var category = await Seed.CategoryIdAsync("设施维修");

        Task<long> Ticket(long community, DateTime at, string status, long? department = null, int level = 0, int? stars = null,
            int visits = 0, bool? satisfiedAfterVisit = null) =>
            Seed.TicketAsync(community, resident, category, at, status, departmentId: department, satisfaction: stars,
                escalationLevel: level, returnVisits: visits, satisfiedAfterVisit: satisfiedAfterVisit);

        await Ticket(c, TicketSeed.Utc(2026, 3, 2, 10), "closed", stars: 5);
        var b = await Ticket(c, TicketSeed.Utc(2026, 3, 3, 10), "in_progress", d1, level: 2);
        await Ticket(c, TicketSeed.Utc(2026, 3, 4, 10), "dispatched", d1, level: 1);
        await Ticket(c, TicketSeed.Utc(2026, 3, 5, 10), "return_visit", d2, stars: 1, visits: 1);
        await Ticket(c, TicketSeed.Utc(2026, 3, 6, 10), "closed", d1, stars: 2, visits: 1, satisfiedAfterVisit: true);
        await Ticket(c, TicketSeed.Utc(2026, 3, 7, 10), "closed", d1, stars: 1, visits: 1, satisfiedAfterVisit: false);
        await Ticket(c, TicketSeed.Utc(2026, 3, 8, 10), "in_progress", d2, stars: 2, visits: 1);
        var x = await Ticket(c, TicketSeed.Utc(2026, 4, 1, 10), "dispatched", d1, level: 1);
        var h = await Ticket(c2, TicketSeed.Utc(2026, 3, 10, 10), "dispatched", d2, level: 1);
        var i = await Ticket(c3, TicketSeed.Utc(2026, 3, 10, 10), "dispatched", d1, level: 1);

        var onB = TicketSeed.Utc(2026, 3, 3, 10);
        await Seed.SummonsAsync(b, d1, resident, onB, "reported", H(2), H(1), isLead: true);
        await Seed.SummonsAsync(b, d2, resident, onB, "reported", H(2), H(3));
        await Seed.SummonsAsync(b, d3, resident, onB, "declined", H(2), H(0.5));
        var onH = TicketSeed.Utc(2026, 3, 10, 10);
        await Seed.SummonsAsync(h, d1, resident, onH, "reported", H(4), H(2), isLead: true);
        await Seed.SummonsAsync(h, d2, resident, onH, "summoned", H(1), escalated: true);
        await Seed.SummonsAsync(i, d1, resident, onH, "reported", H(2), H(1), isLead: true);
        await Seed.SummonsAsync(x, d1, resident, TicketSeed.Utc(2026, 4, 1, 10), "reported", H(2), H(1), isLead: true);

        return new Street(c, c2, c3, d1, d2, d3, staff, Factory.ClientFor(leaderId, Roles.StreetLeader), d1Staff, d2Staff);
    }

    private static (long Level, long Tickets)[] Levels(JsonElement figures) =>
        figures.GetProperty("escalatedByLevel").EnumerateArray().Select(l => (L(l, "level"), L(l, "tickets"))).ToArray();

    private static (long Total, long Pending, long Visited, long Satisfied, long Reopened, double? Rate) Visits(JsonElement figures)
    {
        var v = figures.GetProperty("returnVisits");
        return (L(v, "total"), L(v, "pending"), L(v, "visited"), L(v, "satisfiedAfterVisit"), L(v, "reopened"), D(v, "satisfiedRate"));
    }

    [Test]
    public async Task ACommunitysMonthCountsEscalationPerLevelAndReturnVisitsByOutcome()
    {
        var s = await SeedAsync();

        var stats = await GetJsonAsync(s.Staff, $"/api/v1/stats/tickets?{March}&bucket=month");

        var t = stats.GetProperty("totals");
        Assert.Multiple(() =>
        {
            Assert.That(L(t, "received"), Is.EqualTo(7), "A B Cc Dd E F G");
            Assert.That(L(t, "resolved"), Is.EqualTo(4), "A E F closed, Dd awaiting its visit");
            Assert.That(L(t, "escalated"), Is.EqualTo(2), "B Cc");
            Assert.That(Levels(t), Is.EqualTo(new (long, long)[] { (1, 2), (2, 1) }), "both reached the street office, B climbed again");
            Assert.That(Visits(t), Is.EqualTo((4L, 1L, 2L, 1L, 1L, (double?)0.5)), "Dd E F G; Dd pending; E F visited, E satisfied; G reopened");
            Assert.That(Levels(stats.GetProperty("buckets")[0].GetProperty("figures")), Is.EqualTo(Levels(t)));
        });
    }

    [Test]
    public async Task AStreetLeaderReadsEveryCommunityOfTheStreetOfficeAndNoOther()
    {
        var s = await SeedAsync();

        var byCommunity = await GetJsonAsync(s.Leader, $"/api/v1/stats/tickets/by-community?{March}");
        using var other = await s.Leader.GetAsync($"/api/v1/stats/tickets?{March}&communityId={s.C3}");

        var rows = byCommunity.GetProperty("rows").EnumerateArray().Select(r => (L(r, "id"), L(r.GetProperty("figures"), "received"))).ToList();
        var t = byCommunity.GetProperty("totals");
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(new[] { (s.C, 7L), (s.C2, 1L) }));
            Assert.That(Levels(t), Is.EqualTo(new (long, long)[] { (1, 3), (2, 1) }), "B Cc H; B again");
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task DepartmentStaffReadTheFiguresOfTheTicketsDispatchedToTheirDepartment()
    {
        var s = await SeedAsync();

        var d1 = await GetJsonAsync(s.D1Staff, $"/api/v1/stats/tickets/by-community?{March}");
        var d2InC = await GetJsonAsync(s.D2Staff, $"/api/v1/stats/tickets?{March}&bucket=month&communityId={s.C}");
        using var unknown = await s.D1Staff.GetAsync($"/api/v1/stats/tickets?{March}&communityId={long.MaxValue}");
        var (_, gridWorker) = await Data.SignedInAsync(Roles.GridWorker, s.C, await Data.GridAsync(s.C));
        using var byGridWorker = await gridWorker.GetAsync($"/api/v1/stats/tickets?{March}");

        var rows = d1.GetProperty("rows").EnumerateArray().Select(r => (L(r, "id"), L(r.GetProperty("figures"), "received"))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(new[] { (s.C, 4L), (s.C3, 1L) }), "B Cc E F in C, I in C3");
            Assert.That(Visits(d1.GetProperty("totals")), Is.EqualTo((2L, 0L, 2L, 1L, 0L, (double?)0.5)), "E F");
            Assert.That(L(d2InC.GetProperty("totals"), "received"), Is.EqualTo(2), "Dd G: H is in C2");
            Assert.That(Visits(d2InC.GetProperty("totals")), Is.EqualTo((2L, 1L, 0L, 0L, 1L, (double?)null)));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(byGridWorker.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    private static (long Summoned, long Reported, long Declined, long Unanswered, long OnTime, double? Rate, long Escalated,
        long Count, long? Median, long? P90) Summons(JsonElement f)
    {
        var d = f.GetProperty("timeToReport");
        long? Seconds(string name) => d.GetProperty(name).ValueKind == JsonValueKind.Null ? null : L(d, name);
        return (L(f, "summoned"), L(f, "reported"), L(f, "declined"), L(f, "unanswered"), L(f, "reportedOnTime"), D(f, "onTimeRate"),
            L(f, "escalated"), L(d, "count"), Seconds("medianSeconds"), Seconds("p90Seconds"));
    }

    [Test]
    public async Task SummonsFiguresCountReportsInTimeAndTheMedianTimeToReportPerDepartment()
    {
        var s = await SeedAsync();

        var street = await GetJsonAsync(s.Leader, $"/api/v1/stats/tickets/summonses?{March}");

        var rows = street.GetProperty("rows").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Summons(street.GetProperty("totals")), Is.EqualTo((5L, 3L, 1L, 1L, 2L, (double?)0.4, 1L, 3L, (long?)7200, (long?)10800)),
                "B's three and H's two; on time: D1 twice; all five due; reports after 3600 7200 10800 s");
            Assert.That(rows.Select(r => L(r, "id")), Is.EqualTo(new[] { s.D1, s.D2, s.D3 }), "most summoned first, then by id");
            Assert.That(Summons(rows[0].GetProperty("figures")), Is.EqualTo((2L, 2L, 0L, 0L, 2L, (double?)1.0, 0L, 2L, (long?)3600, (long?)7200)));
            Assert.That(Summons(rows[1].GetProperty("figures")), Is.EqualTo((2L, 1L, 0L, 1L, 0L, (double?)0.0, 1L, 1L, (long?)10800, (long?)10800)));
            Assert.That(Summons(rows[2].GetProperty("figures")), Is.EqualTo((1L, 0L, 1L, 0L, 0L, (double?)0.0, 0L, 0L, (long?)null, (long?)null)));
        });
    }

    [Test]
    public async Task DepartmentStaffSeeTheirOwnSummonsesAndCommunityStaffThoseOfTheirTickets()
    {
        var s = await SeedAsync();

        var d1 = await GetJsonAsync(s.D1Staff, $"/api/v1/stats/tickets/summonses?{March}");
        var staff = await GetJsonAsync(s.Staff, $"/api/v1/stats/tickets/summonses?{March}");

        Assert.Multiple(() =>
        {
            Assert.That(d1.GetProperty("rows").EnumerateArray().Select(r => L(r, "id")), Is.EqualTo(new[] { s.D1 }));
            Assert.That(L(d1.GetProperty("totals"), "summoned"), Is.EqualTo(3), "on B, H and I, wherever the ticket is");
            Assert.That(L(staff.GetProperty("totals"), "summoned"), Is.EqualTo(3), "B's three: H is in C2");
        });
    }

    [Test]
    public async Task TheSummonsFiguresDownloadAsCsv()
    {
        var s = await SeedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stats/tickets/summonses?{March}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        using var response = await s.Leader.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var table = Rfc4180.Parse(new UTF8Encoding(false, true).GetString(bytes, 3, bytes.Length - 3));
        Assert.Multiple(() =>
        {
            Assert.That(table[0].Take(4), Is.EqualTo(new[] { "编号", "部门", "吹哨数", "报到数" }));
            Assert.That(table, Has.Count.EqualTo(1 + 3 + 1), "header, three departments, total");
            Assert.That(table[^1][1], Is.EqualTo("合计"));
            Assert.That(table[^1][table[0].IndexOf("按时报到率")], Is.EqualTo("0.4"));
            Assert.That(table[^1][table[0].IndexOf("报到时长中位数(秒)")], Is.EqualTo("7200"));
        });
    }

    [Test]
    public async Task TheTicketFiguresCsvHasAColumnPerEscalationLevel()
    {
        var s = await SeedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stats/tickets/by-community?{March}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        using var response = await s.Leader.SendAsync(request);

        var bytes = await response.Content.ReadAsByteArrayAsync();
        var table = Rfc4180.Parse(new UTF8Encoding(false, true).GetString(bytes, 3, bytes.Length - 3));
        Assert.Multiple(() =>
        {
            Assert.That(table[0][^2..], Is.EqualTo(new[] { "升级至1级", "升级至2级" }));
            Assert.That(table[^1][^2..], Is.EqualTo(new[] { "3", "1" }));
            Assert.That(table[^1][table[0].IndexOf("待回访数")], Is.EqualTo("1"));
        });
    }
}
