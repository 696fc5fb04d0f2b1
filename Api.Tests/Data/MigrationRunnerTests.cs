using Dapper;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace Linli.Api.Tests.Data;

public class MigrationRunnerTests
{
    private static readonly Migration First = new(1, "first", "CREATE TABLE t_first (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;\n");
    private static readonly Migration Second = new(2, "second", "CREATE TABLE t_second (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;\nINSERT INTO t_second VALUES (1);\n");

    private static MigrationRunner Runner(System.Data.Common.DbDataSource db, params Migration[] migrations) =>
        new(db, TimeProvider.System, NullLogger<MigrationRunner>.Instance) { Migrations = migrations };

    [Test]
    public async Task AllEmbeddedMigrationsApplyToAnEmptyDatabaseAndAreRecordedWithTheirChecksums()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        var runner = new MigrationRunner(db, TimeProvider.System, NullLogger<MigrationRunner>.Instance);

        var applied = await runner.ApplyAsync();

        await using var connection = await db.OpenConnectionAsync();
        var recorded = (await connection.QueryAsync<(int Version, string Checksum)>("SELECT version, checksum FROM schema_migrations ORDER BY version")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(applied, Is.EqualTo(runner.Migrations.Count));
            Assert.That(recorded, Is.EqualTo(runner.Migrations.Select(m => (m.Version, m.Checksum)).ToList()));
        });
    }

    [Test]
    public async Task ApplyingTwiceChangesNothing()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        Assert.That(await Runner(db, First, Second).ApplyAsync(), Is.EqualTo(2));

        Assert.That(await Runner(db, First, Second).ApplyAsync(), Is.EqualTo(0));

        await using var connection = await db.OpenConnectionAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t_second"), Is.EqualTo(1));
    }

    [Test]
    public async Task ANewMigrationIsAppliedAfterTheOldOnes()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        await Runner(db, First).ApplyAsync();

        Assert.That(await Runner(db, First, Second).PendingAsync(), Is.EqualTo(new[] { 2 }));
        Assert.That(await Runner(db, First, Second).ApplyAsync(), Is.EqualTo(1));
        Assert.That(await Runner(db, First, Second).PendingAsync(), Is.Empty);
    }

    [Test]
    public async Task AChangedAppliedScriptStopsStartUpWithAClearError()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        await Runner(db, First).ApplyAsync();
        var edited = First with { Sql = "CREATE TABLE t_first (id BIGINT NOT NULL PRIMARY KEY) ENGINE=InnoDB;\n" };

        var error = Assert.ThrowsAsync<MigrationMismatchException>(() => Runner(db, edited, Second).ApplyAsync());

        Assert.That(error!.Message, Does.StartWith("Migration 0001_first.sql was changed after it was applied"));
        Assert.That(error.Message, Does.Contain("add a new numbered migration instead"));
        Assert.That(await Runner(db, First, Second).PendingAsync(), Is.EqualTo(new[] { 2 }), "nothing after the error was applied");
    }

    [Test]
    public async Task AnAppliedMigrationThisBuildDoesNotKnowStopsStartUp()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        await Runner(db, First, Second).ApplyAsync();

        var error = Assert.ThrowsAsync<MigrationMismatchException>(() => Runner(db, First).ApplyAsync());

        Assert.That(error!.Message, Does.Contain("0002 (second) that this build does not know"));
    }

    [Test]
    public async Task InstancesStartingTogetherApplyEachMigrationOnce()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var db = database.CreateDataSource();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Runner(db, First, Second).ApplyAsync())));

        await using var connection = await db.OpenConnectionAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(results.Sum(), Is.EqualTo(2));
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t_second"), Is.EqualTo(1));
        });
    }
}
