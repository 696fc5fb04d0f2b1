using System.Globalization;
using Dapper;
using MySqlConnector;

namespace Linli.Api.Tests.Data.Provider;

/// <summary>
/// Every column type the service may use, with its edge values, written through parameters (plain ADO.NET and Dapper)
/// and read back through GetFieldValue&lt;T&gt;, GetValue and Dapper.
/// </summary>
public class TypeRoundTripTests
{
    public enum Priority { Low = 1, Normal = 2, Urgent = 3 }

    [Test]
    public Task SignedTinyIntKeepsItsRange() => AssertRoundTrip("TINYINT", sbyte.MinValue, sbyte.MaxValue, (sbyte)0, (sbyte)-1);

    [Test]
    public Task UnsignedTinyIntKeepsItsRange() => AssertRoundTrip("TINYINT UNSIGNED", byte.MinValue, byte.MaxValue, (byte)7);

    [Test]
    public Task SignedSmallIntKeepsItsRange() => AssertRoundTrip("SMALLINT", short.MinValue, short.MaxValue, (short)0);

    [Test]
    public Task UnsignedSmallIntKeepsItsRange() => AssertRoundTrip("SMALLINT UNSIGNED", ushort.MinValue, ushort.MaxValue);

    [Test]
    public Task SignedMediumIntKeepsItsRange() => AssertRoundTrip("MEDIUMINT", -8388608, 8388607, 0);

    [Test]
    public Task UnsignedMediumIntKeepsItsRange() => AssertRoundTrip("MEDIUMINT UNSIGNED", 0u, 16777215u);

    [Test]
    public Task SignedIntKeepsItsRange() => AssertRoundTrip("INT", int.MinValue, int.MaxValue, 0, -1);

    [Test]
    public Task UnsignedIntKeepsItsRange() => AssertRoundTrip("INT UNSIGNED", uint.MinValue, uint.MaxValue);

    [Test]
    public Task SignedBigIntKeepsItsRange() => AssertRoundTrip("BIGINT", long.MinValue, long.MaxValue, 0L, -1L);

    [Test]
    public Task UnsignedBigIntKeepsItsRangeUpTo18446744073709551615() =>
        AssertRoundTrip("BIGINT UNSIGNED", ulong.MinValue, ulong.MaxValue, 9223372036854775808UL);

    [Test]
    public Task DecimalKeepsEveryValueSystemDecimalCanHold() =>
        AssertRoundTrip("DECIMAL(65,30)", decimal.MaxValue, decimal.MinValue, 0.000000000000000000000000001m, 0m, -1.5m, 12345.678901m);

    [Test]
    public async Task DecimalExtremesOfTheColumnSurviveAsText()
    {
        // DECIMAL(65,30) holds more digits than System.Decimal: such values travel as strings.
        string[] extremes =
        [
            "99999999999999999999999999999999999.999999999999999999999999999999",
            "-99999999999999999999999999999999999.999999999999999999999999999999",
            "0.000000000000000000000000000001",
            "-0.000000000000000000000000000001",
        ];
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v DECIMAL(65,30) NOT NULL");
        await using var connection = await DriverDb.OpenAsync();
        for (var i = 0; i < extremes.Length; i++)
            await DriverDb.ExecuteAsync(connection, $"INSERT INTO {table} (id, v) VALUES (@id, @v)", ("@id", i), ("@v", extremes[i]));

        var back = (await connection.QueryAsync<string>($"SELECT CAST(v AS CHAR) FROM {table} ORDER BY id")).ToList();

        Assert.That(back, Is.EqualTo(extremes));
    }

    [Test]
    public Task DoubleKeepsEpsilonMaxValueAndSeventeenDigitValues() =>
        AssertRoundTrip("DOUBLE",
            double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 0.1 + 0.2, 1.0 / 3.0, Math.PI,
            2.2250738585072014E-308, 123456789.12345678, 0d);

    [Test]
    public Task FloatKeepsValuesTheServerPrintsExactly() => AssertRoundTrip("FLOAT", 1.5f, -0.25f, 123456f, 0f);

