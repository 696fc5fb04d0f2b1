using System.ComponentModel.DataAnnotations;
using Linli.Api.Hosting;
using Linli.Domain.Houses;
using Linli.Domain.People;
using Linli.Domain.Stats;

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
    long? TenantUserId = null) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A number's rule follows from its type, and for a mainland ID card from today (no birth date to come): the
        // request's clock, or the system's where the validator is asked without one (the contract test).
        var clock = validationContext.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        if (DocumentType is { } type && DocumentNumber is not null
            && IdentityDocument.Problem(type, IdentityDocument.Normalise(DocumentNumber), ChinaStandardTime.DateOf(clock.GetUtcNow())) is { } problem)
            yield return new ValidationResult(problem, [nameof(DocumentNumber)]);
        if (MoveInDate < new DateOnly(1950, 1, 1))
            yield return new ValidationResult("Not a plausible move-in date.", [nameof(MoveInDate)]);
    }
}

public sealed record MoveOutRequest([Required] DateOnly? Date);

/// <summary>The one answer to a well-formed self-registration, whatever was stored (see RegisterSelf).</summary>
public sealed record SelfRegistrationDto(string Status, string Message)
{
    public static readonly SelfRegistrationDto SentToLandlord =
        new("sent_to_landlord", "Sent to the landlord for confirmation. 已提交，等待房东确认。");
}

/// <summary>
/// A tenancy as anyone but an audited full read sees it: document number and phone masked; both null once erased,
/// <c>Tenancies:RetentionDays</c> after the tenancy ended.
/// </summary>
public sealed record TenancyDto(
    long Id, long HouseId, string HouseCode, string TenantName, DocumentType DocumentType, string? DocumentNumber,
    string? Phone, string Room, DateOnly MoveInDate, DateOnly? MoveOutDate, TenancyStatus Status, long? TenantUserId,
    DateTimeOffset CreatedAt);

/// <summary>One house a person rented (以人找房).</summary>
public sealed record RentedHouseDto(
    long TenancyId, long HouseId, string HouseCode, string CommunityName, string GridName, string Address,
    string TenantName, string Room, DateOnly MoveInDate, DateOnly? MoveOutDate, TenancyStatus Status);

public sealed record TenancyLookupDto(string DocumentNumber, IReadOnlyList<RentedHouseDto> Houses);

/// <summary>The full numbers, returned only by an audited request; null once erased.</summary>
public sealed record TenancyDocumentDto(long TenancyId, DocumentType DocumentType, string? DocumentNumber, string? Phone);

/// <summary>
/// One audited access: a full read (<c>tenancy.document_read</c>, <see cref="SubjectId"/> the tenancy) or a 以人找房
/// look-up (<c>tenancy.lookup</c>, no subject; <see cref="LookupHash"/> the hex keyed hash of the number looked up,
/// equal to the hash stored with that person's tenancies, never the number).
/// </summary>
public sealed record AuditEntryDto(long Id, long ActorId, string Action, string SubjectType, long? SubjectId, string? LookupHash, string Reason, DateTimeOffset At);

/// <summary>以人找房: the number travels in the body, never in a URL; the reason is kept in the audit log.</summary>
public sealed record TenancyLookupRequest(
    [Required, StringLength(32)] string? DocumentNumber,
    [Required, StringLength(500, MinimumLength = 2)] string? Reason) : IValidatableObject
{
    // Both are used as normalised (the number) and trimmed (the reason): what is left must still be something.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DocumentNumber is not null && IdentityDocument.Normalise(DocumentNumber).Length == 0)
            yield return new ValidationResult("Required, at most 32 characters.", [nameof(DocumentNumber)]);
        if (Reason is not null && Reason.Trim().Length < 2)
            yield return new ValidationResult("Say why you look this person up (2–500 characters).", [nameof(Reason)]);
    }
}
