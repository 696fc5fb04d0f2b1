using System.ComponentModel.DataAnnotations;
using Linli.Api.Hosting;
using Linli.Api.PartyMembers;
using Linli.Domain.Houses;

namespace Linli.Api.Houses;

public sealed record AddressDto(string Street, string Building, string? Unit, string Door);

/// <summary>The landlord as staff see them: the phone is masked.</summary>
public sealed record LandlordDto(long UserId, string? Nickname, string? Phone);

/// <summary>
/// A house. <see cref="PendingLandlordPhone"/> (masked) is set while the landlord is known only by phone and
/// has not signed in with it yet. <see cref="OfferedLandlordId"/> is the user staff named as landlord until they accept
/// (<c>POST /houses/{id}/landlord/accept</c>). <see cref="RoomsFree"/> counts only for rental houses.
/// </summary>
public sealed record HouseDto(
    long Id, string Code, long CommunityId, string CommunityName, long GridId, string GridName,
    AddressDto Address, LandlordDto? Landlord, string? PendingLandlordPhone,
    int Rooms, int RoomsFree, HouseUse Use, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long? OfferedLandlordId = null);

/// <summary>A page of houses, oldest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next one (null: this was the last).</summary>
public sealed record HousePage(IReadOnlyList<HouseDto> Items, string? NextCursor);

/// <summary>
/// Registers a house. The landlord is either a phone number (<see cref="LandlordPhone"/>), which attaches to the user
/// who bound that phone (now or when they do), or an existing user (<see cref="LandlordId"/>), who is only offered the
/// house and becomes its landlord when they accept it in the app.
/// </summary>
public sealed record CreateHouseRequest(
    [Required] long? CommunityId,
    [Required] long? GridId,
    [Required, StringLength(100)] string Street,
    [Required, StringLength(50)] string Building,
    [StringLength(50)] string? Unit,
    [Required, StringLength(50)] string Door,
    long? LandlordId,
    [PhonePattern] string? LandlordPhone,
    [Required, Range(0, HouseLimits.MaxRooms)] int? Rooms,
    [Required] HouseUse? Use) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LandlordId is null && string.IsNullOrWhiteSpace(LandlordPhone))
            yield return new ValidationResult("Give the landlord as an existing user (landlordId) or a phone number (landlordPhone).", [nameof(LandlordId)]);
    }
}

/// <summary>Replaces a house's details. Leaving both landlord fields empty keeps the current landlord; a
/// <c>landlordId</c> is offered the house and the current landlord stays until they accept.</summary>
public sealed record UpdateHouseRequest(
    [Required] long? GridId,
    [Required, StringLength(100)] string Street,
    [Required, StringLength(50)] string Building,
    [StringLength(50)] string? Unit,
    [Required, StringLength(50)] string Door,
    long? LandlordId,
    [PhonePattern] string? LandlordPhone,
    [Required, Range(0, HouseLimits.MaxRooms)] int? Rooms,
    [Required] HouseUse? Use);

public static class HouseLimits
{
    public const int MaxRooms = 500;
}

/// <summary>A grid worker on a house card: the name and a masked phone, enough to know whom to call at the office.</summary>
public sealed record GridWorkerDto(string? Name, string? Phone);

/// <summary>
/// What the caller may do from a scanned code: <c>report_problem</c> (pre-fills <see cref="HouseCode"/>),
/// <c>register_tenant</c> (landlord and staff), <c>register_self</c> (a tenant moving in).
/// </summary>
public sealed record HouseActionDto(string Name, bool RequiresSignIn, string? HouseCode = null);

/// <summary>
/// The public card a scan shows. The address stops at the building; <see cref="Unit"/> and <see cref="Door"/>
/// are shown only to the landlord, staff of the house's grid and its current tenants. <see cref="PartyMembers"/> are
/// the badges of the party members confirmed to serve the grid who agreed to show them (党员亮身份).
/// </summary>
public sealed record HouseCardDto(
    string Code, string CommunityName, string GridName, string Street, string Building, string? Unit, string? Door,
    IReadOnlyList<GridWorkerDto> GridWorkers, IReadOnlyList<PartyBadgeDto> PartyMembers, HouseUse Use, int RoomsFree, IReadOnlyList<HouseActionDto> Actions);

public static class HouseActions
{
    public const string ReportProblem = "report_problem";
    public const string RegisterTenant = "register_tenant";
    public const string RegisterSelf = "register_self";
}
