using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Api.Stats;
using Linli.Api.Tickets;
using Linli.Domain.Stats;
using Linli.Infrastructure.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Seeds tickets (1,000,000 unless told otherwise) with their timelines and summonses into a throw-away database once,
// then times every ticket figure the API computes over one year: for one community, as its community staff ask, and
// for the whole street office (all 50 communities), as its street leader asks. The callers are resolved as the API
// resolves them (Caller.LoadAsync), so the scope is the one a request would have.
// Usage: dotnet run -c Release -- "<connection string>" [runs] [tickets]

var connectionString = args.Length > 0 ? args[0] : throw new ArgumentException("Pass the bench database's connection string.");
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
var size = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
var db = LinliDataSource.Create(connectionString);
// As the API sets it at start-up: columns map to properties by Dapper's underscore matching.
DefaultTypeMap.MatchNamesWithUnderscores = true;

await Seeding.EnsureAsync(db, size);

var (communityId, staffId, leaderId) = await Seeding.BenchCallersAsync(db);
var (startUtc, endUtc) = ChinaStandardTime.UtcRange(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));

// The figures kept per community day (migration 0114): a fresh seed leaves every day stale, as the migration leaves an
// existing database; the figures worker counts them all once after start-up. Timed here, then the requests find none.
await using (var c = await db.OpenConnectionAsync())
{
    var watch = Stopwatch.StartNew();
    var counted = await TicketFiguresStore.RefreshAsync(c, null, CancellationToken.None);
    if (counted > 0)
        Console.WriteLine($"kept figures: {counted:N0} community days counted in {watch.Elapsed.TotalSeconds:F1} s");
}

var scopes = new List<(string Who, StatsScope Scope)>();
await using (var c = await db.OpenConnectionAsync())
{
    var staff = await Caller.LoadAsync(c, staffId, null, CancellationToken.None) ?? throw new InvalidOperationException("no bench staff");
    var leader = await Caller.LoadAsync(c, leaderId, null, CancellationToken.None) ?? throw new InvalidOperationException("no bench leader");
    scopes.Add(("community", new StatsScope(staff, null, startUtc, endUtc)));
    scopes.Add(("street", new StatsScope(leader, null, startUtc, endUtc)));

    var total = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tickets");
    var events = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ticket_events");
    var summoned = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ticket_summonses");
    Console.WriteLine($"tickets: {total:N0}, timeline events: {events:N0}, summonses: {summoned:N0}");
    foreach (var (who, scope) in scopes)
    {
        var communities = scope.Caller.ScopeIds(Linli.Domain.Identity.Roles.CommunityStaff).ToArray();
        var inScope = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM tickets WHERE community_id IN @communities AND created_at >= @startUtc AND created_at < @endUtc",
            new { communities, startUtc, endUtc });
        Console.WriteLine($"{who}: {communities.Length} communit{(communities.Length == 1 ? "y" : "ies")}, 2026 (CST): {inScope:N0} tickets");
    }
}

var cases = new (string Name, TicketDimension? Dimension, StatsBucket Bucket)[]
{
    ("GET /stats/tickets?bucket=day", TicketDimension.Time, StatsBucket.Day),
    ("GET /stats/tickets?bucket=week", TicketDimension.Time, StatsBucket.Week),
    ("GET /stats/tickets?bucket=month", TicketDimension.Time, StatsBucket.Month),
    ("GET /stats/tickets/by-community", TicketDimension.Community, StatsBucket.Day),
    ("GET /stats/tickets/by-grid", TicketDimension.Grid, StatsBucket.Day),
    ("GET /stats/tickets/by-category", TicketDimension.Category, StatsBucket.Day),
    ("GET /stats/tickets/by-department", TicketDimension.Department, StatsBucket.Day),
    ("GET /stats/tickets/by-party-member", TicketDimension.PartyMember, StatsBucket.Day),
    ("GET /stats/tickets/summonses", null, StatsBucket.Day),
};

