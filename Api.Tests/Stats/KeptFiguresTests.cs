using System.Data.Common;
using System.Text.Json;
using Dapper;
using Linli.Api.Stats;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Linli.Api.Tests.Stats.StatsJson;

namespace Linli.Api.Tests.Stats;

/// <summary>
/// The figures kept per community day and month (migration 0114) against the same figures computed from the tickets when
/// asked. A street leader reads the kept ones; the staff of the department every ticket here is dispatched to have theirs
/// computed from the tickets: over the same tickets the two answers must be the same JSON, for every breakdown and
/// bucket, over ranges that start and end inside months as well as on whole months, and whatever writers do meanwhile.
/// </summary>
public class KeptFiguresTests
{
    private static LinliFactory Factory => SharedApp.Factory;
    private static TestData Data => new(Factory);
    private static TicketSeed Seed => new(Factory);
    private static DbDataSource Db => Factory.Services.GetRequiredService<DbDataSource>();

    private sealed record World(long C, long C2, long Department, HttpClient Leader, HttpClient DepartmentStaff, IReadOnlyList<long> Tickets);

    private static readonly string[] Statuses =
        ["submitted", "dispatched", "open_for_claim", "in_progress", "resolved", "return_visit", "closed", "closed", "cancelled", "rejected", "merged"];

