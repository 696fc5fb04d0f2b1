using System.ComponentModel.DataAnnotations;
using Linli.Api.PartyMembers;
using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

public sealed record LocationDto(double Latitude, double Longitude);

/// <summary>Body of <c>POST /api/v1/tickets</c> (点单).</summary>
public sealed record CreateTicketRequest(
    long? CategoryId,
    string? Description,
    string? HouseCode = null,
    long? GridId = null,
    long? CommunityId = null,
    string? Address = null,
    LocationDto? Location = null,
    IReadOnlyList<long>? PhotoIds = null,
    string? ContactPhone = null,
    // mini_program (default); grid workers and community staff may also use patrol, phone, on_behalf.
    string? Channel = null,
    string? OnBehalfName = null,
    string? OnBehalfPhone = null);

public sealed record TicketListItemDto(
    long Id, string Number, TicketState Status, long CategoryId, string CategoryName, long CommunityId, long? GridId,
    string Description, string Channel, DateTimeOffset? DueAt, bool IsOverdue, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record TicketPageDto(IReadOnlyList<TicketListItemDto> Items, string? NextCursor);

public sealed record PersonDto(long Id, string? Name);

/// <summary>
/// The current handler. <c>isPartyMember</c> shows the 党员 badge (党员亮身份) and <c>partyBadge</c> what it reads: only for
/// a party member confirmed in the ticket's community who agreed to show it, so a member who did not is shown as anyone else.
/// </summary>
public sealed record HandlerDto(
    long? UserId, string? Name, bool IsPartyMember, PartyBadgeDto? PartyBadge, long? DepartmentId, string? DepartmentName);

public sealed record TicketEventDto(
    long Id, PersonDto? Actor, string ActorRole, string Action, TicketState? FromStatus, TicketState ToStatus,
    string? Note, bool IsInternal, IReadOnlyList<PhotoDto> Photos, DateTimeOffset CreatedAt);

public sealed record PhotoDto(long Id, string Url);

public sealed record TicketDto(
    long Id,
    string Number,
    TicketState Status,
    long CategoryId,
    string CategoryName,
    long CommunityId,
    string CommunityName,
    long? GridId,
    string? HouseCode,
    string? Address,
    LocationDto? Location,
    string Description,
    string Channel,
    PersonDto Submitter,
    string? ContactPhone,
    string? OnBehalfName,
    string? OnBehalfPhone,
    bool? NeedsReview,
    long? DepartmentId,
    string? DepartmentName,
    // The category's default department, which the dispatch form suggests; only for those who work on the ticket.
    long? SuggestedDepartmentId,
    HandlerDto? Handler,
    DateTimeOffset? DueAt,
    bool IsOverdue,
    int ReopenCount,
    int? Satisfaction,
    string? EvaluationComment,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<PhotoDto> Photos,
    IReadOnlyList<TicketEventDto> Timeline,
    IReadOnlyList<TicketAction> AllowedActions,
    // The departments summoned to the ticket (吹哨), oldest first; empty when nobody whistled.
    IReadOnlyList<SummonsDto> Summonses,
    // How many escalation steps the overdue ticket has climbed (0: none).
    int EscalationLevel);

/// <summary>A ticket category: <c>dueHours</c> is the default window of a dispatch or publish without a due time, <c>defaultDepartmentId</c> the department the dispatch form suggests.</summary>
public sealed record CategoryDto(long Id, string Name, int SortOrder, bool IsActive, int DueHours, long? DefaultDepartmentId);

/// <summary>
/// Body of creating or changing a category; a field left out keeps its value (on create: sort order 1000, active, 72 hours,
/// no default department). <c>clearDefaultDepartment</c> removes the default department.
/// </summary>
public sealed record CategoryRequest(
    [StringLength(50, MinimumLength = 1)] string? Name,
    int? SortOrder,
    bool? IsActive,
    [Range(1, 8760)] int? DueHours = null,
    [Range(1, long.MaxValue)] long? DefaultDepartmentId = null,
    bool? ClearDefaultDepartment = null);
