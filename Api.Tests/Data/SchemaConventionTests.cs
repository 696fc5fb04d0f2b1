using Dapper;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace Linli.Api.Tests.Data;

/// <summary>The rules every migration follows, checked on the schema all of them build together.</summary>
public class SchemaConventionTests
{
    [Test]
    public async Task EveryTableIsInnoDbUtf8mb4AndEveryTimeIsADatetimeWithMicroseconds()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        await new MigrationRunner(db, TimeProvider.System, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        await using var connection = await db.OpenConnectionAsync();

        var badTables = await connection.QueryAsync<string>("""
            SELECT CONCAT(table_name, ': ', engine, ' ', table_collation) FROM information_schema.tables
            WHERE table_schema = DATABASE() AND (engine <> 'InnoDB' OR table_collation NOT LIKE 'utf8mb4%')
            """);
        // TIMESTAMP converts with the session time zone; DATETIME(6) stores the UTC value as written.
        var badTimes = await connection.QueryAsync<string>("""
            SELECT CONCAT(table_name, '.', column_name, ': ', column_type) FROM information_schema.columns
            WHERE table_schema = DATABASE() AND (data_type = 'timestamp' OR (data_type = 'datetime' AND datetime_precision <> 6))
            """);
        var badText = await connection.QueryAsync<string>("""
            SELECT CONCAT(table_name, '.', column_name, ': ', character_set_name) FROM information_schema.columns
            WHERE table_schema = DATABASE() AND character_set_name IS NOT NULL AND character_set_name <> 'utf8mb4'
            """);
        Assert.Multiple(() =>
        {
            Assert.That(badTables, Is.Empty, "tables must be ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            Assert.That(badTimes, Is.Empty, "times must be DATETIME(6) in UTC");
            Assert.That(badText, Is.Empty, "text columns must be utf8mb4");
        });
    }
}
