using System.Data.Common;
using Dapper;
using Linli.Infrastructure.Data;
using MySqlConnector;

namespace Linli.Api.Tests.Data.Provider;

/// <summary>Server errors arrive as <see cref="MySqlException"/> with the server's number, SQLSTATE and text.</summary>
public class ErrorTests
{
    [Test]
    public async Task DuplicateKeyIsError1062WithTheServersMessage()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, code VARCHAR(20) NOT NULL UNIQUE", "ed");
        await using var connection = await DriverDb.OpenAsync();
        await connection.ExecuteAsync($"INSERT INTO {table} VALUES (1, 'dup-code')");

        var error = Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync($"INSERT INTO {table} VALUES (2, @code)", new { code = "dup-code" }));

        Assert.Multiple(() =>
        {
            Assert.That(error!.ErrorCode, Is.EqualTo(MySqlErrorCode.DuplicateKeyEntry));
            Assert.That(error.Number, Is.EqualTo(1062));
            Assert.That(error.SqlState, Is.EqualTo("23000"));
            Assert.That(DatabaseErrors.IsTransient(error), Is.False);
            Assert.That(error.Message, Does.Contain("Duplicate entry 'dup-code'"));
        });
        Assert.That(await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"), Is.EqualTo(1), "the connection is still usable");
    }

    [Test]
    public async Task SyntaxErrorIsError1064()
    {
        await using var connection = await DriverDb.OpenAsync();

        var error = Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("SELEKT 1 FROM nowhere"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Number, Is.EqualTo(1064));
            Assert.That(error.SqlState, Is.EqualTo("42000"));
            Assert.That(DatabaseErrors.IsTransient(error), Is.False);
            Assert.That(error.Message, Does.Contain("SQL syntax"));
        });
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT 1"), Is.EqualTo(1), "the connection is still usable");
    }

    [Test]
    public async Task AnErrorInTheSecondStatementOfABatchIsRaised()
    {
        await using var connection = await DriverDb.OpenAsync();

        var error = Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await using var results = await connection.QueryMultipleAsync("SELECT 1; SELECT * FROM no_such_table_anywhere_42;");
            await results.ReadAsync<int>();
            await results.ReadAsync<int>();
        });

        Assert.That(error!.ErrorCode, Is.EqualTo(MySqlErrorCode.NoSuchTable));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT 2"), Is.EqualTo(2), "the connection is still usable");
    }

    [Test]
    public async Task DeadlockIsError1213AndALockConflict()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v INT NOT NULL", "el");
        await using var first = await DriverDb.OpenAsync();
        await using var second = await DriverDb.OpenAsync();
        await first.ExecuteAsync($"INSERT INTO {table} VALUES (1, 0), (2, 0)");
        await using var t1 = await first.BeginTransactionAsync();
        await using var t2 = await second.BeginTransactionAsync();
        await first.ExecuteAsync($"UPDATE {table} SET v = 1 WHERE id = 1", transaction: t1);
        await second.ExecuteAsync($"UPDATE {table} SET v = 2 WHERE id = 2", transaction: t2);

        // first now waits for row 2; second then asks for row 1, which closes the cycle.
        var firstWaits = first.ExecuteAsync($"UPDATE {table} SET v = 1 WHERE id = 2", transaction: t1);
        await WaitUntilBlockedAsync(table.Name);
        var secondCloses = second.ExecuteAsync($"UPDATE {table} SET v = 2 WHERE id = 1", transaction: t2);
        var errors = new List<MySqlException>();
        foreach (var task in new[] { firstWaits, secondCloses })
        {
            try { await task; }
            catch (MySqlException e) { errors.Add(e); }
        }

        Assert.That(errors, Has.Count.EqualTo(1), "exactly one transaction is chosen as the victim");
        Assert.Multiple(() =>
        {
            Assert.That(errors[0].ErrorCode, Is.EqualTo(MySqlErrorCode.LockDeadlock));
            Assert.That(errors[0].SqlState, Is.EqualTo("40001"));
            Assert.That(DatabaseErrors.IsLockConflict(errors[0]), Is.True);
            Assert.That(errors[0].Message, Does.Contain("Deadlock"));
        });
    }

    [Test]
    public async Task LockWaitTimeoutIsError1205()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v INT NOT NULL", "el");
        await using var holder = await DriverDb.OpenAsync();
        await using var waiter = await DriverDb.OpenAsync();
        await holder.ExecuteAsync($"INSERT INTO {table} VALUES (1, 0)");
        await using var held = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync($"UPDATE {table} SET v = 1 WHERE id = 1", transaction: held);
        await waiter.ExecuteAsync("SET SESSION innodb_lock_wait_timeout = 1");

        var error = Assert.ThrowsAsync<MySqlException>(() => waiter.ExecuteAsync($"UPDATE {table} SET v = 2 WHERE id = 1"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.ErrorCode, Is.EqualTo(MySqlErrorCode.LockWaitTimeout));
            Assert.That(error.Message, Does.Contain("Lock wait timeout"));
        });
        await held.RollbackAsync();
        Assert.That(await waiter.ExecuteAsync($"UPDATE {table} SET v = 2 WHERE id = 1"), Is.EqualTo(1), "the waiter can go on once the lock is free");
    }

    [Test]
    public void WrongPasswordIsError1045AccessDenied()
    {
        var error = Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await using var connection = await DriverDb.OpenAsync("Password=certainly-not-the-password;Pooling=false");
        });

        Assert.Multiple(() =>
        {
            Assert.That(error!.ErrorCode, Is.EqualTo(MySqlErrorCode.AccessDenied));
            Assert.That(error.Message, Does.Contain("Access denied"));
        });
    }

    [Test]
    public void AServerThatDoesNotListenCountsAsUnavailable()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var error = Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await using var connection = await DriverDb.OpenAsync("Port=1;Pooling=false;Connection Timeout=5");
        });

        Assert.Multiple(() =>
        {
            Assert.That(error!.ErrorCode, Is.EqualTo(MySqlErrorCode.UnableToConnectToHost));
            Assert.That(DatabaseErrors.IsUnavailable(error), Is.True);
        });
    }

    [Test]
    public void UnknownDatabaseIsError1049()
    {
        var error = Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await using var connection = await DriverDb.OpenAsync($"Database={DriverDb.UniqueName("nodb")};Pooling=false");
        });

        Assert.That(error!.ErrorCode, Is.EqualTo(MySqlErrorCode.UnknownDatabase));
    }

    [Test]
    public async Task ServerErrorIsADbExceptionForCallersThatOnlyKnowAdoNet()
    {
        await using var connection = await DriverDb.OpenAsync();

        var error = Assert.ThrowsAsync(Is.InstanceOf<DbException>(), () => connection.ExecuteAsync("SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'custom 邻里 failure'"));

        Assert.Multiple(() =>
        {
            Assert.That(((DbException)error!).SqlState, Is.EqualTo("45000"));
            Assert.That(error.Message, Does.Contain("custom 邻里 failure"));
        });
    }

    /// <summary>Waits (bounded) until some statement on the table is waiting for a row lock.</summary>
    private static async Task WaitUntilBlockedAsync(string table)
    {
        await using var observer = await DriverDb.OpenAsync("Pooling=false");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var waiting = await observer.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE @pattern",
                new { pattern = $"UPDATE {table}%" });
            if (waiting > 0)
                return;
            await Task.Delay(50);
        }
        Assert.Fail("the first transaction never started waiting for the lock");
    }
}
