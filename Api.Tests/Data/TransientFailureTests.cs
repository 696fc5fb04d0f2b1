using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Infrastructure.Data;

namespace Linli.Api.Tests.Data;

/// <summary>
/// What residents see while the database fails for a moment: a restart answers 503 with Retry-After (never 500) and
/// loses nothing that was acknowledged; a deadlock is retried and both sides succeed.
/// </summary>
[NonParallelizable]
public class TransientFailureTests
{
    private static readonly TimeSpan RequestLimit = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ReportsThroughADatabaseRestartAreStoredWhenAcknowledgedAndOtherwise503()
    {
        // Its own host: a short connect timeout, so a request that meets the stopped server fails within seconds.
        await using var factory = new LinliFactory(TicketsApp.Settings(
            ("ConnectionStrings:Main", TestDatabase.ConnectionString + ";Connection Timeout=5;Default Command Timeout=10")));
        var w = await TicketWorld.CreateAsync(factory);
        var categoryId = await w.CategoryIdAsync();
        var residents = new List<HttpClient>();
        for (var i = 0; i < 8; i++)
            residents.Add((await w.Data.SignedInAsync(Roles.Resident)).Client);
        var outcomes = new ConcurrentBag<(HttpStatusCode Status, long? TicketId, bool RetryAfter, TimeSpan Took, long At)>();
        var health = new ConcurrentQueue<HttpStatusCode>();
        using var stop = new CancellationTokenSource();

        var load = residents.Select(client => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                using var limit = new CancellationTokenSource(RequestLimit);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets")
                {
                    Content = JsonContent.Create(new { categoryId, description = "重启期间报告：路灯不亮", gridId = w.GridId }),
                };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                using var response = await client.SendAsync(request, limit.Token);
                long? id = response.StatusCode == HttpStatusCode.Created
                    ? (await response.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json))!.Id
                    : null;
                outcomes.Add((response.StatusCode, id, response.Headers.RetryAfter is not null, clock.Elapsed, Stopwatch.GetTimestamp()));
            }
        })).ToList();
        var probe = Task.Run(async () =>
        {
            using var client = factory.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                using var limit = new CancellationTokenSource(RequestLimit);
                health.Enqueue((await client.GetAsync("/health/ready", limit.Token)).StatusCode);
                await Task.Delay(100);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(1));
        await DatabaseServer.RestartAsync(TimeSpan.FromSeconds(60));
        var restarted = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(load.Append(probe));

        var acknowledged = outcomes.Where(o => o.Status == HttpStatusCode.Created).Select(o => o.TicketId!.Value).ToList();
        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        var stored = (await connection.QueryAsync<long>("SELECT id FROM tickets WHERE id IN @acknowledged", new { acknowledged })).ToHashSet();
        var healthSeen = health.ToList();
        TestContext.Out.WriteLine($"{outcomes.Count(o => o.Status == HttpStatusCode.Created)} × 201, "
            + $"{outcomes.Count(o => o.Status == HttpStatusCode.ServiceUnavailable)} × 503, others {outcomes.Count(o => (int)o.Status is not (201 or 503))}; "
            + $"health: {string.Join(",", healthSeen.Select(s => (int)s).Distinct())}");
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Select(o => o.Status).Distinct(), Is.SubsetOf(new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
            Assert.That(outcomes.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).All(o => o.RetryAfter), Is.True, "every 503 says Retry-After");
            Assert.That(outcomes.Any(o => o.Status == HttpStatusCode.ServiceUnavailable), Is.True, "the restart was noticed");
            Assert.That(outcomes.Any(o => o.Status == HttpStatusCode.Created && o.At > restarted), Is.True, "reports were stored again after the restart");
            Assert.That(acknowledged.Where(id => !stored.Contains(id)), Is.Empty, "every acknowledged ticket is in the database");
            Assert.That(outcomes.Max(o => o.Took), Is.LessThan(RequestLimit), "no request hung");
            Assert.That(healthSeen, Does.Contain(HttpStatusCode.ServiceUnavailable), "/health/ready answered 503 while the server was down");
            Assert.That(healthSeen[^1], Is.EqualTo(HttpStatusCode.OK), "and 200 once it was back");
        });
        var recovered = await w.PostReportAsync(w.Resident.Client, new { categoryId, description = "重启之后：井盖丢失", gridId = w.GridId });
        Assert.That(recovered.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the service recovered by itself");
    }

    [Test]
    public async Task TwoDeadlockedTransactionsBothSucceedWithOneTimelineEventEach()
    {
        var w = await TicketWorld.CreateAsync();
        var first = await w.ReportAsync();
        var second = await w.ReportAsync();
        var db = w.Service<DbDataSource>();
        var bothHoldTheirFirstRow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = 0;
        var deadlocks = 0;

        // Each locks its own ticket, then (on the first attempt, once both hold one) the other's: a cycle InnoDB
        // must break by rolling one back. The helper runs that one again, and both commit.
        async Task<int> ActAsync(long own, long other)
        {
            var attempts = 0;
            await LockConflictRetry.RunAsync(async () =>
            {
                attempts++;
                await using var connection = await db.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                try
                {
                    await connection.ExecuteAsync("UPDATE tickets SET version = version + 1 WHERE id = @own", new { own }, transaction);
                    if (attempts == 1)
                    {
                        if (Interlocked.Increment(ref holding) == 2)
                            bothHoldTheirFirstRow.SetResult();
                        await bothHoldTheirFirstRow.Task.WaitAsync(TimeSpan.FromSeconds(30));
                    }
                    await connection.ExecuteAsync("UPDATE tickets SET updated_at = updated_at WHERE id = @other", new { other }, transaction);
                    await connection.ExecuteAsync("""
                        INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, from_status, to_status, note, is_internal, created_at)
                        VALUES (@own, NULL, 'system', 'note', 'submitted', 'submitted', 'deadlock test', 1, UTC_TIMESTAMP(6))
                        """, new { own }, transaction);
                    await transaction.CommitAsync();
                    return true;
                }
                catch (Exception e) when (DatabaseErrors.IsLockConflict(e))
                {
                    Interlocked.Increment(ref deadlocks);
                    throw;
                }
            }, CancellationToken.None);
            return attempts;
        }

        var attempts = await Task.WhenAll(ActAsync(first.Id, second.Id), ActAsync(second.Id, first.Id));

        await using var connection = await db.OpenConnectionAsync();
        var events = (await connection.QueryAsync<(long TicketId, long Count)>("""
            SELECT ticket_id, COUNT(*) FROM ticket_events WHERE ticket_id IN (@a, @b) AND note = 'deadlock test' GROUP BY ticket_id ORDER BY ticket_id
            """, new { a = first.Id, b = second.Id })).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(deadlocks, Is.EqualTo(1), "InnoDB chose one victim");
            Assert.That(attempts.Order(), Is.EqualTo(new[] { 1, 2 }), "the victim ran once more, the other once");
            Assert.That(events, Is.EqualTo(new[] { (Math.Min(first.Id, second.Id), 1L), (Math.Max(first.Id, second.Id), 1L) }),
                "one timeline event each: the rolled-back attempt left none");
        });
    }
}
