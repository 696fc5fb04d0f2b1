using Linli.Infrastructure.MySql;
using Linli.Infrastructure.MySql.Core;
using Linli.Infrastructure.MySql.Protocol;

namespace Linli.Api.Tests.MySql.Protocol;

public class PacketTests
{
    [Test]
    public void OkPacketGivesAffectedRowsLastInsertIdStatusAndWarnings()
    {
        byte[] payload = [0x00, 0xFC, 0x10, 0x27, 0xFD, 0x40, 0x42, 0x0F, 0x0A, 0x02, 0x01, 0x00];

        var ok = OkPacket.Create(payload);

        Assert.Multiple(() =>
        {
            Assert.That(ok.AffectedRows, Is.EqualTo(10_000ul));
            Assert.That(ok.LastInsertId, Is.EqualTo(1_000_000ul));
            Assert.That(ok.Status, Is.EqualTo(ServerStatus.AutoCommit | ServerStatus.MoreResultsExist | ServerStatus.NoBackslashEscapes));
            Assert.That(ok.Warnings, Is.EqualTo(1));
        });
    }

    [Test]
    public void OkThatEndsAResultSetStartsWith0xFe()
    {
        byte[] payload = [0xFE, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00];

        Assert.That(OkPacket.IsResultSetTerminator(payload), Is.True);
        Assert.That(OkPacket.Create(payload).Status, Is.EqualTo(ServerStatus.AutoCommit | (ServerStatus)0x20));
    }

    [Test]
    public void ErrPacketGivesCodeSqlStateAndMessage()
    {
        byte[] payload = [0xFF, 0x26, 0x04, (byte)'#', .. "23000"u8, .. "Duplicate entry '1' for key 'PRIMARY'"u8];

        var err = ErrPacket.Create(payload);
        var exception = err.ToException();

        Assert.Multiple(() =>
        {
            Assert.That(err.ErrorCode, Is.EqualTo(MySqlErrorCode.DuplicateKey));
            Assert.That(exception.Number, Is.EqualTo(1062));
            Assert.That(exception.SqlState, Is.EqualTo("23000"));
            Assert.That(exception.Message, Is.EqualTo("Duplicate entry '1' for key 'PRIMARY'"));
            Assert.That(exception.IsTransient, Is.False);
        });
    }

    [Test]
    public void ErrPacketWithoutSqlStateKeepsTheWholeMessage()
    {
        byte[] payload = [0xFF, 0x10, 0x04, .. "Too many connections"u8];

        var err = ErrPacket.Create(payload);

        Assert.That(err.ErrorCode, Is.EqualTo(MySqlErrorCode.TooManyConnections));
        Assert.That(err.SqlState, Is.Null);
        Assert.That(err.Message, Is.EqualTo("Too many connections"));
        Assert.That(err.ToException().IsTransient, Is.True);
    }

    [Test]
    public void EofPacketGivesWarningsAndStatus()
    {
        byte[] payload = [0xFE, 0x03, 0x00, 0x0A, 0x00];

        var eof = EofPacket.Create(payload);

        Assert.That(EofPacket.IsEof(payload), Is.True);
        Assert.That(eof.Warnings, Is.EqualTo(3));
        Assert.That(eof.Status, Is.EqualTo(ServerStatus.AutoCommit | ServerStatus.MoreResultsExist));
    }

    [TestCase(0ul, "00")]
    [TestCase(250ul, "FA")]
    [TestCase(251ul, "FCFB00")]
    [TestCase(65535ul, "FCFFFF")]
    [TestCase(65536ul, "FD000001")]
    [TestCase(16777215ul, "FDFFFFFF")]
    [TestCase(16777216ul, "FE0000000100000000")]
    [TestCase(ulong.MaxValue, "FEFFFFFFFFFFFFFFFF")]
    public void LengthEncodedIntegersRoundTrip(ulong value, string hex)
    {
        using var writer = new PayloadWriter();
        writer.WriteLengthEncodedInteger(value);

        Assert.That(Convert.ToHexString(writer.Payload), Is.EqualTo(hex));
        var reader = new PayloadReader(Convert.FromHexString(hex));
        Assert.That(reader.ReadLengthEncodedInteger("value"), Is.EqualTo(value));
        Assert.That(reader.AtEnd, Is.True);
    }

