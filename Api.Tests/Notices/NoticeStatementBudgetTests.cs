using System.Net;
using System.Net.Http.Json;
using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;

namespace Linli.Api.Tests.Notices;

/// <summary>
/// Publishing writes the audience, its notifications and its outbox rows set-based: what it asks of the database does
/// not grow with the number of residents it reaches. (No notice template is configured here, so the outbox rows are
/// written skipped and no later test's worker finds them due.)
/// </summary>
public class NoticeStatementBudgetTests
{
    private static readonly Lazy<CountingFactory> Instance = new(() =>
    {
        var factory = new CountingFactory(TicketsApp.Settings(("Notices:QuietFrom", "00:00"), ("Notices:QuietUntil", "00:00")));
        _ = factory.Server;
        return factory;
    });

    [Test]
    public async Task PublishingToThirtyResidentsCostsWhatPublishingToThreeDoesOnOneConnection()
    {
        var costs = new List<(int Residents, int Statements, int RoundTrips, int Connections)>();
        foreach (var residents in new[] { 3, 30 })
        {
            var world = await HouseWorld.CreateAsync(Instance.Value);
            for (var i = 0; i < residents; i++)
            {
                var (_, resident) = await world.ResidentAsync();
                using var home = await resident.PutAsJsonAsync("/api/v1/me/home", new { communityId = world.CommunityId, gridId = world.GridId });
                Assert.That(home.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }
            var counter = Instance.Value.Counter!;
            counter.Reset();
            using var published = await NoticesApiTests.SendPublishAsync(world.Staff, new
            {
                kind = "notice", title = "停水通知", body = "明天上午9点到12点停水，请提前储水。", audience = new { communityId = world.CommunityId },
            });
            Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.Created), await published.Content.ReadAsStringAsync());
            costs.Add((residents, counter.Statements, counter.RoundTrips, counter.Connections));
        }

        TestContext.Out.WriteLine($"publish: {string.Join("; ", costs)}");
        Assert.Multiple(() =>
        {
            Assert.That(costs[1].Statements, Is.EqualTo(costs[0].Statements));
            Assert.That(costs[1].RoundTrips, Is.EqualTo(costs[0].RoundTrips));
            Assert.That(costs.Select(c => c.Connections), Is.All.EqualTo(1));
            Assert.That(costs[0].RoundTrips, Is.LessThanOrEqualTo(14));
        });
    }
}
