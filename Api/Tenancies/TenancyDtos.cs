using System.ComponentModel.DataAnnotations;
using Linli.Api.Hosting;
using Linli.Domain.Houses;
using Linli.Domain.People;

namespace Linli.Api.Tenancies;

/// <summary>
/// Registers a tenant. <see cref="TenantUserId"/> links the tenant's own account when they scanned in.
/// Dates are the calendar dates the landlord writes down (yyyy-MM-dd).
/// </summary>
public sealed record RegisterTenancyRequest(
    [Required, StringLength(64)] string Name,
    [Required] DocumentType? DocumentType,
    [Required, StringLength(40)] string DocumentNumber,
    [Required, PhonePattern] string Phone,
    [Required, StringLength(32)] string Room,
    [Required] DateOnly? MoveInDate,
    long? TenantUserId = null);

public sealed record MoveOutRequest([Required] DateOnly? Date);

/// <summary>A tenancy as anyone but an audited full read sees it: document number and phone masked.</summary>
public sealed record TenancyDto(
    long Id, long HouseId, string HouseCode, string TenantName, DocumentType DocumentType, string DocumentNumber,
    string Phone, string Room, DateOnly MoveInDate, DateOnly? MoveOutDate, TenancyStatus Status, long? TenantUserId,
    DateTimeOffset CreatedAt);

/// <summary>One house a person rented (以人找房).</summary>
public sealed record RentedHouseDto(
    long TenancyId, long HouseId, string HouseCode, string CommunityName, string GridName, string Address,
    string TenantName, string Room, DateOnly MoveInDate, DateOnly? MoveOutDate, TenancyStatus Status);

public sealed record TenancyLookupDto(string DocumentNumber, IReadOnlyList<RentedHouseDto> Houses);

/// <summary>The full numbers, returned only by an audited request.</summary>
public sealed record TenancyDocumentDto(long TenancyId, DocumentType DocumentType, string DocumentNumber, string Phone);

public sealed record AuditEntryDto(long Id, long ActorId, string Action, string SubjectType, long SubjectId, string Reason, DateTimeOffset At);
