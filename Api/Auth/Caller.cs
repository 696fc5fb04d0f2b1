using System.Data.Common;
using Dapper;
using Linli.Domain.Identity;

namespace Linli.Api.Auth;

/// <summary>One active row of <c>user_roles</c>: a role and where it applies.</summary>
public sealed record RoleGrant(string Role, long? CommunityId, long? GridId, long? DepartmentId, long? StreetOfficeId = null);

/// <summary>
/// Who is calling and what they may touch: the one model of it in the service. Resolved once per request
/// (<see cref="CallerResolution"/>) from the token's user id and the user's active <c>user_roles</c> rows, so a
/// revoked role or a block takes effect on the very next request, whatever the token still claims.
/// Features ask it in C# (<see cref="Can"/>) or in SQL through the parameters of <see cref="With"/>; none of them
/// reads <c>user_roles</c>.
/// </summary>
public sealed class Caller
{
    public static readonly Caller Anonymous = new(0, []);

    private readonly Dictionary<string, HashSet<long>> _scopes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _roles = new(StringComparer.Ordinal);

    /// <summary>The caller; <paramref name="streetCommunities"/> are the communities of the street offices they lead.</summary>
    public Caller(long userId, IReadOnlyList<RoleGrant> grants, IReadOnlyCollection<long>? streetCommunities = null)
    {
        UserId = userId;
        Grants = grants;
        if (userId != 0)
            _roles.Add(Domain.Identity.Roles.Resident);
        foreach (var grant in grants)
        {
            _roles.Add(grant.Role);
            if (ScopeOf(grant) is { } id)
                Scope(grant.Role).Add(id);
        }
        // A street leader holds community staff authority in every community of the street office: one rule,
        // so every community-scoped check and fragment (@staffCommunities) admits them without knowing the role.
        foreach (var community in streetCommunities ?? [])
            Scope(Domain.Identity.Roles.CommunityStaff).Add(community);
    }

    private HashSet<long> Scope(string role)
    {
        if (!_scopes.TryGetValue(role, out var ids))
            _scopes[role] = ids = [];
        return ids;
    }

    /// <summary>0 for an anonymous caller (a house code scanned without signing in); matches no row.</summary>
    public long UserId { get; }
    public bool IsSignedIn => UserId != 0;
    public IReadOnlyList<RoleGrant> Grants { get; }
    /// <summary>Every role the caller holds now, <c>resident</c> included for anyone signed in.</summary>
    public IReadOnlySet<string> Roles => _roles;
    public bool IsAdmin => _roles.Contains(Domain.Identity.Roles.Admin);

    public bool Has(string role) => _roles.Contains(role);

    /// <summary>
    /// The ids a role applies to: communities for community staff (with the communities of a street leader's
    /// street offices) and party members, grids for grid workers, departments for department staff, street offices
    /// for street leaders. Empty when the caller does not hold the role.
    /// </summary>
    public IReadOnlySet<long> ScopeIds(string role) => _scopes.TryGetValue(role, out var ids) ? ids : Empty;

    /// <summary>Whether the caller holds <paramref name="role"/> for this community, grid or department. Admins hold every role everywhere.</summary>
    public bool Can(string role, long scopeId) => IsAdmin || ScopeIds(role).Contains(scopeId);

    /// <summary>The communities in which the caller holds any of the roles (a grid worker's row names its community too).</summary>
    public IReadOnlySet<long> CommunitiesOf(params string[] roles) =>
        Grants.Where(g => roles.Contains(g.Role, StringComparer.Ordinal) && g.CommunityId is not null)
            .Select(g => g.CommunityId!.Value).ToHashSet();

