using Dapper;
using MySqlConnector;

namespace Linli.Api.Tests.Data.Provider;

/// <summary>The Dapper patterns the service's query classes use, over our driver.</summary>
public class DapperTests
{
    public sealed record Community(long Id, string Name, DateTime CreatedAt);

    public sealed class Ticket
    {
        public long Id { get; set; }
        public string Title { get; set; } = "";
        public long CommunityId { get; set; }
        public string? Note { get; set; }
        public Community? Community { get; set; }
    }

    [Test]
    public async Task QueriesMapIntoRecordsAndClasses()
    {
        await using var communities = await DriverDb.TableAsync("id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL, created_at DATETIME(6) NOT NULL", "dc");
        await using var connection = await DriverDb.OpenAsync();
        var created = new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(6_000);
        await connection.ExecuteAsync($"INSERT INTO {communities} VALUES (1, '东湖社区', @created), (2, 'West', @created)", new { created });

        var records = (await connection.QueryAsync<Community>($"SELECT id, name, created_at AS CreatedAt FROM {communities} ORDER BY id")).ToList();
        var one = await connection.QuerySingleOrDefaultAsync<Community>($"SELECT id, name, created_at AS CreatedAt FROM {communities} WHERE id = @id", new { id = 2 });
        var none = await connection.QuerySingleOrDefaultAsync<Community>($"SELECT id, name, created_at AS CreatedAt FROM {communities} WHERE id = @id", new { id = 99 });
        var classes = (await connection.QueryAsync<Ticket>($"SELECT id, name AS Title, id * 10 AS CommunityId FROM {communities} ORDER BY id")).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(records, Is.EqualTo(new[] { new Community(1, "东湖社区", created), new Community(2, "West", created) }));
            Assert.That(one, Is.EqualTo(new Community(2, "West", created)));
            Assert.That(none, Is.Null);
            Assert.That(classes.Select(t => (t.Id, t.Title, t.CommunityId, t.Note)), Is.EqualTo(new[] { (1L, "东湖社区", 10L, (string?)null), (2L, "West", 20L, null) }));
        });
    }

    [Test]
    public async Task DynamicRowsExposeColumnsByName()
    {
        await using var connection = await DriverDb.OpenAsync();

        var row = await connection.QuerySingleAsync("SELECT 1 AS id, '邻里' AS name, NULL AS note, 2.5 AS score");
        var fields = (IDictionary<string, object?>)row;

        Assert.Multiple(() =>
        {
            Assert.That(fields.Keys, Is.EqualTo(new[] { "id", "name", "note", "score" }));
            Assert.That(Convert.ToInt64(fields["id"]), Is.EqualTo(1));
            Assert.That(fields["name"], Is.EqualTo("邻里"));
            Assert.That(fields["note"], Is.Null);
            Assert.That(Convert.ToDecimal(fields["score"]), Is.EqualTo(2.5m));
        });
    }

    [Test]
    public async Task MultiMappingSplitsOnTheGivenColumn()
    {
        await using var communities = await DriverDb.TableAsync("id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL, created_at DATETIME(6) NOT NULL", "dc");
        await using var tickets = await DriverDb.TableAsync("id BIGINT PRIMARY KEY, title VARCHAR(50) NOT NULL, community_id BIGINT NOT NULL, note TEXT NULL", "dt");
        await using var connection = await DriverDb.OpenAsync();
        var created = new DateTime(2023, 6, 7);
        await connection.ExecuteAsync($"INSERT INTO {communities} VALUES (1, 'A', @created), (2, 'B', @created)", new { created });
        await connection.ExecuteAsync($"INSERT INTO {tickets} VALUES (10, 'leak', 1, NULL), (11, 'noise', 2, 'night'), (12, 'light', 1, '')");

        var rows = (await connection.QueryAsync<Ticket, Community, Ticket>($"""
            SELECT t.id, t.title, t.community_id AS CommunityId, t.note, c.id, c.name, c.created_at AS CreatedAt
            FROM {tickets} t JOIN {communities} c ON c.id = t.community_id
            ORDER BY t.id
            """, (t, c) => { t.Community = c; return t; }, splitOn: "id")).ToList();

        Assert.That(rows.Select(t => (t.Id, t.Title, t.Note, t.Community)), Is.EqualTo(new[]
        {
            (10L, "leak", (string?)null, new Community(1, "A", created)),
            (11L, "noise", "night", new Community(2, "B", created)),
            (12L, "light", "", new Community(1, "A", created)),
        }));
    }

    [Test]
    public async Task QueryMultipleReadsEachResultInTurn()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v VARCHAR(10) NOT NULL", "dm");
        await using var connection = await DriverDb.OpenAsync();
        await connection.ExecuteAsync($"INSERT INTO {table} VALUES (1, 'a'), (2, 'b'), (3, 'c')");

        await using var results = await connection.QueryMultipleAsync($"""
            SELECT COUNT(*) FROM {table} WHERE id >= @min;
            SELECT v FROM {table} WHERE id >= @min ORDER BY id;
            UPDATE {table} SET v = 'z' WHERE id = 3;
            SELECT id, v FROM {table} WHERE id = @id;
            """, new { min = 2, id = 3 });
        var count = await results.ReadSingleAsync<long>();
        var values = (await results.ReadAsync<string>()).ToList();
        var row = await results.ReadSingleAsync<(int Id, string V)>();

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(2));
            Assert.That(values, Is.EqualTo(new[] { "b", "c" }));
            Assert.That(row, Is.EqualTo((3, "z")));
        });
    }

    [Test]
    public async Task ListParametersExpandIntoIn()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v VARCHAR(10) NOT NULL", "dl");
        await using var connection = await DriverDb.OpenAsync();
        await connection.ExecuteAsync($"INSERT INTO {table} VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");

        var some = (await connection.QueryAsync<string>($"SELECT v FROM {table} WHERE id IN @ids ORDER BY id", new { ids = new[] { 4, 2, 99 } })).ToList();
        var byName = (await connection.QueryAsync<int>($"SELECT id FROM {table} WHERE v IN @names ORDER BY id", new { names = new List<string> { "c", "a'", "a" } })).ToList();
        var none = (await connection.QueryAsync<string>($"SELECT v FROM {table} WHERE id IN @ids", new { ids = Array.Empty<int>() })).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(some, Is.EqualTo(new[] { "b", "d" }));
            Assert.That(byName, Is.EqualTo(new[] { 1, 3 }));
            Assert.That(none, Is.Empty);
        });
    }

    [Test]
    public async Task ExecuteWithAListOfParameterObjectsRunsOncePerObject()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v VARCHAR(10) NOT NULL", "de");
        await using var connection = await DriverDb.OpenAsync();
        var rows = Enumerable.Range(1, 50).Select(i => new { id = i, v = $"v{i}'" }).ToList();

        var affected = await connection.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (@id, @v)", rows);
        var back = (await connection.QueryAsync<(int, string)>($"SELECT id, v FROM {table} ORDER BY id")).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(affected, Is.EqualTo(50));
            Assert.That(back, Is.EqualTo(rows.Select(r => (r.id, r.v))));
        });
    }

    [Test]
    public async Task CommittedTransactionKeepsItsRows()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY", "dx");
        await using (var connection = await DriverDb.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync($"INSERT INTO {table} VALUES (1), (2)", transaction: transaction);
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE id = 2", transaction: transaction);
            await transaction.CommitAsync();
        }

        await using var other = await DriverDb.OpenAsync();
        Assert.That(await other.QueryAsync<int>($"SELECT id FROM {table}"), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task RolledBackTransactionLeavesNoRows()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY", "dx");
        await using var connection = await DriverDb.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync($"INSERT INTO {table} VALUES (1), (2)", transaction: transaction);
            var inside = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}", transaction: transaction);
            Assert.That(inside, Is.EqualTo(2));
            await transaction.RollbackAsync();
        }

        Assert.That(await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"), Is.Zero);
    }

    [Test]
    public async Task DisposingATransactionWithoutCommitRollsBack()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY", "dx");
        await using var connection = await DriverDb.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
            await connection.ExecuteAsync($"INSERT INTO {table} VALUES (1)", transaction: transaction);

        var afterDispose = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
        await connection.ExecuteAsync($"INSERT INTO {table} VALUES (2)");
        await using var other = await DriverDb.OpenAsync();
        var seenElsewhere = (await other.QueryAsync<int>($"SELECT id FROM {table}")).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(afterDispose, Is.Zero);
            Assert.That(seenElsewhere, Is.EqualTo(new[] { 2 }), "autocommit is back on after the transaction");
        });
    }

    [Test]
    public async Task ClosingAConnectionWithAnOpenTransactionRollsItBack()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY", "dx");
        await using (var connection = await DriverDb.OpenAsync())
        {
            var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync($"INSERT INTO {table} VALUES (1)", transaction: transaction);
        }

        await using var other = await DriverDb.OpenAsync();
        Assert.That(await other.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"), Is.Zero);
    }

    [Test]
    public async Task InsertThenSelectLastInsertIdReturnsTheNewKey()
    {
        await using var table = await DriverDb.TableAsync("id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10) NOT NULL", "di");
        await using var connection = await DriverDb.OpenAsync();
        await connection.ExecuteAsync($"ALTER TABLE {table} AUTO_INCREMENT = 5000000000");

        var first = await connection.ExecuteScalarAsync<long>($"INSERT INTO {table} (v) VALUES (@v); SELECT LAST_INSERT_ID();", new { v = "a" });
        var second = await connection.ExecuteScalarAsync<long>($"INSERT INTO {table} (v) VALUES (@v); SELECT LAST_INSERT_ID();", new { v = "b" });
        await using var command = (MySqlCommand)DriverDb.Command(connection, $"INSERT INTO {table} (v) VALUES ('c')");
        await command.ExecuteNonQueryAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(5000000000));
            Assert.That(second, Is.EqualTo(5000000001));
            Assert.That(command.LastInsertedId, Is.EqualTo(5000000002));
        });
    }
}
