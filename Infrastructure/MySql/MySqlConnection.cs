using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Linli.Infrastructure.MySql.Core;

namespace Linli.Infrastructure.MySql;

/// <summary>A connection to MySQL or MariaDB; pooled by default (one pool per normalised connection string).</summary>
public sealed class MySqlConnection : DbConnection
{
    static MySqlConnection() => DapperTypeHandlers.Register();

    private string _connectionString = "";
    private ConnectionState _state = ConnectionState.Closed;

    public MySqlConnection() { }

    public MySqlConnection(string? connectionString) => ConnectionString = connectionString;

    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (_state != ConnectionState.Closed) throw new InvalidOperationException("The connection string cannot change while the connection is open.");
            _connectionString = value ?? "";
            Settings = null;
        }
    }

    internal ConnectionSettings? Settings { get; private set; }

    internal ServerSession? Session { get; private set; }

    internal MySqlTransaction? CurrentTransaction { get; set; }

    public override string Database => _database ?? Settings?.Database ?? ParseSettings().Database ?? "";

    private string? _database;

    public override string DataSource => (Settings ?? ParseSettings()).Host;

    public override string ServerVersion => Session?.ServerVersion ?? throw new InvalidOperationException("The connection is not open.");

    public override ConnectionState State => _state;

    public override int ConnectionTimeout => (int)(Settings ?? ParseSettings()).ConnectTimeout.TotalSeconds;

    /// <summary>The server's id for this connection (what KILL and SHOW PROCESSLIST use).</summary>
    public int ServerThreadId => Session?.ThreadId ?? throw new InvalidOperationException("The connection is not open.");

    protected override DbProviderFactory DbProviderFactory => MySqlProviderFactory.Instance;

    private ConnectionSettings ParseSettings() => Settings = ConnectionSettings.Parse(_connectionString);

    /// <summary>
    /// Opens (or takes from the pool) a session. The handshake and every command afterwards use the blocking socket
    /// API; only the TCP connect itself (with its Connect Timeout) runs the asynchronous path and is waited for.
    /// </summary>
    public override void Open() => OpenAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task OpenAsync(CancellationToken cancellationToken) => OpenAsync(async: true, cancellationToken);

    private async Task OpenAsync(bool async, CancellationToken cancellationToken)
    {
        if (_state != ConnectionState.Closed) throw new InvalidOperationException($"The connection is already {_state}.");
        var settings = Settings ?? ParseSettings();
        _state = ConnectionState.Connecting;
        try
        {
            Session = settings.Pooling
                ? await ConnectionPool.For(settings).RentAsync(async, cancellationToken).ConfigureAwait(false)
                : await ServerSession.ConnectAsync(settings, async, cancellationToken).ConfigureAwait(false);
            _state = ConnectionState.Open;
        }
        catch
        {
            _state = ConnectionState.Closed;
            throw;
        }
    }

    public override void Close() => CloseAsync(async: false).RunSync();

    public override Task CloseAsync() => CloseAsync(async: true).AsTask();

    private async ValueTask CloseAsync(bool async)
    {
        var session = Session;
        if (session is null) return;
        try
        {
            if (session.ActiveReader is MySqlDataReader reader)
            {
                if (async) await reader.CloseAsync().ConfigureAwait(false);
                else reader.Close();
            }
            if (CurrentTransaction is { } transaction)
            {
                if (async) await transaction.DisposeAsync().ConfigureAwait(false);
                else transaction.Dispose();
            }
        }
        catch (MySqlException)
        {
            session.MarkBroken();
        }
        finally
        {
            Session = null;
            CurrentTransaction = null;
            _database = null;
            _state = ConnectionState.Closed;
            if (session.Pool is { } pool) pool.Return(session);
            else session.Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync(async: true).ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public new MySqlCommand CreateCommand() => new() { Connection = this };

    protected override DbCommand CreateDbCommand() => CreateCommand();

    public new MySqlTransaction BeginTransaction() => BeginTransactionAsync(IsolationLevel.Unspecified, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public new MySqlTransaction BeginTransaction(IsolationLevel isolationLevel) => BeginTransactionAsync(isolationLevel, async: false, CancellationToken.None).GetAwaiter().GetResult();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        BeginTransactionAsync(isolationLevel, async: false, CancellationToken.None).GetAwaiter().GetResult();

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        await BeginTransactionAsync(isolationLevel, async: true, cancellationToken).ConfigureAwait(false);

    public new async ValueTask<MySqlTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
        await BeginTransactionAsync(IsolationLevel.Unspecified, async: true, cancellationToken).ConfigureAwait(false);

    private async Task<MySqlTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, bool async, CancellationToken cancellationToken)
    {
        var session = Session ?? throw new InvalidOperationException("The connection is not open.");
        if (CurrentTransaction is not null) throw new InvalidOperationException("A transaction is already in progress; MySQL does not support nested transactions.");
        if (session.ActiveReader is not null) throw new InvalidOperationException("Close the open DataReader before beginning a transaction.");
        var sql = MySqlTransaction.BeginSql(isolationLevel);
        await session.ExecuteAsync(sql, async, cancellationToken).ConfigureAwait(false);
        var transaction = new MySqlTransaction(this, isolationLevel);
        CurrentTransaction = transaction;
        return transaction;
    }

    public override void ChangeDatabase(string databaseName)
    {
        var session = Session ?? throw new InvalidOperationException("The connection is not open.");
        session.ExecuteAsync($"USE `{databaseName.Replace("`", "``", StringComparison.Ordinal)}`", async: false, CancellationToken.None).RunSync();
        // COM_RESET_CONNECTION keeps the current database on MariaDB, so this session must not be pooled again.
        session.DatabaseChanged = true;
        _database = databaseName;
    }

    /// <summary>Checks the server still answers (COM_PING); false when it does not.</summary>
    public bool Ping() => PingAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public Task<bool> PingAsync(CancellationToken cancellationToken = default) => PingAsync(async: true, cancellationToken);

    private async Task<bool> PingAsync(bool async, CancellationToken cancellationToken)
    {
        if (Session is not { } session) return false;
        try
        {
            await session.PingAsync(async, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MySqlException)
        {
            return false;
        }
    }

    /// <summary>Closes every idle pooled connection of this connection's pool; ones in use close when returned.</summary>
    public static void ClearPool(MySqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ConnectionPool.Clear(connection.Settings ?? connection.ParseSettings());
    }

    public static Task ClearPoolAsync(MySqlConnection connection)
    {
        ClearPool(connection);
        return Task.CompletedTask;
    }

    public static void ClearAllPools() => ConnectionPool.ClearAll();
}
