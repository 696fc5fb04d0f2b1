using System.Text.Json;

namespace Linli.Api.Houses;

/// <summary>
/// Enums are stored as the same snake_case names the API shows ("own_use", "mainland_id_card"),
/// so a row reads the same in SQL as in JSON.
/// </summary>
internal static class DbEnum
{
    public static string Name<T>(T value) where T : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static T Parse<T>(string name) where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(Name(value), name, StringComparison.Ordinal))
                return value;
        }
        throw new InvalidOperationException($"'{name}' is not a stored {typeof(T).Name}.");
    }
}
