using System.Text.RegularExpressions;

namespace Linli.Domain.People;

/// <summary>Normalising and checking a document number for its type, before it is hashed and encrypted.</summary>
public static partial class IdentityDocument
{
    /// <summary>
    /// The form that is stored and hashed: no spaces, upper case (so "x" and "X" find the same person).
    /// </summary>
    public static string Normalise(string number) =>
        string.Concat(number.Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpperInvariant();

    /// <summary>Null when the normalised <paramref name="number"/> is a valid <paramref name="type"/>; otherwise why not.</summary>
    public static string? Problem(DocumentType type, string number, DateOnly today) => type switch
    {
        DocumentType.MainlandIdCard => IdentityNumber.Problem(number, today),
        DocumentType.Passport => PassportPattern().IsMatch(number) ? null : "A passport number has 5–20 letters and digits.",
        DocumentType.HongKongMacauPermit => HongKongMacauPattern().IsMatch(number) ? null : "A Hong Kong/Macau permit number is H or M and 8 or 10 digits.",
        DocumentType.TaiwanPermit => TaiwanPattern().IsMatch(number) ? null : "A Taiwan permit number has 8 or 10 digits.",
        _ => "Unknown document type.",
    };

    [GeneratedRegex("^[A-Z0-9]{5,20}$")]
    private static partial Regex PassportPattern();

    [GeneratedRegex("^[HM][0-9]{8}([0-9]{2})?$")]
    private static partial Regex HongKongMacauPattern();

    [GeneratedRegex("^[0-9]{8}([0-9]{2})?$")]
    private static partial Regex TaiwanPattern();
}
