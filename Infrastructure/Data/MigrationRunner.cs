using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Linli.Infrastructure.Data;

/// <summary>A changed or unknown applied migration: start-up must stop, a person must look.</summary>
public sealed class MigrationMismatchException(string message) : Exception(message);

/// <summary>
/// Applies the embedded migrations in order and records each in <c>schema_migrations</c>.
/// A named lock (GET_LOCK) serialises instances that start together: the second waits,
/// then finds nothing left to do.
/// </summary>
public sealed partial class MigrationRunner(DbDataSource dataSource, TimeProvider clock, ILogger<MigrationRunner> logger)
{
    private const string LockName = "linli.schema_migrations";

    public IReadOnlyList<Migration> Migrations { get; init; } = Migration.LoadEmbedded();

    public async Task<int> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await CheckEscapingAsync(connection, cancellationToken);
        var locked = await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition("SELECT GET_LOCK(@name, 120)", new { name = LockName }, cancellationToken: cancellationToken));
        if (locked != 1)
            throw new TimeoutException("Another instance held the migration lock for 120 s.");
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                  version    INT          NOT NULL PRIMARY KEY,
                  name       VARCHAR(200) NOT NULL,
                  checksum   CHAR(64)     NOT NULL,
                  applied_at DATETIME(6)  NOT NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
                """, cancellationToken: cancellationToken));

            var applied = (await connection.QueryAsync<(int Version, string Name, string Checksum)>(
                new CommandDefinition("SELECT version, name, checksum FROM schema_migrations ORDER BY version", cancellationToken: cancellationToken)))
                .ToDictionary(r => r.Version);

            CheckApplied(applied);

            var count = 0;
            foreach (var migration in Migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                LogApplying(migration.Version, migration.Name);
                foreach (var statement in migration.Statements())
                    await connection.ExecuteAsync(new CommandDefinition(statement, commandTimeout: 600, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @AppliedAt)",
                    new { migration.Version, migration.Name, migration.Checksum, AppliedAt = clock.GetUtcNow().UtcDateTime },
                    cancellationToken: cancellationToken));
                count++;
            }
            return count;
        }
        finally
        {
            await connection.ExecuteScalarAsync<long?>("SELECT RELEASE_LOCK(@name)", new { name = LockName });
        }
    }

    /// <summary>
    /// MySqlConnector writes parameters into the statement text and escapes them for the mode its connection string
    /// names (NoBackslashEscapes); it does not read the server's sql_mode. Were they to disagree, a backslash in a
    /// resident's text would be stored twice. Start-up stops instead, naming the setting.
    /// </summary>
    private static async Task CheckEscapingAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var serverMode = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT @@SESSION.sql_mode", cancellationToken: cancellationToken)) ?? "";
        var server = serverMode.Split(',').Contains("NO_BACKSLASH_ESCAPES", StringComparer.OrdinalIgnoreCase);
        var client = new MySqlConnector.MySqlConnectionStringBuilder(connection.ConnectionString).NoBackslashEscapes;
        if (server != client)
            throw new InvalidOperationException(server
                ? "The database server runs with sql_mode NO_BACKSLASH_ESCAPES: add NoBackslashEscapes=true to ConnectionStrings:Main."
                : "ConnectionStrings:Main says NoBackslashEscapes=true but the server's sql_mode lacks NO_BACKSLASH_ESCAPES: remove the setting.");
    }

    /// <summary>Versions in this build that the database has not applied yet (for /health/ready).</summary>
    public async Task<IReadOnlyList<int>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'",
            cancellationToken: cancellationToken));
        if (exists == 0)
            return Migrations.Select(m => m.Version).ToList();
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations", cancellationToken: cancellationToken))).ToHashSet();
        return Migrations.Select(m => m.Version).Where(v => !applied.Contains(v)).ToList();
    }

    private void CheckApplied(Dictionary<int, (int Version, string Name, string Checksum)> applied)
    {
        foreach (var (version, row) in applied)
        {
            var known = Migrations.FirstOrDefault(m => m.Version == version);
            if (known is null)
                throw new MigrationMismatchException(
                    $"The database has migration {version:0000} ({row.Name}) that this build does not know. Is an older build running against a newer database?");
            if (!string.Equals(known.Checksum, row.Checksum, StringComparison.Ordinal))
                throw new MigrationMismatchException(
                    $"Migration {version:0000}_{known.Name}.sql was changed after it was applied (checksum {row.Checksum[..12]}… in the database, {known.Checksum[..12]}… in this build). " +
                    "Applied migrations are immutable: revert the edit and add a new numbered migration instead.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying migration {Version:0000} {Name}")]
    private partial void LogApplying(int version, string name);
}
