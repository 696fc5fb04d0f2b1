using System.Net;
using Linli.Api.Hosting;

namespace Linli.Api.Tests.Hosting;

public class RateLimitTests
{
    [Test]
    public async Task RequestsOverTheLimitGetA429ProblemWithRetryAfter()
    {
        // A window far longer than the test can take, so the result never depends on machine speed.
        await using var app = await ProbeApp.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:SignIn:PermitLimit"] = "2",
            ["RateLimits:SignIn:WindowSeconds"] = "3600",
        });
        using var client = app.CreateClient();
        Assert.That((await client.GetAsync("/probe/limited")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/probe/limited")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var rejected = await client.GetAsync("/probe/limited");

        await ProblemDetailsTests.ProblemAsync(rejected, HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(rejected.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(retryAfter, Is.InRange(1, 3600));
    }

    [Test]
    public async Task EveryAnonymousEndpointIsLimitedButSignedInOnesAreNot()
    {
        await using var app = await ProbeApp.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:Anonymous:PermitLimit"] = "1",
            ["RateLimits:Anonymous:WindowSeconds"] = "3600",
        });
        using var client = app.CreateClient();
        Assert.That((await client.GetAsync("/probe/items/1")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await ProblemDetailsTests.ProblemAsync(await client.GetAsync("/probe/items/2"), HttpStatusCode.TooManyRequests);
        // The signed-in-only endpoint is not limited: it answers 401 (no token) however often it is called.
        for (var i = 0; i < 3; i++)
            Assert.That((await client.GetAsync("/signed-in-only")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AnEndpointWithItsOwnPolicyIsLimitedByThatPolicyAlone()
    {
        await using var app = await ProbeApp.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:Anonymous:PermitLimit"] = "1",
            ["RateLimits:SignIn:PermitLimit"] = "3",
            ["RateLimits:SignIn:WindowSeconds"] = "3600",
        });
        using var client = app.CreateClient();

        for (var i = 0; i < 3; i++)
            Assert.That((await client.GetAsync("/probe/limited")).StatusCode, Is.EqualTo(HttpStatusCode.OK), $"request {i + 1}");
        Assert.That((await client.GetAsync("/probe/limited")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }
}
