using Linli.Api.Houses;
using Linli.Domain.GridWork;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;

namespace Linli.Api.GridWork;

/// <summary>A household as <see cref="Columns"/> reads it, with the caller's relation to it.</summary>
internal sealed class HouseholdRow
{
    /// <summary>Needs households <c>hh</c> joined to houses <c>h</c> and grids <c>g</c>, and the parameters of <c>Caller.With</c>.</summary>
    public const string Columns = $$"""
        hh.id AS Id, hh.house_id AS HouseId, h.code AS HouseCode,
        CONCAT_WS(' ', h.street, h.building, h.unit, h.door) AS Address, h.community_id AS CommunityId, h.grid_id AS GridId,
        g.name AS GridName, hh.occupancy AS Occupancy, hh.status AS Status, hh.owner_user_id AS OwnerUserId,
        hh.created_at AS CreatedAt, hh.updated_at AS UpdatedAt, hh.confirmed_at AS ConfirmedAt,
        CAST({{Scope.ManagesHouse}} AS SIGNED) AS Manages
        """;

    public const string From = """
        FROM households hh
        JOIN houses h ON h.id = hh.house_id
        JOIN grids g ON g.id = h.grid_id
        """;

    public long Id { get; init; }
    public long HouseId { get; init; }
    public string HouseCode { get; init; } = "";
    public string Address { get; init; } = "";
    public long CommunityId { get; init; }
    public long GridId { get; init; }
    public string GridName { get; init; } = "";
    public string Occupancy { get; init; } = "";
    public string Status { get; init; } = "";
    public long? OwnerUserId { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public DateTime? ConfirmedAt { get; init; }
    public long Manages { get; init; }

    /// <summary>Staff of the house's community or grid (or an admin).</summary>
    public bool CallerManages => Manages != 0;

    public HouseholdStatus State => DbEnum.Parse(Status, HouseholdStatus.Pending);

    public HouseholdDto ToDto(IReadOnlyList<MemberRow> members, FieldProtector protector) => new(
        Id, HouseId, HouseCode, Address, CommunityId, GridId, GridName, DbEnum.Parse(Occupancy, Domain.GridWork.Occupancy.Tenancy), State, OwnerUserId,
        members.Select(m => m.ToDto(protector)).ToList(),
        HouseRow.Utc(CreatedAt), HouseRow.Utc(UpdatedAt), ConfirmedAt is { } c ? HouseRow.Utc(c) : null);
}

internal sealed class MemberRow
{
    public long HouseholdId { get; init; }
    public int Position { get; init; }
    public string Name { get; init; } = "";
    public string Relation { get; init; } = "";
    public byte[]? IdCipher { get; init; }
    public byte[]? PhoneCipher { get; init; }
    public byte[] TagsCipher { get; init; } = [];

    public IReadOnlyList<HouseholdTag> Tags(FieldProtector protector) => HouseholdTags.Unpack(protector.Decrypt(TagsCipher));

    public MemberDto ToDto(FieldProtector protector) => new(
        Name, DbEnum.Parse(Relation, MemberRelation.Other),
        IdCipher is null ? null : Masking.IdentityNumber(DocumentType.MainlandIdCard, protector.Decrypt(IdCipher)),
        PhoneCipher is null ? null : Masking.Phone(protector.Decrypt(PhoneCipher)),
        Tags(protector));

    public MemberPersonalDataDto ToPersonalData(FieldProtector protector) => new(
        Name, DbEnum.Parse(Relation, MemberRelation.Other),
        IdCipher is null ? null : protector.Decrypt(IdCipher),
        PhoneCipher is null ? null : protector.Decrypt(PhoneCipher),
        Tags(protector));
}
