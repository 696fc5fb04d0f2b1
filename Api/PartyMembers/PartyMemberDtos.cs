using Linli.Domain.PartyMembers;

namespace Linli.Api.PartyMembers;

/// <summary>A report-in. <c>showBadge</c> is the member's consent to show 党员 on the tickets and grid they serve; it defaults to no.</summary>
public sealed record ReportInRequest(
    string? Name, string? Organisation, bool? IsFloating, string? Phone, long? CommunityId, long? GridId,
    IReadOnlyList<string>? Skills, bool? ShowBadge);

public sealed record DeclineRequest(string? Reason);

public sealed record BadgeRequest(bool? Show);

/// <summary>The 党员 badge as tickets and house cards show it: the member's name and their Party organisation.</summary>
public sealed record PartyBadgeDto(string Name, string Organisation);

/// <summary>The phone is always masked: nobody reads it in full through this API.</summary>
public sealed record PartyMemberDto(
    long Id, long UserId, long CommunityId, string CommunityName, long? GridId, string Name, string Organisation,
    bool IsFloating, string Phone, IReadOnlyList<string> Skills, bool ShowBadge, PartyMemberStatus Status,
    string? DeclineReason, DateTimeOffset? ReviewedAt, DateTimeOffset CreatedAt);

/// <summary>What the member has done on tickets: claimed, resolved, the average rating residents gave, and how many are overdue now.</summary>
public sealed record PartyMemberRecordDto(long TicketsClaimed, long TicketsResolved, double? AverageSatisfaction, long Overdue);

public sealed record PartyMemberDetailDto(PartyMemberDto Member, PartyMemberRecordDto Record);

public sealed record PartyMemberPageDto(IReadOnlyList<PartyMemberDto> Items, long? NextBeforeId);
