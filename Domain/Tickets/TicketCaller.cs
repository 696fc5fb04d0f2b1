namespace Linli.Domain.Tickets;

/// <summary>
/// How the caller relates to one ticket. A user may hold several roles at once (community staff and
/// party member, say): every relationship that holds is set, and the actions allowed are the union.
/// </summary>
/// <param name="IsSubmitter">Reported the ticket (点单).</param>
/// <param name="IsCommunityStaff">Community staff of the ticket's community (or an admin, who supervises every community).</param>
/// <param name="IsDepartmentStaff">Staff of the department the ticket is dispatched to.</param>
/// <param name="IsPartyMember">Party member of the ticket's community.</param>
/// <param name="IsCurrentHandler">The person (or a colleague in the department) handling the ticket now.</param>
/// <param name="IsSystem">The service itself (auto-close).</param>
public sealed record TicketCaller(
    bool IsSubmitter = false,
    bool IsCommunityStaff = false,
    bool IsDepartmentStaff = false,
    bool IsPartyMember = false,
    bool IsCurrentHandler = false,
    bool IsSystem = false,
    /// <summary>Staff of a department summoned to the ticket (吹哨) that has not declined: they add notes, the lead handles it.</summary>
    bool IsSummonedStaff = false)
{
    public static readonly TicketCaller System = new(IsSystem: true);
}

/// <summary>The facts about a ticket that the rules look at besides its state.</summary>
public sealed record TicketFacts(TicketState State, int ReopenCount = 0, DateTimeOffset? LastUrgedAt = null);
