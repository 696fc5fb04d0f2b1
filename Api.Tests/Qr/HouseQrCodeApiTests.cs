using System.Net;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Wechat;
using Linli.Domain.Houses;

namespace Linli.Api.Tests.Qr;

public class HouseQrCodeApiTests
{
    [Test]
    public async Task InSimulatedModeTheQrCodeDecodesToTheHouseLink()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);

        var response = await landlord.GetAsync($"/api/v1/houses/{house.Id}/qrcode.png");
        var png = await response.Content.ReadAsByteArrayAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
            Assert.That(await ExternalTools.ZbarRawAsync(png), Is.EqualTo($"https://{HousesApp.QrHost}/h/{house.Code}"));
        });
    }

    [Test]
    public async Task AnotherLandlordCannotFetchTheQrCode()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        var (_, other) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);

        Assert.That((await other.GetAsync($"/api/v1/houses/{house.Id}/qrcode.png")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task TheGridSheetHasOneEntryPerHouseWithItsCodeAndAddress()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, _) = await world.ResidentAsync();
        var houses = new List<Linli.Api.Houses.HouseDto>();
        for (var i = 0; i < 13; i++)
            houses.Add(await world.HouseAsync(landlordId));
        var elsewhere = await world.HouseAsync(landlordId, gridId: world.OtherGridId);

        var response = await world.Worker.GetAsync($"/api/v1/grids/{world.GridId}/qrcodes.pdf");
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var forbidden = await world.OtherWorker.GetAsync($"/api/v1/grids/{world.GridId}/qrcodes.pdf");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var text = await ExternalTools.PdfTextAsync(pdf);
        Assert.Multiple(async () =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
            foreach (var house in houses)
            {
                Assert.That(Occurrences(text, house.Code), Is.EqualTo(1), house.Code);
                Assert.That(text, Does.Contain(house.Address.Building), house.Address.Building);
            }
            Assert.That(text, Does.Not.Contain(elsewhere.Code));
            Assert.That(await ExternalTools.PdfPageCountAsync(pdf), Is.EqualTo(2));
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task AResidentCannotPrintAGridSheet()
    {
        var world = await HouseWorld.CreateAsync();
        var (_, resident) = await world.ResidentAsync();

        Assert.That((await resident.GetAsync($"/api/v1/grids/{world.GridId}/qrcodes.pdf")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task TheGridSheetPrintsInProductionConfigurationWithNoLicenceSetting()
    {
        await using var factory = new ProductionFactory();
        var world = await HouseWorld.CreateAsync(factory);
        var (landlordId, _) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);

        var response = await world.Worker.GetAsync($"/api/v1/grids/{world.GridId}/qrcodes.pdf");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await ExternalTools.PdfTextAsync(await response.Content.ReadAsByteArrayAsync()), Does.Contain(house.Code));
    }

    /// <summary>
    /// The service as a deployment runs it: Production, keys that are not the repository's, no Qr setting at all.
    /// (WeChat stays simulated, explicitly allowed; the test server is on loopback without TLS, explicitly allowed.)
    /// </summary>
    private sealed class ProductionFactory() : LinliFactory(new Dictionary<string, string?>
    {
        ["Jwt:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
        ["FieldProtection:Keys:t1"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["FieldProtection:HashKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Wechat:Mode"] = "Simulated",
        ["Wechat:AllowSimulatedInProduction"] = "true",
        ["Database:AllowInsecureTransport"] = "true",
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    internal static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}

/// <summary>WeChat Live: the mini-program code comes from a real HTTP server on loopback speaking WeChat's wire format.</summary>
public class LiveHouseQrCodeTests
{
    private FakeWechatServer _wechat = null!;
    private LinliFactory _live = null!;
    private LinliFactory _liveStandard = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        const string appId = "wx-houses-test";
        _wechat = await FakeWechatServer.StartAsync(appId);
        IDictionary<string, string?> Settings(bool standard)
        {
            var settings = HousesApp.Settings();
            settings["Wechat:Mode"] = "Live";
            settings["Wechat:AppId"] = appId;
            settings["Wechat:AppSecret"] = FakeWechatServer.AppSecret;
            settings["Wechat:BaseAddress"] = _wechat.BaseAddress.ToString();
            settings["Wechat:TimeoutSeconds"] = "2";
            settings["Wechat:BusyRetryDelayMilliseconds"] = "10";
            settings["Qr:UseStandardQr"] = standard ? "true" : "false";
            return settings;
        }
        _live = new LinliFactory(Settings(standard: false));
        _liveStandard = new LinliFactory(Settings(standard: true));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _live.DisposeAsync();
        await _liveStandard.DisposeAsync();
        await _wechat.DisposeAsync();
    }

    [Test]
    public async Task TheMiniProgramCodeIsFetchedOnceAndThenServedFromTheCache()
    {
        var world = await HouseWorld.CreateAsync(_live);
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var before = _wechat.Calls("getwxacodeunlimit");

        var first = await landlord.GetAsync($"/api/v1/houses/{house.Id}/qrcode.png");
        var second = await world.Staff.GetAsync($"/api/v1/houses/{house.Id}/qrcode.png");

        await using var c = await world.Db.OpenConnectionAsync();
        var cached = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM house_qr_images WHERE house_id = @Id", new { house.Id });
        var firstBytes = await first.Content.ReadAsByteArrayAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(first.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"), "WeChat answered a JPEG");
            Assert.That(firstBytes[..2], Is.EqualTo(new byte[] { 0xFF, 0xD8 }));
            Assert.That(await second.Content.ReadAsByteArrayAsync(), Is.EqualTo(firstBytes));
            Assert.That(_wechat.Calls("getwxacodeunlimit") - before, Is.EqualTo(1));
            Assert.That(cached, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AWechatRefusalIsABadGatewayAndIsNotCached()
    {
        var world = await HouseWorld.CreateAsync(_live);
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        _wechat.Script("getwxacodeunlimit", 45009);

        var refused = await landlord.GetAsync($"/api/v1/houses/{house.Id}/qrcode.png");
        var retried = await landlord.GetAsync($"/api/v1/houses/{house.Id}/qrcode.png");

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task AnEmptyImageFromWechatIsABadGatewayAndIsNotCached()
    {
        var world = await HouseWorld.CreateAsync(_live);
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        _wechat.OddImages.Enqueue("empty");

        var empty = await landlord.GetAsync($"/api/v1/houses/{house.Id}/qrcode.png");
        var retried = await landlord.GetAsync($"/api/v1/houses/{house.Id}/qrcode.png");

        Assert.Multiple(async () =>
        {
            Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await retried.Content.ReadAsByteArrayAsync())[..2], Is.EqualTo(new byte[] { 0xFF, 0xD8 }));
        });
    }

    [Test]
    public async Task WithStandardQrConfiguredLiveModeDrawsTheLinkWithoutCallingWechat()
    {
        var world = await HouseWorld.CreateAsync(_liveStandard);
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var before = _wechat.Calls("getwxacodeunlimit");

        var response = await landlord.GetAsync($"/api/v1/houses/{house.Id}/qrcode.png");

        Assert.Multiple(async () =>
        {
            Assert.That(await ExternalTools.ZbarRawAsync(await response.Content.ReadAsByteArrayAsync()),
                Is.EqualTo($"https://{HousesApp.QrHost}/h/{house.Code}"));
            Assert.That(_wechat.Calls("getwxacodeunlimit"), Is.EqualTo(before));
        });
    }
}
