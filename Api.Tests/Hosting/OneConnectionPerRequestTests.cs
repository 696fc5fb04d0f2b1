using System.Net;
using System.Net.Http.Json;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;
using Linli.Api.Tests.Uploads;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.Hosting;

/// <summary>
/// A request runs on one connection (issue 11, item 6): the one the caller was resolved on, which the handler goes on
/// using (<c>RequestConnection</c>). One typical request of each feature, counted by a wrapper around the data source.
/// </summary>
public class OneConnectionPerRequestTests
{
    private static readonly Lazy<CountingFactory> Instance = new(() =>
    {
        var factory = new CountingFactory(TicketsApp.Settings());
        _ = factory.Server;
        return factory;
    });

    private static readonly Lazy<Task<(TicketWorld World, HttpClient Admin)>> World = new(async () =>
    {
        var world = await TicketWorld.CreateAsync(Instance.Value);
        var (_, admin) = await world.Data.SignedInAsync(Roles.Admin);
        return (world, admin);
    });

    /// <summary>Each feature's request: who sends it and what.</summary>
    private static readonly Dictionary<string, Func<TicketWorld, HttpClient, Task<HttpResponseMessage>>> Requests = new()
    {
        ["Houses"] = (w, _) => w.Staff.Client.GetAsync($"/api/v1/houses?communityId={w.CommunityId}"),
        ["Tenancies"] = (_, admin) => admin.GetAsync("/api/v1/tenancies/document-reads"),
        ["PartyMembers"] = (w, _) => w.Staff.Client.GetAsync($"/api/v1/party-members?communityId={w.CommunityId}"),
        ["GridWork"] = (w, _) => w.GridWorker.Client.GetAsync("/api/v1/me/contacts"),
        ["Households"] = (w, _) => w.GridWorker.Client.GetAsync($"/api/v1/households?gridId={w.GridId}"),
        ["Visits"] = (w, _) => w.Staff.Client.GetAsync("/api/v1/stats/visits?from=2030-03-01&to=2030-03-31"),
        ["Stats"] = (w, _) => w.Staff.Client.GetAsync($"/api/v1/stats/tickets?from=2026-03-01&to=2026-03-31&bucket=day&communityId={w.CommunityId}"),
        ["Population"] = (w, _) => w.Staff.Client.GetAsync($"/api/v1/stats/population?communityId={w.CommunityId}"),
        ["Structure"] = (w, _) => w.Resident.Client.GetAsync("/api/v1/communities"),
        ["StreetOffices"] = (_, admin) => admin.GetAsync("/api/v1/street-offices"),
        ["Users"] = (_, admin) => admin.GetAsync("/api/v1/users"),
        ["Invitations"] = (w, _) => w.Staff.Client.PostAsJsonAsync("/api/v1/invitations",
            new { role = Roles.GridWorker, communityId = w.CommunityId, gridId = w.GridId }),
        ["Notifications"] = (w, _) => w.Resident.Client.GetAsync("/api/v1/notifications"),
        ["Me"] = (w, _) => w.Resident.Client.GetAsync("/api/v1/me"),
        ["Uploads"] = (w, _) => UploadsTests.PostUploadAsync(w.Resident.Client, UploadsTests.Photo(32, 24)),
        ["TicketCategories"] = (w, _) => w.Resident.Client.GetAsync("/api/v1/ticket-categories"),
        // Anonymous: the sign-in's own connection is the request's.
        ["SignIn"] = (_, _) => Instance.Value.CreateClient().PostAsJsonAsync("/api/v1/auth/wechat-login", new { code = "sim:" + TestData.Unique("one-connection") }),
        ["ConsoleSession"] = (_, _) => Instance.Value.CreateClient().PostAsync("/api/v1/auth/console-sessions", null),
    };

    private static IEnumerable<string> Features => Requests.Keys;

    [TestCaseSource(nameof(Features))]
    public async Task ARequestOfEachFeatureOpensOneConnection(string feature)
    {
        var (world, admin) = await World.Value;
        var counter = Instance.Value.Counter!;
        counter.Reset();

        using var response = await Requests[feature](world, admin);

        Assert.That(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.That(counter.Connections, Is.EqualTo(1), feature);
    }
}
