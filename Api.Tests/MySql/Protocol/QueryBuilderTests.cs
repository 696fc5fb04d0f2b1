using System.Text;
using Linli.Infrastructure.MySql;
using Linli.Infrastructure.MySql.Core;
using Linli.Infrastructure.MySql.Protocol;

namespace Linli.Api.Tests.MySql.Protocol;

public class QueryBuilderTests
{
    private static string Build(string sql, bool noBackslashEscapes = false, params (string Name, object? Value)[] parameters)
    {
        var collection = new MySqlParameterCollection();
        foreach (var (name, value) in parameters) collection.Add(new MySqlParameter(name, value));
        using var writer = new PayloadWriter();
        QueryBuilder.Write(writer, sql, collection, noBackslashEscapes);
        return Encoding.UTF8.GetString(writer.Payload);
    }

    private static string Literal(object? value, bool noBackslashEscapes = false)
    {
        using var writer = new PayloadWriter();
        QueryBuilder.WriteLiteral(writer, value, noBackslashEscapes);
        return Encoding.UTF8.GetString(writer.Payload);
    }

    [Test]
    public void NamedPlaceholdersAreReplacedWhateverTheirPrefixAndCase()
    {
        var sql = Build("SELECT * FROM t WHERE a = @id AND b = ?Name AND c = @ID", false, ("id", 5), ("@name", "x"));
        Assert.That(sql, Is.EqualTo("SELECT * FROM t WHERE a = 5 AND b = 'x' AND c = 5"));
    }

    [Test]
    public void PositionalQuestionMarksTakeParametersInOrder()
    {
        Assert.That(Build("INSERT INTO t VALUES (?, ?)", false, ("", 1), ("", "two")), Is.EqualTo("INSERT INTO t VALUES (1, 'two')"));
    }

    [Test]
    public void PlaceholdersInsideLiteralsIdentifiersAndCommentsAreLeftAlone()
    {
        const string sql = """
            SELECT '@id', "@id", `@id`, 'it''s @id', 'a\'@id' -- @id
            # @id
            /* @id */ , @id
            """;
        var built = Build(sql, false, ("id", 7));
        Assert.That(built, Is.EqualTo(sql[..^3] + "7"));
    }

    [Test]
    public void WithNoBackslashEscapesABackslashDoesNotEscapeTheQuote()
    {
        // With NO_BACKSLASH_ESCAPES 'a\' is a complete literal, so the @id after it is a real placeholder.
        Assert.That(Build(@"SELECT 'a\', @id", true, ("id", 1)), Is.EqualTo(@"SELECT 'a\', 1"));
        Assert.That(Build(@"SELECT 'a\', @id", false, ("id", 1)), Is.EqualTo(@"SELECT 'a\', @id"));
    }

    [Test]
    public void UnknownNamesAndSystemVariablesAreLeftForTheServer()
    {
        Assert.That(Build("SET @rownum = 0; SELECT @@session.sql_mode, @rownum := @rownum + @step", false, ("step", 2)),
            Is.EqualTo("SET @rownum = 0; SELECT @@session.sql_mode, @rownum := @rownum + 2"));
    }

    [Test]
    public void DashesWithoutASpaceAreNotAComment()
    {
        Assert.That(Build("SELECT 1--@x", false, ("x", 2)), Is.EqualTo("SELECT 1--2"));
    }

    [TestCase("plain", false, "'plain'")]
    [TestCase("O'Brien", false, "'O''Brien'")]
    [TestCase(@"back\slash", false, @"'back\\slash'")]
    [TestCase("nul\0byte", false, @"'nul\0byte'")]
    [TestCase(@"\'; DROP TABLE t; --", false, @"'\\''; DROP TABLE t; --'")]
    [TestCase("O'Brien", true, "'O''Brien'")]
    [TestCase(@"back\slash", true, @"'back\slash'")]
    [TestCase(@"\'; DROP TABLE t; --", true, @"'\''; DROP TABLE t; --'")]
    [TestCase("nul\0byte", true, "'nul\0byte'")]
    [TestCase("邻里 😀", false, "'邻里 😀'")]
    public void StringsAreQuotedSafelyForTheServersEscapingMode(string value, bool noBackslashEscapes, string expected)
    {
        Assert.That(Literal(value, noBackslashEscapes), Is.EqualTo(expected));
    }

