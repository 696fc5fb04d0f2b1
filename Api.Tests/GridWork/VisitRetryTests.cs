using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.GridWork;
using Linli.Api.Tests.Houses;
using Linli.Domain.GridWork;

namespace Linli.Api.Tests.GridWork;

/// <summary>
/// A grid worker's phone that lost the answer sends the visit again with the same Idempotency-Key: it gets the visit
/// the first request logged, and neither the visit nor its patrol tickets exist twice.
/// </summary>
public class VisitRetryTests
{
    private static async Task<(HouseWorld World, HouseholdDto Household, object Body)> VisitWithTwoIssuesAsync()
    {
        var world = await HouseWorld.CreateAsync();
        var household = await GridWorld.RegisterAsync(world.Worker, await GridWorld.HouseAsync(world));
        await using var c = await world.Db.OpenConnectionAsync();
        var category = await c.ExecuteScalarAsync<long>("SELECT id FROM ticket_categories WHERE is_active = 1 ORDER BY id LIMIT 1");
        var body = new
        {
            householdId = household.Id, kind = VisitKind.Visit, note = "老人反映楼道灯坏了、垃圾清运不及时",
            issues = new[]
            {
                new { categoryId = category, description = "3号楼楼道灯不亮已一周" },
                new { categoryId = category, description = "楼下垃圾桶两天未清运" },
            },
        };
        return (world, household, body);
    }

    private static async Task<(long Visits, long Tickets)> CountAsync(HouseWorld world, long householdId)
    {
        await using var c = await world.Db.OpenConnectionAsync();
        return (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM visits WHERE household_id = @householdId", new { householdId }),
            await c.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM tickets t JOIN houses h ON h.id = t.house_id JOIN households hh ON hh.house_id = h.id
                WHERE hh.id = @householdId AND t.channel = 'patrol'
                """, new { householdId }));
    }

    [Test]
    public async Task ARetryAnswersTheFirstVisitWithItsTickets()
    {
        var (world, household, body) = await VisitWithTwoIssuesAsync();
        var key = Guid.NewGuid().ToString("N");

        var first = await GridWorld.LogVisitAsync(world.Worker, body, HousesApp.Json, key);
        var retry = await GridWorld.LogVisitAsync(world.Worker, body, HousesApp.Json, key);
        var logged = await HouseWorld.ReadAsync<VisitDto>(first, HttpStatusCode.Created);
        var replayed = await HouseWorld.ReadAsync<VisitDto>(retry, HttpStatusCode.OK);

        Assert.Multiple(async () =>
        {
            Assert.That(replayed.Id, Is.EqualTo(logged.Id));
            Assert.That(replayed.Tickets.Select(t => t.TicketId), Is.EqualTo(logged.Tickets.Select(t => t.TicketId)));
            Assert.That(logged.Tickets, Has.Count.EqualTo(2));
            Assert.That(await CountAsync(world, household.Id), Is.EqualTo((1L, 2L)));
        });
    }

    [Test]
    public async Task SimultaneousRetriesLogOneVisit()
    {
        var (world, household, body) = await VisitWithTwoIssuesAsync();
        var key = Guid.NewGuid().ToString("N");
        using var start = new SemaphoreSlim(0);

        var posts = Enumerable.Range(0, 6).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await GridWorld.LogVisitAsync(world.Worker, body, HousesApp.Json, key);
            var statusCode = response.StatusCode;
            return (statusCode, (await response.Content.ReadFromJsonAsync<VisitDto>(HousesApp.Json))!);
        }).ToList();
        start.Release(posts.Count);
        var answers = await Task.WhenAll(posts);

        Assert.Multiple(async () =>
        {
            Assert.That(answers.Count(a => a.statusCode == HttpStatusCode.Created), Is.EqualTo(1));
            Assert.That(answers.Count(a => a.statusCode == HttpStatusCode.OK), Is.EqualTo(5));
            Assert.That(answers.Select(a => a.Item2.Id).Distinct().Count(), Is.EqualTo(1));
            Assert.That(await CountAsync(world, household.Id), Is.EqualTo((1L, 2L)));
        });
    }

    [Test]
    public async Task ARetryFilesTheIssuesTheFirstRequestDidNotGetTo()
    {
        var (world, household, body) = await VisitWithTwoIssuesAsync();
        var key = Guid.NewGuid().ToString("N");
        // The first request ended after the visit's transaction, before its tickets (a restart, a lost connection).
        long visitId;
        await using (var c = await world.Db.OpenConnectionAsync())
        {
            visitId = await c.ExecuteScalarAsync<long>("""
                INSERT INTO visits (household_id, house_id, community_id, grid_id, visitor_id, kind, note, visited_at, created_at)
                SELECT hh.id, hh.house_id, h.community_id, h.grid_id, @worker, 'visit', '老人反映楼道灯坏了', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
                FROM households hh JOIN houses h ON h.id = hh.house_id WHERE hh.id = @household;
                INSERT INTO visit_idempotency (user_id, idempotency_key, visit_id, created_at)
                VALUES (@worker, @key, LAST_INSERT_ID(), UTC_TIMESTAMP(6));
                SELECT LAST_INSERT_ID();
                """, new { worker = world.WorkerId, household = household.Id, key });
        }

        var retry = await HouseWorld.ReadAsync<VisitDto>(await GridWorld.LogVisitAsync(world.Worker, body, HousesApp.Json, key), HttpStatusCode.OK);

        Assert.Multiple(async () =>
        {
            Assert.That(retry.Id, Is.EqualTo(visitId));
            Assert.That(retry.Tickets.Select(t => t.Description), Is.EqualTo(new[] { "3号楼楼道灯不亮已一周", "楼下垃圾桶两天未清运" }));
            Assert.That(await CountAsync(world, household.Id), Is.EqualTo((1L, 2L)));
        });
    }

    [Test]
    public async Task KeysBelongToTheirUser()
    {
        var (world, household, _) = await VisitWithTwoIssuesAsync();
        var key = Guid.NewGuid().ToString("N");
        var call = new { householdId = household.Id, kind = VisitKind.Phone, note = "电话问候" };

        var byWorker = await HouseWorld.ReadAsync<VisitDto>(await GridWorld.LogVisitAsync(world.Worker, call, HousesApp.Json, key), HttpStatusCode.Created);
        var byStaff = await HouseWorld.ReadAsync<VisitDto>(await GridWorld.LogVisitAsync(world.Staff, call, HousesApp.Json, key), HttpStatusCode.Created);

        Assert.That(byStaff.Id, Is.Not.EqualTo(byWorker.Id));
    }

    [Test]
    public async Task AVisitWithoutAKeyIsRefusedAndNotLogged()
    {
        var (world, household, body) = await VisitWithTwoIssuesAsync();

        var response = await world.Worker.PostAsJsonAsync("/api/v1/visits", body, HousesApp.Json);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await HousesApiTests.Errors(response), Is.EqualTo(new[] { "Idempotency-Key" }));
            Assert.That(await CountAsync(world, household.Id), Is.EqualTo((0L, 0L)));
        });
    }
}
