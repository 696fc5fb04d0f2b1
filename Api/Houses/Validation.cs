namespace Linli.Api.Houses;

/// <summary>Collects field errors for a 400 ValidationProblem, named as the request's JSON fields.</summary>
internal sealed class Validation
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors;

    public void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>A required text of at most <paramref name="max"/> characters; returns it trimmed.</summary>
    public string Text(string field, string? value, int max)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
            Add(field, "Required.");
        else if (trimmed.Length > max)
            Add(field, $"At most {max} characters.");
        return trimmed;
    }

    /// <summary>An optional text: null when empty.</summary>
    public string? OptionalText(string field, string? value, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return null;
        if (trimmed.Length > max)
            Add(field, $"At most {max} characters.");
        return trimmed;
    }

    public T Required<T>(string field, T? value) where T : struct
    {
        if (value is null)
            Add(field, "Required.");
        return value ?? default;
    }
}