// One connection per request, as the API has.
async Task<string> RunAsync(StatsScope scope, TicketDimension? dimension, StatsBucket bucket)
{
    await using var connection = new RequestConnection(db);
    var queries = new TicketStatsQueries(connection, TimeProvider.System, Options.Create(new TicketOptions()));
    var summonses = new SummonsStatsQueries(connection, TimeProvider.System);
    if (dimension is not { } d)
    {
        var s = await summonses.ComputeAsync(scope, CancellationToken.None);
        return $"departments={s.Rows.Count} summoned={s.Totals.Summoned}";
    }
    var result = await queries.ComputeAsync(scope, d, bucket, CancellationToken.None);
    if (d != TicketDimension.Time)
        await queries.NamesAsync(d, result.Groups.Select(g => TicketStatsQueries.ParseId(g.Key)).OfType<long>().ToList(), CancellationToken.None);
    return $"groups={result.Groups.Count} received={result.Totals.Counts.Received} escalated={result.Totals.Counts.Escalated} "
        + $"returnVisits={result.Totals.Counts.ReturnVisits}";
}

foreach (var (who, scope) in scopes)
{
    // Every case once before any is measured, so the first one measured does not pay for JIT and cold pages.
    foreach (var (_, dimension, bucket) in cases)
        await RunAsync(scope, dimension, bucket);

    // The minimum is the best estimate of the cost on an idle machine; median and max show what sharing it costs.
    Console.WriteLine($"{"figures (" + who + ", one year)",-40} {"min ms",8} {"median ms",10} {"max ms",8}   (warm, {runs} runs)");
    foreach (var (name, dimension, bucket) in cases)
    {
        var said = "";
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            said = await RunAsync(scope, dimension, bucket);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"{name,-40} {times[0],8:F1} {times[times.Count / 2],10:F1} {times[^1],8:F1}   {said}");
    }
}

internal static class Seeding
{
    private const int Communities = 50;
    private const int GridsPerCommunity = 10;
    private const int Departments = 10;
    private const int Residents = 1000;
    private const int PartyMembers = 500;