    [Test]
    public void LengthEncodedNullAndTruncationAreReported()
    {
        var nullReader = new PayloadReader([0xFB]);
        Assert.That(nullReader.ReadLengthEncodedIntegerOrNull("value"), Is.Null);

        var error = Assert.Throws<FormatException>(() =>
        {
            var reader = new PayloadReader([0xFC, 0x01]);
            reader.ReadLengthEncodedInteger("affected rows");
        });
        Assert.That(error!.Message, Does.Contain("affected rows"));
    }

    [Test]
    public void ColumnDefinitionIsParsed()
    {
        byte[] payload =
        [
            3, .. "def"u8, 10, .. "linli_test"u8, 1, (byte)'t', 5, .. "table"u8, 4, .. "name"u8, 6, .. "o_name"u8,
            0x0C,
            0x2D, 0x00,                  // utf8mb4_general_ci
            0x90, 0x01, 0x00, 0x00,      // length 400
            0xFD,                        // VAR_STRING
            0x01, 0x10,                  // NOT_NULL | 0x1000
            0x00,                        // decimals
            0x00, 0x00,
        ];

        var column = ColumnDefinition.Create(payload);

        Assert.Multiple(() =>
        {
            Assert.That(column.Schema, Is.EqualTo("linli_test"));
            Assert.That(column.Table, Is.EqualTo("t"));
            Assert.That(column.Name, Is.EqualTo("name"));
            Assert.That(column.CharacterSet, Is.EqualTo(45));
            Assert.That(column.ColumnLength, Is.EqualTo(400u));
            Assert.That(column.Type, Is.EqualTo(ColumnType.VarString));
            Assert.That(column.Flags.HasFlag(ColumnFlags.NotNull), Is.True);
            Assert.That(column.IsBinary, Is.False);
            Assert.That(column.IsUnsigned, Is.False);
        });
    }

    [Test]
    public void ColumnDefinitionWithoutTheDefCatalogIsRejected()
    {
        var error = Assert.Throws<FormatException>(() => ColumnDefinition.Create([3, .. "abc"u8]));
        Assert.That(error!.Message, Does.Contain("def"));
    }

    [TestCase(0, 1)]
    [TestCase(100, 1)]
    [TestCase(0xFFFFFE, 1)]
    [TestCase(0xFFFFFF, 2)]
    [TestCase(0xFFFFFF + 1, 2)]
    [TestCase(2 * 0xFFFFFF, 3)]
    public async Task PayloadsAreSplitAt16MiBAndAnExactMultipleEndsWithAnEmptyPacket(int length, int expectedPackets)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        var wire = new MemoryStream();
        using (var writer = new PayloadWriter())
        {
            writer.Write(payload);
            var packets = new PacketStream(wire) { Sequence = 3 };
            await packets.WritePayloadAsync(writer, async: true, CancellationToken.None);
        }

        var bytes = wire.ToArray();
        var headers = new List<(int Length, byte Sequence)>();
        for (var offset = 0; offset < bytes.Length;)
        {
            var packetLength = bytes[offset] | bytes[offset + 1] << 8 | bytes[offset + 2] << 16;
            headers.Add((packetLength, bytes[offset + 3]));
            offset += 4 + packetLength;
        }
        Assert.That(headers, Has.Count.EqualTo(expectedPackets));
        Assert.That(headers.Select(h => (int)h.Sequence), Is.EqualTo(Enumerable.Range(3, expectedPackets)));
        Assert.That(headers.Take(expectedPackets - 1).Select(h => h.Length), Is.All.EqualTo(0xFFFFFF));
        Assert.That(headers[^1].Length, Is.EqualTo(length % 0xFFFFFF));

        foreach (var async in new[] { true, false })
        {
            using var reader = new PacketStream(new MemoryStream(bytes)) { Sequence = 3 };
            var joined = await reader.ReadPayloadAsync(async, CancellationToken.None);
            Assert.That(joined.Length, Is.EqualTo(length));
            Assert.That(joined.Span.SequenceEqual(payload), Is.True);
            Assert.That(reader.Sequence, Is.EqualTo((byte)(3 + expectedPackets)));
        }
    }

    [Test]
    public void PacketWithAnUnexpectedSequenceIdIsAProtocolError()
    {
        using var reader = new PacketStream(new MemoryStream([1, 0, 0, 5, 0x00])) { Sequence = 1 };
        Assert.ThrowsAsync<MySqlProtocolException>(async () => await reader.ReadPayloadAsync(true, CancellationToken.None));
    }
}
