using System.Data.Common;
using Dapper;

namespace Linli.Api.Demo;

/// <summary>
/// Adds one feature's demo rows. Register it with <c>services.AddSingleton&lt;IDemoSeeder, MySeeder&gt;()</c>;
/// <c>seed-demo</c> runs every seeder once (remembered by <see cref="Name"/> in <c>demo_seeds</c>), in
/// <see cref="Order"/>, each in its own transaction. The structure and people (<see cref="CoreDemoSeeder"/>, order 0)
/// come first, then houses (20) and party members (25); ticket categories come with their migration.
/// </summary>
public interface IDemoSeeder
{
    string Name { get; }
    int Order { get; }
    Task SeedAsync(DemoSeedContext context, CancellationToken cancellationToken);
}

/// <summary>The open transaction a seeder writes in, the time to stamp rows with, and look-ups of the core demo rows by name.</summary>
public sealed class DemoSeedContext(DbConnection connection, DbTransaction transaction, DateTime now)
{
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;
    /// <summary>UTC, for <c>created_at</c> and the like.</summary>
    public DateTime Now { get; } = now;

    public Task<long> CommunityIdAsync(string name) =>
        IdAsync("SELECT id FROM communities WHERE name = @name", new { name }, $"community {name}");

    public Task<long> GridIdAsync(string community, string grid) => IdAsync("""
        SELECT g.id FROM grids g JOIN communities c ON c.id = g.community_id
        WHERE c.name = @community AND g.name = @grid
        """, new { community, grid }, $"grid {community} {grid}");

    public Task<long> DepartmentIdAsync(string name) =>
        IdAsync("SELECT id FROM departments WHERE name = @name", new { name }, $"department {name}");

    /// <summary>The user id of a <see cref="DemoData.Users"/> entry, by its name (e.g. <c>landlord-zhao</c>).</summary>
    public Task<long> UserIdAsync(string demoName) =>
        IdAsync("SELECT id FROM users WHERE openid = @openid", new { openid = DemoData.OpenId(demoName) }, $"demo user {demoName}");

    private async Task<long> IdAsync(string sql, object parameters, string what) =>
        await Connection.ExecuteScalarAsync<long?>(sql, parameters, Transaction)
        ?? throw new InvalidOperationException($"The demo data has no {what}: does this seeder run before the one that creates it?");
}
