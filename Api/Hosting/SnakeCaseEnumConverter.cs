using System.Text.Json;
using System.Text.Json.Serialization;

namespace Linli.Api.Hosting;

/// <summary>
/// Enums travel as exactly one snake_case name (<c>own_use</c>): the standard converter also reads other casings,
/// padded names, comma-joined names (two values OR-ed into one that means neither) and, if allowed, numbers that
/// name no value at all. Anything but a name is a JsonException, which ProblemExceptionHandler answers as a 400
/// naming the field. Writing gives the same names, which is what the database stores too (DbEnum).
/// </summary>
public sealed class SnakeCaseEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Names<>).MakeGenericType(typeToConvert))!;

    private sealed class Names<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly Dictionary<T, string> NameOf =
            Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        private static readonly Dictionary<string, T> ValueOf = NameOf.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && ValueOf.TryGetValue(reader.GetString()!, out var value)
                ? value
                : throw new JsonException($"Expected one of: {string.Join(", ", ValueOf.Keys)}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(NameOf.TryGetValue(value, out var name) ? name : throw new JsonException($"{value} is not a {typeof(T).Name}."));

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ValueOf.TryGetValue(reader.GetString()!, out var value) ? value : throw new JsonException($"Expected one of: {string.Join(", ", ValueOf.Keys)}.");

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WritePropertyName(NameOf[value]);
    }
}
