using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Linli.Api.Tests.Support;

/// <summary>
/// Wraps the service's <see cref="DbDataSource"/> and counts what the server is asked to do: every SQL statement of
/// every command (a batch <c>INSERT …; SELECT LAST_INSERT_ID()</c> counts two), every transaction's begin and its
/// commit or rollback, and the round trips they take. Connections opened count too, so a test sees "one per request".
/// </summary>
public sealed class CountingDataSource(DbDataSource inner) : DbDataSource
{
    private int _statements, _roundTrips, _connections;

    public int Statements => _statements;
    public int RoundTrips => _roundTrips;
    public int Connections => _connections;

    public void Reset()
    {
        Interlocked.Exchange(ref _statements, 0);
        Interlocked.Exchange(ref _roundTrips, 0);
        Interlocked.Exchange(ref _connections, 0);
    }

    [AllowNull]
    public override string ConnectionString => inner.ConnectionString;

    protected override DbConnection CreateDbConnection() => new Connection(inner.CreateConnection(), this);

    private void Count(int statements)
    {
        Interlocked.Add(ref _statements, statements);
        Interlocked.Increment(ref _roundTrips);
    }

    /// <summary>The statements of one command text: its non-empty parts between semicolons.</summary>
    private static int StatementsIn(string text) =>
        Math.Max(1, text.Split(';').Count(part => !string.IsNullOrWhiteSpace(part)));

    private sealed class Connection(DbConnection inner, CountingDataSource counter) : DbConnection
    {
        public DbConnection Inner => inner;

        [AllowNull]
        public override string ConnectionString { get => inner.ConnectionString; set => inner.ConnectionString = value; }
        public override string Database => inner.Database;
        public override string DataSource => inner.DataSource;
        public override string ServerVersion => inner.ServerVersion;
        public override ConnectionState State => inner.State;
        public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);
        public override void Close() => inner.Close();

        public override void Open()
        {
            inner.Open();
            Interlocked.Increment(ref counter._connections);
        }

        public override async Task OpenAsync(CancellationToken cancellationToken)
        {
            await inner.OpenAsync(cancellationToken);
            Interlocked.Increment(ref counter._connections);
        }

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
        {
            counter.Count(1);
            return new Transaction(inner.BeginTransaction(isolationLevel), this, counter);
        }

        protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken)
        {
            counter.Count(1);
            return new Transaction(await inner.BeginTransactionAsync(isolationLevel, cancellationToken), this, counter);
        }

        protected override DbCommand CreateDbCommand() => new Command(inner.CreateCommand(), this, counter);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private sealed class Transaction(DbTransaction inner, Connection connection, CountingDataSource counter) : DbTransaction
    {
        public DbTransaction Inner => inner;
        protected override DbConnection DbConnection => connection;
        public override IsolationLevel IsolationLevel => inner.IsolationLevel;

        public override void Commit()
        {
            counter.Count(1);
            inner.Commit();
        }

        public override void Rollback()
        {
            counter.Count(1);
            inner.Rollback();
        }

        public override async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            counter.Count(1);
            await inner.CommitAsync(cancellationToken);
        }

        public override async Task RollbackAsync(CancellationToken cancellationToken = default)
        {
            counter.Count(1);
            await inner.RollbackAsync(cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private sealed class Command(DbCommand inner, Connection connection, CountingDataSource counter) : DbCommand
    {
        private Connection? _connection = connection;
        private Transaction? _transaction;

        [AllowNull]
        public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }
        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }
        public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }
        public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }
        public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }
        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbConnection? DbConnection
        {
            get => _connection;
            set
            {
                _connection = (Connection?)value;
                inner.Connection = _connection?.Inner;
            }
        }

        protected override DbTransaction? DbTransaction
        {
            get => _transaction;
            set
            {
                _transaction = (Transaction?)value;
                inner.Transaction = _transaction?.Inner;
            }
        }

        public override void Cancel() => inner.Cancel();
        public override void Prepare() => inner.Prepare();
        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        private void Count() => counter.Count(StatementsIn(inner.CommandText));

        public override int ExecuteNonQuery()
        {
            Count();
            return inner.ExecuteNonQuery();
        }

        public override object? ExecuteScalar()
        {
            Count();
            return inner.ExecuteScalar();
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            Count();
            return inner.ExecuteReader(behavior);
        }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            Count();
            return inner.ExecuteNonQueryAsync(cancellationToken);
        }

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            Count();
            return inner.ExecuteScalarAsync(cancellationToken);
        }

        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            Count();
            return inner.ExecuteReaderAsync(behavior, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
