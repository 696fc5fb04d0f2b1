using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Api.Tests.Tickets;
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
    public async Task StaffGetEachActionsFormFieldsFromTheContract()
    {
        var world = await TicketWorld.CreateAsync(SharedApp.Factory);

        var forms = await world.Staff.Client.GetFromJsonAsync<JsonElement>("/console/action-forms.json");

        var dispatch = forms.GetProperty("dispatch");
        var evaluate = forms.GetProperty("evaluate");
        Assert.Multiple(() =>
        {
            Assert.That(dispatch.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Does.Contain("departmentId"));
            Assert.That(dispatch.GetProperty("properties").GetProperty("dueAt").GetProperty("format").GetString(), Is.EqualTo("date-time"));
            Assert.That(evaluate.GetProperty("properties").GetProperty("satisfaction").GetProperty("maximum").GetInt32(), Is.EqualTo(5));
            Assert.That(forms.GetProperty("take").GetProperty("required").EnumerateArray(), Is.Empty);
            // Only the ticket's own actions: a summons' report-in is not a button on the ticket page.
            Assert.That(forms.EnumerateObject().Select(p => p.Name), Has.None.Contain("/"));
        });
    }

    [Test]
    public async Task TheFormsAreForStaffOnly()
    {
        var world = await TicketWorld.CreateAsync(SharedApp.Factory);
        Assert.Multiple(async () =>
        {
            Assert.That((await Client().GetAsync("/console/action-forms.json")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await world.Resident.Client.GetAsync("/console/action-forms.json")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
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