    /// <summary>Seeds <paramref name="tickets"/> tickets unless the database holds exactly this seed already (bench_seeded_v3_N).</summary>
    public static async Task EnsureAsync(DbDataSource db, int tickets)
    {
        if (tickets is < 1000 or > 1_000_000)
            throw new ArgumentOutOfRangeException(nameof(tickets), "From 1,000 to 1,000,000 tickets.");
        // v3: issue 13's facts (escalation, return visits, summonses) and the status mix in every community.
        var marker = $"bench_seeded_v3_{tickets}";
        await using var c = await db.OpenConnectionAsync();
        var done = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = @marker", new { marker });
        if (done > 0)
        {
            await new MigrationRunner(db, TimeProvider.System, NullLogger<MigrationRunner>.Instance).ApplyAsync();
            return;
        }
        // A half-seeded database from an interrupted run, or one of another size, is thrown away whole.
        var name = await c.ExecuteScalarAsync<string>("SELECT DATABASE()");
        await c.ExecuteAsync($"DROP DATABASE `{name}`");
        await c.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        await c.ExecuteAsync($"USE `{name}`");
        await new MigrationRunner(db, TimeProvider.System, NullLogger<MigrationRunner>.Instance).ApplyAsync();

        var watch = Stopwatch.StartNew();
        Console.WriteLine($"seeding {tickets:N0} tickets (once)…");
        async Task Run(string sql) => await c.ExecuteAsync(new CommandDefinition(sql, commandTimeout: 3600));

        await Run("CREATE TABLE IF NOT EXISTS bench_digits (d INT NOT NULL PRIMARY KEY)");
        await Run("INSERT IGNORE INTO bench_digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
        await Run("""
            INSERT IGNORE INTO street_offices (name, created_at, updated_at) VALUES ('bench-街道', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))
            """);
        await Run($"""
            INSERT INTO communities (name, street_office_id, created_at, updated_at)
            SELECT CONCAT('bench-社区-', a.d * 10 + b.d), (SELECT id FROM street_offices WHERE name = 'bench-街道'), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
            FROM bench_digits a, bench_digits b WHERE a.d * 10 + b.d < {Communities} ORDER BY a.d, b.d
            """);
        await Run($"""
            INSERT INTO grids (community_id, name, created_at, updated_at)
            SELECT c.id, CONCAT('网格', g.d), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
            FROM communities c, bench_digits g WHERE c.name LIKE 'bench-社区-%' AND g.d < {GridsPerCommunity} ORDER BY c.id, g.d
            """);
        await Run($"""
            INSERT INTO departments (name, kind, created_at, updated_at)
            SELECT CONCAT('bench-部门-', d), 'functional', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) FROM bench_digits WHERE d < {Departments}
            """);
        await Run($"""
            INSERT INTO users (openid, nickname, created_at, updated_at)
            SELECT CONCAT('bench-', a.d * 1000 + b.d * 100 + e.d * 10 + f.d), '居民', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
            FROM bench_digits a, bench_digits b, bench_digits e, bench_digits f
            WHERE a.d * 1000 + b.d * 100 + e.d * 10 + f.d < {Residents + PartyMembers}
            ORDER BY a.d, b.d, e.d, f.d
            """);

        var community0 = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM communities WHERE name LIKE 'bench-社区-%'");
        var grid0 = await c.ExecuteScalarAsync<long>("SELECT MIN(g.id) FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.name LIKE 'bench-社区-%'");
        var department0 = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM departments WHERE name LIKE 'bench-部门-%'");
        var user0 = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM users WHERE openid LIKE 'bench-%'");
        var category0 = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM ticket_categories");

        // n = 0..tickets − 1, spread evenly over two years from 2025-01-01 (a ticket every 63 s at 1,000,000); community = n mod 50; categories, grids,
        // departments and party members vary within each community.
        // Status by (n DIV 500 + n DIV 50) mod 20, so that every community, grid and category has the whole mix: 0 submitted, 1 cancelled, 2 rejected, 3 dispatched, 4 open_for_claim,
        // 5–6 in_progress, 7–8 resolved, 9–19 closed. One in three routed tickets goes to party members. One in seven
        // dispatched or in-progress tickets climbed one or two escalation levels; closed ones rated 1 or 2 stars had a
        // return visit, two in three of them leaving the resident satisfied.
        await Run($"""
            INSERT INTO tickets (number, category_id, community_id, grid_id, description, channel, submitter_id, status,
                                 department_id, handler_user_id, handler_department_id, due_at, reopen_count, satisfaction,
                                 resolved_at, escalation_level, return_visits, satisfied_after_visit, created_at, updated_at)
            SELECT CONCAT('B', n), {category0} + (n DIV {Communities}) % 10, {community0} + n % {Communities},
                   {grid0} + (n % {Communities}) * {GridsPerCommunity} + (n DIV {Communities}) % {GridsPerCommunity},
                   '楼道灯坏了', 'mini_program', {user0} + n % {Residents}, st,
                   IF(claimpath OR st IN ('submitted', 'cancelled', 'rejected', 'open_for_claim'), NULL, {department0} + (n DIV 7) % {Departments}),
                   IF(claimpath AND st NOT IN ('submitted', 'cancelled', 'rejected', 'open_for_claim'), {user0} + {Residents} + (n DIV 7) % {PartyMembers}, NULL),
                   IF(claimpath OR st IN ('submitted', 'cancelled', 'rejected', 'open_for_claim', 'dispatched'), NULL, {department0} + (n DIV 7) % {Departments}),
                   IF(st IN ('submitted', 'cancelled', 'rejected'), NULL, created + INTERVAL 3 DAY),
                   IF(st IN ('resolved', 'closed') AND n % 17 = 0, 1, 0),
                   IF(st = 'closed' AND n % 11 <> 0, 1 + n % 5, NULL),
                   IF(st IN ('resolved', 'closed'), created + INTERVAL (3600 + n % 345600) SECOND, NULL),
                   IF(st IN ('dispatched', 'in_progress') AND n % 7 = 0, 1 + (n DIV 7) % 2, 0),
                   IF(st = 'closed' AND n % 11 <> 0 AND n % 5 < 2, 1, 0),
                   IF(st = 'closed' AND n % 11 <> 0 AND n % 5 < 2, n % 3 <> 0, NULL),
                   created, created
            FROM (
                SELECT n, TIMESTAMP('2025-01-01') - INTERVAL 8 HOUR + INTERVAL (n * 63000000 DIV {tickets}) SECOND AS created,
                       (n DIV {Communities}) % 3 = 0 AS claimpath,
                       ELT(1 + (n DIV 500 + n DIV 50) % 20, 'submitted', 'cancelled', 'rejected', 'dispatched', 'open_for_claim', 'in_progress', 'in_progress',
                           'resolved', 'resolved', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed',
                           'closed', 'closed') AS st
                FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * d.d + 10000 * e.d + 100000 * f.d AS n
                      FROM bench_digits a, bench_digits b, bench_digits c, bench_digits d, bench_digits e, bench_digits f) ns
                WHERE n < {tickets}
            ) x
            """);
        // Timelines: routing (dispatch or publish) within 2 h, acceptance (accept or claim) within a day after, resolution.
        await Run($"""
            INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, from_status, to_status, created_at)
            SELECT id, {user0}, 'community_staff', IF(handler_user_id IS NOT NULL OR status = 'open_for_claim', 'publish', 'dispatch'),
                   'submitted', IF(handler_user_id IS NOT NULL OR status = 'open_for_claim', 'open_for_claim', 'dispatched'),
                   created_at + INTERVAL (id % 7200) SECOND
            FROM tickets WHERE number LIKE 'B%' AND status NOT IN ('submitted', 'cancelled', 'rejected')
            """);
        await Run($"""
            INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, from_status, to_status, created_at)
            SELECT id, COALESCE(handler_user_id, {user0}), IF(handler_user_id IS NOT NULL, 'party_member', 'department_staff'),
                   IF(handler_user_id IS NOT NULL, 'claim', 'accept'), 'dispatched', 'in_progress',
                   created_at + INTERVAL (id % 7200) SECOND + INTERVAL (id % 3000) SECOND
            FROM tickets WHERE number LIKE 'B%' AND status IN ('in_progress', 'resolved', 'closed')
            """);
        await Run($"""
            INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, from_status, to_status, created_at)
            SELECT id, COALESCE(handler_user_id, {user0}), 'department_staff', 'resolve', 'in_progress', 'resolved', resolved_at
            FROM tickets WHERE number LIKE 'B%' AND status IN ('resolved', 'closed')
            """);
        // 吹哨: one in forty routed tickets (every community's, in blocks of fifty) summoned three departments (the first leading) within an hour of arriving,
        // to report in within a day; the lead reported in, the others reported, declined or let it pass (escalated).
        await Run($"""
            INSERT INTO ticket_summonses (ticket_id, community_id, department_id, is_lead, status, report_by, summoned_by, answered_by, answered_at,
                                          escalated_at, created_at)
            SELECT id, community_id, department_id, is_lead, st, whistled + INTERVAL 24 HOUR, {user0}, IF(st = 'summoned', NULL, {user0}),
                   IF(st = 'summoned', NULL, whistled + INTERVAL after SECOND), IF(st = 'summoned', whistled + INTERVAL 24 HOUR, NULL),
                   whistled
            FROM (
                SELECT t.id, t.community_id, {department0} + (t.id + k.d) % {Departments} AS department_id, k.d = 0 AS is_lead,
                       IF(k.d = 0, 'reported', ELT(1 + (t.id + k.d) % 4, 'reported', 'reported', 'declined', 'summoned')) AS st,
                       t.created_at + INTERVAL (t.id % 3600) SECOND AS whistled,
                       (t.id * 7 + k.d * 3600) % 172800 AS after
                FROM tickets t JOIN bench_digits k ON k.d < 3
                WHERE t.number LIKE 'B%' AND (t.id DIV 50) % 40 = 0 AND t.status NOT IN ('submitted', 'cancelled', 'rejected', 'open_for_claim')
            ) x
            """);
        await Run("ANALYZE TABLE tickets, ticket_events, ticket_summonses");
        await Run($"CREATE TABLE {marker} (at DATETIME(6) NOT NULL)");
        Console.WriteLine($"seeded in {watch.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>The first bench community with a community_staff member of it, and a street leader of the bench street office.</summary>
    public static async Task<(long CommunityId, long StaffId, long LeaderId)> BenchCallersAsync(DbDataSource db)
    {
        await using var c = await db.OpenConnectionAsync();
        var communityId = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM communities WHERE name LIKE 'bench-社区-%'");
        var streetOfficeId = await c.ExecuteScalarAsync<long>("SELECT id FROM street_offices WHERE name = 'bench-街道'");
        async Task<long> HolderAsync(string openid, string role, long? community, long? streetOffice)
        {
            var existing = await c.ExecuteScalarAsync<long?>("SELECT id FROM users WHERE openid = @openid", new { openid });
            if (existing is { } id)
                return id;
            id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO users (openid, nickname, created_at, updated_at) VALUES (@openid, @openid, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
                SELECT LAST_INSERT_ID();
                """, new { openid });
            await c.ExecuteAsync("""
                INSERT INTO user_roles (user_id, role, community_id, street_office_id, granted_at)
                VALUES (@id, @role, @community, @streetOffice, UTC_TIMESTAMP(6))
                """, new { id, role, community, streetOffice });
            return id;
        }
        var staffId = await HolderAsync("bench-staff", "community_staff", communityId, null);
        var leaderId = await HolderAsync("bench-leader", "street_leader", null, streetOfficeId);
        return (communityId, staffId, leaderId);
    }
}
