namespace Linli.Domain.People;

/// <summary>How personal numbers are shown to anyone who did not make an audited full read.</summary>
public static class Masking
{
    /// <summary>13812345678 → 138****5678; other lengths keep at most the first 3 and last 4 characters.</summary>
    public static string Phone(string phone)
    {
        if (phone.Length <= 7)
            return new string('*', phone.Length);
        return string.Concat(phone.AsSpan(0, 3), new string('*', phone.Length - 7), phone.AsSpan(phone.Length - 4));
    }

    /// <summary>530102199001011234 → 530102********1234: region code and the last four stay, the birth date never shows.</summary>
    public static string IdentityNumber(string number)
    {
        if (number.Length <= 10)
            return new string('*', Math.Max(0, number.Length - 2)) + number[Math.Max(0, number.Length - 2)..];
        return string.Concat(number.AsSpan(0, 6), new string('*', number.Length - 10), number.AsSpan(number.Length - 4));
    }
}
