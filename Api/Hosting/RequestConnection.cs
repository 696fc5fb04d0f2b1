using System.Data.Common;

namespace Linli.Api.Hosting;

/// <summary>
/// The one database connection of a request: opened on first use (the caller's resolution, usually), shared by
/// everything the request runs, and closed when the request ends. Handlers take it as a parameter and never dispose
/// it; their transactions stay explicit and local (<c>BeginTransactionAsync</c> … <c>CommitAsync</c>).
/// </summary>
public sealed class RequestConnection(DbDataSource db) : IAsyncDisposable
{
    private DbConnection? _connection;

    public async ValueTask<DbConnection> OpenAsync(CancellationToken ct) => _connection ??= await db.OpenConnectionAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
