using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Linli.Infrastructure.Data;
using MySqlConnector;

namespace Linli.Api.Tests.Data.Provider;

/// <summary>The pool under load, at its limit, and between uses. Upper bounds on time are generous; nothing measures speed.</summary>
public class PoolTests
{
    [Test]
    public async Task FourHundredConcurrentCommandsShareAPoolOfTwentyConnections()
    {
        // A schema of its own: the server's process list then shows exactly this pool's connections.
        await using var scratch = await DriverDb.SchemaAsync();
        var schema = scratch.Name;
        await using var observer = await DriverDb.OpenAsync("Pooling=false");
        {
            await using var dataSource = new MySqlDataSource(DriverDb.ConnectionString($"Database={schema};Maximum Pool Size=20"));
            var threadIds = new ConcurrentDictionary<long, byte>();
            var peak = 0L;
            using var done = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                do
                {
                    var count = await observer.ExecuteScalarAsync<long>(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = @schema", new { schema });
                    peak = Math.Max(peak, count);
                    await Task.Delay(10);
                } while (!done.IsCancellationRequested);
            });

            var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                var row = await connection.QuerySingleAsync<PooledAnswer>(
                    "SELECT CONNECTION_ID() AS ThreadId, CAST(@i AS SIGNED) AS Echo, SLEEP(0.01) AS Slept", new { i });
                threadIds.TryAdd(row.ThreadId, 0);
                return row.Echo;
            })));
            await done.CancelAsync();
            await sampler;
            var openAfter = await observer.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = @schema", new { schema });

            Assert.Multiple(() =>
            {
                Assert.That(results, Is.EqualTo(Enumerable.Range(0, 400).Select(i => (long)i)), "every command got its own answer");
                Assert.That(threadIds, Has.Count.InRange(1, 20), "server connections used");
                Assert.That(peak, Is.InRange(1, 20), "server connections seen at once");
                Assert.That(openAfter, Is.InRange(1, 20), "idle connections stay pooled");
            });
        }
    }

    private sealed class PooledAnswer
    {
        public long ThreadId { get; set; }
        public long Echo { get; set; }
        public long Slept { get; set; }
    }

    [Test]
    public async Task AnExhaustedPoolFailsClearlyWithinTheConnectionTimeout()
    {
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=2;Connection Timeout=1;Database={schema}";
        await using var first = await DriverDb.OpenAsync(settings);
        await using var second = await DriverDb.OpenAsync(settings);
        var clock = Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await using var third = await DriverDb.OpenAsync(settings);
        });
        var waited = clock.Elapsed;

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("pool").IgnoreCase);
            Assert.That(DatabaseErrors.IsUnavailable(error), Is.True, "a caller may try again later");
            Assert.That(waited, Is.LessThan(TimeSpan.FromSeconds(15)));
        });
        await second.CloseAsync();
        await using var afterRelease = await DriverDb.OpenAsync(settings);
        Assert.That(await afterRelease.ExecuteScalarAsync<int>("SELECT 3"), Is.EqualTo(3), "a returned connection is handed out again");
    }

    [Test]
    public async Task CancellingASleepingCommandThrowsOperationCanceledAndLeavesTheConnectionUsable()
    {
        await using var connection = await DriverDb.OpenAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () =>
        {
            await using var command = DriverDb.Command(connection, "SELECT SLEEP(30)");
            await command.ExecuteScalarAsync(cancel.Token);
        });
        var waited = clock.Elapsed;

        Assert.That(waited, Is.LessThan(TimeSpan.FromSeconds(15)), "cancellation does not wait for the sleep to end");
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT 41 + 1"), Is.EqualTo(42), "the same connection works afterwards");
        await using var observer = await DriverDb.OpenAsync("Pooling=false");
        var stillRunning = await observer.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(30)%'");
        Assert.That(stillRunning, Is.Zero, "the server stopped the statement");
        await connection.CloseAsync();
        await using var next = await DriverDb.OpenAsync();
        Assert.That(await next.ExecuteScalarAsync<int>("SELECT 5"), Is.EqualTo(5), "the pool still hands out working connections");
    }

    [Test]
    public async Task ACommandTimeoutStopsALongSleepWithATimeoutError()
    {
        await using var connection = await DriverDb.OpenAsync();
        await using var command = DriverDb.Command(connection, "SELECT SLEEP(10)");
        command.CommandTimeout = 1;
        var clock = Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<MySqlException>(() => command.ExecuteScalarAsync());
        var waited = clock.Elapsed;

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("timeout").IgnoreCase);
            Assert.That(error.InnerException is TimeoutException || error.ErrorCode == MySqlErrorCode.CommandTimeoutExpired, Is.True,
                "a caller can tell a timeout from other interruptions");
            Assert.That(waited, Is.LessThan(TimeSpan.FromSeconds(9)), "the command did not run to its end");
        });
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT 7"), Is.EqualTo(7), "the connection works after the timeout");
    }

    [Test]
    public async Task EveryCommandOnAConnectionGetsItsTimeoutNotJustTheFirst()
    {
        await using var connection = await DriverDb.OpenAsync("Default Command Timeout=1");
        var ranToTheEnd = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            try
            {
                await connection.ExecuteScalarAsync("SELECT SLEEP(10)");
                ranToTheEnd.Add(i);
            }
            catch (MySqlException e) when (e.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase))
            {
                // expected: stopped after about a second
            }
        }

        Assert.That(ranToTheEnd, Is.Empty, "commands that slept through their timeout");
    }

    [Test]
    public async Task TheDefaultCommandTimeoutFromTheConnectionStringApplies()
    {
        await using var connection = await DriverDb.OpenAsync("Default Command Timeout=1");
        var clock = Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteScalarAsync("SELECT SLEEP(10)"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("timeout").IgnoreCase);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(9)));
        });
    }

    [Test]
    public async Task SessionStateDoesNotLeakToTheNextUserOfAPooledConnection()
    {
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=1;Allow User Variables=true;Database={schema}";
        int firstThread;
        await using (var first = await DriverDb.OpenAsync(settings))
        {
            firstThread = first.ServerThread;
            await first.ExecuteAsync("SET @x = 1");
            await first.ExecuteAsync("CREATE TEMPORARY TABLE leaked_tmp (a INT)");
            await first.ExecuteAsync("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
            await first.ExecuteAsync("SET SESSION time_zone = '+08:00'");
        }

        await using var second = await DriverDb.OpenAsync(settings);
        var variable = await second.ExecuteScalarAsync<object?>("SELECT @x");
        var tempTable = Assert.ThrowsAsync<MySqlException>(() => second.ExecuteScalarAsync("SELECT COUNT(*) FROM leaked_tmp"));
        var sqlMode = await second.ExecuteScalarAsync<string>("SELECT @@SESSION.sql_mode");
        var timeZone = await second.ExecuteScalarAsync<string>("SELECT @@SESSION.time_zone");
        var backslash = await second.ExecuteScalarAsync<string>("SELECT @v", new { v = "a\\'b\\" });

        Assert.Multiple(() =>
        {
            Assert.That(second.ServerThread, Is.EqualTo(firstThread), "the same server connection was reused");
            Assert.That(variable, Is.Null, "user variable");
            Assert.That(tempTable!.ErrorCode, Is.EqualTo(MySqlErrorCode.NoSuchTable), "temporary table");
            Assert.That(sqlMode, Does.Not.Contain("NO_BACKSLASH_ESCAPES"));
            Assert.That(timeZone, Is.Not.EqualTo("+08:00"));
            Assert.That(backslash, Is.EqualTo("a\\'b\\"), "the driver escapes for the mode the reset restored");
        });
    }

    [Test]
    public async Task AnUncommittedTransactionIsRolledBackWhenItsConnectionReturnsToThePool()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY", "pt");
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=1;Database={schema}";
        await using (var first = await DriverDb.OpenAsync(settings))
        {
            await first.ExecuteAsync("START TRANSACTION");
            await first.ExecuteAsync($"INSERT INTO linli_test.{table} VALUES (1)");
        }

        await using var second = await DriverDb.OpenAsync(settings);
        var inTransaction = await second.ExecuteScalarAsync<long>("SELECT @@in_transaction");
        var rows = await second.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM linli_test.{table}");

        Assert.Multiple(() =>
        {
            Assert.That(inTransaction, Is.Zero);
            Assert.That(rows, Is.Zero);
        });
    }

    [Test]
    public async Task ClearPoolClosesIdleServerConnections()
    {
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=5;Database={schema}";
        await using var observer = await DriverDb.OpenAsync("Pooling=false");
        await using (var a = await DriverDb.OpenAsync(settings))
        await using (var b = await DriverDb.OpenAsync(settings))
        {
            await a.ExecuteAsync("DO 1");
            await b.ExecuteAsync("DO 1");
        }
        var pooled = await CountConnectionsAsync(observer, schema.Name);

        await using (var c = new MySqlConnection(DriverDb.ConnectionString(settings)))
            MySqlConnection.ClearPool(c);
        var closed = await WaitForConnectionsAsync(observer, schema.Name, 0);

        Assert.Multiple(() =>
        {
            Assert.That(pooled, Is.EqualTo(2));
            Assert.That(closed, Is.Zero);
        });
    }

    [Test]
    public async Task ClearAllPoolsClosesIdleConnectionsOfEveryPool()
    {
        await using var first = await DriverDb.SchemaAsync();
        await using var second = await DriverDb.SchemaAsync();
        await using var observer = await DriverDb.OpenAsync("Pooling=false");
        await using (var a = await DriverDb.OpenAsync($"Database={first}"))
        await using (var b = await DriverDb.OpenAsync($"Database={second}"))
            await Task.WhenAll(a.ExecuteAsync("DO 1"), b.ExecuteAsync("DO 1"));

        MySqlConnection.ClearAllPools();

        Assert.Multiple(async () =>
        {
            Assert.That(await WaitForConnectionsAsync(observer, first.Name, 0), Is.Zero);
            Assert.That(await WaitForConnectionsAsync(observer, second.Name, 0), Is.Zero);
        });
        await using var afterwards = await DriverDb.OpenAsync($"Database={first}");
        Assert.That(await afterwards.ExecuteScalarAsync<int>("SELECT 1"), Is.EqualTo(1), "the pool opens new connections after clearing");
    }

    [Test]
    public async Task AFailedOpenDoesNotSpoilThePool()
    {
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=1;Database={schema}";
        await using var observer = await DriverDb.OpenAsync("Pooling=false");
        await observer.ExecuteAsync($"DROP DATABASE {schema}");

        var missing = Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await using var connection = await DriverDb.OpenAsync(settings);
        });
        await observer.ExecuteAsync($"CREATE DATABASE {schema}");
        await using var next = await DriverDb.OpenAsync(settings);

        Assert.Multiple(async () =>
        {
            Assert.That(missing!.ErrorCode, Is.EqualTo(MySqlErrorCode.UnknownDatabase));
            Assert.That(await next.ExecuteScalarAsync<int>("SELECT 1"), Is.EqualTo(1), "the only slot of the pool was given back");
        });
    }

    [Test]
    public async Task ANonPooledConnectionClosesItsServerConnection()
    {
        await using var schema = await DriverDb.SchemaAsync();
        await using var observer = await DriverDb.OpenAsync("Pooling=false");
        await using (var connection = await DriverDb.OpenAsync($"Pooling=false;Database={schema}"))
            Assert.That(await CountConnectionsAsync(observer, schema.Name), Is.EqualTo(1));

        Assert.That(await WaitForConnectionsAsync(observer, schema.Name, 0), Is.Zero);
    }

    [Test]
    public async Task TheFirstCommandAfterReuseIsEscapedForTheModeTheResetRestores()
    {
        // The previous user turned NO_BACKSLASH_ESCAPES on; the reset turns it off again. Escaping the next user's
        // first statement for the old mode would let a backslash-quote end the literal early.
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v VARCHAR(100) NOT NULL", "pr");
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=1;Database={schema}";
        const string hostile = "a\\' OR 1=1; DROP TABLE x; -- \\";
        await using (var first = await DriverDb.OpenAsync(settings))
            await first.ExecuteAsync("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");

        await using (var second = await DriverDb.OpenAsync(settings))
            await second.ExecuteAsync($"INSERT INTO linli_test.{table} (id, v) VALUES (1, @v)", new { v = hostile });

        await using var reader = await DriverDb.OpenAsync();
        Assert.That(await reader.QuerySingleAsync<string>($"SELECT v FROM {table}"), Is.EqualTo(hostile));
    }

    [Test]
    public async Task IdleConnectionsAreClosedAfterTheIdleTimeoutDownToTheMinimum()
    {
        await using var schema = await DriverDb.SchemaAsync();
        var settings = $"Maximum Pool Size=5;Minimum Pool Size=1;Connection Idle Timeout=1;Database={schema}";
        await using var observer = await DriverDb.OpenAsync("Pooling=false");
        long pooled;
        await using (var a = await DriverDb.OpenAsync(settings))
        await using (var b = await DriverDb.OpenAsync(settings))
        await using (var c = await DriverDb.OpenAsync(settings))
            pooled = await CountConnectionsAsync(observer, schema.Name);

        var afterIdle = await WaitForConnectionsAsync(observer, schema.Name, 1);
        await using var again = await DriverDb.OpenAsync(settings);

        Assert.Multiple(async () =>
        {
            Assert.That(pooled, Is.EqualTo(3));
            Assert.That(afterIdle, Is.EqualTo(1), "the minimum stays open");
            Assert.That(await again.ExecuteScalarAsync<int>("SELECT 1"), Is.EqualTo(1));
        });
    }

    internal static async Task<long> CountConnectionsAsync(MySqlConnection observer, string schema) =>
        await observer.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = @schema", new { schema });

    /// <summary>The server notices a closed socket a moment later: poll (bounded) until the count is reached.</summary>
    internal static async Task<long> WaitForConnectionsAsync(MySqlConnection observer, string schema, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        long count;
        while ((count = await CountConnectionsAsync(observer, schema)) != expected && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        return count;
    }

}
