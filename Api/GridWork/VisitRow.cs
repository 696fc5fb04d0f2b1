using Linli.Api.Houses;
using Linli.Domain.GridWork;
using Linli.Domain.Tickets;

namespace Linli.Api.GridWork;

/// <summary>A visit as <see cref="Columns"/> reads it.</summary>
internal sealed class VisitRow
{
    /// <summary>Needs visits <c>v</c> joined to houses <c>h</c> and left-joined to users <c>u</c> (the visitor).</summary>
    public const string Columns = """
        v.id AS Id, v.household_id AS HouseholdId, v.house_id AS HouseId, h.code AS HouseCode,
        CONCAT_WS(' ', h.street, h.building, h.unit, h.door) AS Address, v.community_id AS CommunityId, v.grid_id AS GridId,
        v.visitor_id AS VisitorId, u.nickname AS VisitorName, v.kind AS Kind, v.note AS Note, v.latitude AS Latitude,
        v.longitude AS Longitude, v.visited_at AS VisitedAt
        """;

    public const string From = """
        FROM visits v
        JOIN houses h ON h.id = v.house_id
        LEFT JOIN users u ON u.id = v.visitor_id
        """;

    /// <summary>Who sees a visit: its visitor, the staff of its community, the workers of its grid, admins (as tickets).</summary>
    public const string Visible = "(@admin = 1 OR v.visitor_id = @me OR v.community_id IN @staffCommunities OR v.grid_id IN @grids)";

    public long Id { get; init; }
    public long? HouseholdId { get; init; }
    public long HouseId { get; init; }
    public string HouseCode { get; init; } = "";
    public string Address { get; init; } = "";
    public long CommunityId { get; init; }
    public long GridId { get; init; }
    public long VisitorId { get; init; }
    public string? VisitorName { get; init; }
    public string Kind { get; init; } = "";
    public string Note { get; init; } = "";
    public decimal? Latitude { get; init; }
    public decimal? Longitude { get; init; }
    public DateTime VisitedAt { get; init; }

    public VisitDto ToDto(IEnumerable<long> photoIds, IEnumerable<VisitTicketRow> tickets, IReadOnlyList<UnfiledIssueDto>? unfiled = null) => new(
        Id, HouseholdId, HouseId, HouseCode, Address, CommunityId, GridId, VisitorId, VisitorName, DbEnum.Parse(Kind, VisitKind.Visit), Note,
        Latitude is { } lat && Longitude is { } lon ? new VisitLocation((double)lat, (double)lon) : null,
        HouseRow.Utc(VisitedAt), photoIds.ToList(),
        tickets.Select(t => new VisitTicketDto(t.TicketId, t.Number, TicketStates.Parse(t.Status), t.Description)).ToList(),
        unfiled ?? []);
}

internal sealed class VisitTicketRow
{
    public long VisitId { get; init; }
    public long TicketId { get; init; }
    public string Number { get; init; } = "";
    public string Status { get; init; } = "";
    public string Description { get; init; } = "";
}
