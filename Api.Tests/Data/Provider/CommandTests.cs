using System.Data;
using Dapper;
using MySqlConnector;

namespace Linli.Api.Tests.Data.Provider;

/// <summary>Commands and readers as ADO.NET callers (and Dapper) use them, synchronously and asynchronously.</summary>
public class CommandTests
{
    [Test]
    public async Task DisposingAReaderWithUnreadRowsLeavesTheConnectionInStep()
    {
        await using var connection = await DriverDb.OpenAsync();
        await using (var command = DriverDb.Command(connection, "SELECT seq, REPEAT('x', 100) FROM seq_1_to_50000; SELECT 'second'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.That(await reader.ReadAsync(), Is.True);
            Assert.That(reader.GetInt64(0), Is.EqualTo(1));
        }

        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT 'next'"), Is.EqualTo("next"));
    }

    [Test]
    public async Task ALargeResultIsStreamedInOrder()
    {
        await using var connection = await DriverDb.OpenAsync();
        await using var command = DriverDb.Command(connection, "SELECT seq, CONCAT('row ', seq) FROM seq_1_to_200000");
        await using var reader = await command.ExecuteReaderAsync();
        long expected = 0;
        var wrong = 0;
        while (await reader.ReadAsync())
        {
            expected++;
            if (reader.GetInt64(0) != expected || reader.GetString(1) != $"row {expected}")
                wrong++;
        }

        Assert.Multiple(() =>
        {
            Assert.That(expected, Is.EqualTo(200_000));
            Assert.That(wrong, Is.Zero);
        });
    }

    [Test]
    public async Task NextResultWalksEveryResultAndRecordsAffectedCountsChanges()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v INT NOT NULL", "cr");
        await using var connection = await DriverDb.OpenAsync();
        await using var command = DriverDb.Command(connection,
            $"INSERT INTO {table} VALUES (1, 0), (2, 0), (3, 0); SELECT id FROM {table} ORDER BY id; UPDATE {table} SET v = 1 WHERE id > 1; SELECT SUM(v) FROM {table}");
        var seen = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            do
            {
                var rows = new List<string>();
                while (await reader.ReadAsync())
                    rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
                seen.Add($"{reader.FieldCount}:{string.Join(",", rows)}");
            } while (await reader.NextResultAsync());
            Assert.That(reader.RecordsAffected, Is.EqualTo(5), "three inserted and two updated");
        }

        Assert.That(seen, Is.EqualTo(new[] { "1:1,2,3", "1:2" }));
    }

    [Test]
    public async Task AnUpdateReportsTheRowsItMatchedEvenWhenNothingChanged()
    {
        // Optimistic checks ("UPDATE … WHERE id = @id AND state = @expected" must touch one row) rely on found rows.
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, state VARCHAR(10) NOT NULL", "cf");
        await using var connection = await DriverDb.OpenAsync();
        await connection.ExecuteAsync($"INSERT INTO {table} VALUES (1, 'open')");

        var unchanged = await connection.ExecuteAsync($"UPDATE {table} SET state = 'open' WHERE id = 1");
        var missing = await connection.ExecuteAsync($"UPDATE {table} SET state = 'open' WHERE id = 2");

        Assert.Multiple(() =>
        {
            Assert.That(unchanged, Is.EqualTo(1));
            Assert.That(missing, Is.Zero);
        });
    }

    [Test]
    public async Task TheSynchronousApiWorksToo()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v VARCHAR(20) NOT NULL", "cs");
        using var connection = new MySqlConnection(DriverDb.ConnectionString());
        connection.Open();
        using (var transaction = connection.BeginTransaction())
        {
            connection.Execute($"INSERT INTO {table} VALUES (@id, @v)", new[] { new { id = 1, v = "一" }, new { id = 2, v = "two'" } }, transaction);
            transaction.Commit();
        }

        var rows = connection.Query<(int, string)>($"SELECT id, v FROM {table} ORDER BY id").ToList();
        using var command = DriverDb.Command(connection, $"SELECT COUNT(*) FROM {table} WHERE v = @v", ("@v", "two'"));
        var count = command.ExecuteScalar();

        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(new[] { (1, "一"), (2, "two'") }));
            Assert.That(Convert.ToInt64(count), Is.EqualTo(1));
            Assert.That(connection.State, Is.EqualTo(ConnectionState.Open));
        });
    }

    [Test]
    public async Task AnAlreadyCancelledTokenStopsTheCommandBeforeItRuns()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY", "cc");
        await using var connection = await DriverDb.OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () =>
        {
            await using var command = DriverDb.Command(connection, $"INSERT INTO {table} VALUES (1)");
            await command.ExecuteNonQueryAsync(cancelled.Token);
        });

        Assert.That(await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"), Is.Zero);
    }

    [Test]
    public async Task ParametersWorkWithAndWithoutTheirPrefixAndAsQuestionMarks()
    {
        await using var connection = await DriverDb.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT CONCAT(@first, ':', @second)";
        command.Parameters.Add(new MySqlParameter { ParameterName = "first", Value = "a" });
        command.Parameters.Add(new MySqlParameter { ParameterName = "@second", Value = 2 });
        var named = await command.ExecuteScalarAsync();
        await using var positional = DriverDb.Command(connection, "SELECT CONCAT(?, '?', ?)", ("p1", "x"), ("p2", "y"));
        var byPosition = await positional.ExecuteScalarAsync();

        Assert.Multiple(() =>
        {
            Assert.That(named, Is.EqualTo("a:2"));
            Assert.That(byPosition, Is.EqualTo("x?y"));
        });
    }

    [Test]
    public async Task CancellingWhileReadingAHugeResultStopsAndLeavesTheConnectionUsable()
    {
        await using var connection = await DriverDb.OpenAsync();
        using var cancel = new CancellationTokenSource();
        var read = 0;

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () =>
        {
            await using var command = DriverDb.Command(connection, "SELECT a.seq, b.seq FROM seq_1_to_100000 a JOIN seq_1_to_1000 b");
            await using var reader = await command.ExecuteReaderAsync(cancel.Token);
            while (await reader.ReadAsync(cancel.Token))
            {
                if (++read == 1000)
                    await cancel.CancelAsync();
            }
        });

        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT 11"), Is.EqualTo(11), "the connection answers the next command");
    }

    [Test]
    public async Task ExecuteScalarOfAnEmptyResultIsNull()
    {
        await using var connection = await DriverDb.OpenAsync();
        await using var command = DriverDb.Command(connection, "SELECT 1 FROM DUAL WHERE 1 = 0");

        Assert.That(await command.ExecuteScalarAsync(), Is.Null);
    }

    [TestCase(IsolationLevel.ReadCommitted, true)]
    [TestCase(IsolationLevel.RepeatableRead, false)]
    public async Task TheTransactionsIsolationLevelIsApplied(IsolationLevel level, bool seesLaterCommit)
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY", "ci");
        await using var reader = await DriverDb.OpenAsync();
        await using var writer = await DriverDb.OpenAsync();
        await writer.ExecuteAsync($"INSERT INTO {table} VALUES (1)");
        await using var transaction = await reader.BeginTransactionAsync(level);
        var before = await reader.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}", transaction: transaction);

        await writer.ExecuteAsync($"INSERT INTO {table} VALUES (2)");
        var after = await reader.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}", transaction: transaction);
        await transaction.CommitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(1));
            Assert.That(after, Is.EqualTo(seesLaterCommit ? 2 : 1));
        });
    }
}
