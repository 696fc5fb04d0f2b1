namespace Linli.Domain.PartyMembers;

/// <summary>Mainland mobile numbers as residents type them: spaces, dashes and a +86 or 86 prefix are tolerated.</summary>
public static class MobileNumber
{
    /// <summary>What <see cref="Normalise"/> accepts, as a regular expression over the typed text (for the API schema).</summary>
    public const string Pattern = @"[ -]*(\+[ -]*8[ -]*6|8[ -]*6)?[ -]*1[ -]*[3-9]([ -]*[0-9]){9}[ -]*";

    /// <summary>The 11 digits (1[3-9]xxxxxxxxx), or null when the input is not a mobile number.</summary>
    public static string? Normalise(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
            return null;
        var digits = new string(input.Where(c => c is not (' ' or '-')).ToArray());
        if (digits.StartsWith("+86", StringComparison.Ordinal))
            digits = digits[3..];
        else if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal))
            digits = digits[2..];
        if (digits.Length != 11 || digits[0] != '1' || digits[1] is < '3' or > '9' || !digits.All(char.IsAsciiDigit))
            return null;
        return digits;
    }
}
