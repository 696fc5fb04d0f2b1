using System.Diagnostics;
using Dapper;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Data;

namespace Linli.Api.Tests.Hosting;

/// <summary>The built Api.dll as ./run and operators use it: <c>dotnet Api.dll &lt;command&gt;</c>.</summary>
public class CommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunApiAsync(IDictionary<string, string> environment, params string[] args)
    {
        var directory = TestContext.CurrentContext.TestDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(directory, "Api.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Test]
    public async Task MigrateAppliesTheMigrationsAndExits()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();

        var (exitCode, output, error) = await RunApiAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Main"] = database.ConnectionString,
        }, "migrate");

        Assert.That(exitCode, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain($"Applied {Migration.LoadEmbedded().Count} migration(s)."));
        await using var db = database.CreateDataSource();
        await using var connection = await db.OpenConnectionAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(Migration.LoadEmbedded().Count));
    }

    [Test]
    public async Task AnUnknownCommandListsTheCommands()
    {
        var (exitCode, _, error) = await RunApiAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Main"] = TestDatabase.ConnectionString,
        }, "no-such-command");

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("Unknown command 'no-such-command'").And.Contain("migrate").And.Contain("seed-demo"));
    }

    [Test]
    public async Task InProductionWithTheRepositoryKeysTheServiceRefusesToStartAndSaysWhy()
    {
        // appsettings.Development.json is not read in Production, so its keys are passed explicitly, as a careless deployment would.
        var (exitCode, _, error) = await RunApiAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Main"] = "Server=127.0.0.1;Port=1;Database=x;User ID=x;Password=x",
            ["Jwt__SigningKey"] = "development-only-signing-key-not-for-production-0123456789",
            ["FieldProtection__CurrentKeyId"] = "dev1",
            ["FieldProtection__Keys__dev1"] = "ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMzJieXQ=",
            ["FieldProtection__HashKey"] = "ZGV2ZWxvcG1lbnQtb25seS1oYXNoLWtleS0zMmJ5dGU=",
            ["Wechat__Mode"] = "Simulated",
        });

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("Linli cannot start:")
            .And.Contain("Jwt:SigningKey is a development or test key")
            .And.Contain("FieldProtection keys include a development or test key")
            .And.Contain("Wechat:Mode is Simulated"));
    }
}
