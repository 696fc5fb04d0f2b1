namespace Linli.Domain.PartyMembers;

/// <summary>Where a report-in stands. Stored as the snake_case name (<c>pending</c>, <c>confirmed</c>, <c>declined</c>).</summary>
public enum PartyMemberStatus
{
    Pending,
    Confirmed,
    Declined,
}

public static class PartyMemberStatuses
{
    public static string ToStored(this PartyMemberStatus status) => status switch
    {
        PartyMemberStatus.Pending => "pending",
        PartyMemberStatus.Confirmed => "confirmed",
        PartyMemberStatus.Declined => "declined",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? value, out PartyMemberStatus status)
    {
        switch (value)
        {
            case "pending": status = PartyMemberStatus.Pending; return true;
            case "confirmed": status = PartyMemberStatus.Confirmed; return true;
            case "declined": status = PartyMemberStatus.Declined; return true;
            default: status = default; return false;
        }
    }

    public static PartyMemberStatus FromStored(string value) =>
        TryParse(value, out var status) ? status : throw new InvalidOperationException($"Unknown party member status '{value}'.");
}
