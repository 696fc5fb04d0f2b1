using System.Text;
using Dapper;
using MySqlConnector;

namespace Linli.Api.Tests.Data.Provider;

/// <summary>
/// Hostile values go through parameters into string literals MySqlConnector builds itself (it interpolates client-side),
/// so every one must come back byte-identical and none may escape its literal — with the server's backslash escapes on
/// and off. A server running with NO_BACKSLASH_ESCAPES needs <c>NoBackslashEscapes=true</c> in the connection string
/// (MySqlConnector does not read sql_mode; Linli checks the two agree when it starts, see MigrationRunner).
/// </summary>
public class InjectionTests
{
    private const string NoBackslashEscapes = "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')";

    public static IEnumerable<string> Corpus()
    {
        string[] fixedOnes =
        [
            "'", "''", "'''", "\"", "\"\"", "`", "``", "\\", "\\\\", "\\'", "\\\"", "\\\\'", "'\\", "\\''", "''\\",
            "x' OR '1'='1", "x\" OR \"1\"=\"1", "x\\' OR 1=1 -- ", "'; DROP TABLE t; --", "\\'; DROP TABLE t; --",
            ";DROP TABLE t", "--", "-- comment", "#", "# hash", "/*", "*/", "/* x */", "/*!50000 SELECT 1 */", "*/ SELECT 1 /*",
            "\0", "a\0b", "\0'\0", "\u001a", "\\Z", "\\0", "\\n", "\\%", "\\_", "%", "_",
            "@p", "@v", "@id", "@@version", "?", "??", "?'?", "$1", ":v", "{0}",
            "\u2019", "\u2018x\u2019", "\uFF07", "\u02BC", "\uFE68",
            "縗", "運", "縗'", "運'", "縗\\", "運\\'", "\u7E17\u904B",
            "😀", "😀'😀", "👨‍👩‍👧‍👦", "𠜎'",
            "\u0301", "a\u0301", "\u0301'", "\u200B'\u200B", "\uFEFF", "\u202E'",
            "ends with backslash\\", "ends with quote'", "\r\n", "\n'\n", "\t\b\f",
            "CHAR(39)", "0x27", "X'27'", "_binary'x'", "N'x'", "\\N", "NULL", "null", "",
        ];
        foreach (var s in fixedOnes)
            yield return s;
        for (var c = 1; c <= 0x1F; c++)
            yield return $"ctl{(char)c}'{(char)c}";
        yield return new string('\'', 10_000);
        yield return string.Concat(Enumerable.Repeat("\\'", 5_000));
        yield return string.Concat(Enumerable.Repeat("縗😀'\\\0", 2_000)) + "\\";
    }

    [Test]
    public void CorpusHasAtLeastSixtyHostileStrings() => Assert.That(Corpus().Count(), Is.GreaterThanOrEqualTo(60));

    [TestCase(false)]
    [TestCase(true)]
    public async Task EveryHostileStringComesBackByteIdentical(bool noBackslashEscapes)
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v LONGTEXT NOT NULL, b LONGBLOB NOT NULL", "inj");
        await using var connection = await DriverDb.OpenAsync(noBackslashEscapes ? "NoBackslashEscapes=true" : "");
        if (noBackslashEscapes)
            await DriverDb.ExecuteAsync(connection, NoBackslashEscapes);
        var corpus = Corpus().ToList();

        for (var i = 0; i < corpus.Count; i++)
        {
            await DriverDb.ExecuteAsync(connection, $"INSERT INTO {table} (id, v, b) VALUES (@id, @v, @b)",
                ("@id", i), ("@v", corpus[i]), ("@b", Encoding.UTF8.GetBytes(corpus[i])));
        }
        var back = (await connection.QueryAsync<(int Id, string V, string Hex, byte[] B)>(
            $"SELECT id, v, HEX(v), b FROM {table} ORDER BY id")).ToList();
        var matchedByValue = new List<int>();
        for (var i = 0; i < corpus.Count; i++)
        {
            var found = await DriverDb.ScalarAsync(connection, $"SELECT id FROM {table} WHERE v = @v AND b = @b AND id = @id",
                ("@v", corpus[i]), ("@b", Encoding.UTF8.GetBytes(corpus[i])), ("@id", i));
            if (found is not null)
                matchedByValue.Add(Convert.ToInt32(found));
        }

