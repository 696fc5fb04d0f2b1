using Linli.Domain.Houses;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;

namespace Linli.Api.Houses;

/// <summary>A house as <see cref="Columns"/> reads it, with whether the caller manages it.</summary>
internal sealed class HouseRow
{
    /// <summary>
    /// Columns for <see cref="HouseRow"/>; the query must alias houses <c>h</c>, join communities <c>c</c>, grids <c>g</c>,
    /// left join users <c>lu</c> (the landlord) and pass <c>@me</c>, <c>@admin</c>.
    /// </summary>
    public const string Columns = $$"""
        h.id AS Id, h.code AS Code, h.community_id AS CommunityId, c.name AS CommunityName,
        h.grid_id AS GridId, g.name AS GridName, h.street AS Street, h.building AS Building, h.unit AS Unit, h.door AS Door,
        h.landlord_id AS LandlordId, h.offered_landlord_id AS OfferedLandlordId, lu.nickname AS LandlordNickname, lu.phone_cipher AS LandlordPhoneCipher,
        h.pending_landlord_phone_cipher AS PendingLandlordPhoneCipher,
        h.rooms AS Rooms, h.house_use AS HouseUse, h.created_at AS CreatedAt, h.updated_at AS UpdatedAt,
        CAST(CASE WHEN h.house_use = 'rental'
             THEN GREATEST(h.rooms - (SELECT COUNT(DISTINCT t.room) FROM tenancies t WHERE t.house_id = h.id AND t.status = 'active'), 0)
             ELSE 0 END AS SIGNED) AS RoomsFree,
        CAST({{Scope.ManagesHouse}} AS SIGNED) AS Manages
        """;

    public const string From = """
        FROM houses h
        JOIN communities c ON c.id = h.community_id
        JOIN grids g ON g.id = h.grid_id
        LEFT JOIN users lu ON lu.id = h.landlord_id
        """;

    public long Id { get; init; }
    public string Code { get; init; } = "";
    public long CommunityId { get; init; }
    public string CommunityName { get; init; } = "";
    public long GridId { get; init; }
    public string GridName { get; init; } = "";
    public string Street { get; init; } = "";
    public string Building { get; init; } = "";
    public string? Unit { get; init; }
    public string Door { get; init; } = "";
    public long? LandlordId { get; init; }
    public long? OfferedLandlordId { get; init; }
    public string? LandlordNickname { get; init; }
    public byte[]? LandlordPhoneCipher { get; init; }
    public byte[]? PendingLandlordPhoneCipher { get; init; }
    public int Rooms { get; init; }
    public string HouseUse { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public long RoomsFree { get; init; }
    public long Manages { get; init; }

    public bool CallerManages => Manages != 0;

    public HouseUse Use => DbEnum.Parse(HouseUse, Linli.Domain.Houses.HouseUse.Vacant);

    public string FullAddress => string.Join(' ', new[] { Street, Building, Unit, Door }.Where(p => !string.IsNullOrEmpty(p)));

    public HouseDto ToDto(FieldProtector protector) => new(
        Id, Code, CommunityId, CommunityName, GridId, GridName,
        new AddressDto(Street, Building, Unit, Door),
        LandlordId is { } landlordId
            ? new LandlordDto(landlordId, LandlordNickname, LandlordPhoneCipher is null ? null : Masking.Phone(protector.Decrypt(LandlordPhoneCipher)))
            : null,
        PendingLandlordPhoneCipher is null ? null : Masking.Phone(protector.Decrypt(PendingLandlordPhoneCipher)),
        Rooms, (int)RoomsFree, Use, Utc(CreatedAt), Utc(UpdatedAt), OfferedLandlordId);

    public static DateTimeOffset Utc(DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));
}
