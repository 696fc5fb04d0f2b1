using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Linli.Infrastructure.MySql.Core;

/// <summary>
/// Parses values of the text protocol, where every value arrives as its SQL text in UTF-8 (BIT as raw big-endian bytes).
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_row.html
/// </summary>
internal static class TextValues
{
    public static long ParseInt64(ReadOnlySpan<byte> text)
    {
        if (Utf8Parser.TryParse(text, out long value, out var consumed) && consumed == text.Length) return value;
        return checked((long)ParseDecimal(text));
    }

    public static ulong ParseUInt64(ReadOnlySpan<byte> text)
    {
        if (Utf8Parser.TryParse(text, out ulong value, out var consumed) && consumed == text.Length) return value;
        return checked((ulong)ParseDecimal(text));
    }

    public static decimal ParseDecimal(ReadOnlySpan<byte> text)
    {
        if (Utf8Parser.TryParse(text, out decimal value, out var consumed) && consumed == text.Length) return value;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return value;
        throw new InvalidCastException($"\"{Encoding.UTF8.GetString(text)}\" is not a number.");
    }

    public static double ParseDouble(ReadOnlySpan<byte> text)
    {
        if (Utf8Parser.TryParse(text, out double value, out var consumed) && consumed == text.Length) return value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return value;
        throw new InvalidCastException($"\"{Encoding.UTF8.GetString(text)}\" is not a number.");
    }

    public static float ParseSingle(ReadOnlySpan<byte> text)
    {
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        throw new InvalidCastException($"\"{Encoding.UTF8.GetString(text)}\" is not a number.");
    }

    /// <summary>BIT(n) values arrive as ceil(n/8) raw bytes, most significant first.</summary>
    public static ulong ParseBit(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 8) throw new InvalidCastException($"A BIT value of {bytes.Length} bytes does not fit in 64 bits.");
        Span<byte> padded = stackalloc byte[8];
        padded.Clear();
        bytes.CopyTo(padded[(8 - bytes.Length)..]);
        return BinaryPrimitives.ReadUInt64BigEndian(padded);
    }

    /// <summary>"YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" or with ".ffffff"; the zero date cannot be represented.</summary>
    public static DateTime ParseDateTime(ReadOnlySpan<byte> text)
    {
        if (text.Length < 10 || text[4] != '-' || text[7] != '-') throw BadDate(text);
        var year = Digits(text, 0, 4);
        var month = Digits(text, 5, 2);
        var day = Digits(text, 8, 2);
        if (year == 0 && month == 0 && day == 0)
            throw new InvalidCastException($"The zero date \"{Encoding.UTF8.GetString(text)}\" cannot be read as a DateTime.");
        if (month == 0 || day == 0) throw new InvalidCastException($"The date \"{Encoding.UTF8.GetString(text)}\" has a zero month or day and cannot be read as a DateTime.");
        int hour = 0, minute = 0, second = 0;
        long ticks = 0;
        if (text.Length > 10)
        {
            if (text.Length < 19 || text[10] != ' ' || text[13] != ':' || text[16] != ':') throw BadDate(text);
            hour = Digits(text, 11, 2);
            minute = Digits(text, 14, 2);
            second = Digits(text, 17, 2);
            if (text.Length > 19) ticks = FractionTicks(text[19..], text);
        }
        try
        {
            return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidCastException($"\"{Encoding.UTF8.GetString(text)}\" is not a valid DateTime.", e);
        }
    }

    /// <summary>"[-]H+:MM:SS[.ffffff]"; hours may exceed 24 (TIME ranges over ±838 hours).</summary>
    public static TimeSpan ParseTimeSpan(ReadOnlySpan<byte> text)
    {
        var negative = text.Length > 0 && text[0] == '-';
        var rest = negative ? text[1..] : text;
        var firstColon = rest.IndexOf((byte)':');
        if (firstColon < 1 || rest.Length < firstColon + 6 || rest[firstColon + 3] != ':') throw BadTime(text);
        if (!Utf8Parser.TryParse(rest[..firstColon], out long hours, out var consumed) || consumed != firstColon) throw BadTime(text);
        var minutes = Digits(rest, firstColon + 1, 2);
        var seconds = Digits(rest, firstColon + 4, 2);
        var fraction = rest.Length > firstColon + 6 ? FractionTicks(rest[(firstColon + 6)..], text) : 0;
        var ticks = hours * TimeSpan.TicksPerHour + minutes * TimeSpan.TicksPerMinute + seconds * TimeSpan.TicksPerSecond + fraction;
        return new TimeSpan(negative ? -ticks : ticks);
    }

    private static long FractionTicks(ReadOnlySpan<byte> fraction, ReadOnlySpan<byte> whole)
    {
        if (fraction.Length < 2 || fraction[0] != '.') throw BadDate(whole);
        var digits = fraction[1..];
        if (digits.Length > 7) digits = digits[..7];
        long value = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') throw BadDate(whole);
            value = value * 10 + (b - '0');
        }
        for (var i = digits.Length; i < 7; i++) value *= 10;
        return value;
    }

    private static int Digits(ReadOnlySpan<byte> text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var b = text[i];
            if (b is < (byte)'0' or > (byte)'9') throw BadDate(text);
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static InvalidCastException BadDate(ReadOnlySpan<byte> text) => new($"\"{Encoding.UTF8.GetString(text)}\" is not a date/time value.");

    private static InvalidCastException BadTime(ReadOnlySpan<byte> text) => new($"\"{Encoding.UTF8.GetString(text)}\" is not a TIME value.");
}
