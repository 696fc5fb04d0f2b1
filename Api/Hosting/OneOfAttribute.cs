using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Linli.Api.Hosting;

/// <summary>
/// A closed vocabulary kept as strings (role names, party skills, department kinds): the value, or each value of a
/// list, must be one of the words in the static list <paramref name="member"/> of <paramref name="owner"/>. The same
/// list becomes the schema's <c>enum</c> (OpenApi.cs), so the words are written once, where the domain keeps them.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class OneOfAttribute(Type owner, string member) : ValidationAttribute
{
    public IReadOnlyList<string> Words { get; } = Read(owner, member);

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        string word => Words.Contains(word, StringComparer.Ordinal),
        IEnumerable words => words.Cast<object?>().All(w => w is string s && Words.Contains(s, StringComparer.Ordinal)),
        _ => false,
    };

    public override string FormatErrorMessage(string name) => $"Must be one of: {string.Join(", ", Words)}.";

    private static IReadOnlyList<string> Read(Type owner, string member) =>
        (owner.GetField(member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? owner.GetProperty(member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)) as IReadOnlyList<string>
        ?? throw new InvalidOperationException($"{owner.Name}.{member} is not a public static list of words.");
}
