using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Tests.Auth;
using Linli.Api.Tests.Notifications;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Infrastructure.Data;
using Linli.Infrastructure.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Hosting;

/// <summary>
/// Two API hosts against one database, as behind a load balancer: nothing that matters lives in one host's memory.
/// (Both refreshing the WeChat access token at once: Api.Tests/Wechat/SharedAccessTokenTests.cs.)
/// </summary>
public class TwoInstancesTests
{
    [Test]
    public async Task TwoHostsStartingTogetherOnAnEmptyDatabaseApplyEachMigrationOnceAndBothServe()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        var settings = TicketsApp.Settings(("ConnectionStrings:Main", database.ConnectionString));
        await using var first = new LinliFactory(settings);
        await using var second = new LinliFactory(settings);

        // Each host applies migrations before it serves: one takes the lock and applies, the other waits for it.
        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));

        var ready = await Task.WhenAll(new[] { first, second }.Select(async f =>
        {
            using var client = f.CreateClient();
            return (await client.GetAsync("/health/ready")).StatusCode;
        }));
        await using var connection = await database.CreateDataSource().OpenConnectionAsync();
        var recorded = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ready, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(recorded, Is.EqualTo(Migration.LoadEmbedded().Select(m => m.Version).Order()), "each migration once");
        });
    }

    [Test]
    public async Task TwoHostsDeliveringTheOutboxSendEachNotificationOnce()
    {
        await using var first = new RecordingWechatFactory();
        await using var second = new RecordingWechatFactory();
        var w = await TicketWorld.CreateAsync(first);
        var members = new List<long> { w.PartyMember.Id };
        for (var i = 0; i < 20; i++)
            members.Add((await w.Data.SignedInAsync(Roles.PartyMember, communityId: w.CommunityId)).UserId);
        var ticket = await w.ReportAsync(description: "楼下自行车棚顶棚破损，下雨漏水");
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "publish");

        await Task.WhenAll(DrainAsync(first), DrainAsync(second));

        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        var openIds = (await connection.QueryAsync<string>("SELECT openid FROM users WHERE id IN @members", new { members })).ToList();
        var sent = first.Wechat.Sent.Concat(second.Wechat.Sent).Where(m => openIds.Contains(m.ToOpenId)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(openIds, Has.Count.EqualTo(members.Count));
            Assert.That(sent.Select(m => m.ToOpenId).Distinct().Count(), Is.EqualTo(members.Count), "every member told");
            Assert.That(sent, Has.Count.EqualTo(members.Count), "each once, by one host or the other");
        });

        static async Task DrainAsync(LinliFactory host)
        {
            var worker = host.Services.GetRequiredService<OutboxWorker>();
            while (await worker.RunOnceAsync(CancellationToken.None) > 0)
            {
            }
        }
    }

    [Test]
    public async Task OneResidentsRequestsServedAlternatelyByTwoHostsSeeOneState()
    {
        await using var first = new LinliFactory(TicketsApp.Settings());
        await using var second = new LinliFactory(TicketsApp.Settings());
        var w = await TicketWorld.CreateAsync(first);
        var categoryId = await w.CategoryIdAsync();
        var session = await SignIn.AsAsync(first, TestData.Unique("alternating"));
        using var onFirst = SignIn.Bearer(first, session.AccessToken);
        using var onSecond = SignIn.Bearer(second, session.AccessToken);
        var key = Guid.NewGuid().ToString("N");
        var body = new { categoryId, description = "垃圾桶满了没人清理，气味很大", gridId = w.GridId };

        using var created = await w.PostReportAsync(onFirst, body, key);
        using var replayed = await w.PostReportAsync(onSecond, body, key);
        var ticket = await created.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json);
        var again = await replayed.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json);
        using var read = await onSecond.GetAsync($"/api/v1/tickets/{ticket!.Id}");
        using var refreshed = await SignIn.RefreshAsync(second, session.RefreshToken);
        using var stale = await SignIn.RefreshAsync(first, session.RefreshToken);

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(replayed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the other host knows the Idempotency-Key");
            Assert.That(again!.Id, Is.EqualTo(ticket.Id));
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a token from one host works on the other");
            Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the rotation on one host is seen by the other");
        });
    }
}
