using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Linli.Api.Tests.Support;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Tickets;

/// <summary>
/// The API for ticket tests: background workers off (tests run each worker's round themselves under the
/// controlled clock), uploads in a temporary folder, subscribe-message templates configured, WeChat simulated.
/// </summary>
public static class TicketsApp
{
    public static readonly string UploadsPath = Path.Combine(Path.GetTempPath(), "linli-tests-uploads-" + Guid.NewGuid().ToString("N")[..8]);

    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tickets:RunWorkers"] = "false",
            // Tests move the clock by days (auto-close, urging); their tokens must outlive that.
            ["Jwt:AccessTokenMinutes"] = "5256000",
            ["Storage:UploadsPath"] = UploadsPath,
        };
        foreach (var kind in new[] { "dispatched", "assigned", "published", "accepted", "claimed", "resolved", "overdue" })
        {
            foreach (var (key, value) in Template($"ticket_{kind}", $"tpl-{kind}"))
                settings[key] = value;
        }
        foreach (var (key, value) in extra)
            settings[key] = value;
        return settings;
    }

    /// <summary>The settings of one subscribe-message template with the usual layout: number, category, status, text, time.</summary>
    public static IEnumerable<(string Key, string? Value)> Template(string kind, string id)
    {
        var prefix = $"Notifications:Templates:{kind}";
        yield return ($"{prefix}:Id", id);
        yield return ($"{prefix}:Keywords:character_string1", "ticket_number");
        yield return ($"{prefix}:Keywords:thing2", "category");
        yield return ($"{prefix}:Keywords:phrase3", "status");
        yield return ($"{prefix}:Keywords:thing4", "text");
        yield return ($"{prefix}:Keywords:time5", "time");
    }

    private static readonly Lazy<LinliFactory> Instance = new(() =>
    {
        var factory = new LinliFactory(Settings());
        _ = factory.Server;
        return factory;
    });

    public static LinliFactory Factory => Instance.Value;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

/// <summary>One community with a grid and a department, and people in every role: each test builds its own.</summary>
public sealed class TicketWorld
{
    public required LinliFactory Factory { get; init; }
    public required TestData Data { get; init; }
    public required long CommunityId { get; init; }
    public required long GridId { get; init; }
    public required long DepartmentId { get; init; }
    public required (long Id, HttpClient Client) Resident { get; init; }
    public required (long Id, HttpClient Client) Staff { get; init; }
    public required (long Id, HttpClient Client) DepartmentStaff { get; init; }
    public required (long Id, HttpClient Client) PartyMember { get; init; }
    public required (long Id, HttpClient Client) GridWorker { get; init; }

    public static async Task<TicketWorld> CreateAsync(LinliFactory? factory = null)
    {
        factory ??= TicketsApp.Factory;
        var data = new TestData(factory);
        var community = await data.CommunityAsync();
        var grid = await data.GridAsync(community);
        var department = await data.DepartmentAsync();
        return new TicketWorld
        {
            Factory = factory,
            Data = data,
            CommunityId = community,
            GridId = grid,
            DepartmentId = department,
            Resident = await data.SignedInAsync(Roles.Resident),
            Staff = await data.SignedInAsync(Roles.CommunityStaff, communityId: community),
            DepartmentStaff = await data.SignedInAsync(Roles.DepartmentStaff, departmentId: department),
            PartyMember = await data.SignedInAsync(Roles.PartyMember, communityId: community),
            GridWorker = await data.SignedInAsync(Roles.GridWorker, communityId: community, gridId: grid),
        };
    }

    public async Task<long> CategoryIdAsync(string name = "设施维修")
    {
        var categories = await Staff.Client.GetFromJsonAsync<List<CategoryDto>>("/api/v1/ticket-categories", TicketsApp.Json);
        return categories!.Single(c => c.Name == name).Id;
    }

    public async Task<HttpResponseMessage> PostReportAsync(HttpClient client, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return await client.SendAsync(request);
    }

    /// <summary>The resident reports a broken street lamp in the grid; asserts 201.</summary>
    public async Task<TicketDto> ReportAsync(HttpClient? client = null, string description = "楼道灯坏了，晚上很黑")
    {
        using var response = await PostReportAsync(client ?? Resident.Client,
            new { categoryId = await CategoryIdAsync(), description, gridId = GridId, contactPhone = "13912345678" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json))!;
    }

    public static async Task<HttpResponseMessage> ActAsync(HttpClient client, long ticketId, string action, object? body = null) =>
        await client.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/{action}", body ?? new { });

    /// <summary>Acts and asserts 200; returns the ticket as the actor now sees it.</summary>
    public static async Task<TicketDto> ActOkAsync(HttpClient client, long ticketId, string action, object? body = null)
    {
        using var response = await ActAsync(client, ticketId, action, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{action}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json))!;
    }

    public static async Task<TicketDto> GetAsync(HttpClient client, long ticketId) =>
        (await client.GetFromJsonAsync<TicketDto>($"/api/v1/tickets/{ticketId}", TicketsApp.Json))!;

    public T Service<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    /// <summary>Moves the community into a new street office and signs in a street leader of it.</summary>
    public async Task<HttpClient> StreetLeaderAsync()
    {
        var street = await Data.StreetOfficeAsync();
        await using (var c = await Service<System.Data.Common.DbDataSource>().OpenConnectionAsync())
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE communities SET street_office_id = @street WHERE id = @id", new { street, id = CommunityId });
        var leaderId = await Data.UserAsync("街道领导");
        await Data.GrantAsync(leaderId, Roles.StreetLeader, streetOfficeId: street);
        return Factory.ClientFor(leaderId, Roles.StreetLeader);
    }
}
