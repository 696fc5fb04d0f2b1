using System.ComponentModel.DataAnnotations;
using Linli.Domain.GridWork;
using Linli.Domain.Tickets;

namespace Linli.Api.GridWork;

public sealed record VisitLocation([Range(-90, 90)] double Latitude, [Range(-180, 180)] double Longitude);

/// <summary>A problem found on the visit; it becomes a patrol ticket reported on the household's behalf.</summary>
public sealed record VisitIssueRequest(
    [Required, Range(1, long.MaxValue)] long? CategoryId,
    [Required, StringLength(1000, MinimumLength = 5)] string Description);

/// <summary>
/// One entry of the field log (民情日志): at a household (<see cref="HouseholdId"/>) or, for a house with no household
/// registered, at the house (<see cref="HouseId"/>) — exactly one of the two. <see cref="VisitedAt"/> defaults to now.
/// </summary>
public sealed record VisitRequest(
    [Range(1, long.MaxValue)] long? HouseholdId,
    [Range(1, long.MaxValue)] long? HouseId,
    [Required] VisitKind? Kind,
    [Required, StringLength(1000, MinimumLength = 2)] string Note,
    [MaxLength(9)] IReadOnlyList<long>? PhotoIds = null,
    VisitLocation? Location = null,
    DateTimeOffset? VisitedAt = null,
    [MaxLength(5)] IReadOnlyList<VisitIssueRequest>? Issues = null) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if ((HouseholdId is null) == (HouseId is null))
            yield return new ValidationResult("Give either householdId or houseId.", [nameof(HouseholdId)]);
    }
}

/// <summary>A ticket a visit's issue became, with its state now.</summary>
public sealed record VisitTicketDto(long TicketId, string Number, TicketState Status, string Description);

/// <summary>An issue that did not become a ticket (WeChat's content check refused its words), so the visitor can rephrase it.</summary>
public sealed record UnfiledIssueDto(int Position, string Reason);

public sealed record VisitDto(
    long Id, long? HouseholdId, long HouseId, string HouseCode, string Address, long CommunityId, long GridId,
    long VisitorId, string? VisitorName, VisitKind Kind, string Note, VisitLocation? Location, DateTimeOffset VisitedAt,
    IReadOnlyList<long> PhotoIds, IReadOnlyList<VisitTicketDto> Tickets, IReadOnlyList<UnfiledIssueDto> Unfiled);

public sealed record VisitPageDto(IReadOnlyList<VisitDto> Items, long? NextBefore);