        var wrong = back
            .Where(r => r.V != corpus[r.Id]
                || r.Hex != Convert.ToHexString(Encoding.UTF8.GetBytes(corpus[r.Id]))
                || !r.B.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(corpus[r.Id])))
            .Select(r => Printable(corpus[r.Id]))
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(back, Has.Count.EqualTo(corpus.Count));
            Assert.That(wrong, Is.Empty, "values that came back changed");
            Assert.That(matchedByValue, Is.EqualTo(Enumerable.Range(0, corpus.Count)), "each value found again by equality");
        });
    }

    [TestCase(false, false)]
    [TestCase(true, true)]
    [TestCase(true, false)]
    public async Task AValueCannotBreakOutOfItsLiteral(bool noBackslashEscapes, bool connectionStringSaysSo)
    {
        // Even when the connection string does not know about the server's mode, quotes are doubled rather than
        // backslash-escaped, so nothing escapes its literal; only a backslash would be stored twice.
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, name VARCHAR(200) NOT NULL", "inj");
        await using var connection = await DriverDb.OpenAsync(connectionStringSaysSo ? "NoBackslashEscapes=true" : "");
        if (noBackslashEscapes)
            await DriverDb.ExecuteAsync(connection, NoBackslashEscapes);
        await DriverDb.ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'alice'), (2, 'bob')");

        string[] attacks = ["x' OR '1'='1", "x\\' OR '1'='1' -- ", "x\\' OR 1=1 #", "' OR ''='", "\\' OR ''='", "x\u2019 OR \u20191\u2019=\u20191"];
        var leaked = new List<string>();
        foreach (var attack in attacks)
        {
            var rows = await connection.QueryAsync<int>($"SELECT id FROM {table} WHERE name = @name", new { name = attack });
            if (rows.Any())
                leaked.Add(attack);
        }
        var dropAttempts = new[] { $"'; DROP TABLE {table}; --", $"\\'; DROP TABLE {table}; --", $"x'); DROP TABLE {table}; #" };
        foreach (var attack in dropAttempts)
            await connection.ExecuteAsync($"INSERT INTO {table} (id, name) VALUES (@id, @name)", new { id = 10 + Array.IndexOf(dropAttempts, attack), name = attack });

        var stored = (await connection.QueryAsync<string>($"SELECT name FROM {table} WHERE id >= 10 ORDER BY id")).ToList();
        var count = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");

        Assert.Multiple(() =>
        {
            Assert.That(leaked, Is.Empty, "attacks that matched rows");
            Assert.That(stored, Has.Count.EqualTo(dropAttempts.Length), "the table is still there with the attacks stored as text");
            if (noBackslashEscapes == connectionStringSaysSo)
                Assert.That(stored, Is.EqualTo(dropAttempts), "stored exactly");
            Assert.That(count, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task PlaceholdersInsideStringLiteralsAreLeftAlone()
    {
        await using var connection = await DriverDb.OpenAsync();

        var row = await connection.QuerySingleAsync<(string A, string B, string C, long D)>(
            """SELECT '@p' AS a, "@p" AS b, 'it''s @p \' @p' AS c, @p AS d""", new { p = 7L });

        Assert.That(row, Is.EqualTo(("@p", "@p", "it's @p ' @p", 7L)));
    }

    [Test]
    public async Task PlaceholdersInsideBacktickIdentifiersAreLeftAlone()
    {
        await using var connection = await DriverDb.OpenAsync();
        await using var command = DriverDb.Command(connection, "SELECT @p AS `@p`, 2 AS `a``@p`", ("@p", 1));
        await using var reader = await command.ExecuteReaderAsync();

        Assert.That(await reader.ReadAsync(), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(reader.GetName(0), Is.EqualTo("@p"));
            Assert.That(reader.GetName(1), Is.EqualTo("a`@p"));
            Assert.That(Convert.ToInt64(reader.GetValue(0)), Is.EqualTo(1));
        });
    }

    [TestCase("SELECT 1 AS a /* @p */")]
    [TestCase("SELECT 1 AS a -- @p")]
    [TestCase("SELECT 1 AS a # @p")]
    [TestCase("SELECT 1 AS a -- @p\n")]
    public async Task PlaceholdersInsideCommentsAreLeftAlone(string sql)
    {
        // Were @p replaced inside the comment, its value would close the comment and add a column.
        await using var connection = await DriverDb.OpenAsync();
        await using var command = DriverDb.Command(connection, sql, ("@p", "*/, 2 AS b /*\n, 3 AS c #"));
        await using var reader = await command.ExecuteReaderAsync();

        Assert.That(await reader.ReadAsync(), Is.True);
        Assert.That(reader.FieldCount, Is.EqualTo(1));
    }

    [Test]
    public async Task AnAtSignInsideAValueIsNotTreatedAsAPlaceholder()
    {
        await using var connection = await DriverDb.OpenAsync();

        var back = await connection.QuerySingleAsync<(string A, string B)>("SELECT @a AS a, @b AS b", new { a = "@b", b = "@a'@b" });

        Assert.That(back, Is.EqualTo(("@b", "@a'@b")));
    }

    private static string Printable(string s)
    {
        var shown = string.Concat(s.Take(40).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
        return s.Length > 40 ? shown + $"…({s.Length} chars)" : shown;
    }
}