    [Test]
    public Task DateTimeKeepsMicrosecondsAndDatesBefore1970() =>
        AssertRoundTrip("DATETIME(6)",
            new DateTime(1000, 1, 1, 0, 0, 0),
            new DateTime(1900, 1, 1, 0, 0, 0),
            new DateTime(1969, 12, 31, 23, 59, 59).AddTicks(9_999_990),
            new DateTime(2024, 2, 29, 13, 14, 15).AddTicks(1_234_560),
            new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(9_999_990));

    [Test]
    public Task DateKeepsDatesBefore1970() =>
        AssertRoundTrip("DATE", new DateTime(1000, 1, 1), new DateTime(1900, 1, 1), new DateTime(2024, 2, 29), new DateTime(9999, 12, 31));

    [Test]
    public Task DateOnlyTravelsAsDate() =>
        AssertRoundTrip("DATE", new DateOnly(1000, 1, 1), new DateOnly(1900, 1, 1), new DateOnly(2024, 2, 29), new DateOnly(9999, 12, 31));

    [Test]
    public Task TimestampKeepsMicroseconds() =>
        AssertRoundTrip("TIMESTAMP(6) NULL",
            new DateTime(1970, 1, 1, 0, 0, 1),
            new DateTime(2001, 2, 3, 4, 5, 6).AddTicks(7_890_120),
            new DateTime(2038, 1, 19, 3, 14, 7).AddTicks(9_999_990));

    [Test]
    public Task TimeKeepsNegativeValuesAndValuesOver24Hours() =>
        AssertRoundTrip("TIME(6)",
            -new TimeSpan(838, 59, 59),
            new TimeSpan(838, 59, 59),
            TimeSpan.Zero,
            new TimeSpan(1, 2, 3, 4).Add(TimeSpan.FromTicks(5_678_910)),
            TimeSpan.FromTicks(-10),
            -new TimeSpan(0, 30, 0));

    [Test]
    public async Task TimeExtremesAreWhatTheServerStored()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v TIME(6) NOT NULL");
        await using var connection = await DriverDb.OpenAsync();
        await DriverDb.ExecuteAsync(connection, $"INSERT INTO {table} (id, v) VALUES (1, @a), (2, @b)",
            ("@a", -new TimeSpan(838, 59, 59)), ("@b", new TimeSpan(838, 59, 59)));

        var text = (await connection.QueryAsync<string>($"SELECT CAST(v AS CHAR) FROM {table} ORDER BY id")).ToList();

