using System.ComponentModel.DataAnnotations;
using Linli.Domain.Notices;

namespace Linli.Api.Notices;

/// <summary>
/// Who a notice is for: the whole community, or only some of its grids and/or buildings (a building is a street and
/// building name as its houses are registered). Grids and buildings together reach the residents of either.
/// </summary>
/// <param name="CommunityId">The community; its staff or a street leader of its street office publish.</param>
/// <param name="GridIds">Only these grids of the community (at most 50); none: the whole community unless buildings are given.</param>
/// <param name="Buildings">Only these buildings of the community (at most 50), each with at least one registered house.</param>
public sealed record NoticeAudience(
    [Required, Range(1, long.MaxValue)] long? CommunityId,
    [MaxLength(NoticesApi.MaxAudienceParts)] IReadOnlyList<long>? GridIds = null,
    [MaxLength(NoticesApi.MaxAudienceParts)] IReadOnlyList<NoticeBuilding>? Buildings = null);

/// <summary>A building as its houses are registered: the street (or compound) and the building's name.</summary>
public sealed record NoticeBuilding(
    [Required, StringLength(100)] string Street,
    [Required, StringLength(50)] string Building);

/// <summary>Body of <c>POST /api/v1/notices</c>.</summary>
/// <param name="Kind">notice, policy, result, convention (each household acknowledges it) or emergency (sent even in quiet hours).</param>
/// <param name="Title">2–100 characters; it passes WeChat's content check with the body.</param>
/// <param name="Body">2–5000 characters.</param>
/// <param name="Audience">The community, and optionally only some of its grids or buildings.</param>
/// <param name="PhotoIds">Up to 9 of the caller's own uploads, not yet attached to anything.</param>
/// <param name="PinnedUntil">Shown first in residents' lists until then; in the future.</param>
public sealed record PublishNoticeRequest(
    [Required] NoticeKind? Kind,
    [Required, StringLength(100, MinimumLength = 2)] string Title,
    [Required, StringLength(5000, MinimumLength = 2)] string Body,
    [Required] NoticeAudience Audience,
    [MaxLength(NoticesApi.MaxPhotos)] IReadOnlyList<long>? PhotoIds = null,
    DateTimeOffset? PinnedUntil = null);

/// <summary>The audience a notice was published to, as it was sent.</summary>
public sealed record NoticeAudienceDto(long CommunityId, IReadOnlyList<long> GridIds, IReadOnlyList<NoticeBuilding> Buildings);

public sealed record NoticePhotoDto(long Id, string Url);

/// <summary>Recipients and readers of one grid, counted.</summary>
public sealed record NoticeGridReceiptsDto(long GridId, string GridName, int Recipients, int Read);

/// <summary>
/// How many of the audience read the notice, and (for a convention) how many households acknowledged it; per grid
/// too. Counts only, never who.
/// </summary>
public sealed record NoticeReceiptsDto(
    long NoticeId, int Recipients, int Read, int Households, int AcknowledgedHouseholds, IReadOnlyList<NoticeGridReceiptsDto> Grids);

/// <summary>
/// A notice as its publisher sees it: the audience it was sent to, when the subscribe messages go out
/// (<c>messagesFrom</c>: now, or the end of the quiet hours; an emergency always now) and its receipts.
/// </summary>
public sealed record NoticeDto(
    long Id, long CommunityId, NoticeKind Kind, string Title, string Body, IReadOnlyList<NoticePhotoDto> Photos,
    NoticeAudienceDto Audience, DateTimeOffset? PinnedUntil, bool NeedsReview, DateTimeOffset PublishedAt,
    DateTimeOffset MessagesFrom, NoticeReceiptsDto Receipts);

/// <summary>
/// A notice as a resident reads it. <c>needsAcknowledgement</c>: a convention, acknowledged with
/// <c>POST /api/v1/notices/{id}/acknowledge</c>; <c>readAt</c> and <c>acknowledgedAt</c> are the caller's own.
/// </summary>
public sealed record NoticeItemDto(
    long Id, long CommunityId, NoticeKind Kind, string Title, string Body, IReadOnlyList<NoticePhotoDto> Photos,
    bool Pinned, DateTimeOffset? PinnedUntil, DateTimeOffset PublishedAt, DateTimeOffset? ReadAt,
    bool NeedsAcknowledgement, DateTimeOffset? AcknowledgedAt);

/// <summary>A page of notices: pinned first, then newest; pass <c>nextCursor</c> as <c>cursor</c> for the next (null: the last).</summary>
public sealed record NoticePageDto(IReadOnlyList<NoticeItemDto> Items, string? NextCursor);

/// <summary>A page of a community's notices as their publishers see them, newest first.</summary>
public sealed record PublishedNoticePageDto(IReadOnlyList<NoticeDto> Items, string? NextCursor);
