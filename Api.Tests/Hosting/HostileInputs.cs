using System.Text;
using System.Text.Json.Nodes;

namespace Linli.Api.Tests.Hosting;

/// <summary>
/// The hostile values the bad-input sweep sends, and a plausible request body built from an operation's
/// OpenAPI schema so that one field at a time can be made wrong. Everything here is fixed: the sweep sends
/// the same requests on every run.
/// </summary>
public static class HostileInputs
{
    public const string MissingId = "999999999";
    public static readonly string LongText = new('长', 5000);
    public static readonly string Emoji = "😀👨‍👩‍👧🀄";
    public const string ControlChars = "a\u0000b\u0001c\u001fd\u007fe\u2028f";

    /// <summary>Route segments, already escaped for the URL: missing, negative, zero, overflowing, not a number, odd characters.</summary>
    /// <remarks>No <c>%00</c>: Kestrel refuses a path holding a NUL with its own 400 before the app runs, and the in-memory
    /// test server cannot send one at all (it throws in the client), so there is nothing of ours to test.</remarks>
    public static readonly string[] RouteValues =
    [
        MissingId, "-1", "0", "9223372036854775808", "99999999999999999999999", "abc", "1.5",
        Uri.EscapeDataString(Emoji), "%0A", "%01", Uri.EscapeDataString(LongText[..300]), "..%2F..%2Fetc",
    ];

    /// <summary>Query values for a numeric parameter.</summary>
    public static readonly string[] NumberQueryValues =
        ["abc", "-1", "0", "2147483648", "99999999999999999999999", "1.5", "", "1e5"];

    public static readonly string[] BooleanQueryValues = ["maybe", "", "2"];

    /// <summary>Query values for a text parameter: enums, dates, cursors and free text all get all of them.</summary>
    public static readonly string[] TextQueryValues =
    [
        "", LongText, Emoji, ControlChars, "no_such_value", "!!!garbage%%%",
        "AAAAAAAAAAAAAAAAAAAAAA==", Convert.ToBase64String("{\"id\":\"x\",\"at\":-1}"u8.ToArray()),
        Convert.ToBase64String([0xff, 0xfe, 0x00, 0x01, 0x80]), "eyJ", "not-a-date", "2024-02-30",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "-1", "99999999999999999999999",
    ];

    /// <summary>Whole request bodies that are not what any JSON endpoint reads.</summary>
    public static readonly (string Name, string Body, string ContentType)[] RawBodies =
    [
        ("empty body", "", "application/json"),
        ("truncated JSON", "{\"a\":", "application/json"),
        ("not JSON", "<xml/>", "application/json"),
        ("JSON array", "[]", "application/json"),
        ("JSON null", "null", "application/json"),
        ("JSON string", "\"text\"", "application/json"),
        ("JSON number", "123", "application/json"),
        ("deeply nested JSON", new string('[', 200) + new string(']', 200), "application/json"),
        ("plain text content type", "{}", "text/plain"),
        ("XML content type", "<a/>", "application/xml"),
        ("form content type", "a=1", "application/x-www-form-urlencoded"),
        ("unknown charset", "{}", "application/json; charset=no-such-charset"),
        ("UTF-16 charset", "{}", "application/json; charset=utf-16"),
    ];

