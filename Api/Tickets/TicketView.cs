using System.Globalization;
using Linli.Api.PartyMembers;
using Linli.Domain.People;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Crypto;

namespace Linli.Api.Tickets;

/// <summary>Builds the ticket page as one caller may see it: internal notes and contact details only for those who handle it.</summary>
public static class TicketView
{
    public static string PhotoUrl(long uploadId) => $"/api/v1/uploads/{uploadId}";

    /// <summary>The photos of a comma-separated id list (GROUP_CONCAT).</summary>
    private static List<PhotoDto> Photos(string? ids) =>
        ids is null ? [] : ids.Split(',').Select(id => long.Parse(id, CultureInfo.InvariantCulture)).Select(id => new PhotoDto(id, PhotoUrl(id))).ToList();

    public static TicketDto Build(TicketRow t, IReadOnlyList<TicketEventRow> events, CallerScope caller, FieldProtector protector, DateTimeOffset now)
    {
        var insider = caller.SeesInternal(t);
        var relation = caller.RelationTo(t);
        var seesContact = insider || relation.IsSubmitter;

        var timeline = events
            .Where(e => insider || !e.IsInternal)
            .Select(e => new TicketEventDto(
                e.Id,
                e.ActorId is { } a ? new PersonDto(a, e.ActorName) : null,
                e.ActorRole,
                e.Action,
                TicketStates.TryParse(e.FromStatus, out var from) ? from : null,
                TicketStates.Parse(e.ToStatus),
                e.Note,
                e.IsInternal,
                Photos(e.PhotoIds),
                TicketRow.Utc(e.CreatedAt)))
            .ToList();

        var badge = t.HandlerBadgeName is { } badgeName ? new PartyBadgeDto(badgeName, t.HandlerBadgeOrganisation ?? "") : null;
        var handler = t.HandlerUserId is null && t.HandlerDepartmentId is null
            ? null
            : new HandlerDto(t.HandlerUserId, t.HandlerName, badge is not null, badge, t.HandlerDepartmentId,
                t.HandlerDepartmentId == t.DepartmentId ? t.DepartmentName : null);

        return new TicketDto(
            t.Id, t.Number, t.State, t.CategoryId, t.CategoryName, t.CommunityId, t.CommunityName, t.GridId, t.HouseCode, t.Address,
            t.Latitude is { } lat && t.Longitude is { } lng ? new LocationDto((double)lat, (double)lng) : null,
            t.Description, t.Channel,
            new PersonDto(t.SubmitterId, t.SubmitterName),
            seesContact && t.ContactPhoneCipher is { } cp ? Masking.Phone(protector.Decrypt(cp)) : null,
            seesContact ? t.OnBehalfName : null,
            seesContact && t.OnBehalfPhoneCipher is { } bp ? Masking.Phone(protector.Decrypt(bp)) : null,
            insider ? t.NeedsReview : null,
            t.DepartmentId, t.DepartmentName, insider ? t.SuggestedDepartmentId : null, handler,
            t.DueAt is { } due ? TicketRow.Utc(due) : null,
            t.IsOverdue(now),
            t.ReopenCount, t.Satisfaction, t.EvaluationComment,
            TicketRow.Utc(t.CreatedAt), TicketRow.Utc(t.UpdatedAt),
            Photos(t.PhotoIds),
            timeline,
            TicketRules.AllowedActions(t.Facts, relation, now).Where(a => a != TicketAction.AutoClose).ToList(),
            t.Summonses,
            t.EscalationLevel,
            t.Followers,
            t.MergedIntoId,
            t.SatisfiedAfterVisit);
    }
}
