namespace Linli.Domain.People;

/// <summary>
/// How personal numbers are shown to anyone who did not make an audited full read. Each mask keeps so little that
/// no number of masked views and 以人找房 look-ups narrows a number down: a mainland ID card's first two and last
/// two characters leave its area, birth date and sequence hidden (the old six-and-four mask left only the birth
/// date, about 2,300 candidates that look-ups could try one by one).
/// </summary>
public static class Masking
{
    /// <summary>13812345678 → 138****5678 (a mainland mobile); any other number keeps at most its last two digits.</summary>
    public static string Phone(string phone)
    {
        if (phone.Length == 11 && phone[0] == '1')
            return string.Concat(phone.AsSpan(0, 3), "****", phone.AsSpan(7));
        return Keep(phone, 0, 2);
    }

    /// <summary>
    /// 53010219900101123X → 53**************3X for a mainland ID card; a passport or permit keeps only its first
    /// and last character (E12345678 → E*******8).
    /// </summary>
    public static string IdentityNumber(DocumentType type, string number) =>
        type == DocumentType.MainlandIdCard ? Keep(number, 2, 2) : Keep(number, 1, 1);

    /// <summary>The first <paramref name="head"/> and last <paramref name="tail"/> characters, the rest as stars; all stars when that would show half or more.</summary>
    private static string Keep(string value, int head, int tail)
    {
        if (value.Length < 2 * (head + tail))
            return new string('*', value.Length);
        return string.Concat(value.AsSpan(0, head), new string('*', value.Length - head - tail), value.AsSpan(value.Length - tail));
    }
}
