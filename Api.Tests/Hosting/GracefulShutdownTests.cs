using System.Net;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Hosting;

public class GracefulShutdownTests
{
    [Test]
    public async Task ARequestInFlightWhenShutdownStartsStillGetsItsResponse()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddLinliHosting();
        builder.Services.AddAuthentication().AddJwtBearer();
        builder.Services.AddAuthorization(Policies.Add);
        await using var app = builder.Build();
        app.UseLinliHosting();
        app.MapGet("/slow", async () =>
        {
            entered.SetResult();
            await release.Task;
            return TypedResults.Ok("finished");
        }).AllowAnonymous();
        await app.StartAsync();
        var address = app.Urls.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        var request = client.GetAsync("/slow");
        await entered.Task;
        var stopping = app.StopAsync();
        release.SetResult();
        var response = await request;
        await stopping;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("\"finished\""));
    }
}
