using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Linli.Domain.Stats;

namespace Linli.Infrastructure.Notifications;

/// <summary>
/// WeChat's rules for subscribe-message values (subscribeMessage.send, 订阅消息参数值内容限制说明). A value that breaks
/// its keyword's rule is refused with 47003, which is final: the message is lost. So every value is fitted here,
/// never left empty (a fallback text instead), never cut inside a surrogate pair or a composed emoji.
/// The keyword's type is its name without the trailing number: <c>thing2</c> is a <c>thing</c>.
/// </summary>
public static partial class SubscribeValueRules
{
    public const string Thing = "thing";
    public const string Phrase = "phrase";
    public const string CharacterString = "character_string";
    public const string Time = "time";
    public const string Date = "date";

    /// <summary>The keyword types Linli can fill, with WeChat's length limit in characters.</summary>
    public static readonly IReadOnlyDictionary<string, int> MaxLength = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [Thing] = 20,
        [Phrase] = 5,
        [CharacterString] = 32,
        [Time] = 30,
        [Date] = 30,
    };

    /// <summary>What a value that has nothing usable left becomes (WeChat refuses empty values).</summary>
    public static string Fallback(string type) => type switch
    {
        CharacterString => "-",
        _ => "无",
    };

    /// <summary><c>thing2</c> → <c>thing</c>; null when the key is not a WeChat keyword name.</summary>
    public static string? TypeOf(string keyword) =>
        KeywordPattern().Match(keyword) is { Success: true } match ? match.Groups["type"].Value : null;

    /// <summary>
    /// The value as WeChat accepts it for a keyword of <paramref name="type"/>. Times are given as ISO 8601 instants
    /// and written in China time as the documentation shows them (<c>2019年10月1日 15:01</c>); a value already in
    /// that form is kept, so fitting twice changes nothing.
    /// </summary>
    public static string Fit(string type, string? value, DateTimeOffset now) => type switch
    {
        Thing => Cut(Clean(value), MaxLength[Thing]) ?? Fallback(type),
        Phrase => Cut(string.Concat(Clean(value).Where(IsHan)), MaxLength[Phrase]) ?? Fallback(type),
        CharacterString => Cut(string.Concat(Clean(value).Where(c => c is > ' ' and <= '~')), MaxLength[CharacterString]) ?? Fallback(type),
        Time => FormatTime(value, now, withTime: true),
        Date => FormatTime(value, now, withTime: false),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a keyword type Linli fills."),
    };

    /// <summary>Null when WeChat accepts <paramref name="value"/> for <paramref name="type"/>; otherwise why not (the fake WeChat server's check too).</summary>
    public static string? Problem(string type, string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "is empty";
        if (value.Any(char.IsControl) || HasLoneSurrogate(value))
            return "holds control characters, line breaks or a broken character";
        return type switch
        {
            Thing when value.Length > MaxLength[Thing] => "is longer than 20 characters",
            Phrase when value.Length > MaxLength[Phrase] || !value.All(IsHan) => "is not 1–5 Chinese characters",
            CharacterString when value.Length > MaxLength[CharacterString] || !value.All(c => c is > ' ' and <= '~') => "is not 1–32 letters, digits or symbols",
            Time when !TimePattern().IsMatch(value) => "is not a time such as 2019年10月1日 15:01",
            Date when !DatePattern().IsMatch(value) => "is not a date such as 2019年10月1日",
            _ => null,
        };
    }

    /// <summary>Line breaks, tabs and other control characters become spaces; runs of spaces one; ends trimmed.</summary>
    private static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        var text = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space && text.Length > 0)
                text.Append(' ');
            space = false;
            text.Append(c);
        }
        return HasLoneSurrogate(text.ToString()) ? string.Concat(text.ToString().EnumerateRunes().Where(r => r != Rune.ReplacementChar)) : text.ToString();
    }

    /// <summary>
    /// At most <paramref name="max"/> UTF-16 units, whole text elements only (an emoji is never split); a cut value
    /// ends with "…". Null when nothing is left.
    /// </summary>
    private static string? Cut(string value, int max)
    {
        if (value.Length == 0)
            return null;
        if (value.Length <= max)
            return value;
        var kept = new StringBuilder(max);
        var elements = StringInfo.GetTextElementEnumerator(value);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (kept.Length + element.Length > max - 1)
                break;
            kept.Append(element);
        }
        return kept.ToString().TrimEnd() + "…";
    }

    private static string FormatTime(string? value, DateTimeOffset now, bool withTime)
    {
        var pattern = withTime ? TimePattern() : DatePattern();
        if (value is not null && pattern.IsMatch(value))
            return value;
        var instant = now;
        if (value is not null && LegacyChinaTime().Match(value) is { Success: true } legacy)
            instant = new DateTimeOffset(DateTime.ParseExact(legacy.Value, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), ChinaStandardTime.Offset);
        else if (value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
            instant = parsed;
        var china = instant.ToOffset(ChinaStandardTime.Offset);
        return china.ToString(withTime ? "yyyy年M月d日 HH:mm" : "yyyy年M月d日", CultureInfo.InvariantCulture);
    }

    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF';

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(value[i]))
                return true;
        }
        return false;
    }

    [GeneratedRegex("^(?<type>[a-z]+(?:_[a-z]+)*)(?<number>[0-9]+)$")]
    private static partial Regex KeywordPattern();

    [GeneratedRegex(@"^(\d{4}年\d{1,2}月\d{1,2}日 )?\d{2}:\d{2}$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?$")]
    private static partial Regex DatePattern();

    /// <summary>Outbox rows written before issue 17 carry China wall time as <c>2026-11-22 10:00</c>.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")]
    private static partial Regex LegacyChinaTime();
}
