using Dapper;

namespace Linli.Api.Tests.MySql;

/// <summary>
/// Payloads of 0xFFFFFF bytes or more travel as several packets, and one that is an exact multiple of 0xFFFFFF ends
/// with an empty packet. These hit those boundaries exactly (and one byte either side) in both directions.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html
/// </summary>
public class PacketBoundaryTests
{
    private const int MaxPayload = 0xFFFFFF;

    [OneTimeSetUp]
    public async Task AllowLargePackets()
    {
        await using var admin = await DriverDb.OpenAsync("Pooling=false");
        await admin.ExecuteAsync("SET GLOBAL max_allowed_packet = 1073741824");
    }

    [TestCase(-1)]
    [TestCase(0)]
    [TestCase(1)]
    public async Task AStatementOfExactlyOnePacketsWorthIsSentWhole(int offset)
    {
        // COM_QUERY payload = 1 command byte + "SELECT LENGTH('" + n ASCII letters + "')" when the driver quotes
        // strings plainly; were it to write them otherwise, the boundary moves but the answer must still be right.
        const string before = "SELECT LENGTH(@p)";
        var n = MaxPayload - 1 - (before.Length - 2 + 2) + offset;
        await using var connection = await DriverDb.OpenAsync("Pooling=false");

        var length = await connection.ExecuteScalarAsync<long>(before, new { p = new string('a', n) });

        Assert.That(length, Is.EqualTo(n));
    }

    [TestCase(-1)]
    [TestCase(0)]
    [TestCase(1)]
    public async Task ARowOfExactlyOnePacketsWorthIsReadWhole(int offset)
    {
        // The row is the value's length prefix (0xFD + 3 bytes below 2^24), the value, then "7" (prefix 1 + 1 byte).
        var n = MaxPayload - 4 - 2 + offset;
        await using var connection = await DriverDb.OpenAsync("Pooling=false");

        var rows = (await connection.QueryAsync<(string Value, int After)>("SELECT REPEAT('b', @n), 7 UNION ALL SELECT 'c', 8", new { n })).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.EqualTo(2));
            Assert.That(rows[0].Value, Has.Length.EqualTo(n));
            Assert.That(rows[0].Value.All(c => c == 'b'), Is.True);
            Assert.That(rows[0].After, Is.EqualTo(7));
            Assert.That(rows[1], Is.EqualTo(("c", 8)), "the packet after the split is read in step");
        });
    }

    [Test]
    public async Task ARowOfExactlyTwoPacketsWorthIsReadWhole()
    {
        // A one-column row: 0xFE + 8-byte length prefix from 2^24 on, then the value.
        var n = 2 * MaxPayload - 9;
        await using var connection = await DriverDb.OpenAsync("Pooling=false");

        var value = await connection.ExecuteScalarAsync<string>("SELECT REPEAT('d', @n)", new { n });
        var next = await connection.ExecuteScalarAsync<int>("SELECT 9");

        Assert.Multiple(() =>
        {
            Assert.That(value, Has.Length.EqualTo(n));
            Assert.That(next, Is.EqualTo(9), "the connection is in step after the split");
        });
    }
}
