using System.Diagnostics;
using Dapper;
using Linli.Infrastructure.MySql;

namespace Linli.Api.Tests.MySql;

/// <summary>Connections the server drops (KILL, restart) fail clearly once, and the pool then hands out working ones.</summary>
public class ConnectionRecoveryTests
{
    private static readonly int[] LostConnectionNumbers = [MySqlErrorCode.ConnectionLost, MySqlErrorCode.ServerGone, MySqlErrorCode.ConnectionKilled];

    [Test]
    public async Task AConnectionKilledByTheServerFailsWithATransientErrorAndThePoolRecovers()
    {
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=2;Database={schema}";
        var victim = await DriverDb.OpenAsync(settings);
        var victimThread = victim.ServerThreadId;
        await using (var killer = await DriverDb.OpenAsync("Pooling=false"))
            await killer.ExecuteAsync($"KILL {victimThread}");

        var error = Assert.ThrowsAsync<MySqlException>(() => victim.ExecuteScalarAsync<int>("SELECT 1"));
        await victim.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error!.Number, Is.AnyOf(LostConnectionNumbers.Cast<object>().ToArray()));
            Assert.That(error.IsTransient, Is.True);
        });
        await using var next = await DriverDb.OpenAsync(settings);
        Assert.Multiple(async () =>
        {
            Assert.That(await next.ExecuteScalarAsync<int>("SELECT 1"), Is.EqualTo(1));
            Assert.That(next.ServerThreadId, Is.Not.EqualTo(victimThread), "the killed connection was not handed out again");
        });
    }

    [Test]
    public async Task AnIdlePooledConnectionKilledByTheServerIsNotHandedOut()
    {
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=1;Database={schema}";
        int killedThread;
        await using (var first = await DriverDb.OpenAsync(settings))
            killedThread = first.ServerThreadId;
        await using (var killer = await DriverDb.OpenAsync("Pooling=false"))
            await killer.ExecuteAsync($"KILL {killedThread}");

        await using var next = await DriverDb.OpenAsync(settings);

        Assert.That(await next.ExecuteScalarAsync<int>("SELECT 1"), Is.EqualTo(1));
        Assert.That(next.ServerThreadId, Is.Not.EqualTo(killedThread));
    }

    [Test]
    public async Task PooledConnectionsSurviveAServerRestart()
    {
        var restart = Environment.GetEnvironmentVariable("LINLI_TEST_DB_RESTART")
            ?? throw new InvalidOperationException("LINLI_TEST_DB_RESTART is not set: run the tests with ./test, which sets it.");
        const string settings = "Maximum Pool Size=4;Connection Idle Timeout=600";
        int[] before;
        await using (var a = await DriverDb.OpenAsync(settings))
        await using (var b = await DriverDb.OpenAsync(settings))
            before = [a.ServerThreadId, b.ServerThreadId];
        var held = await DriverDb.OpenAsync(settings);

        await RunAsync(restart, TimeSpan.FromSeconds(60));

        var heldError = Assert.ThrowsAsync<MySqlException>(() => held.ExecuteScalarAsync<int>("SELECT 1"));
        await held.DisposeAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(async i =>
        {
            await using var connection = await DriverDb.OpenAsync(settings);
            return await connection.ExecuteScalarAsync<int>("SELECT @i", new { i });
        }));

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.Unique);
            Assert.That(heldError!.IsTransient, Is.True, "a connection in use when the server went away fails transiently");
            Assert.That(answers, Is.EqualTo(new[] { 0, 1, 2 }), "the next commands from the pool work");
        });
    }

    private static async Task RunAsync(string commandLine, TimeSpan limit)
    {
        var start = new ProcessStartInfo("/bin/bash", ["-c", commandLine])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{commandLine}' did not finish within {limit}");
        }
        Assert.That(process.ExitCode, Is.Zero, $"'{commandLine}' failed: {await output} {await errors}");
    }
}