    /// <summary>Wrong values for one field, by the field's schema type.</summary>
    public static IEnumerable<(string Name, JsonNode? Value)> WrongValuesFor(JsonObject schema)
    {
        yield return ("null", null);
        yield return ("array", new JsonArray());
        yield return ("object", new JsonObject());
        foreach (var (name, value) in NotExactlyOneName(schema))
            yield return (name, value);
        switch (TypeOf(schema))
        {
            case "integer":
            case "number":
                yield return ("string", "abc");
                yield return ("numeric string", "12");
                yield return ("fraction", 1.5);
                yield return ("negative", -1);
                yield return ("missing id", 999999999);
                yield return ("long max", long.MaxValue);
                yield return ("overflow", JsonNode.Parse("99999999999999999999999999"));
                yield return ("boolean", true);
                break;
            case "boolean":
                yield return ("string", "yes");
                yield return ("number", 1);
                break;
            case "array":
                yield return ("string", "x");
                yield return ("array of nulls", new JsonArray(null, null));
                yield return ("array of text", new JsonArray("abc", LongText));
                yield return ("array of numbers", new JsonArray(-1, 999999999, long.MaxValue));
                yield return ("array of 1000 numbers", new JsonArray(Enumerable.Range(1, 1000).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()));
                break;
            case "object":
                yield return ("string", "x");
                break;
            default:
                yield return ("number", 123);
                yield return ("boolean", true);
                yield return ("empty", "");
                yield return ("whitespace", "   ");
                yield return ("long text", LongText);
                yield return ("4-byte emoji", Emoji);
                yield return ("control characters", ControlChars);
                yield return ("unknown enum value", "no_such_value");
                yield return ("bad date", "2024-02-30T25:61:00Z");
                yield return ("year 1", "0001-01-01T00:00:00Z");
                yield return ("year 9999", "9999-12-31T23:59:59+14:00");
                yield return ("SQL", "'; DROP TABLE users; --");
                break;
        }
    }

    /// <summary>Marks the values that <see cref="NotExactlyOneName"/> makes: the sweep requires each to be refused.</summary>
    public const string EnumVariant = "enum variant: ";

    /// <summary>
    /// For an enum: values close to a declared name that are still not exactly one declared name — comma-joined (which
    /// .NET's own converter ORs into an undefined value), numbers, padding, other casings. Each must be refused.
    /// </summary>
    public static IEnumerable<(string Name, JsonNode? Value)> NotExactlyOneName(JsonObject schema)
    {
        if (schema["enum"] is not JsonArray names)
            yield break;
        var declared = names.OfType<JsonValue>().Select(n => n.GetValue<string>()).ToList();
        if (declared.Count == 0)
            yield break;
        var first = declared[0];
        var second = declared[^1];
        yield return (EnumVariant + "comma-joined", $"{first}, {second}");
        yield return (EnumVariant + "comma-joined without a space", $"{first},{second}");
        yield return (EnumVariant + "the same name twice", $"{first},{first}");
        yield return (EnumVariant + "number", 1);
        yield return (EnumVariant + "number out of range", 99);
        yield return (EnumVariant + "numeric string", "1");
        yield return (EnumVariant + "padded", $" {first} ");
        yield return (EnumVariant + "trailing space", first + " ");
        yield return (EnumVariant + "upper case", first.ToUpperInvariant());
        yield return (EnumVariant + "Pascal case", string.Concat(first.Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..])));
    }

    /// <summary>A body that reads as the schema asks, so that changing one field tests that field alone.</summary>
    public static JsonNode? Plausible(JsonObject? schema, Func<JsonObject?, JsonObject?> resolve, int depth = 0)
    {
        schema = resolve(schema);
        if (schema is null || depth > 4)
            return null;
        if (schema["enum"] is JsonArray { Count: > 0 } values)
            return values[0]?.DeepClone();
        return TypeOf(schema) switch
        {
            "integer" => 1,
            "number" => 1.0,
            "boolean" => false,
            "array" => new JsonArray(),
            "object" => PlausibleObject(schema, resolve, depth),
            _ => schema["format"]?.GetValue<string>() switch
            {
                "date-time" => "2026-01-01T08:00:00+08:00",
                "date" => "2026-01-01",
                _ => "坏输入测试",
            },
        };
    }

    private static JsonObject PlausibleObject(JsonObject schema, Func<JsonObject?, JsonObject?> resolve, int depth)
    {
        var result = new JsonObject();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
                result[name] = Plausible(property as JsonObject, resolve, depth + 1);
        }
        return result;
    }

    public static string? TypeOf(JsonObject schema) =>
        schema["type"]?.GetValue<string>() ?? (schema["properties"] is not null ? "object" : null);

    public static string Excerpt(string text) =>
        text.Length <= 300 ? text : text[..300] + "…";

    public static string Describe(string value)
    {
        var decoded = Uri.UnescapeDataString(value);
        var shown = new StringBuilder();
        foreach (var c in decoded.Length > 40 ? decoded[..40] + "…(" + decoded.Length + " chars)" : decoded)
            shown.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return shown.ToString();
    }
}
