using System.Data.Common;

namespace Linli.Infrastructure.MySql;

/// <summary>The application's singleton entry point: every connection it creates shares the same pool.</summary>
public sealed class MySqlDataSource(string connectionString) : DbDataSource
{
    public override string ConnectionString { get; } = connectionString;

    public new MySqlConnection CreateConnection() => new(ConnectionString);

    protected override DbConnection CreateDbConnection() => CreateConnection();

    public new async ValueTask<MySqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
}
