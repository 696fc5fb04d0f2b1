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

    /// <summary>
    /// The stored name's value, or <paramref name="unknown"/> for a name the code does not declare (a row written by
    /// hand, or by a release that let a bad value through): one bad row must not make every read of a house or list
    /// fail, so each caller names the value that grants least (vacant, declined, the strictest mask).
    /// </summary>
    public static T Parse<T>(string name, T unknown) where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(Name(value), name, StringComparison.Ordinal))
                return value;
        }
        return unknown;
    }
}
