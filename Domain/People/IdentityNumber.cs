using System.Globalization;

namespace Linli.Domain.People;

/// <summary>
/// The 18-character citizen identity number of GB 11643-1999: a 6-digit region code, the birth date
/// (yyyyMMdd), a 3-digit sequence and an ISO 7064 MOD 11-2 check character (0–9 or X).
/// </summary>
public static class IdentityNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>The check character for the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
            sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    /// <summary>
    /// Null when <paramref name="number"/> (already normalised: trimmed, upper case) is valid on <paramref name="today"/>;
    /// otherwise why it is not, in words a person at the desk can act on.
    /// </summary>
    public static string? Problem(string number, DateOnly today)
    {
        if (number.Length != 18)
            return "An identity card number has 18 characters.";
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(number[i]))
                return "The first 17 characters of an identity card number are digits.";
        }
        if (!char.IsAsciiDigit(number[17]) && number[17] != 'X')
            return "The last character of an identity card number is a digit or X.";
        if (number[0] == '0')
            return "The identity card number does not start with a region code.";
        if (!DateOnly.TryParseExact(number.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900 || birth > today)
            return "The identity card number does not contain a possible birth date.";
        if (CheckCharacter(number) != number[17])
            return "The identity card number's check digit does not match: a digit was probably mistyped.";
        return null;
    }
}
