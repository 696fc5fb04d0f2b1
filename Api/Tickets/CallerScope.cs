using Linli.Api.Auth;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

/// <summary>
/// The ticket rules asked of the request's <see cref="Caller"/>: how the caller relates to a ticket, whether they
/// see it, and the same visibility as a SQL predicate for the lists. No database access of its own.
/// </summary>
public sealed class CallerScope(Caller caller)
{
    public Caller Caller => caller;
    public long UserId => caller.UserId;
    public bool IsAdmin => caller.IsAdmin;
    public IReadOnlySet<long> StaffCommunities => caller.ScopeIds(Roles.CommunityStaff);
    public IReadOnlySet<long> PartyCommunities => caller.ScopeIds(Roles.PartyMember);
    public IReadOnlySet<long> Departments => caller.ScopeIds(Roles.DepartmentStaff);
    public IReadOnlySet<long> Grids => caller.ScopeIds(Roles.GridWorker);

    public bool Has(string role) => caller.Has(role);

    /// <summary>How this caller relates to one ticket, for the state machine.</summary>
    public TicketCaller RelationTo(TicketRow t)
    {
        var state = TicketStates.Parse(t.Status);
        var handling = state is TicketState.InProgress or TicketState.Resolved
            && (t.HandlerUserId == UserId || (t.HandlerDepartmentId is { } hd && Departments.Contains(hd)));
        return new TicketCaller(
            IsSubmitter: t.SubmitterId == UserId,
            IsCommunityStaff: IsAdmin || StaffCommunities.Contains(t.CommunityId),
            IsDepartmentStaff: t.DepartmentId is { } d && Departments.Contains(d),
            IsPartyMember: PartyCommunities.Contains(t.CommunityId),
            IsCurrentHandler: handling,
            IsSummonedStaff: t.SummonedDepartments.Overlaps(Departments));
    }

    /// <summary>Whether the caller may see the ticket at all (the same rule as <see cref="VisibilitySql"/>).</summary>
    public bool CanSee(TicketRow t) =>
        IsAdmin
        || t.SubmitterId == UserId
        || t.HandlerUserId == UserId
        || StaffCommunities.Contains(t.CommunityId)
        || (t.DepartmentId is { } d && Departments.Contains(d))
        || (t.HandlerDepartmentId is { } hd && Departments.Contains(hd))
        || (t.Status == TicketState.OpenForClaim.ToCode() && PartyCommunities.Contains(t.CommunityId))
        || (t.GridId is { } g && Grids.Contains(g))
        || t.SummonedDepartments.Overlaps(Departments);

    /// <summary>Sees internal notes: staff of the community, the grid or the department, and the handler.</summary>
    public bool SeesInternal(TicketRow t)
    {
        var relation = RelationTo(t);
        return relation.IsCommunityStaff || relation.IsDepartmentStaff || relation.IsCurrentHandler || relation.IsSummonedStaff
            || t.HandlerUserId == UserId
            || (t.HandlerDepartmentId is { } hd && Departments.Contains(hd))
            || (t.GridId is { } g && Grids.Contains(g));
    }

    /// <summary>
    /// The SQL predicate on <c>t</c> (tickets) that admits exactly the tickets this caller may see (the same rule
    /// as <see cref="CanSee"/>), over the parameters of <see cref="Caller.With"/>: the <see cref="VisibilityParts"/> OR-ed.
    /// </summary>
    public string VisibilitySql() => "(" + string.Join(" OR ", VisibilityParts()) + ")";

    /// <summary>
    /// The visibility rule as its parts, each a predicate on <c>t</c> that one index serves (a ticket is visible when
    /// any part admits it): the list pages with one branch per part, each walking its own (scope, id) index, where the
    /// OR-ed form would read and sort every visible ticket. Admins have the one part <c>1 = 1</c>. Only fixed text.
    /// </summary>
    public IReadOnlyList<string> VisibilityParts()
    {
        if (IsAdmin)
            return ["1 = 1"];
        var parts = new List<string> { "t.submitter_id = @me", "t.handler_user_id = @me" };
        if (StaffCommunities.Count > 0)
            parts.Add("t.community_id IN @staffCommunities");
        if (Departments.Count > 0)
        {
            parts.Add("t.department_id IN @departments");
            parts.Add("t.handler_department_id IN @departments");
            // ix_ticket_summonses_department; as IN, a semi-join on MariaDB and MySQL alike, so the list's branch for it
            // starts from the department's summonses rather than testing every ticket.
            parts.Add("t.id IN (SELECT s.ticket_id FROM ticket_summonses s WHERE s.department_id IN @departments AND s.status <> 'declined')");
        }
        if (PartyCommunities.Count > 0)
            parts.Add("(t.status = 'open_for_claim' AND t.community_id IN @partyCommunities)");
        if (Grids.Count > 0)
            parts.Add("t.grid_id IN @grids");
        return parts;
    }
}
