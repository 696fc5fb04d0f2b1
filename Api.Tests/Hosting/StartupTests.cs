using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Hosting;

public class StartupTests
{
    [Test]
    public async Task TheAppStartsOnAnEmptyDatabaseMigratesItAndIsReady()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var factory = new LinliFactory(database.Settings);
        using var client = factory.CreateClient();

        var ready = await client.GetAsync("/health/ready");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString(), Is.EqualTo("ready"));
        await using var db = database.CreateDataSource();
        await using var connection = await db.OpenConnectionAsync();
        var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.That(versions, Is.EqualTo(Migration.LoadEmbedded().Select(m => m.Version).ToList()));
    }

    [Test]
    public async Task ReadinessReportsPendingMigrations()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var factory = new LinliFactory(database.Settings);
        using var client = factory.CreateClient();
        await using (var db = database.CreateDataSource())
        await using (var connection = await db.OpenConnectionAsync())
        {
            // As if this build were newer than the database: its last migration not applied yet.
            var last = factory.Services.GetRequiredService<MigrationRunner>().Migrations[^1].Version;
            await connection.ExecuteAsync("DELETE FROM schema_migrations WHERE version = @last", new { last });
        }

        var ready = await client.GetAsync("/health/ready");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("migrations_pending"));
        Assert.That(body.GetProperty("pendingMigrations").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task LivenessAnswersWithoutSigningIn()
    {
        using var client = SharedApp.Factory.CreateClient();
        var live = await client.GetAsync("/health/live");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(live.Headers.Contains(Linli.Api.Hosting.TraceIds.Header), Is.True);
    }

    [Test]
    public async Task TheRealAppAnswersUnknownRoutesAndWrongMethodsWithProblems()
    {
        using var client = SharedApp.Factory.CreateClient();
        await ProblemDetailsTests.ProblemAsync(await client.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);
        await ProblemDetailsTests.ProblemAsync(await client.PostAsync("/health/live", null), HttpStatusCode.MethodNotAllowed);
    }
}
