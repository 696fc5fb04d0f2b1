using System.ComponentModel.DataAnnotations;
using Linli.Domain.GridWork;

namespace Linli.Api.GridWork;

/// <summary>
/// Assigns a household to a person of its community (community staff, a grid worker or a party member) with a rhythm.
/// <see cref="StartsOn"/> (a China date) defaults to today.
/// </summary>
public sealed record AssignContactRequest(
    [Required, Range(1, long.MaxValue)] long? HouseholdId,
    [Required, Range(1, long.MaxValue)] long? UserId,
    [Required] ContactRhythm? Rhythm,
    DateOnly? StartsOn = null);

public sealed record ContactAssignmentDto(
    long Id, long HouseholdId, long UserId, string Role, ContactRhythm Rhythm, DateOnly StartsOn,
    DateOnly DueOn, DateTimeOffset? LastVisitAt, bool IsOverdue, DateTimeOffset? EndedAt);

/// <summary>One household on the caller's contact list (4113): where, whom, how often and by when the next visit is due.</summary>
public sealed record MyContactDto(
    long AssignmentId, long HouseholdId, long HouseId, string HouseCode, string Address, string HeadName,
    ContactRhythm Rhythm, DateTimeOffset? LastVisitAt, DateOnly DueOn, bool IsOverdue);