    /// <summary>
    /// A street office of two communities with <paramref name="count"/> tickets from 2026-01-10 to 2026-05-20 of every
    /// kind, at random but the same every run: grids or none, three categories, a handling department or not, timelines
    /// with routing, acceptance, one or two claims by two party members and resolution, due times passed (2026) or not
    /// (2030), ratings, reopenings, escalation levels 0–3, return visits, and tickets received a second either side of a
    /// China midnight.
    /// </summary>
    private static async Task<World> SeedAsync(int count)
    {
        var random = new Random(2026);
        var street = await Data.StreetOfficeAsync();
        var c = await Data.CommunityAsync(streetOfficeId: street);
        var c2 = await Data.CommunityAsync(streetOfficeId: street);
        long[] grids = [await Data.GridAsync(c), await Data.GridAsync(c), await Data.GridAsync(c2)];
        var department = await Data.DepartmentAsync();
        var handlers = new long?[] { null, department, await Data.DepartmentAsync() };
        long[] categories = [await Seed.CategoryIdAsync("设施维修"), await Seed.CategoryIdAsync("环境卫生"), await Seed.CategoryIdAsync("邻里纠纷")];
        var resident = await Data.UserAsync("居民");
        long[] members = [await Data.UserAsync("党员甲"), await Data.UserAsync("党员乙")];
        var (_, departmentStaff) = await Data.SignedInAsync(Roles.DepartmentStaff, departmentId: department);
        var leader = await Data.UserAsync("街道领导");
        await Data.GrantAsync(leader, Roles.StreetLeader, streetOfficeId: street);

        var start = TicketSeed.Utc(2026, 1, 10);
        var tickets = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var community = random.Next(3) == 0 ? c2 : c;
            var created = i % 10 == 0
                ? TicketSeed.Utc(2026, 1 + random.Next(5), 1 + random.Next(28)).AddSeconds(random.Next(2) == 0 ? -1 : 0)
                : start.AddMinutes(random.Next(130 * 24 * 60));
            var status = Statuses[random.Next(Statuses.Length)];
            var events = new List<SeedEvent>();
            if (status is not ("submitted" or "cancelled" or "rejected") && random.Next(5) > 0)
            {
                var routed = TimeSpan.FromMinutes(1 + random.Next(3000));
                events.Add(new SeedEvent(random.Next(3) == 0 ? "publish" : "dispatch", routed));
                if (random.Next(3) > 0)
                    events.Add(new SeedEvent("accept", routed + TimeSpan.FromMinutes(random.Next(600))));
                if (random.Next(3) == 0)
                    events.Add(new SeedEvent("claim", routed + TimeSpan.FromMinutes(5), members[random.Next(2)]));
                if (random.Next(4) == 0)
                    events.Add(new SeedEvent("claim", routed + TimeSpan.FromMinutes(50), members[random.Next(2)]));
                if (status is "resolved" or "return_visit" or "closed" || random.Next(4) == 0)
                    events.Add(new SeedEvent("resolve", routed + TimeSpan.FromHours(1 + random.Next(200))));
            }
            var resolved = status is "resolved" or "return_visit" or "closed" ? TimeSpan.FromHours(1 + random.Next(300)) : (TimeSpan?)null;
            TimeSpan? due = random.Next(3) switch { 0 => null, 1 => TimeSpan.FromHours(24 + random.Next(100)), _ => TimeSpan.FromDays(1500) };
            var stars = status is "resolved" or "return_visit" or "closed" && random.Next(3) > 0 ? 1 + random.Next(5) : (int?)null;
            var visited = stars <= 2 && status == "closed" ? random.Next(2) == 0 : (bool?)null;
            tickets.Add(await Seed.TicketAsync(community, resident, categories[random.Next(3)], created, status, events,
                gridId: random.Next(4) == 0 ? null : grids[community == c2 ? 2 : random.Next(2)],
                departmentId: department, handlerDepartmentId: handlers[random.Next(3)], dueAfter: due, resolvedAfter: resolved,
                satisfaction: stars, reopenCount: random.Next(6) == 0 ? 1 : 0, escalationLevel: random.Next(5) switch { 0 => 1, 1 => 3, _ => 0 },
                returnVisits: stars <= 2 ? 1 : 0, satisfiedAfterVisit: visited));
        }
        return new World(c, c2, department, Factory.ClientFor(leader, Roles.StreetLeader), departmentStaff, tickets);
    }

    private static readonly string[] Ranges =
    [
        "from=2026-01-15&to=2026-04-10",   // inside months at both ends: days, two whole months, days
        "from=2026-02-01&to=2026-03-31",   // whole months only
        "from=2026-01-01&to=2026-06-30",   // everything, whole months
        "from=2026-03-05&to=2026-03-20",   // inside one month
        "from=2026-02-01&to=2026-02-01",   // one day
    ];

    private static readonly string[] Figures =
        ["?bucket=day&", "?bucket=week&", "?bucket=month&", "/by-community?", "/by-grid?", "/by-category?", "/by-department?", "/by-party-member?"];

    private static async Task AssertKeptEqualComputedAsync(World w, string because)
    {
        foreach (var range in Ranges)
            foreach (var figures in Figures)
            {
                var url = $"/api/v1/stats/tickets{figures}{range}";
                var kept = await GetJsonAsync(w.Leader, url);
                var computed = await GetJsonAsync(w.DepartmentStaff, url);
                Assert.That(JsonSerializer.Serialize(kept), Is.EqualTo(JsonSerializer.Serialize(computed)), $"{because}: {url}");
            }
    }

    [Test]
    public async Task KeptFiguresAreTheFiguresOfTheTicketsForEveryBreakdownBucketAndRange()
    {
        var w = await SeedAsync(160);

        await AssertKeptEqualComputedAsync(w, "as seeded");
        var totals = (await GetJsonAsync(w.Leader, $"/api/v1/stats/tickets/by-community?{Ranges[2]}")).GetProperty("totals");
        Assert.That(L(totals, "received"), Is.EqualTo(await ScalarAsync(
            "SELECT COUNT(*) FROM tickets WHERE community_id IN (@C, @C2) AND status <> 'merged'", new { w.C, w.C2 })), "every ticket but the merged");
    }

    [Test]
    public async Task AChangeCountsOnTheNextRequestAndATransactionStillRunningIsNeitherWaitedForNorLost()
    {
        var w = await SeedAsync(20);
        await AssertKeptEqualComputedAsync(w, "as seeded");
        var url = $"/api/v1/stats/tickets/by-community?{Ranges[2]}";
        var before = L((await GetJsonAsync(w.Leader, url)).GetProperty("totals"), "cancelled");
        var open = await ScalarAsync(
            "SELECT COUNT(*) FROM tickets WHERE id IN @Tickets AND status NOT IN ('cancelled', 'merged')", new { w.Tickets });

        // A writer holds its change open while the figures are asked for: the answer comes at once, without it.
        await using (var writer = await Db.OpenConnectionAsync())
        {
            await using var tx = await writer.BeginTransactionAsync();
            await writer.ExecuteAsync("UPDATE tickets SET status = 'cancelled' WHERE id IN @Tickets AND status <> 'merged'", new { w.Tickets }, tx);
            var during = await GetJsonAsync(w.Leader, url).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.That(L(during.GetProperty("totals"), "cancelled"), Is.EqualTo(before), "not committed, not counted");
            await tx.CommitAsync();
        }

        var after = await GetJsonAsync(w.Leader, url);
        Assert.That(L(after.GetProperty("totals"), "cancelled"), Is.EqualTo(before + open), "counted on the next request once committed");
        await AssertKeptEqualComputedAsync(w, "after the change");
    }

    [Test]
    public async Task WritersRefreshersAndTheWorkerAtOnceLeaveFiguresThatAreTheTickets()
    {
        var w = await SeedAsync(60);
        var worker = Factory.Services.GetRequiredService<TicketFiguresWorker>();
        var url = $"/api/v1/stats/tickets/by-grid?{Ranges[0]}";

        var writers = Enumerable.Range(0, 3).Select(n => Task.Run(async () =>
        {
            var random = new Random(n);
            for (var i = 0; i < 25; i++)
            {
                await using var c = await Db.OpenConnectionAsync();
                await using var tx = await c.BeginTransactionAsync();
                await c.ExecuteAsync("UPDATE tickets SET status = @status, satisfaction = @stars, escalation_level = @level WHERE id = @id", new
                {
                    id = w.Tickets[random.Next(w.Tickets.Count)],
                    status = Statuses[random.Next(Statuses.Length)],
                    stars = random.Next(2) == 0 ? (int?)null : 1 + random.Next(5),
                    level = random.Next(3),
                }, tx);
                await Task.Delay(random.Next(5));
                await tx.CommitAsync();
            }
        })).ToList();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
                await GetJsonAsync(w.Leader, url);
        })).ToList();
        var rounds = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
                await worker.RunOnceAsync(CancellationToken.None);
        });
        await Task.WhenAll([.. writers, .. readers, rounds]);

        await AssertKeptEqualComputedAsync(w, "after the writers");
        Assert.That(await ScalarAsync("SELECT COUNT(*) FROM ticket_figures_stale WHERE community_id IN (@C, @C2)", new { w.C, w.C2 }), Is.Zero,
            "every change counted");
    }

    [Test]
    public async Task TheWorkerCountsChangedDaysSoRequestsFindNothingLeft()
    {
        var w = await SeedAsync(10);
        await Factory.Services.GetRequiredService<TicketFiguresWorker>().RunOnceAsync(CancellationToken.None);
        var stale = await ScalarAsync("SELECT COUNT(*) FROM ticket_figures_stale WHERE community_id IN (@C, @C2)", new { w.C, w.C2 });
        var kept = await ScalarAsync(
            "SELECT COALESCE(SUM(tickets), 0) FROM ticket_figures_days WHERE community_id IN (@C, @C2) AND dim = 'all'", new { w.C, w.C2 });

        // A change by hand, outside the service, is seen by the triggers all the same.
        await using (var c = await Db.OpenConnectionAsync())
            await c.ExecuteAsync("UPDATE tickets SET satisfaction = 5 WHERE id = @id", new { id = w.Tickets[0] });
        var marked = await ScalarAsync("SELECT COUNT(*) FROM ticket_figures_stale WHERE ticket_id = @id", new { id = w.Tickets[0] });
        var counted = await ScalarAsync(
            "SELECT COUNT(*) FROM tickets WHERE community_id IN (@C, @C2) AND status <> 'merged'", new { w.C, w.C2 });

        Assert.Multiple(() =>
        {
            Assert.That(stale, Is.Zero);
            Assert.That(kept, Is.EqualTo(counted), "the rows of everything sum every ticket but the merged");
            Assert.That(marked, Is.EqualTo(1));
        });
        await AssertKeptEqualComputedAsync(w, "after a change by hand");
    }

    private static async Task<long> ScalarAsync(string sql, object parameters)
    {
        await using var c = await Db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>(sql, parameters);
    }
}
