using System.Net;
using System.Net.Http.Headers;
using Linli.Api.StaffConsole;
using Linli.Api.Tests.Support;

namespace Linli.Api.Tests.StaffConsole;

/// <summary>How the console's files are served: only this origin may supply script and style, and a browser revalidates cheaply.</summary>
public class ConsoleSiteTests
{
    private static HttpClient Client() => SharedApp.Factory.CreateClient(new() { AllowAutoRedirect = false });

    [Test]
    public async Task ThePageComesWithAPolicyAllowingOnlyThisOriginAndRevalidates()
    {
        var response = await Client().GetAsync("/console/");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(ConsoleSite.ContentSecurityPolicy));
            Assert.That(ConsoleSite.ContentSecurityPolicy, Does.Contain("script-src 'self';").And.Not.Contain("unsafe"));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
            Assert.That(response.Headers.ETag, Is.Not.Null);
        });
    }

    [Test]
    public async Task AnUnchangedFileIsNotSentAgain()
    {
        var client = Client();
        var first = await client.GetAsync("/console/js/app.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/console/js/app.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await client.SendAsync(again);
        Assert.Multiple(() =>
        {
            Assert.That(first.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        });
    }

    [Test]
    public async Task TheAddressWithoutSlashRedirectsToTheConsole()
    {
        var response = await Client().GetAsync("/console");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/console/"));
        });
    }

    [TestCase("/console/nothing-here.js")]
    [TestCase("/console/..%2F..%2Fappsettings.json")]
    [TestCase("/console/js")]
    public async Task WhatIsNotAConsoleFileIsAProblem404(string path)
    {
        var response = await Client().GetAsync(path);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType, Is.EqualTo(MediaTypeHeaderValue.Parse("application/problem+json")));
        });
    }
}
