namespace Linli.Domain.People;

/// <summary>
/// Phones are hashed for look-ups, so every feature must normalise them the same way before
/// <c>FieldProtector.Hash</c>: digits only, and a mainland number without its +86 prefix.
/// </summary>
public static class PhoneNumber
{
    public static string Normalise(string phone)
    {
        var digits = string.Concat(phone.Where(char.IsAsciiDigit));
        if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal) && digits[2] == '1')
            return digits[2..];
        return digits;
    }

    /// <summary>Null when the normalised phone is usable: 6–15 digits (mainland mobiles have 11; landlines with area code and foreign numbers vary).</summary>
    public static string? Problem(string normalised)
    {
        if (normalised.Length is < 6 or > 15)
            return "A phone number has 6–15 digits.";
        return null;
    }
}
