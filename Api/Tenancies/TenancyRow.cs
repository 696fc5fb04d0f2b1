using Linli.Api.Houses;
using Linli.Domain.Houses;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;

namespace Linli.Api.Tenancies;

/// <summary>A tenancy as <see cref="Columns"/> reads it, with the caller's relation to its house.</summary>
internal sealed class TenancyRow
{
    /// <summary>Needs tenancies <c>t</c> joined to houses <c>h</c>, and <c>@me</c>, <c>@admin</c>.</summary>
    public const string Columns = $$"""
        t.id AS Id, t.house_id AS HouseId, h.code AS HouseCode, t.tenant_name AS TenantName, t.document_type AS DocumentType,
        t.document_cipher AS DocumentCipher, t.phone_cipher AS PhoneCipher, t.room AS Room,
        t.move_in_date AS MoveInDate, t.move_out_date AS MoveOutDate, t.tenant_user_id AS TenantUserId,
        t.status AS Status, t.created_at AS CreatedAt,
        CAST({{Scope.ManagesHouse}} AS SIGNED) AS Manages,
        CAST(h.landlord_id <=> @me AS SIGNED) AS IsLandlord
        """;

    public long Id { get; init; }
    public long HouseId { get; init; }
    public string HouseCode { get; init; } = "";
    public string TenantName { get; init; } = "";
    public string DocumentType { get; init; } = "";
    /// <summary>Null once erased (TenancyRetentionWorker).</summary>
    public byte[]? DocumentCipher { get; init; }
    public byte[]? PhoneCipher { get; init; }
    public string Room { get; init; } = "";
    public DateTime MoveInDate { get; init; }
    public DateTime? MoveOutDate { get; init; }
    public long? TenantUserId { get; init; }
    public string Status { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public long Manages { get; init; }
    public long IsLandlord { get; init; }

    /// <summary>The landlord or staff of the house's community or grid: who registers, confirms and moves out.</summary>
    public bool CallerKeepsHouse => Manages != 0 || IsLandlord != 0;

    public TenancyStatus State => DbEnum.Parse(Status, TenancyStatus.Declined);

    /// <summary>An unknown stored type masks as strictly as any (first and last character).</summary>
    public DocumentType Type => DbEnum.Parse(DocumentType, Linli.Domain.People.DocumentType.Passport);

    public TenancyDto ToDto(FieldProtector protector) => new(
        Id, HouseId, HouseCode, TenantName, Type,
        DocumentCipher is null ? null : Masking.IdentityNumber(Type, protector.Decrypt(DocumentCipher)),
        PhoneCipher is null ? null : Masking.Phone(protector.Decrypt(PhoneCipher)),
        Room, DateOnly.FromDateTime(MoveInDate), MoveOutDate is { } m ? DateOnly.FromDateTime(m) : null,
        State, TenantUserId, HouseRow.Utc(CreatedAt));
}