        Assert.That(text, Is.EqualTo(new[] { "-838:59:59.000000", "838:59:59.000000" }));
    }

    [Test]
    public Task TimeOnlyTravelsAsTime() =>
        AssertRoundTrip("TIME(6)", TimeOnly.MinValue, new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990)), new TimeOnly(12, 34, 56, 789));

    [Test]
    public Task YearKeepsItsRange() => AssertRoundTrip("YEAR", 1901, 2155, 2024);

    [Test]
    public Task SingleBitIsABoolean() => AssertRoundTrip("BIT(1)", true, false);

    [Test]
    public Task SixtyFourBitsKeepEveryBit() =>
        AssertRoundTrip("BIT(64)", ulong.MaxValue, 0UL, 1UL, 0x8000_0000_0000_0000UL, 0x0123_4567_89AB_CDEFUL);

    [Test]
    public Task BoolTravelsAsTinyIntOne() => AssertRoundTrip("BOOL", true, false);

    [Test]
    public Task EnumTravelsAsItsNumber() => AssertRoundTrip("INT", Priority.Low, Priority.Urgent);

    [Test]
    public Task GuidTravelsAsChar36() => AssertRoundTrip("CHAR(36)", Guid.NewGuid(), Guid.Empty, Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"));

    [Test]
    public Task VarcharKeepsEmojiCjkAndEmptyString() =>
        AssertRoundTrip("VARCHAR(255)", "😀", "邻里 社区自治 縗運", "", " leading and trailing ", "a😀b中c", "𠜎𠜱𠝹𠱓");

    [Test]
    public Task CharKeepsEmojiAndCjk() => AssertRoundTrip("CHAR(10)", "😀😀", "中文", "x", "");

    [Test]
    public Task TextKeepsLongUnicode() =>
        AssertRoundTrip("TEXT", string.Concat(Enumerable.Repeat("邻里😀", 5000)), "", "\r\n\t");

    [Test]
    public Task VarbinaryKeepsAllByteValues() =>
        AssertRoundTrip("VARBINARY(300)", Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), Array.Empty<byte>(), new byte[] { 0, 0x27, 0x5C, 0 });

    [Test]
    public Task BlobKeepsAllByteValues() =>
        AssertRoundTrip("BLOB", Enumerable.Range(0, 256).Select(b => (byte)(255 - b)).ToArray(), Array.Empty<byte>());

    [Test]
    public Task JsonKeepsItsText() =>
        AssertRoundTrip("JSON", """{"a": [1, "😀", null], "b": "x'y\"z\\"}""", "[]", "\"邻里\"");

    [Test]
    public Task EnumColumnKeepsItsLabels() => AssertRoundTrip("ENUM('small','medium','large')", "small", "large");

    [Test]
    public Task SetColumnKeepsItsMembers() => AssertRoundTrip("SET('a','b','c')", "a,c", "", "a,b,c");

    [Test]
    public async Task DateTimeOffsetIsStoredAsUtcAndReadBackAsTheSameInstant()
    {
        var written = new DateTimeOffset(2024, 5, 6, 12, 34, 56, TimeSpan.FromHours(8)).AddTicks(1_234_560);
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v DATETIME(6) NOT NULL");
        await using var connection = await DriverDb.OpenAsync();
        await DriverDb.ExecuteAsync(connection, $"INSERT INTO {table} (id, v) VALUES (1, @v)", ("@v", written));

        var stored = await DriverDb.ScalarAsync(connection, $"SELECT CAST(v AS CHAR) FROM {table}");
        await using var command = DriverDb.Command(connection, $"SELECT v FROM {table}");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True);
        var back = reader.GetFieldValue<DateTimeOffset>(0);
        await reader.DisposeAsync();
        var viaDapper = await connection.QuerySingleAsync<DateTimeOffset>($"SELECT v FROM {table}");

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.EqualTo("2024-05-06 04:34:56.123456"));
            Assert.That(viaDapper, Is.EqualTo(written), "through Dapper");
            Assert.That(back, Is.EqualTo(written));
            Assert.That(back.Offset, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public async Task NullAndEmptyStringStayDifferent()
    {
        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v VARCHAR(10) NULL, b VARBINARY(10) NULL");
        await using var connection = await DriverDb.OpenAsync();
        await DriverDb.ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, @e, @eb), (2, @n, @nb)",
            ("@e", ""), ("@eb", Array.Empty<byte>()), ("@n", null), ("@nb", DBNull.Value));

        var counts = await DriverDb.ScalarAsync(connection,
            $"SELECT CONCAT(SUM(v IS NULL), '/', SUM(v = ''), '/', SUM(b IS NULL), '/', SUM(LENGTH(b) = 0)) FROM {table}");
        bool emptyIsNull, nullIsNull, nullBytesIsNull;
        string emptyText;
        byte[] emptyBytes;
        object nullValue;
        await using (var command = DriverDb.Command(connection, $"SELECT v, b FROM {table} ORDER BY id"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.That(await reader.ReadAsync(), Is.True);
            (emptyIsNull, emptyText, emptyBytes) = (reader.IsDBNull(0), reader.GetString(0), reader.GetFieldValue<byte[]>(1));
            Assert.That(await reader.ReadAsync(), Is.True);
            (nullIsNull, nullValue, nullBytesIsNull) = (reader.IsDBNull(0), reader.GetValue(0), reader.IsDBNull(1));
        }

        var rows = (await connection.QueryAsync<(string? V, byte[]? B)>($"SELECT v, b FROM {table} ORDER BY id")).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(counts, Is.EqualTo("1/1/1/1"));
            Assert.That(emptyIsNull, Is.False);
            Assert.That(emptyText, Is.EqualTo(""));
            Assert.That(emptyBytes, Is.Empty);
            Assert.That(nullIsNull, Is.True);
            Assert.That(nullValue, Is.EqualTo(DBNull.Value));
            Assert.That(nullBytesIsNull, Is.True);
            Assert.That(rows[0].V, Is.EqualTo(""));
            Assert.That(rows[0].B, Is.Empty);
            Assert.That(rows[1].V, Is.Null);
            Assert.That(rows[1].B, Is.Null);
        });
    }

    [Test]
    public async Task TwentyMebibyteBlobTravelsBothWaysAcrossPacketSplits()
    {
        // Above 16 MiB the protocol splits a packet; the server's default max_allowed_packet (16 MiB) would refuse it.
        await using (var admin = await DriverDb.OpenAsync("Pooling=false"))
            await DriverDb.ExecuteAsync(admin, "SET GLOBAL max_allowed_packet = 1073741824");
        var blob = new byte[20 * 1024 * 1024 + 3];
        new Random(20).NextBytes(blob);
        blob[^1] = 0x5C;
        blob[0] = 0x27;

        await using var table = await DriverDb.TableAsync("id INT PRIMARY KEY, v LONGBLOB NOT NULL");
        await using var connection = await DriverDb.OpenAsync("Pooling=false");
        await DriverDb.ExecuteAsync(connection, $"INSERT INTO {table} (id, v) VALUES (1, @v)", ("@v", blob));

        var serverSha = await DriverDb.ScalarAsync(connection, $"SELECT SHA2(v, 256) FROM {table}");
        byte[] back;
        string after;
        await using (var command = DriverDb.Command(connection, $"SELECT v, 'after' FROM {table}"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.That(await reader.ReadAsync(), Is.True);
            back = reader.GetFieldValue<byte[]>(0);
            after = reader.GetString(1);
        }
        var viaDapper = await connection.QuerySingleAsync<byte[]>($"SELECT v FROM {table}");

        Assert.Multiple(() =>
        {
            Assert.That(serverSha, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob))));
            Assert.That(back.Length, Is.EqualTo(blob.Length));
            Assert.That(back.AsSpan().SequenceEqual(blob), Is.True);
            Assert.That(after, Is.EqualTo("after"));
            Assert.That(viaDapper.AsSpan().SequenceEqual(blob), Is.True);
        });
    }

    [Test]
    public async Task DapperMapsEveryCommonTypeIntoAClass()
    {
        var written = new EveryType
        {
            Id = long.MaxValue,
            Counter = ulong.MaxValue,
            Small = short.MinValue,
            Amount = -12345.678901m,
            Ratio = 0.1 + 0.2,
            At = new DateTime(1900, 1, 1, 1, 2, 3).AddTicks(4_567_890),
            Stamp = new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(1_000_010),
            Day = new DateOnly(1000, 1, 1),
            Clock = new TimeOnly(23, 59, 59, 999),
            Duration = -new TimeSpan(838, 59, 59),
            Name = "邻里😀'\\",
            Data = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(),
            Flag = true,
            Priority = Priority.Urgent,
            Missing = null,
        };
        await using var table = await DriverDb.TableAsync("""
            id BIGINT PRIMARY KEY, counter BIGINT UNSIGNED NOT NULL, small SMALLINT NOT NULL, amount DECIMAL(65,30) NOT NULL,
            ratio DOUBLE NOT NULL, at DATETIME(6) NOT NULL, stamp DATETIME(6) NOT NULL, day DATE NOT NULL, clock TIME(6) NOT NULL, duration TIME(6) NOT NULL,
            name VARCHAR(100) NOT NULL, data BLOB NOT NULL, flag BOOL NOT NULL, priority INT NOT NULL, missing VARCHAR(10) NULL
            """);
        await using var connection = await DriverDb.OpenAsync();

        await connection.ExecuteAsync($"""
            INSERT INTO {table} (id, counter, small, amount, ratio, at, stamp, day, clock, duration, name, data, flag, priority, missing)
            VALUES (@Id, @Counter, @Small, @Amount, @Ratio, @At, @Stamp, @Day, @Clock, @Duration, @Name, @Data, @Flag, @Priority, @Missing)
            """, written);
        var back = await connection.QuerySingleAsync<EveryType>($"SELECT * FROM {table}");

        Assert.That(back, Is.EqualTo(written));
    }

    public sealed record EveryType
    {
        public long Id { get; init; }
        public ulong Counter { get; init; }
        public short Small { get; init; }
        public decimal Amount { get; init; }
        public double Ratio { get; init; }
        public DateTime At { get; init; }
        public DateTimeOffset Stamp { get; init; }
        public DateOnly Day { get; init; }
        public TimeOnly Clock { get; init; }
        public TimeSpan Duration { get; init; }
        public string Name { get; init; } = "";
        public byte[] Data { get; init; } = [];
        public bool Flag { get; init; }
        public Priority Priority { get; init; }
        public string? Missing { get; init; }

        public bool Equals(EveryType? other) =>
            other is not null && (Id, Counter, Small, Amount, Ratio, At, Stamp, Day, Clock, Duration, Name, Flag, Priority, Missing)
                .Equals((other.Id, other.Counter, other.Small, other.Amount, other.Ratio, other.At, other.Stamp, other.Day, other.Clock,
                    other.Duration, other.Name, other.Flag, other.Priority, other.Missing))
            && Data.AsSpan().SequenceEqual(other.Data);

        public override int GetHashCode() => Id.GetHashCode();

        public override string ToString() => string.Join(" | ", Id, Counter, Small, Amount.ToString(CultureInfo.InvariantCulture),
            Ratio.ToString("R", CultureInfo.InvariantCulture), At.ToString("O"), Stamp.ToString("O"), Day, Clock.ToString("O"), Duration, Name,
            Convert.ToHexString(Data), Flag, Priority, Missing ?? "NULL");
    }

    /// <summary>
    /// Writes each value twice (ADO.NET parameter and Dapper parameter) plus a NULL, then reads every row back through
    /// GetFieldValue&lt;T&gt;, GetValue (whose runtime type must match GetFieldType, which Dapper relies on) and Dapper.
    /// </summary>
    private static async Task AssertRoundTrip<T>(string columnType, params T[] values)
    {
        await using var table = await DriverDb.TableAsync($"id INT PRIMARY KEY, v {columnType} NULL");
        await using var connection = await DriverDb.OpenAsync();
        for (var i = 0; i < values.Length; i++)
        {
            await DriverDb.ExecuteAsync(connection, $"INSERT INTO {table} (id, v) VALUES (@id, @v)", ("@id", i), ("@v", values[i]));
            await connection.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (@id, @v)", new { id = 1000 + i, v = values[i] });
        }
        await DriverDb.ExecuteAsync(connection, $"INSERT INTO {table} (id, v) VALUES (5000, @v)", ("@v", DBNull.Value));

        var viaFieldValue = new List<T>();
        var viaGetValue = new List<object>();
        var typeMismatches = new List<string>();
        await using (var command = DriverDb.Command(connection, $"SELECT v FROM {table} WHERE id < 5000 ORDER BY id"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                viaFieldValue.Add(reader.GetFieldValue<T>(0));
                var value = reader.GetValue(0);
                viaGetValue.Add(value);
                if (value.GetType() != reader.GetFieldType(0))
                    typeMismatches.Add($"GetValue gave {value.GetType()} but GetFieldType says {reader.GetFieldType(0)}");
            }
        }
        var viaDapper = (await connection.QueryAsync<T>($"SELECT v FROM {table} WHERE id < 5000 ORDER BY id")).ToList();
        var nullRow = await connection.ExecuteScalarAsync<object?>($"SELECT v FROM {table} WHERE id = 5000");

        var expected = values.Concat(values).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(viaFieldValue, Is.EqualTo(expected), "GetFieldValue<T>");
            Assert.That(viaDapper, Is.EqualTo(expected), "Dapper");
            Assert.That(typeMismatches, Is.Empty);
            Assert.That(nullRow, Is.Null, "NULL through Dapper");
        });
        if ((typeof(T).IsPrimitive && typeof(T) != typeof(bool)) || typeof(T) == typeof(decimal) || typeof(T) == typeof(string) || typeof(T) == typeof(byte[])
            || typeof(T) == typeof(DateTime) || typeof(T) == typeof(TimeSpan))
        {
            // NUnit compares numbers by value, so this holds whichever CLR integer type the driver chose for the column.
            Assert.That(viaGetValue, Is.EqualTo(expected.Cast<object>()), "GetValue");
        }
    }
}
