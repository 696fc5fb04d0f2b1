using Dapper;
using Linli.Infrastructure.Data;
using MySqlConnector;

namespace Linli.Api.Tests.Support;

/// <summary>
/// An empty database of its own on the test server (<c>linli_t_&lt;guid&gt;</c>), dropped on dispose:
/// for tests that need a schema nobody else touches (start-up from nothing, migrations).
/// </summary>
public sealed class ThrowawayDatabase : IAsyncDisposable
{
    private ThrowawayDatabase(string name, string connectionString) => (Name, ConnectionString) = (name, connectionString);

    public string Name { get; }
    public string ConnectionString { get; }
    public MySqlDataSource CreateDataSource() => LinliDataSource.Create(ConnectionString);

    /// <summary>Settings that point a <see cref="LinliFactory"/> at this database.</summary>
    public Dictionary<string, string?> Settings => new() { ["ConnectionStrings:Main"] = ConnectionString };

    public static async Task<ThrowawayDatabase> CreateAsync()
    {
        var name = $"linli_t_{Guid.NewGuid():N}";
        await using (var server = LinliDataSource.Create(TestDatabase.ConnectionString))
        await using (var connection = await server.OpenConnectionAsync())
            await connection.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        var connectionString = System.Text.RegularExpressions.Regex.Replace(
            TestDatabase.ConnectionString, "(?i)(Database|Initial Catalog)=[^;]*", $"Database={name}");
        return new ThrowawayDatabase(name, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await using var server = LinliDataSource.Create(TestDatabase.ConnectionString);
        await using var connection = await server.OpenConnectionAsync();
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS `{Name}`");
    }
}
