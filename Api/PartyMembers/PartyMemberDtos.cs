using System.ComponentModel.DataAnnotations;
using Linli.Api.Hosting;
using Linli.Domain.PartyMembers;

namespace Linli.Api.PartyMembers;

/// <summary>A report-in. <c>showBadge</c> is the member's consent to show 党员 on the tickets and grid they serve; it defaults to no.</summary>
public sealed record ReportInRequest(
    [Required, StringLength(ReportIn.MaxNameLength)] string Name,
    [Required, StringLength(ReportIn.MaxOrganisationLength)] string Organisation,
    [Required] bool? IsFloating,
    [Required, RegularExpression(MobileNumber.Pattern, ErrorMessage = "Phone must be a mainland mobile number of 11 digits.")] string Phone,
    [Required] long? CommunityId,
    long? GridId,
    [MaxLength(ReportIn.MaxSkills), OneOf(typeof(PartySkills), nameof(PartySkills.All))] IReadOnlyList<string>? Skills,
    bool? ShowBadge);

public sealed record DeclineRequest([Required, StringLength(PartyMembersApi.MaxDeclineReasonLength)] string Reason);

public sealed record BadgeRequest([Required] bool? Show);

/// <summary>The 党员 badge as tickets and house cards show it: the member's name and their Party organisation.</summary>
public sealed record PartyBadgeDto(string Name, string Organisation);

/// <summary>The phone is always masked: nobody reads it in full through this API.</summary>
public sealed record PartyMemberDto(
    long Id, long UserId, long CommunityId, string CommunityName, long? GridId, string Name, string Organisation,
    bool IsFloating, string Phone, [OneOf(typeof(PartySkills), nameof(PartySkills.All))] IReadOnlyList<string> Skills, bool ShowBadge, PartyMemberStatus Status,
    string? DeclineReason, DateTimeOffset? ReviewedAt, DateTimeOffset CreatedAt);

/// <summary>What the member has done on tickets: claimed, resolved, the average rating residents gave, and how many are overdue now.</summary>
public sealed record PartyMemberRecordDto(long TicketsClaimed, long TicketsResolved, double? AverageSatisfaction, long Overdue);

public sealed record PartyMemberDetailDto(PartyMemberDto Member, PartyMemberRecordDto Record);

public sealed record PartyMemberPageDto(IReadOnlyList<PartyMemberDto> Items, long? NextBeforeId);
