using System.Text.Json;
using System.Text.RegularExpressions;

namespace Linli.Api.Hosting;

/// <summary>
/// The minimal-API validator names a field by its C# path (<c>StreetOffice</c>, <c>Location.Latitude</c>,
/// <c>PhotoIds[0]</c>); clients know it by its JSON path. This renames those keys to camelCase, as the request
/// spells them, so a 400 names <c>streetOffice</c> whichever way it was found. Keys that are not C# paths (a header
/// such as <c>Idempotency-Key</c>) are left as they are.
/// </summary>
public static partial class ValidationProblemKeys
{
    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*(\[[0-9]+\])?(\.[A-Za-z][A-Za-z0-9]*(\[[0-9]+\])?)*$")]
    private static partial Regex CSharpPath();

    public static void ToJsonNames(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.Where(k => CSharpPath().IsMatch(k)).ToList())
        {
            var name = string.Join('.', key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
            var messages = errors[key];
            errors.Remove(key);
            errors[name] = errors.TryGetValue(name, out var existing) ? [.. existing, .. messages] : messages;
        }
    }
}
