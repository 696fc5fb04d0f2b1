using System.Security.Cryptography;

namespace Linli.Domain.Houses;

/// <summary>
/// A house's code (一房一码): printed under its QR code, read aloud on the phone, and carried as
/// WeChat's <c>scene</c> (at most 32 characters). Random, so one house's code says nothing about another's.
/// </summary>
public static class HouseCode
{
    /// <summary>Digits and capitals without 0/O, 1/I/L, which people confuse when they read a printed code.</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>31^10 ≈ 8·10^14 codes: a collision among a few thousand houses is practically impossible, and still checked.</summary>
    public const int Length = 10;

    public const int MinLength = 8;
    public const int MaxLength = 10;

    public static string New() => new(RandomNumberGenerator.GetItems<char>(Alphabet, Length));

    /// <summary>Upper-cases and trims what a person typed; null when it cannot be a code.</summary>
    public static string? Normalise(string? input)
    {
        if (input is null)
            return null;
        var code = input.Trim().ToUpperInvariant();
        if (code.Length is < MinLength or > MaxLength)
            return null;
        foreach (var c in code)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
                return null;
        }
        return code;
    }
}
