using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Linli.Api.Houses;
using Linli.Api.Tenancies;
using Linli.Api.Tests.Support;
using Linli.Domain.Houses;
using Linli.Domain.Identity;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Houses;

/// <summary>The app the house tests share: a known QR host, a scan limit no test reaches.</summary>
public static class HousesApp
{
    public const string QrHost = "qr.linli.test";

    public static IDictionary<string, string?> Settings(int scanPermits = 100_000) => new Dictionary<string, string?>
    {
        ["Qr:Host"] = QrHost,
        // Scans are limited per client address, and every test client shares one (none): keep the limit out of reach.
        ["RateLimits:Anonymous:PermitLimit"] = scanPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static readonly Lazy<LinliFactory> Instance = new(() =>
    {
        var factory = new LinliFactory(Settings());
        _ = factory.Server;
        return factory;
    });

    public static LinliFactory Factory => Instance.Value;

    /// <summary>How the API writes JSON: camelCase, enums as snake_case strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

/// <summary>
/// One test's own community with two grids, its staff and grid workers, and helpers that register
/// houses and tenants through the API, as the people at the desk would.
/// </summary>
public sealed class HouseWorld
{
    private HouseWorld(LinliFactory factory) => Factory = factory;

    public LinliFactory Factory { get; }
    public TestData Data => new(Factory);
    public long CommunityId { get; private set; }
    public long GridId { get; private set; }
    public long OtherGridId { get; private set; }
    public HttpClient Staff { get; private set; } = null!;
    public long WorkerId { get; private set; }
    public HttpClient Worker { get; private set; } = null!;
    public HttpClient OtherWorker { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public long AdminId { get; private set; }

    public static async Task<HouseWorld> CreateAsync(LinliFactory? factory = null)
    {
        var world = new HouseWorld(factory ?? HousesApp.Factory);
        var data = world.Data;
        world.CommunityId = await data.CommunityAsync();
        world.GridId = await data.GridAsync(world.CommunityId);
        world.OtherGridId = await data.GridAsync(world.CommunityId);
        (_, world.Staff) = await data.SignedInAsync(Roles.CommunityStaff, world.CommunityId);
        (world.WorkerId, world.Worker) = await data.SignedInAsync(Roles.GridWorker, world.CommunityId, world.GridId);
        (_, world.OtherWorker) = await data.SignedInAsync(Roles.GridWorker, world.CommunityId, world.OtherGridId);
        (world.AdminId, world.Admin) = await data.SignedInAsync(Roles.Admin);
        return world;
    }

    public DbDataSource Db => Factory.Services.GetRequiredService<DbDataSource>();
    public FieldProtector Protector => Factory.Services.GetRequiredService<FieldProtector>();

    /// <summary>A user and a client signed in as a plain resident (a landlord's token may not carry the role yet).</summary>
    public async Task<(long UserId, HttpClient Client)> ResidentAsync(string? nickname = null)
    {
        var id = await Data.UserAsync(nickname);
        return (id, Factory.ClientFor(id, Roles.Resident));
    }

    public async Task SetPhoneAsync(long userId, string phone)
    {
        await using var c = await Db.OpenConnectionAsync();
        await c.ExecuteAsync("UPDATE users SET phone_cipher = @cipher, phone_hash = @hash WHERE id = @userId",
            new { userId, cipher = Protector.Encrypt(phone), hash = Protector.Hash(phone) });
    }

    public static object HouseBody(long communityId, long gridId, long? landlordId, string? landlordPhone = null,
        HouseUse use = HouseUse.Rental, int rooms = 3, string? building = null, string door = "101") => new
    {
        communityId, gridId, street = "船房村", building = building ?? TestData.Unique("号楼"), unit = "2单元", door,
        landlordId, landlordPhone, rooms, use,
    };

    public async Task<HouseDto> HouseAsync(long? landlordId, HouseUse use = HouseUse.Rental, int rooms = 3, long? gridId = null, string? landlordPhone = null)
    {
        var response = await Staff.PostAsJsonAsync("/api/v1/houses",
            HouseBody(CommunityId, gridId ?? GridId, landlordId, landlordPhone, use, rooms), HousesApp.Json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var house = (await response.Content.ReadFromJsonAsync<HouseDto>(HousesApp.Json))!;
        if (landlordId is not { } offeredTo)
            return house;
        // Named by id, the landlord is only offered the house: they accept it, as in the app.
        using var landlord = Factory.ClientFor(offeredTo, Roles.Resident);
        return await ReadAsync<HouseDto>(await landlord.PostAsync($"/api/v1/houses/{house.Id}/landlord/accept", null));
    }

    /// <summary>以人找房 as staff call it: the number in the body, with a reason.</summary>
    public static Task<HttpResponseMessage> LookupAsync(HttpClient by, string documentNumber, string reason = "派出所协查流动人口") =>
        by.PostAsJsonAsync("/api/v1/tenancies/lookup", new { documentNumber, reason });

    public static object TenantBody(string documentNumber, string phone = "13912345678", string room = "A",
        DocumentType type = DocumentType.MainlandIdCard, string moveInDate = "2026-03-01", long? tenantUserId = null, string name = "张三") => new
    {
        name, documentType = type, documentNumber, phone, room, moveInDate, tenantUserId,
    };

    public static async Task<TenancyDto> TenancyAsync(HttpClient by, long houseId, string documentNumber, string phone = "13912345678", string room = "A")
    {
        var response = await by.PostAsJsonAsync($"/api/v1/houses/{houseId}/tenancies", TenantBody(documentNumber, phone, room), HousesApp.Json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TenancyDto>(HousesApp.Json))!;
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(HousesApp.Json))!;
    }
}

/// <summary>Valid identity numbers and phones nobody else's test uses.</summary>
public static class People
{
    public static string IdNumber()
    {
        var birth = new DateOnly(1960, 1, 1).AddDays(Random.Shared.Next(0, 365 * 40));
        var first17 = $"530102{birth:yyyyMMdd}{Random.Shared.Next(0, 1000):000}";
        return first17 + IdentityNumber.CheckCharacter(first17);
    }

    public static string Phone() => "139" + Random.Shared.Next(0, 100_000_000).ToString("00000000", System.Globalization.CultureInfo.InvariantCulture);
}
