using System.Data;
using System.Data.Common;
using Linli.Infrastructure.MySql.Core;

namespace Linli.Infrastructure.MySql;

/// <summary>A transaction begun with START TRANSACTION; disposing it without Commit rolls it back.</summary>
public sealed class MySqlTransaction : DbTransaction
{
    private MySqlConnection? _connection;

    internal MySqlTransaction(MySqlConnection connection, IsolationLevel isolationLevel)
    {
        _connection = connection;
        IsolationLevel = isolationLevel;
    }

    public new MySqlConnection? Connection => _connection;

    protected override DbConnection? DbConnection => _connection;

    public override IsolationLevel IsolationLevel { get; }

    internal static string BeginSql(IsolationLevel level) => level switch
    {
        IsolationLevel.Unspecified => "START TRANSACTION",
        IsolationLevel.ReadUncommitted => "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; START TRANSACTION",
        IsolationLevel.ReadCommitted => "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION",
        IsolationLevel.RepeatableRead => "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION",
        IsolationLevel.Serializable => "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; START TRANSACTION",
        IsolationLevel.Snapshot => "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION WITH CONSISTENT SNAPSHOT",
        _ => throw new NotSupportedException($"Isolation level {level} is not supported by MySQL."),
    };

    public override void Commit() => FinishAsync("COMMIT", async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task CommitAsync(CancellationToken cancellationToken = default) => FinishAsync("COMMIT", async: true, cancellationToken);

    public override void Rollback() => FinishAsync("ROLLBACK", async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task RollbackAsync(CancellationToken cancellationToken = default) => FinishAsync("ROLLBACK", async: true, cancellationToken);

    private async Task FinishAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        var session = connection.Session ?? throw new InvalidOperationException("The connection is not open.");
        if (session.ActiveReader is not null) throw new InvalidOperationException("Close the open DataReader before ending the transaction.");
        _connection = null;
        connection.CurrentTransaction = null;
        await session.ExecuteAsync(sql, async, cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) RollbackIfOpenAsync(async: false).RunSync();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await RollbackIfOpenAsync(async: true).ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask RollbackIfOpenAsync(bool async)
    {
        var connection = _connection;
        if (connection is null) return;
        _connection = null;
        connection.CurrentTransaction = null;
        var session = connection.Session;
        if (session is null || session.IsBroken) return;
        if (session.ActiveReader is not null)
        {
            // Results nobody read: the session cannot run ROLLBACK now, so it must not be reused.
            session.MarkBroken();
            return;
        }
        try
        {
            await session.ExecuteAsync("ROLLBACK", async, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MySqlException)
        {
            session.MarkBroken();
        }
    }
}
