using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Linli.Api.Auth;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

/// <summary>
/// The signed-in caller's scopes: the role claims say which role paths count, the active
/// <c>user_roles</c> rows say where. A user may hold several roles; every one of them counts.
/// </summary>
public sealed class CallerScope
{
    public required long UserId { get; init; }
    public required bool IsAdmin { get; init; }
    public required IReadOnlySet<long> StaffCommunities { get; init; }
    public required IReadOnlySet<long> PartyCommunities { get; init; }
    public required IReadOnlySet<long> Departments { get; init; }
    public required IReadOnlySet<long> Grids { get; init; }
    public required IReadOnlySet<string> Roles { get; init; }

    public bool Has(string role) => Roles.Contains(role);

    public static async Task<CallerScope> LoadAsync(DbDataSource db, ClaimsPrincipal user, CancellationToken ct)
    {
        var me = user.GetUserId();
        var roles = user.FindAll(AuthClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        await using var connection = await db.OpenConnectionAsync(ct);
        // ix_user_roles_user
        var rows = (await connection.QueryAsync<(string Role, long? CommunityId, long? GridId, long? DepartmentId)>(new CommandDefinition("""
            SELECT role, community_id, grid_id, department_id
            FROM user_roles
            WHERE user_id = @me AND revoked_at IS NULL
            """, new { me }, cancellationToken: ct))).Where(r => roles.Contains(r.Role)).ToList();

        HashSet<long> Ids(string role, Func<(string Role, long? CommunityId, long? GridId, long? DepartmentId), long?> pick) =>
            rows.Where(r => r.Role == role).Select(pick).OfType<long>().ToHashSet();

        return new CallerScope
        {
            UserId = me,
            IsAdmin = roles.Contains(Domain.Identity.Roles.Admin),
            StaffCommunities = Ids(Domain.Identity.Roles.CommunityStaff, r => r.CommunityId),
            PartyCommunities = Ids(Domain.Identity.Roles.PartyMember, r => r.CommunityId),
            Departments = Ids(Domain.Identity.Roles.DepartmentStaff, r => r.DepartmentId),
            Grids = Ids(Domain.Identity.Roles.GridWorker, r => r.GridId),
            Roles = roles,
        };
    }

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
            IsCurrentHandler: handling);
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
        || (t.GridId is { } g && Grids.Contains(g));

    /// <summary>Sees internal notes: staff of the community, the grid or the department, and the handler.</summary>
    public bool SeesInternal(TicketRow t)
    {
        var relation = RelationTo(t);
        return relation.IsCommunityStaff || relation.IsDepartmentStaff || relation.IsCurrentHandler
            || t.HandlerUserId == UserId
            || (t.HandlerDepartmentId is { } hd && Departments.Contains(hd))
            || (t.GridId is { } g && Grids.Contains(g));
    }

    /// <summary>
    /// The SQL predicate on <c>t</c> (tickets) that admits exactly the tickets this caller may see, with
    /// the scopes read from <c>user_roles</c> in the query itself. Only fixed text is built here; <c>@me</c> is a parameter.
    /// </summary>
    public string VisibilitySql()
    {
        if (IsAdmin)
            return "1 = 1";
        static string Scoped(string column, string role) =>
            $"SELECT ur.{column} FROM user_roles ur WHERE ur.user_id = @me AND ur.role = '{role}' AND ur.revoked_at IS NULL";
        var parts = new List<string> { "t.submitter_id = @me", "t.handler_user_id = @me" };
        if (Has(Domain.Identity.Roles.CommunityStaff))
            parts.Add($"t.community_id IN ({Scoped("community_id", Domain.Identity.Roles.CommunityStaff)})");
        if (Has(Domain.Identity.Roles.DepartmentStaff))
        {
            parts.Add($"t.department_id IN ({Scoped("department_id", Domain.Identity.Roles.DepartmentStaff)})");
            parts.Add($"t.handler_department_id IN ({Scoped("department_id", Domain.Identity.Roles.DepartmentStaff)})");
        }
        if (Has(Domain.Identity.Roles.PartyMember))
            parts.Add($"(t.status = 'open_for_claim' AND t.community_id IN ({Scoped("community_id", Domain.Identity.Roles.PartyMember)}))");
        if (Has(Domain.Identity.Roles.GridWorker))
            parts.Add($"t.grid_id IN ({Scoped("grid_id", Domain.Identity.Roles.GridWorker)})");
        return "(" + string.Join(" OR ", parts) + ")";
    }
}
