using Dapper;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Data;
using MySqlConnector;

namespace Linli.Api.Tests.Data.Provider;

/// <summary>Connections the server drops (KILL, restart) fail clearly once, and the pool then hands out working ones.</summary>
public class ConnectionRecoveryTests
{
    [Test]
    public async Task AConnectionKilledByTheServerFailsWithATransientErrorAndThePoolRecovers()
    {
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=2;Database={schema}";
        var victim = await DriverDb.OpenAsync(settings);
        var victimThread = victim.ServerThread;
        await using (var killer = await DriverDb.OpenAsync("Pooling=false"))
            await killer.ExecuteAsync($"KILL {victimThread}");

        var error = Assert.ThrowsAsync<MySqlException>(() => victim.ExecuteScalarAsync<int>("SELECT 1"));
        await victim.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(DatabaseErrors.IsUnavailable(error!), Is.True, "a lost connection counts as the database being unavailable");
        });
        await using var next = await DriverDb.OpenAsync(settings);
        Assert.Multiple(async () =>
        {
            Assert.That(await next.ExecuteScalarAsync<int>("SELECT 1"), Is.EqualTo(1));
            Assert.That(next.ServerThread, Is.Not.EqualTo(victimThread), "the killed connection was not handed out again");
        });
    }

    [Test]
    public async Task AStatementKilledServerSideFailsAndTheConnectionStaysUsable()
    {
        await using var connection = await DriverDb.OpenAsync();
        var victimThread = connection.ServerThread;
        var sleeping = connection.ExecuteScalarAsync<long>("SELECT SLEEP(30)");
        await using (var killer = await DriverDb.OpenAsync("Pooling=false"))
        {
            // Wait until the statement runs, then stop it as an operator would.
            for (var i = 0; i < 100 && await killer.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM information_schema.processlist WHERE id = @victimThread AND info LIKE 'SELECT SLEEP%'", new { victimThread }) == 0; i++)
                await Task.Delay(50);
            await killer.ExecuteAsync($"KILL QUERY {victimThread}");
        }

        // MariaDB answers SLEEP's interruption with 1 (the function's result) or error 1317, depending on timing.
        Exception? failure = null;
        long? result = null;
        try { result = await sleeping.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (MySqlException e) { failure = e; }

        Assert.Multiple(async () =>
        {
            Assert.That(failure is MySqlException { ErrorCode: MySqlErrorCode.QueryInterrupted } || result == 1, Is.True,
                $"the statement stopped early ({failure?.Message ?? result?.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
            Assert.That(await connection.ExecuteScalarAsync<int>("SELECT 4"), Is.EqualTo(4), "the connection is still usable");
            Assert.That(connection.ServerThread, Is.EqualTo(victimThread), "on the same server session");
        });
    }

    [Test]
    public async Task AnIdlePooledConnectionKilledByTheServerIsNotHandedOut()
    {
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=1;Database={schema}";
        int killedThread;
        await using (var first = await DriverDb.OpenAsync(settings))
            killedThread = first.ServerThread;
        await using (var killer = await DriverDb.OpenAsync("Pooling=false"))
            await killer.ExecuteAsync($"KILL {killedThread}");

        await using var next = await DriverDb.OpenAsync(settings);

        Assert.That(await next.ExecuteScalarAsync<int>("SELECT 1"), Is.EqualTo(1));
        Assert.That(next.ServerThread, Is.Not.EqualTo(killedThread));
    }

    [Test]
    public async Task PooledConnectionsSurviveAServerRestart()
    {
        const string settings = "Maximum Pool Size=4;Connection Idle Timeout=600";
        int[] before;
        await using (var a = await DriverDb.OpenAsync(settings))
        await using (var b = await DriverDb.OpenAsync(settings))
            before = [a.ServerThread, b.ServerThread];
        var held = await DriverDb.OpenAsync(settings);

        await DatabaseServer.RestartAsync(TimeSpan.FromSeconds(60));

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
            Assert.That(DatabaseErrors.IsUnavailable(heldError!), Is.True, "a connection in use when the server went away counts as unavailable");
            Assert.That(answers, Is.EqualTo(new[] { 0, 1, 2 }), "the next commands from the pool work");
        });
    }
}
