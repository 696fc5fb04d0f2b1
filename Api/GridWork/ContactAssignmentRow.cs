using Linli.Api.Houses;
using Linli.Domain.GridWork;
using Linli.Domain.Stats;

namespace Linli.Api.GridWork;

/// <summary>An assignment with the assigned person's last visit to the household, as <see cref="Columns"/> reads it.</summary>
internal sealed class ContactAssignmentRow
{
    /// <summary>Needs contact_assignments <c>a</c>; the last visit comes from ix_visits_household.</summary>
    public const string Columns = """
        a.id AS Id, a.household_id AS HouseholdId, a.user_id AS UserId, a.role AS Role, a.rhythm AS Rhythm,
        a.starts_on AS StartsOn, a.ended_at AS EndedAt, a.notified_due AS NotifiedDue, a.escalated_due AS EscalatedDue,
        (SELECT MAX(v.visited_at) FROM visits v WHERE v.household_id = a.household_id AND v.visitor_id = a.user_id) AS LastVisitAt
        """;

    /// <summary>Where the household lives and who heads it; with <see cref="FromWithHouse"/>.</summary>
    public const string HouseColumns = """
        h.id AS HouseId, h.code AS HouseCode, h.community_id AS CommunityId,
        CONCAT_WS(' ', h.street, h.building, h.unit, h.door) AS Address,
        (SELECT m.name FROM household_members m WHERE m.household_id = a.household_id AND m.relation = 'head' LIMIT 1) AS HeadName
        """;

    public const string FromWithHouse = """
        FROM contact_assignments a
        JOIN households hh ON hh.id = a.household_id
        JOIN houses h ON h.id = hh.house_id
        """;

    public long Id { get; init; }
    public long HouseholdId { get; init; }
    public long UserId { get; init; }
    public string Role { get; init; } = "";
    public string Rhythm { get; init; } = "";
    public DateTime StartsOn { get; init; }
    public DateTime? EndedAt { get; init; }
    public DateTime? NotifiedDue { get; init; }
    public DateTime? EscalatedDue { get; init; }
    public DateTime? LastVisitAt { get; init; }
    public long HouseId { get; init; }
    public string HouseCode { get; init; } = "";
    public long CommunityId { get; init; }
    public string Address { get; init; } = "";
    public string? HeadName { get; init; }

    public ContactRhythm Cadence => DbEnum.Parse(Rhythm, ContactRhythm.Weekly);
    public DateOnly Starts => DateOnly.FromDateTime(StartsOn);
    public DateTimeOffset? LastVisit => LastVisitAt is { } at ? HouseRow.Utc(at) : null;

    public DateOnly DueOn => ContactRhythms.DueDate(Cadence, Starts, LastVisit is { } v ? ChinaStandardTime.DateOf(v) : null);

    public ContactAssignmentDto ToDto(DateOnly today) => new(
        Id, HouseholdId, UserId, Role, Cadence, Starts, DueOn, LastVisit,
        EndedAt is null && ContactRhythms.IsOverdue(DueOn, today), EndedAt is { } e ? HouseRow.Utc(e) : null);
}
