using System.ComponentModel.DataAnnotations;

namespace Linli.Api.Hosting;

/// <summary>
/// A field that breaks a rule the validator cannot check before the handler (an id that names no active row):
/// <c>throw Invalid.Field("gridId", "…")</c> answers the same field-level 400 as the annotations do.
/// </summary>
public static class Invalid
{
    public static ValidationException Field(string field, string message) =>
        new(new ValidationResult(message, [field]), null, null);
}
