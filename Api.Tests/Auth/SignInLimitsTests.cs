using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Linli.Api.Hosting;
using Linli.Api.Tests.Support;

namespace Linli.Api.Tests.Auth;

/// <summary>
/// Sign-in behind a shared address (a carrier's NAT, a community office): many residents pass, while WeChat's quota is
/// protected by a budget of code2Session calls and a limit per account, and the address is only ever forwarded by a
/// trusted proxy.
/// </summary>
public class SignInLimitsTests
{
    private static readonly RateLimits.Settings Defaults = new();

    private static Dictionary<string, string?> DefaultSignInLimits() => new()
    {
        ["RateLimits:SignIn:PermitLimit"] = Defaults.SignIn.PermitLimit.ToString(CultureInfo.InvariantCulture),
        ["RateLimits:SignIn:WindowSeconds"] = Defaults.SignIn.WindowSeconds.ToString(CultureInfo.InvariantCulture),
        ["RateLimits:Code2Session:PermitLimit"] = Defaults.Code2Session.PermitLimit.ToString(CultureInfo.InvariantCulture),
        ["RateLimits:SignInPerOpenId:PermitLimit"] = Defaults.SignInPerOpenId.PermitLimit.ToString(CultureInfo.InvariantCulture),
    };

    private static async Task<HttpStatusCode> SignInAsync(HttpClient client, string connection, string name, string? forwardedFor = null)
    {
        using var request = AddressedFactory.From(connection, HttpMethod.Post, "/api/v1/auth/wechat-login",
            JsonContent.Create(new { code = "sim:" + name }), forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string Someone() => "shared-" + Guid.NewGuid().ToString("N")[..12];

    [Test]
    public async Task AHundredAndFiftyResidentsSignInWithinAMinuteFromOneSharedAddress()
    {
        await using var factory = new AddressedFactory(DefaultSignInLimits());
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 150; i++)
            statuses.Add(await SignInAsync(client, "203.0.113.9", Someone()));

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task XForwardedForCountsOnlyWhenATrustedProxySendsIt()
    {
        await using var factory = new AddressedFactory(new Dictionary<string, string?>
        {
            ["RateLimits:SignIn:PermitLimit"] = "2",
            ["RateLimits:SignIn:WindowSeconds"] = "3600",
            ["Http:TrustedProxies:0"] = "10.0.0.1",
        });
        using var client = factory.CreateClient();

        // Anyone can write the header: from an address that is not a trusted proxy it changes nothing.
        var spoofed = new List<HttpStatusCode>();
        for (var i = 1; i <= 3; i++)
            spoofed.Add(await SignInAsync(client, "198.51.100.7", Someone(), forwardedFor: $"192.0.2.{i}"));
        // Through the proxy, each resident's own address is theirs.
        var proxied = new List<HttpStatusCode>();
        for (var i = 1; i <= 4; i++)
            proxied.Add(await SignInAsync(client, "10.0.0.1", Someone(), forwardedFor: $"192.0.2.{100 + i}"));
        // The proxy itself is not a client: one resident behind it still has their own limit.
        var sameResident = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            sameResident.Add(await SignInAsync(client, "10.0.0.1", Someone(), forwardedFor: "192.0.2.200"));

        Assert.Multiple(() =>
        {
            Assert.That(spoofed, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            Assert.That(proxied, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(sameResident, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        });
    }

    [Test]
    public async Task Code2SessionHasOneBudgetWhateverTheAddress()
    {
        await using var factory = new AddressedFactory(new Dictionary<string, string?>
        {
            ["RateLimits:Code2Session:PermitLimit"] = "3",
            ["RateLimits:Code2Session:WindowSeconds"] = "3600",
        });
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 3; i++)
            statuses.Add(await SignInAsync(client, $"198.51.100.{i}", Someone()));
        using var request = AddressedFactory.From("198.51.100.4", HttpMethod.Post, "/api/v1/auth/wechat-login", JsonContent.Create(new { code = "sim:" + Someone() }));
        using var over = await client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(over.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(int.Parse(over.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), Is.InRange(1, 3600));
        });
    }

    [Test]
    public async Task OneWeChatAccountSignsInAtMostTheConfiguredNumberOfTimes()
    {
        await using var factory = new AddressedFactory(new Dictionary<string, string?>
        {
            ["RateLimits:SignInPerOpenId:PermitLimit"] = "2",
            ["RateLimits:SignInPerOpenId:WindowSeconds"] = "3600",
        });
        using var client = factory.CreateClient();
        var same = Someone();

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 3; i++)
            statuses.Add(await SignInAsync(client, $"198.51.100.{i}", same));
        var another = await SignInAsync(client, "198.51.100.9", Someone());

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            Assert.That(another, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
