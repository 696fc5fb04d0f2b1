using System.Text.Json;
using System.Text.Json.Serialization;

namespace Linli.Api.Hosting;

/// <summary>
/// Every enum in JSON, both ways: exactly one declared name in snake_case (<c>"own_use"</c>).
/// .NET's <see cref="JsonStringEnumConverter"/> also reads numbers, other casings, padding and comma-joined
/// names, which it ORs together even for enums that are not flags: <c>"own_use, vacant"</c> bound to 3, an
/// undefined value that reached the database. Anything but a declared name is a <see cref="JsonException"/>,
/// which <see cref="ProblemExceptionHandler"/> turns into a 400 naming the field.
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Names<>).MakeGenericType(typeToConvert))!;

    private sealed class Names<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly Dictionary<T, JsonEncodedText> ByValue = Enum.GetValues<T>()
            .ToDictionary(v => v, v => JsonEncodedText.Encode(JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString())));

        private static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(kv => kv.Value.Value, kv => kv.Key, StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && ByName.TryGetValue(reader.GetString()!, out var value)
                ? value
                : throw new JsonException($"Expected one of: {string.Join(", ", ByName.Keys)}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(ByValue.TryGetValue(value, out var name)
                ? name
                : throw new JsonException($"{typeof(T).Name} {value} is not a declared value."));
    }
}
