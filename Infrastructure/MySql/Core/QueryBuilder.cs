using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Linli.Infrastructure.MySql.Protocol;

namespace Linli.Infrastructure.MySql.Core;

/// <summary>
/// Writes a COM_QUERY statement with its parameters interpolated as literals. Placeholders are <c>@name</c>, <c>?name</c>
/// and positional <c>?</c>; those inside quoted strings, quoted identifiers and comments are left alone, and so is any
/// <c>@name</c> that names no parameter (a user variable such as <c>@rownum</c>).
/// String literal rules: https://mariadb.com/kb/en/string-literals/
/// </summary>
/// <summary>How the server will read backslashes in string literals (sql_mode NO_BACKSLASH_ESCAPES).</summary>
internal enum StringEscaping
{
    BackslashEscapes,
    NoBackslashEscapes,
    /// <summary>A pipelined COM_RESET_CONNECTION runs before the statement and may change the mode.</summary>
    Unknown,
}

internal static class QueryBuilder
{
    public static void Write(PayloadWriter writer, string sql, MySqlParameterCollection? parameters, bool noBackslashEscapes) =>
        Write(writer, sql, parameters, noBackslashEscapes ? StringEscaping.NoBackslashEscapes : StringEscaping.BackslashEscapes);

    public static void Write(PayloadWriter writer, string sql, MySqlParameterCollection? parameters, StringEscaping escaping)
    {
        var noBackslashEscapes = escaping == StringEscaping.NoBackslashEscapes;
        if (parameters is null || parameters.Count == 0)
        {
            writer.WriteUtf8(sql);
            return;
        }
        var copyFrom = 0;
        var positional = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            switch (c)
            {
                case '\'' or '"' or '`':
                    i = SkipQuoted(sql, i, backslashEscapes: c != '`' && !noBackslashEscapes);
                    continue;
                case '#':
                    i = SkipLine(sql, i);
                    continue;
                case '-' when i + 2 <= sql.Length - 1 && sql[i + 1] == '-' && char.IsWhiteSpace(sql[i + 2]):
                case '-' when i + 2 == sql.Length && sql[i + 1] == '-':
                    i = SkipLine(sql, i);
                    continue;
                case '/' when i + 1 < sql.Length && sql[i + 1] == '*':
                {
                    var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? sql.Length : end + 2;
                    continue;
                }
                case '@' or '?':
                {
                    if (c == '@' && i + 1 < sql.Length && sql[i + 1] == '@')
                    {
                        // @@system_variable
                        i = SkipName(sql, i + 2);
                        continue;
                    }
                    var nameEnd = SkipName(sql, i + 1);
                    MySqlParameter? parameter;
                    if (nameEnd == i + 1)
                    {
                        parameter = c == '?' && positional < parameters.Count ? parameters[positional++] : null;
                    }
                    else
                    {
                        parameter = parameters.Find(sql.AsSpan(i + 1, nameEnd - i - 1));
                    }
                    if (parameter is null)
                    {
                        i = Math.Max(nameEnd, i + 1);
                        continue;
                    }
                    writer.WriteUtf8(sql.AsSpan(copyFrom, i - copyFrom));
                    WriteLiteral(writer, parameter.Value, escaping, parameter.ParameterName);
                    i = copyFrom = nameEnd;
                    continue;
                }
                default:
                    i++;
                    continue;
            }
        }
        writer.WriteUtf8(sql.AsSpan(copyFrom));
    }

    private static int SkipQuoted(string sql, int start, bool backslashEscapes)
    {
        var quote = sql[start];
        var i = start + 1;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\\' && backslashEscapes)
            {
                i += 2;
                continue;
            }
            if (c == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.Length;
    }

    private static int SkipLine(string sql, int start)
    {
        var end = sql.IndexOf('\n', start);
        return end < 0 ? sql.Length : end + 1;
    }

    private static int SkipName(string sql, int start)
    {
        var i = start;
        while (i < sql.Length && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] is '_' or '$' or '.')) i++;
        return i;
    }

    /// <summary>Writes <paramref name="value"/> as a literal the server reads back as exactly that value.</summary>
    public static void WriteLiteral(PayloadWriter writer, object? value, bool noBackslashEscapes, string parameterName = "") =>
        WriteLiteral(writer, value, noBackslashEscapes ? StringEscaping.NoBackslashEscapes : StringEscaping.BackslashEscapes, parameterName);

    public static void WriteLiteral(PayloadWriter writer, object? value, StringEscaping escaping, string parameterName = "")
    {
        switch (value)
        {
            case null or DBNull:
                writer.Write("NULL"u8);
                break;
            case string s:
                WriteString(writer, s, escaping);
                break;
            case bool b:
                writer.WriteByte(b ? (byte)'1' : (byte)'0');
                break;
            case int n:
                Format(writer, n);
                break;
            case long n:
                Format(writer, n);
                break;
            case short n:
                Format(writer, n);
                break;
            case byte n:
                Format(writer, n);
                break;
            case sbyte n:
                Format(writer, n);
                break;
            case ushort n:
                Format(writer, n);
                break;
            case uint n:
                Format(writer, n);
                break;
            case ulong n:
                Format(writer, n);
                break;
            case decimal d:
                Format(writer, d);
                break;
            case double d:
                if (!double.IsFinite(d)) throw NotFinite(parameterName, d);
                writer.WriteUtf8(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float f:
                if (!float.IsFinite(f)) throw NotFinite(parameterName, f);
                // Widened to double: the shortest float text (3.4028235E+38) can lie just outside FLOAT's range, while the
                // double text is the float's exact binary value.
                writer.WriteUtf8(((double)f).ToString("R", CultureInfo.InvariantCulture));
                break;
            case DateTime dt:
                WriteQuotedAscii(writer, dt.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset dto:
                WriteQuotedAscii(writer, dto.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
                break;
            case DateOnly d:
                WriteQuotedAscii(writer, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly t:
                WriteQuotedAscii(writer, t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
                break;
            case TimeSpan ts:
                WriteQuotedAscii(writer, FormatTime(ts));
                break;
            case Guid g:
                writer.WriteByte((byte)'\'');
                Utf8Formatter.TryFormat(g, writer.GetSpan(36), out var written, 'D');
                writer.Advance(written);
                writer.WriteByte((byte)'\'');
                break;
            case byte[] bytes:
                WriteBytes(writer, bytes);
                break;
            case ReadOnlyMemory<byte> rom:
                WriteBytes(writer, rom.Span);
                break;
            case Memory<byte> mem:
                WriteBytes(writer, mem.Span);
                break;
            case ArraySegment<byte> segment:
                WriteBytes(writer, segment.AsSpan());
                break;
            case char ch:
                WriteString(writer, ch.ToString(), escaping);
                break;
            case char[] chars:
                WriteString(writer, new string(chars), escaping);
                break;
            case Enum e:
                WriteEnum(writer, e);
                break;
            default:
                throw new NotSupportedException($"Parameter \"{parameterName}\" has a value of type {value.GetType().FullName}, which cannot be written as a MySQL literal.");
        }
    }

    private static void WriteEnum(PayloadWriter writer, Enum e)
    {
        switch (Type.GetTypeCode(Enum.GetUnderlyingType(e.GetType())))
        {
            case TypeCode.UInt64:
                Format(writer, Convert.ToUInt64(e, CultureInfo.InvariantCulture));
                break;
            default:
                Format(writer, Convert.ToInt64(e, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static NotSupportedException NotFinite(string name, double value) =>
        new($"Parameter \"{name}\" is {value.ToString(CultureInfo.InvariantCulture)}; MySQL cannot store NaN or infinity.");

    internal static string FormatTime(TimeSpan ts)
    {
        var negative = ts < TimeSpan.Zero;
        var ticks = negative ? -(decimal)ts.Ticks : ts.Ticks;
        var totalMicroseconds = (long)(ticks / 10);
        var hours = totalMicroseconds / 3_600_000_000L;
        var rest = totalMicroseconds % 3_600_000_000L;
        var minutes = rest / 60_000_000L;
        rest %= 60_000_000L;
        var seconds = rest / 1_000_000L;
        var micros = rest % 1_000_000L;
        return string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : "")}{hours}:{minutes:00}:{seconds:00}.{micros:000000}");
    }

    private static void Format<T>(PayloadWriter writer, T value) where T : IUtf8SpanFormattable
    {
        var span = writer.GetSpan(40);
        if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("A number did not fit in 40 bytes.");
        writer.Advance(written);
    }

    private static void WriteQuotedAscii(PayloadWriter writer, string text)
    {
        writer.WriteByte((byte)'\'');
        writer.WriteUtf8(text);
        writer.WriteByte((byte)'\'');
    }

    private static void WriteBytes(PayloadWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write("X'"u8);
        var span = writer.GetSpan(bytes.Length * 2);
        Convert.TryToHexString(bytes, span, out var written);
        writer.Advance(written);
        writer.WriteByte((byte)'\'');
    }

    public static void WriteString(PayloadWriter writer, string text, bool noBackslashEscapes) =>
        WriteString(writer, text, noBackslashEscapes ? StringEscaping.NoBackslashEscapes : StringEscaping.BackslashEscapes);

    /// <summary>
    /// A quoted string literal. The text is UTF-8 encoded first and escaped byte by byte: bytes of multi-byte
    /// UTF-8 sequences are never ASCII, so only real quotes, backslashes and NULs are touched.
    /// </summary>
    public static void WriteString(PayloadWriter writer, string text, StringEscaping escaping)
    {
        if (escaping == StringEscaping.Unknown && text.AsSpan().IndexOfAny('\\', '\0') >= 0)
        {
            // No quoted form of a backslash reads the same in both modes; a hex literal in utf8mb4 does.
            writer.Write("_utf8mb4 X'"u8);
            var bytes = Encoding.UTF8.GetBytes(text);
            var hex = writer.GetSpan(bytes.Length * 2);
            Convert.TryToHexString(bytes, hex, out var hexLength);
            writer.Advance(hexLength);
            writer.WriteByte((byte)'\'');
            return;
        }
        // Unknown mode without backslashes or NULs: doubling quotes is right in both modes.
        var noBackslashEscapes = escaping != StringEscaping.BackslashEscapes;
        writer.WriteByte((byte)'\'');
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, span);
        var encoded = span[..length];
        var first = noBackslashEscapes ? encoded.IndexOf((byte)'\'') : encoded.IndexOfAny("'\\\0"u8);
        if (first < 0)
        {
            writer.Advance(length);
        }
        else
        {
            var tail = encoded[first..].ToArray();
            writer.Advance(first);
            foreach (var b in tail)
            {
                switch (b)
                {
                    case (byte)'\'':
                        writer.Write("''"u8);
                        break;
                    case (byte)'\\' when !noBackslashEscapes:
                        writer.Write("\\\\"u8);
                        break;
                    case 0 when !noBackslashEscapes:
                        writer.Write("\\0"u8);
                        break;
                    default:
                        writer.WriteByte(b);
                        break;
                }
            }
        }
        writer.WriteByte((byte)'\'');
    }
}
