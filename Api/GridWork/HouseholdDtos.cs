using System.ComponentModel.DataAnnotations;
using Linli.Domain.GridWork;

namespace Linli.Api.GridWork;

/// <summary>One member of a household. The ID number (居民身份证) and phone are optional; a child may have neither.</summary>
public sealed record MemberRequest(
    [Required, StringLength(64, MinimumLength = 1)] string Name,
    [Required] MemberRelation? Relation,
    [StringLength(24)] string? IdNumber = null,
    [StringLength(20)] string? Phone = null,
    [MaxLength(10)] IReadOnlyList<HouseholdTag>? Tags = null);

/// <summary>A household as registered or updated: how it lives in the house and all its members (replacing the old list).</summary>
public sealed record HouseholdRequest(
    [Required] Occupancy? Occupancy,
    [Required, MinLength(1), MaxLength(20)] IReadOnlyList<MemberRequest> Members);

/// <summary>A member as anyone but an audited full read sees them: ID number and phone masked. Tags only to whom may see them.</summary>
public sealed record MemberDto(string Name, MemberRelation Relation, string? IdNumber, string? Phone, IReadOnlyList<HouseholdTag> Tags);

public sealed record HouseholdDto(
    long Id, long HouseId, string HouseCode, string Address, long CommunityId, long GridId, string GridName,
    Occupancy Occupancy, HouseholdStatus Status, long? OwnerUserId, IReadOnlyList<MemberDto> Members,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ConfirmedAt);

/// <summary>A line of the household list: the head, how many live there and their tags (no numbers at all).</summary>
public sealed record HouseholdListItemDto(
    long Id, long HouseId, string HouseCode, string Address, long GridId, string GridName, string HeadName,
    int MemberCount, HouseholdStatus Status, IReadOnlyList<HouseholdTag> Tags);

public sealed record HouseholdPageDto(IReadOnlyList<HouseholdListItemDto> Items, long? NextBefore);

/// <summary>A member's full numbers, returned only by an audited read.</summary>
public sealed record MemberPersonalDataDto(string Name, MemberRelation Relation, string? IdNumber, string? Phone, IReadOnlyList<HouseholdTag> Tags);

public sealed record HouseholdPersonalDataDto(long HouseholdId, IReadOnlyList<MemberPersonalDataDto> Members);
