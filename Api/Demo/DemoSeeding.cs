using System.Data.Common;
using Dapper;
using Linli.Api.Hosting;
using Linli.Infrastructure.Data;

namespace Linli.Api.Demo;

/// <summary>
/// <c>seed-demo</c>: applies migrations, then runs each <see cref="IDemoSeeder"/> that has not run on this
/// database yet, and prints how to sign in as each demo user. Running it again changes nothing.
/// </summary>
public sealed partial class DemoSeeding(
    DbDataSource db, MigrationRunner migrations, IEnumerable<IDemoSeeder> seeders, TimeProvider clock, ILogger<DemoSeeding> logger) : IHostCommand
{
    public string Name => "seed-demo";
    public string Usage => "seed-demo              load the demo data (once) and print the demo sign-in codes";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        await SeedAsync(cancellationToken);
        Console.WriteLine(DemoBanner.SignInTable());
        return 0;
    }

    /// <summary>Runs the seeders not yet recorded in <c>demo_seeds</c>; returns their names.</summary>
    public async Task<IReadOnlyList<string>> SeedAsync(CancellationToken cancellationToken)
    {
        await migrations.ApplyAsync(cancellationToken);
        var ran = new List<string>();
        foreach (var seeder in seeders.OrderBy(s => s.Order).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // The marker row is locked for the transaction, so two seed-demo runs cannot both seed.
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM demo_seeds WHERE name = @name FOR UPDATE", new { name = seeder.Name }, transaction, cancellationToken: cancellationToken));
            if (done > 0)
                continue;
            var now = clock.GetUtcNow().UtcDateTime;
            LogSeeding(seeder.Name);
            await seeder.SeedAsync(new DemoSeedContext(connection, transaction, now), cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO demo_seeds (name, seeded_at) VALUES (@name, @now)", new { name = seeder.Name, now }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            ran.Add(seeder.Name);
        }
        return ran;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeding demo data: {Seeder}")]
    private partial void LogSeeding(string seeder);
}
