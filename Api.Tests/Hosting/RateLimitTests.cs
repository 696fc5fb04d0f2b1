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
}