    /// <summary>
    /// The statement's parameters together with the caller's, which every scope fragment in SQL may use:
    /// <c>@me</c>, <c>@admin</c> (1 or 0), and the id lists <c>@staffCommunities</c>, <c>@partyCommunities</c>,
    /// <c>@grids</c>, <c>@gridCommunities</c> (the communities of the caller's grids), <c>@departments</c>,
    /// <c>@streetOffices</c> for <c>IN</c>. An empty list is sent as (0), an id no row has, so a
    /// fragment is always valid SQL and matches nothing for a role the caller does not hold.
    /// </summary>
    public DynamicParameters With(object? values = null)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("me", UserId);
        parameters.Add("admin", IsAdmin ? 1 : 0);
        parameters.Add("staffCommunities", IdsOrNone(Domain.Identity.Roles.CommunityStaff));
        parameters.Add("partyCommunities", IdsOrNone(Domain.Identity.Roles.PartyMember));
        parameters.Add("grids", IdsOrNone(Domain.Identity.Roles.GridWorker));
        parameters.Add("gridCommunities", OrNone(CommunitiesOf(Domain.Identity.Roles.GridWorker)));
        parameters.Add("departments", IdsOrNone(Domain.Identity.Roles.DepartmentStaff));
        parameters.Add("streetOffices", IdsOrNone(Domain.Identity.Roles.StreetLeader));
        return parameters;
    }

    private long[] IdsOrNone(string role) => OrNone(ScopeIds(role));

    private static long[] OrNone(IReadOnlySet<long> ids) => ids.Count > 0 ? ids.Order().ToArray() : [0L];

    /// <summary>
    /// The user, their active roles and the communities of the street offices they lead, in one statement; null
    /// when the user does not exist or is blocked, or when the token's session (<paramref name="sessionId"/>, the
    /// refresh-token family) has ended: logout, theft detection and blocking end its access tokens on the next request.
    /// </summary>
    public static async Task<Caller?> LoadAsync(DbConnection connection, long userId, string? sessionId, CancellationToken cancellationToken)
    {
        // ix_user_roles_user (user_id, revoked_at); ix_communities_street_office for a street leader's communities;
        // ix_refresh_tokens_family for the session.
        var rows = (await connection.QueryAsync<LoadRow>(new CommandDefinition("""
            SELECT CAST(u.is_blocked AS SIGNED)
                     + CAST(@sessionId IS NOT NULL AND EXISTS (SELECT 1 FROM refresh_tokens t
                                                               WHERE t.family_id = @sessionId AND t.revoked_at IS NOT NULL) AS SIGNED) AS IsBlocked,
                   r.id AS GrantId, r.role AS Role, r.community_id AS CommunityId,
                   r.grid_id AS GridId, r.department_id AS DepartmentId, r.street_office_id AS StreetOfficeId,
                   sc.id AS StreetCommunityId
            FROM users u
            LEFT JOIN user_roles r ON r.user_id = u.id AND r.revoked_at IS NULL
            LEFT JOIN communities sc ON r.role = 'street_leader' AND sc.street_office_id = r.street_office_id
            WHERE u.id = @userId
            """, new { userId, sessionId }, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0 || rows[0].IsBlocked != 0)
            return null;
        var grants = rows.Where(r => r.Role is not null).DistinctBy(r => r.GrantId)
            .Select(r => new RoleGrant(r.Role!, r.CommunityId, r.GridId, r.DepartmentId, r.StreetOfficeId)).ToList();
        var streetCommunities = rows.Select(r => r.StreetCommunityId).OfType<long>().ToHashSet();
        return new Caller(userId, grants, streetCommunities);
    }

    private static long? ScopeOf(RoleGrant grant) => grant.Role switch
    {
        Domain.Identity.Roles.GridWorker => grant.GridId,
        Domain.Identity.Roles.DepartmentStaff => grant.DepartmentId,
        Domain.Identity.Roles.StreetLeader => grant.StreetOfficeId,
        _ => grant.CommunityId,
    };

    private static readonly IReadOnlySet<long> Empty = new HashSet<long>();

    private sealed class LoadRow
    {
        public long IsBlocked { get; init; }
        public long? GrantId { get; init; }
        public string? Role { get; init; }
        public long? CommunityId { get; init; }
        public long? GridId { get; init; }
        public long? DepartmentId { get; init; }
        public long? StreetOfficeId { get; init; }
        public long? StreetCommunityId { get; init; }
    }
}
