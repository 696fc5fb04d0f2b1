using Dapper;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace Linli.Api.Tests.Data;

/// <summary>Making street offices a level keeps every community's street office (issue 13).</summary>
public class StreetOfficeMigrationTests
{
    [Test]
    public async Task TodaysStreetOfficeTextBecomesOneRowPerNameAndEveryCommunityKeepsItsOwn()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        var all = Migration.LoadEmbedded();
        var before = all.Where(m => m.Version < 90).ToList();
        await new MigrationRunner(db, TimeProvider.System, NullLogger<MigrationRunner>.Instance) { Migrations = before }.ApplyAsync();
        await using (var c = await db.OpenConnectionAsync())
            await c.ExecuteAsync("""
                INSERT INTO communities (name, street_office, created_at, updated_at) VALUES
                  ('船房社区', '前卫街道', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
                  ('新六十栋社区', ' 前卫街道 ', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
                  ('玉王台社区', '碧鸡街道', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))
                """);

        await new MigrationRunner(db, TimeProvider.System, NullLogger<MigrationRunner>.Instance) { Migrations = all }.ApplyAsync();

        await using var connection = await db.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(string Community, string StreetOffice)>("""
            SELECT c.name, s.name FROM communities c JOIN street_offices s ON s.id = c.street_office_id ORDER BY c.name
            """)).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(rows, Is.EquivalentTo(new[] { ("船房社区", "前卫街道"), ("新六十栋社区", "前卫街道"), ("玉王台社区", "碧鸡街道") }));
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM street_offices"), Is.EqualTo(2));
        });
    }
}
