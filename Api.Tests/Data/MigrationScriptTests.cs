using Linli.Infrastructure.Data;

namespace Linli.Api.Tests.Data;

public class MigrationScriptTests
{
    [Test]
    public void EmbeddedMigrationsLoadInVersionOrder()
    {
        // Features own version ranges (0010–0019 identity, 0020–0029 tickets, …), so gaps are expected.
        var versions = Migration.LoadEmbedded().Select(m => m.Version).ToList();
        Assert.That(versions, Is.Not.Empty);
        Assert.That(versions, Is.Ordered.Ascending.And.Unique);
        Assert.That(versions[0], Is.EqualTo(1));
    }

    [Test]
    public void StatementsSplitAtSemicolonsThatEndALine()
    {
        var m = new Migration(1, "x", "-- a comment\nCREATE TABLE a (x INT);\n\nINSERT INTO a VALUES (1); \n-- tail\n");
        Assert.That(m.Statements().ToList(), Is.EqualTo(new[] { "CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)" }));
    }

    [Test]
    public void ChecksumIgnoresLineEndingsButNotContent()
    {
        var unix = new Migration(1, "x", "SELECT 1;\n");
        Assert.Multiple(() =>
        {
            Assert.That(new Migration(1, "x", "SELECT 1;\r\n").Checksum, Is.EqualTo(unix.Checksum));
            Assert.That(new Migration(1, "x", "SELECT 2;\n").Checksum, Is.Not.EqualTo(unix.Checksum));
        });
    }
}