    [Test]
    public void ValuesOfEveryCommonTypeBecomeExactLiterals()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Literal(null), Is.EqualTo("NULL"));
            Assert.That(Literal(DBNull.Value), Is.EqualTo("NULL"));
            Assert.That(Literal(true), Is.EqualTo("1"));
            Assert.That(Literal(false), Is.EqualTo("0"));
            Assert.That(Literal(sbyte.MinValue), Is.EqualTo("-128"));
            Assert.That(Literal(ulong.MaxValue), Is.EqualTo("18446744073709551615"));
            Assert.That(Literal(long.MinValue), Is.EqualTo("-9223372036854775808"));
            Assert.That(Literal(-12.345m), Is.EqualTo("-12.345"));
            Assert.That(Literal(0.1), Is.EqualTo("0.1"));
            Assert.That(Literal(double.Parse(Literal(1.0 / 3), System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(Literal(1.0 / 3)));
            Assert.That(Literal(1e300), Is.EqualTo("1E+300"));
            Assert.That(Literal(1.5f), Is.EqualTo("1.5"));
            Assert.That(Literal(new DateTime(2024, 2, 29, 13, 4, 5).AddTicks(1234560)), Is.EqualTo("'2024-02-29 13:04:05.123456'"));
            Assert.That(Literal(new DateTimeOffset(2024, 1, 1, 8, 0, 0, TimeSpan.FromHours(8))), Is.EqualTo("'2024-01-01 00:00:00.000000'"));
            Assert.That(Literal(new DateOnly(2024, 3, 1)), Is.EqualTo("'2024-03-01'"));
            Assert.That(Literal(new TimeOnly(23, 59, 58, 123)), Is.EqualTo("'23:59:58.123000'"));
            Assert.That(Literal(new TimeSpan(1, 2, 3, 4, 5)), Is.EqualTo("'26:03:04.005000'"));
            Assert.That(Literal(-new TimeSpan(0, 30, 0)), Is.EqualTo("'-0:30:00.000000'"));
            Assert.That(Literal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")), Is.EqualTo("'0f8fad5b-d9cb-469f-a165-70867728950e'"));
            Assert.That(Literal(new byte[] { 0x00, 0x27, 0x5C, 0xFF }), Is.EqualTo("X'00275CFF'"));
            Assert.That(Literal(Array.Empty<byte>()), Is.EqualTo("X''"));
            Assert.That(Literal(DayOfWeek.Friday), Is.EqualTo("5"));
            Assert.That(Literal('\''), Is.EqualTo("''''"));
        });
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void NonFiniteDoublesAreRefused(double value)
    {
        Assert.Throws<NotSupportedException>(() => Literal(value));
    }

    [Test]
    public void UnsupportedTypesAreRefusedNamingTheParameter()
    {
        var error = Assert.Throws<NotSupportedException>(() => Build("SELECT @p", false, ("p", new object())));
        Assert.That(error!.Message, Does.Contain("\"p\""));
    }

    [Test]
    public void WhenTheModeIsUnknownStringsWithBackslashesBecomeHexLiteralsThatReadTheSameInBothModes()
    {
        using var writer = new PayloadWriter();
        QueryBuilder.WriteString(writer, "a\\'b", StringEscaping.Unknown);
        Assert.That(Encoding.UTF8.GetString(writer.Payload), Is.EqualTo("_utf8mb4 X'615C2762'"));

        writer.Reset();
        QueryBuilder.WriteString(writer, "it's", StringEscaping.Unknown);
        Assert.That(Encoding.UTF8.GetString(writer.Payload), Is.EqualTo("'it''s'"));
    }

    [TestCase("SET NAMES gbk")]
    [TestCase("set names 'big5'")]
    [TestCase("SET CHARACTER SET sjis")]
    [TestCase("SELECT 1; SET SESSION character_set_client = gbk")]
    [TestCase("SET @@character_set_client='gbk'")]
    [TestCase("SET time_zone = '+00:00', character_set_client = gbk")]
    [TestCase("SET /*x*/ NAMES gbk")]
    [TestCase("SET @@session.character_set_connection := big5")]
    public void SwitchingTheClientCharacterSetAwayFromUtf8Mb4IsRefused(string sql)
    {
        Assert.Throws<NotSupportedException>(() => CharacterSetGuard.Check(sql));
    }

    [TestCase("SET NAMES utf8mb4")]
    [TestCase("SET character_set_client = DEFAULT")]
    [TestCase("SELECT name, char_length(name) FROM t WHERE names = 'SET NAMES'")]
    public void Utf8Mb4AndOrdinaryStatementsPassTheCharacterSetGuard(string sql)
    {
        Assert.DoesNotThrow(() => CharacterSetGuard.Check(sql));
    }
}
