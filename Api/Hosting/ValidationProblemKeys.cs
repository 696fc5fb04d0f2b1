using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using System.Text.RegularExpressions;

namespace Linli.Api.Hosting;

/// <summary>
/// The minimal-API validator names a field by its C# path (<c>StreetOffice</c>, <c>Location.Latitude</c>,
/// <c>PhotoIds[0]</c>); clients know it by its JSON path. This renames those keys to camelCase, as the request
/// spells them, so a 400 names <c>streetOffice</c> whichever way it was found. A header parameter is named by its
/// header (<c>Idempotency-Key</c>, not the C# parameter <c>idempotencyKey</c>); other keys are left as they are.
/// </summary>
public static partial class ValidationProblemKeys
{
    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*(\[[0-9]+\])?(\.[A-Za-z][A-Za-z0-9]*(\[[0-9]+\])?)*$")]
    private static partial Regex CSharpPath();

    /// <param name="errors">The validator's errors, renamed in place.</param>
    /// <param name="endpoint">The endpoint that refused the request, whose header parameters are renamed to their headers.</param>
    public static void ToJsonNames(IDictionary<string, string[]> errors, Endpoint? endpoint = null)
    {
        // A minimal API's handler method is in its endpoint's metadata.
        foreach (var parameter in endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [])
        {
            if (parameter.GetCustomAttribute<FromHeaderAttribute>() is { Name: { } header } && parameter.Name is { } name
                && errors.Remove(name, out var refused))
                errors[header] = errors.TryGetValue(header, out var existing) ? [.. existing, .. refused] : refused;
        }
        foreach (var key in errors.Keys.Where(k => CSharpPath().IsMatch(k)).ToList())
        {
            var name = string.Join('.', key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
            var messages = errors[key];
            errors.Remove(key);
            errors[name] = errors.TryGetValue(name, out var existing) ? [.. existing, .. messages] : messages;
        }
    }
}
