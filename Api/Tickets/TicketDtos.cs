using System.ComponentModel.DataAnnotations;
using Linli.Api.Hosting;
using Linli.Api.PartyMembers;
using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

public sealed record LocationDto([Range(-90, 90)] double Latitude, [Range(-180, 180)] double Longitude);

/// <summary>
/// Body of <c>POST /api/v1/tickets</c> (点单). Where: a house code, or a grid, or a community. Someone else's name and
/// phone come with the channel <c>on_behalf</c> (both needed) or <c>phone</c>, never with <c>mini_program</c>.
/// </summary>
public sealed record CreateTicketRequest(
    [Required] long? CategoryId,
    [Required, StringLength(1000, MinimumLength = 5)] string Description,
    [StringLength(32)] string? HouseCode = null,
    long? GridId = null,
    long? CommunityId = null,
    [StringLength(200)] string? Address = null,
    LocationDto? Location = null,
    [MaxLength(TicketReporting.MaxPhotos)] IReadOnlyList<long>? PhotoIds = null,
    [RegularExpression(CreateTicketRequest.PhonePattern, ErrorMessage = CreateTicketRequest.PhoneMessage)] string? ContactPhone = null,
    // mini_program (default); grid workers and community staff may also use patrol, phone, on_behalf.
    [OneOf(typeof(TicketReporting), nameof(TicketReporting.Channels))] string? Channel = null,
    [StringLength(50)] string? OnBehalfName = null,
    [RegularExpression(CreateTicketRequest.PhonePattern, ErrorMessage = CreateTicketRequest.PhoneMessage)] string? OnBehalfPhone = null)
    : IValidatableObject
{
    /// <summary>5–20 digits after an optional +, spaces and dashes between them (stored without them).</summary>
    public const string PhonePattern = @"[ -]*\+?([ -]*[0-9]){5,20}[ -]*";
    public const string PhoneMessage = "Not a phone number.";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A pattern lets an empty text through; an empty phone is no phone either.
        if (ContactPhone is "")
            yield return new ValidationResult(PhoneMessage, [nameof(ContactPhone)]);
        if (OnBehalfPhone is "")
            yield return new ValidationResult(PhoneMessage, [nameof(OnBehalfPhone)]);
        if (string.IsNullOrWhiteSpace(HouseCode) && GridId is null && CommunityId is null)
            yield return new ValidationResult("Scan a house code, or choose a grid or a community.", [nameof(CommunityId)]);
        var onBehalfName = OnBehalfName?.Trim();
        if (Channel == "on_behalf" && (string.IsNullOrEmpty(onBehalfName) || OnBehalfPhone is null))
            yield return new ValidationResult("Reporting on behalf of someone needs their name and phone.", [nameof(OnBehalfName)]);
        if ((Channel ?? "mini_program") == "mini_program" && (onBehalfName is not null || OnBehalfPhone is not null))
            yield return new ValidationResult("A name and phone of someone else need the channel on_behalf or phone.", [nameof(Channel)]);
    }
}

public sealed record TicketListItemDto(
    long Id, string Number, TicketState Status, long CategoryId, string CategoryName, long CommunityId, long? GridId,
    string Description, [OneOf(typeof(TicketReporting), nameof(TicketReporting.Channels))] string Channel, DateTimeOffset? DueAt, bool IsOverdue,
    // How many escalation steps the overdue ticket has climbed (0: none): the console's 已升级 badge.
    int EscalationLevel, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Followers);

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
    [OneOf(typeof(TicketReporting), nameof(TicketReporting.Channels))] string Channel,
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
    int EscalationLevel,
    // How many follow the ticket ("me too"); they are told of it as its reporter is.
    int Followers,
    // The original this duplicate was merged into; null unless merged.
    long? MergedIntoId,
    // After a poor evaluation, whether the resident was satisfied after the community's return visit (回访); null until one closes it.
    bool? SatisfiedAfterVisit);

/// <summary>A ticket category: <c>dueHours</c> is the default window of a dispatch or publish without a due time, <c>defaultDepartmentId</c> the department the dispatch form suggests.</summary>
public sealed record CategoryDto(long Id, string Name, int SortOrder, bool IsActive, int DueHours, long? DefaultDepartmentId);

/// <summary>A new category; on create a field left out takes its default (sort order 1000, active, 72 hours, no default department).</summary>
public sealed record CreateCategoryRequest(
    [Required, StringLength(50)] string Name,
    int? SortOrder,
    bool? IsActive,
    [Range(1, 8760)] int? DueHours = null,
    [Range(1, long.MaxValue)] long? DefaultDepartmentId = null);

/// <summary>Changes only what it names: an absent field keeps its value; <c>clearDefaultDepartment</c> removes the default department.</summary>
public sealed record UpdateCategoryRequest(
    [StringLength(50), RegularExpression(@".*\S.*", ErrorMessage = "The name needs a character that is not a space.")] string? Name,
    int? SortOrder,
    bool? IsActive,
    [Range(1, 8760)] int? DueHours = null,
    [Range(1, long.MaxValue)] long? DefaultDepartmentId = null,
    bool? ClearDefaultDepartment = null);
